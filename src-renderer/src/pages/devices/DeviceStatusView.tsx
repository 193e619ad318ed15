import { Badge, Group, List, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Device, DeviceStatus } from '../../../../src-shared/api/devices';
import { useFormatters } from '../../hooks/useFormatters';

/** Connected / polling / failing, at a glance; the last error in the tooltip. */
export function DeviceStatusBadge({ device, status }: { device: Device; status: DeviceStatus | undefined }) {
  const { t } = useTranslation();
  const f = useFormatters();
  if (!device.enabled) {
    return (
      <Badge variant="dot" color="gray" miw="max-content">
        {t('devices:status.disabled')}
      </Badge>
    );
  }
  const connections = status?.connections.length ?? 0;
  const sftp = status?.sftp;
  const badges = [];
  if (connections > 0) {
    badges.push(
      <Badge key="tcp" variant="dot" color="green" miw="max-content">
        {t('devices:status.connected', { count: connections })}
      </Badge>,
    );
  }
  if (sftp) {
    const failing = sftp.state === 'retrying';
    const label = failing
      ? t('devices:status.retrying')
      : sftp.state === 'polling'
        ? t('devices:status.polling')
        : sftp.lastSuccessAt
          ? t('devices:status.pollOk')
          : t('devices:status.polling');
    const badge = (
      <Badge key="sftp" variant="dot" color={failing ? 'red' : 'green'} miw="max-content">
        {label}
      </Badge>
    );
    badges.push(
      failing ? (
        <Tooltip
          key="sftp"
          multiline
          w={360}
          label={`${sftp.lastError ?? ''} — ${t('devices:status.failedAttempts', {
            count: sftp.consecutiveFailures,
            next: sftp.nextPollAt ? f.dateTime(sftp.nextPollAt) : '—',
          })}`}
        >
          {badge}
        </Tooltip>
      ) : (
        badge
      ),
    );
  }
  if (badges.length === 0) {
    badges.push(
      <Badge key="none" variant="dot" color="gray" miw="max-content">
        {t('devices:status.idle')}
      </Badge>,
    );
  }
  return <Group gap={4}>{badges}</Group>;
}

export function LastPollCell({ status }: { status: DeviceStatus | undefined }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const poll = status?.lastPoll;
  if (!poll) return <Text size="sm" c="dimmed">{t('devices:status.never')}</Text>;
  return (
    <Stack gap={0}>
      <Text size="sm">{f.dateTime(poll.at)}</Text>
      <Text size="xs" c={poll.ok ? 'dimmed' : 'red'} lineClamp={1} title={poll.error}>
        {poll.ok ? t('devices:status.filesRead', { count: poll.files }) : t('devices:status.pollFailed')}
      </Text>
    </Stack>
  );
}

export function TodayCell({ status }: { status: DeviceStatus | undefined }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const today = status?.today;
  if (!today) return null;
  return (
    <Tooltip label={t('devices:status.todayDetails', { duplicates: f.number(today.duplicates), rejected: f.number(today.rejected), skipped: f.number(today.skipped) })}>
      <Stack gap={0} style={{ fontVariantNumeric: 'tabular-nums' }}>
        <Text size="sm">{t('devices:status.todayReceived', { count: today.received, value: f.number(today.received) })}</Text>
        <Text size="xs" c={today.rejected > 0 ? 'red' : 'dimmed'}>
          {t('devices:status.todayStored', { stored: f.number(today.stored), rejected: f.number(today.rejected) })}
        </Text>
      </Stack>
    </Tooltip>
  );
}

/** The row's details: open connections, files waiting, recent errors. */
export function DeviceStatusDetails({ status }: { status: DeviceStatus | undefined }) {
  const { t } = useTranslation();
  const f = useFormatters();
  if (!status) return null;
  const waiting = status.sftp?.waiting ?? [];
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} p="sm" spacing="lg">
      <Stack gap={6}>
        {status.connections.length > 0 && (
          <>
            <Text size="sm" fw={600}>
              {t('devices:status.connections')}
            </Text>
            <List size="sm">
              {status.connections.map((c) => (
                <List.Item key={c.remote}>
                  {c.remote} — {t('devices:status.since', { time: f.dateTime(c.since) })}
                </List.Item>
              ))}
            </List>
          </>
        )}
        {waiting.length > 0 && (
          <>
            <Text size="sm" fw={600}>
              {t('devices:status.waitingFiles')}
            </Text>
            <List size="sm">
              {waiting.map((w) => (
                <List.Item key={w.path}>
                  <Text span ff="monospace" size="sm">
                    {w.path}
                  </Text>{' '}
                  — {t(`devices:status.waiting.${w.reason}`)}
                </List.Item>
              ))}
            </List>
          </>
        )}
        <Text size="sm" c="dimmed">
          {t('devices:status.todayDetails', { duplicates: f.number(status.today.duplicates), rejected: f.number(status.today.rejected), skipped: f.number(status.today.skipped) })}
        </Text>
      </Stack>
      <Stack gap={6}>
        <Text size="sm" fw={600}>
          {t('devices:status.recentErrors')}
        </Text>
        {status.errors.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('devices:status.noErrors')}
          </Text>
        ) : (
          <List size="sm" spacing={2}>
            {status.errors.slice(0, 8).map((e, i) => (
              <List.Item key={`${e.at}-${i}`}>
                <Text span size="xs" c="dimmed">
                  {f.dateTime(e.at)}
                </Text>{' '}
                <Text span size="sm" c="red">
                  {e.message}
                </Text>
              </List.Item>
            ))}
          </List>
        )}
      </Stack>
    </SimpleGrid>
  );
}
