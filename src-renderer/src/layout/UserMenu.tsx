import { Badge, Button, Group, Menu, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconKey, IconLanguage, IconLogout, IconUserCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ChangePasswordForm } from '../components/ChangePasswordForm';
import { notifySuccess } from '../hooks/notify';
import { useSession } from '../session/SessionProvider';
import { LanguageSwitch } from './LanguageSwitch';
import { TimeZoneSelect } from './TimeZoneSelect';

export function UserMenu() {
  const { t } = useTranslation();
  const session = useSession();
  const [changing, changeModal] = useDisclosure(false);
  const [preferring, preferencesModal] = useDisclosure(false);
  const user = session.user;
  if (!user) return null;
  return (
    <>
      <Menu position="bottom-end" width={220} withinPortal>
        <Menu.Target>
          <Button
            variant="subtle"
            color="gray"
            size="sm"
            leftSection={<IconUserCircle size={18} />}
            rightSection={<IconChevronDown size={14} />}
          >
            <Text span size="sm" fw={500} mr={6}>
              {user.displayName || user.username}
            </Text>
            <Badge size="xs" variant="light">
              {t(`common:roles.${user.role}`)}
            </Badge>
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{user.username}</Menu.Label>
          <Menu.Item leftSection={<IconLanguage size={16} />} onClick={preferencesModal.open}>
            {t('shell:preferences.title')}
          </Menu.Item>
          <Menu.Item leftSection={<IconKey size={16} />} onClick={changeModal.open}>
            {t('auth:userMenu.changePassword')}
          </Menu.Item>
          <Menu.Item leftSection={<IconLogout size={16} />} color="red" onClick={() => void session.logout()}>
            {t('auth:userMenu.logout')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={preferring} onClose={preferencesModal.close} title={t('shell:preferences.title')} centered>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {t('shell:preferences.body', { user: user.displayName || user.username })}
          </Text>
          <LanguageSwitch withLabel />
          <TimeZoneSelect withLabel />
          <Group justify="flex-end">
            <Button onClick={preferencesModal.close}>{t('shell:preferences.done')}</Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={changing} onClose={changeModal.close} title={t('auth:userMenu.changePassword')} centered>
        <ChangePasswordForm
          onCancel={changeModal.close}
          onDone={() => {
            changeModal.close();
            notifySuccess(t('auth:changePassword.done'));
          }}
        />
      </Modal>
    </>
  );
}
