import { Alert, Button, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ChangePasswordForm } from '../../components/ChangePasswordForm';
import { notifySuccess } from '../../hooks/notify';
import { LanguageSwitch } from '../../layout/LanguageSwitch';
import { useSession } from '../../session/SessionProvider';

/**
 * Shown instead of any page while the account must change its password (first start with a generated password,
 * or after an admin reset): the server refuses everything else until then.
 */
export function ForcedPasswordChangePage() {
  const { t } = useTranslation();
  const session = useSession();
  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={420} component="main">
        <Group justify="flex-end" mb="xs">
          <LanguageSwitch />
        </Group>
        <Stack gap={2} mb="md">
          <Title order={1} fz="h3">
            {t('auth:forcedChange.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {session.user?.displayName || session.user?.username}
          </Text>
        </Stack>
        <Alert color="yellow" variant="light" mb="md">
          {t('auth:forcedChange.why')}
        </Alert>
        <ChangePasswordForm
          onDone={() => {
            session.passwordChanged();
            notifySuccess(t('auth:changePassword.done'));
          }}
        />
        <Button variant="subtle" size="xs" mt="md" onClick={() => void session.logout()}>
          {t('auth:userMenu.logout')}
        </Button>
      </Paper>
    </Center>
  );
}
