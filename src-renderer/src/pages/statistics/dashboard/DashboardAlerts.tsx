import { Anchor, Card, Group, List, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Dashboard } from '../../../../../src-shared/api/statistics';
import { useFormatters } from '../../../hooks/useFormatters';

interface AlertItem {
  key: string;
  text: ReactNode;
  to: string;
  color: string;
}

/** What needs a clerk's (or an admin's) attention, each with a link to where it is dealt with. */
export function DashboardAlerts({ alerts }: { alerts: Dashboard['alerts'] }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const items: AlertItem[] = [];
  if (alerts.exhausted.count) items.push({ key: 'exhausted', text: t('dashboard:alerts.exhausted', { count: alerts.exhausted.count }), to: '/accounts/enterprises?alertState=exhausted', color: 'red' });
  if (alerts.lowBalance.count) items.push({ key: 'low', text: t('dashboard:alerts.lowBalance', { count: alerts.lowBalance.count }), to: '/accounts/enterprises?alertState=low', color: 'orange' });
  if (alerts.frozen.count) items.push({ key: 'frozen', text: t('dashboard:alerts.frozen', { count: alerts.frozen.count }), to: '/accounts/enterprises?status=frozen', color: 'gray' });
  if (alerts.unratedCdrs) items.push({ key: 'unrated', text: t('dashboard:alerts.unrated', { count: alerts.unratedCdrs }), to: '/cdr/unrated', color: 'orange' });
  if (alerts.openRejects) items.push({ key: 'rejects', text: t('dashboard:alerts.rejects', { count: alerts.openRejects }), to: '/cdr/rejects', color: 'orange' });
  for (const e of alerts.pollerErrors) {
    items.push({ key: `device-${e.deviceId}`, text: t('dashboard:alerts.pollerError', { device: e.deviceName, message: e.message }), to: '/devices/ippbx', color: 'red' });
  }
  const b = alerts.backup;
  if (b.lastError) items.push({ key: 'backupFailed', text: t('dashboard:alerts.backupFailed', { message: b.lastError.message }), to: '/system/backups', color: 'red' });
  else if (b.overdue) {
    items.push({
      key: 'backup',
      text: b.lastBackupAt ? t('dashboard:alerts.backupOverdue', { at: f.dateTime(b.lastBackupAt) }) : t('dashboard:alerts.backupNever'),
      to: '/system/backups',
      color: 'orange',
    });
  }

  return (
    <Card withBorder padding="md" h="100%">
      <Text fw={600} mb="sm">
        {t('dashboard:alerts.title')}
      </Text>
      {items.length === 0 ? (
        <Group gap="xs">
          <IconCircleCheck size={18} color="var(--mantine-color-green-6)" />
          <Text size="sm" c="dimmed">
            {t('dashboard:alerts.none')}
          </Text>
        </Group>
      ) : (
        <List spacing="xs" size="sm" aria-label={t('dashboard:alerts.title')}>
          {items.map((item) => (
            <List.Item
              key={item.key}
              icon={
                <ThemeIcon color={item.color} size={20} radius="xl" variant="light">
                  <IconAlertTriangle size={12} />
                </ThemeIcon>
              }
            >
              <Anchor component={Link} to={item.to} size="sm" c="inherit">
                {item.text}
              </Anchor>
            </List.Item>
          ))}
        </List>
      )}
    </Card>
  );
}
