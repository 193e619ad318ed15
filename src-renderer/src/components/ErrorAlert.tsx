import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../hooks/notify';
import { TechnicalDetail } from './TechnicalDetail';

export { TechnicalDetail };

/** A load that failed: the error in the user's language, the engine's detail folded away, and a way to try again. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const { title, message, detail } = describeError(error, t);
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={title} mb="md" role="alert">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={4}>
          <Text size="sm">{message}</Text>
          <TechnicalDetail detail={detail} />
        </Stack>
        {onRetry && (
          <Button size="xs" variant="white" color="red" onClick={onRetry}>
            {t('common:actions.retry')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
