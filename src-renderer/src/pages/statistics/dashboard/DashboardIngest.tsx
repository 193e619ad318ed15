import { Badge, Card, Group, Text } from '@mantine/core';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { DeviceIngestStatus, IngestStatusSnapshot } from '../../../../../src-shared/api/ingest';
import { useFormatters } from '../../../hooks/useFormatters';

/** Per device: connections, last CDR, today's stored and rejected records, recent errors. */
export function DashboardIngest({ ingest }: { ingest: IngestStatusSnapshot }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const listener = ingest.listener;
  return (
    <Card withBorder padding="md">
      <Group justify="space-between" mb="sm">
        <Text fw={600}>{t('dashboard:ingest.title')}</Text>
        <Badge variant="light" color={listener.state === 'listening' ? 'green' : listener.state === 'failed' ? 'red' : 'gray'}>
          {t('dashboard:ingest.listener', { state: t(`dashboard:states.${listener.state}`), port: listener.port })}
        </Badge>
      </Group>
      <DataTable<DeviceIngestStatus>
        aria-label={t('dashboard:ingest.title')}
        withTableBorder
        borderRadius="sm"
        striped
        minHeight={ingest.devices.length ? 0 : 120}
        records={ingest.devices}
        idAccessor="deviceId"
        noRecordsText={t('dashboard:ingest.empty')}
        columns={[
          { accessor: 'name', title: t('dashboard:ingest.device') },
          { accessor: 'connections', title: t('dashboard:ingest.connections'), textAlign: 'right', render: (d) => d.connections.length },
          { accessor: 'lastCdrAt', title: t('dashboard:ingest.lastCdr'), noWrap: true, render: (d) => (d.lastCdrAt ? f.dateTime(d.lastCdrAt) : t('dashboard:ingest.never')) },
          { accessor: 'today.stored', title: t('dashboard:ingest.today'), textAlign: 'right', render: (d) => f.number(d.today.stored) },
          { accessor: 'today.rejected', title: t('dashboard:ingest.rejected'), textAlign: 'right', render: (d) => f.number(d.today.rejected) },
          {
            accessor: 'errors',
            title: t('dashboard:ingest.errors'),
            render: (d) =>
              d.errors[0] ? (
                <Text size="xs" c="red" lineClamp={2} title={d.errors[0].message}>
                  {f.dateTime(d.errors[0].at)} {d.errors[0].message}
                </Text>
              ) : (
                ''
              ),
          },
        ]}
      />
    </Card>
  );
}
