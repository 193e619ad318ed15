import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { IconLock, IconMapOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { PageHeader } from '../components/PageHeader';
import { describeError } from '../hooks/notify';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('common:notFound.title')} />
      <Alert variant="light" color="gray" icon={<IconMapOff size={18} />}>
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{t('common:notFound.body')}</Text>
          <Button component={Link} to="/" size="xs" variant="default">
            {t('common:notFound.home')}
          </Button>
        </Stack>
      </Alert>
    </>
  );
}

/** A bookmarked page this role may not open (its navigation item is hidden too). */
export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('common:forbidden.title')} />
      <Alert variant="light" color="yellow" icon={<IconLock size={18} />}>
        {t('common:forbidden.body')}
      </Alert>
    </>
  );
}

export function FullScreenLoader() {
  const { t } = useTranslation();
  return (
    <Center h="100vh" aria-busy="true" aria-label={t('common:loading')}>
      <Loader />
    </Center>
  );
}

/** The engine cannot be reached at start (server stopped, network down). */
export function UnreachablePage({ error, onRetry }: { error: unknown; onRetry(): void }) {
  const { t } = useTranslation();
  const { message } = describeError(error, t);
  return (
    <Center h="100vh" p="md">
      <Alert color="red" variant="light" title={t('common:unreachable.title')} maw={520} role="alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{t('common:unreachable.body')}</Text>
          <Text size="xs" c="dimmed">
            {message}
          </Text>
          <Button size="xs" onClick={onRetry}>
            {t('common:actions.retry')}
          </Button>
        </Stack>
      </Alert>
    </Center>
  );
}
