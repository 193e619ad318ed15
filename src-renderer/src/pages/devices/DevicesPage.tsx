import { ActionIcon, Badge, Button, Group, Menu, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDots, IconPlus, IconRefresh } from '@tabler/icons-react';
import { DataTable, type DataTableColumn } from 'mantine-datatable';
import { useMemo, useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Device, DeviceStatus } from '../../../../src-shared/api/devices';
import { CDR_FORMATS } from '../../../../src-shared/domain/cdr';
import { call } from '../../api/client';
import { ConfirmActionModal } from '../../components/ConfirmActionModal';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterBar } from '../../components/FilterBar';
import { FilterTextInput } from '../../components/FilterTextInput';
import { PageHeader } from '../../components/PageHeader';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters } from '../../hooks/useFormatters';
import { notifyError, notifySuccess } from '../../hooks/notify';
import { useUrlFilters } from '../../hooks/useUrlFilters';
import { usePermissions } from '../../session/SessionProvider';
import { DeviceFormModal } from './DeviceFormModal';
import { DeviceStatusBadge, DeviceStatusDetails, LastPollCell, TodayCell } from './DeviceStatusView';

type Confirming = { action: 'delete' | 'toggle'; device: Device };

/** IPPBX devices: settings, and the live status of their CDR feeds (connections, polls, errors, today's counts). */
export function DevicesPage() {
  const { t } = useTranslation();
  const f = useFormatters();
  const { canWrite } = usePermissions();
  const [filters, setFilters] = useUrlFilters({ q: '', format: '' });
  const devices = useApiQuery('devices.list', {});
  const status = useApiQuery('devices.status', {});

  const [editing, setEditing] = useState<Device | null>(null);
  const [formOpened, setFormOpened] = useState(false);
  // The device stays set while the confirmation closes, so its text does not change during the animation.
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [confirmOpened, setConfirmOpened] = useState(false);
  const [polling, setPolling] = useState<number | null>(null);

  const statusById = useMemo(() => new Map((status.data?.devices ?? []).map((s) => [s.deviceId, s])), [status.data]);
  const shown = useMemo(() => {
    const q = filters.q.toLowerCase();
    return (devices.data ?? []).filter(
      (d) => (!q || d.name.toLowerCase().includes(q) || d.notes.toLowerCase().includes(q)) && (!filters.format || d.format === filters.format),
    );
  }, [devices.data, filters]);

  const openForm = (device: Device | null) => {
    setEditing(device);
    setFormOpened(true);
  };
  const confirm = (action: Confirming['action'], device: Device) => {
    setConfirming({ action, device });
    setConfirmOpened(true);
  };
  const stop = (fn: () => void) => (event: MouseEvent) => {
    event.stopPropagation(); // a click on a button must not also open the row's details
    fn();
  };
  const pollNow = async (device: Device) => {
    setPolling(device.id);
    try {
      const summary = await call('devices.pollNow', { id: device.id });
      if (summary.ok) notifySuccess(t('devices:notify.polled', { name: device.name, files: summary.read.length, stored: summary.counts.stored }));
      else notifications.show({ color: 'red', title: t('devices:notify.pollFailed', { name: device.name }), message: summary.error, autoClose: 8000 });
      status.reload();
    } catch (err) {
      notifyError(err, t);
    } finally {
      setPolling(null);
    }
  };

  const columns: DataTableColumn<Device>[] = [
    {
      accessor: 'name',
      title: t('devices:columns.name'),
      render: (d) => (
        <Stack gap={0}>
          <Text fw={500} size="sm">
            {d.name}
          </Text>
          {d.notes && (
            <Text size="xs" c="dimmed" lineClamp={1}>
              {d.notes}
            </Text>
          )}
        </Stack>
      ),
    },
    { accessor: 'format', title: t('devices:columns.format'), render: (d) => <Text size="sm">{t(`devices:formats.${d.format}`)}</Text> },
    { accessor: 'status', title: t('devices:columns.status'), render: (d) => <DeviceStatusBadge device={d} status={statusById.get(d.id)} /> },
    {
      accessor: 'lastCdr',
      title: t('devices:columns.lastCdr'),
      noWrap: true,
      render: (d) => {
        const at = statusById.get(d.id)?.lastCdrAt;
        return at ? f.dateTime(at) : <Text size="sm" c="dimmed">{t('devices:status.never')}</Text>;
      },
    },
    { accessor: 'lastPoll', title: t('devices:columns.lastPoll'), noWrap: true, render: (d) => (d.sftp ? <LastPollCell status={statusById.get(d.id)} /> : null) },
    { accessor: 'today', title: t('devices:columns.today'), render: (d) => <TodayCell status={statusById.get(d.id)} /> },
    {
      accessor: 'errors',
      title: t('devices:columns.errors'),
      textAlign: 'right',
      render: (d) => {
        const count = statusById.get(d.id)?.errorCount ?? 0;
        return count > 0 ? <Badge color="red" variant="light">{f.number(count)}</Badge> : <Text size="sm" c="dimmed">0</Text>;
      },
    },
    ...(canWrite
      ? [
          {
            accessor: 'actions',
            title: t('common:actions.label'),
            textAlign: 'right' as const,
            render: (d: Device) => (
              <Group gap={4} justify="flex-end" wrap="nowrap">
                <Button size="compact-xs" variant="default" onClick={stop(() => openForm(d))}>
                  {t('common:actions.edit')}
                </Button>
                {d.sftp && d.enabled && (
                  <Button size="compact-xs" variant="default" loading={polling === d.id} leftSection={<IconRefresh size={12} />} onClick={stop(() => void pollNow(d))}>
                    {t('devices:actions.pollNow')}
                  </Button>
                )}
                <Menu position="bottom-end" withinPortal>
                  <Menu.Target>
                    <ActionIcon size="sm" variant="default" aria-label={t('devices:actions.more', { name: d.name })} onClick={(event) => event.stopPropagation()}>
                      <IconDots size={14} />
                    </ActionIcon>
                  </Menu.Target>
                  <Menu.Dropdown onClick={(event) => event.stopPropagation()}>
                    <Menu.Item color={d.enabled ? 'red' : 'green'} onClick={() => confirm('toggle', d)}>
                      {d.enabled ? t('devices:actions.disable') : t('devices:actions.enable')}
                    </Menu.Item>
                    <Menu.Item color="red" onClick={() => confirm('delete', d)}>
                      {t('devices:actions.delete')}
                    </Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              </Group>
            ),
          },
        ]
      : []),
  ];

  const target = confirming?.device;
  const deleting = confirming?.action === 'delete';
  return (
    <>
      <PageHeader
        title={t('nav:devices')}
        description={t('devices:description')}
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => openForm(null)}>
              {t('devices:actions.add')}
            </Button>
          )
        }
      />
      <FilterBar active={Boolean(filters.q || filters.format)} onClear={() => setFilters({ q: '', format: '' })}>
        <FilterTextInput label={t('devices:columns.name')} value={filters.q} onChange={(q) => setFilters({ q })} />
        <Select
          label={t('devices:columns.format')}
          w={240}
          clearable
          data={CDR_FORMATS.map((format) => ({ value: format, label: t(`devices:formats.${format}`) }))}
          value={filters.format || null}
          onChange={(format) => setFilters({ format: format ?? '' })}
        />
      </FilterBar>
      {devices.error && <ErrorAlert error={devices.error} onRetry={devices.reload} />}
      <Text size="xs" c="dimmed" mb={4}>
        {t('devices:timesIn', { zone: f.zone })}
      </Text>
      {status.error && <ErrorAlert error={status.error} onRetry={status.reload} />}
      <DataTable<Device>
        aria-label={t('nav:devices')}
        withTableBorder
        borderRadius="sm"
        striped
        highlightOnHover
        minHeight={shown.length ? 150 : 260}
        records={shown}
        columns={columns}
        fetching={devices.loading && !devices.data}
        loaderBackgroundBlur={0}
        rowExpansion={{ allowMultiple: true, content: ({ record }) => <DeviceStatusDetails status={statusById.get(record.id) as DeviceStatus | undefined} /> }}
        emptyState={
          // Only while the list is empty: the empty state takes pointer events over the table area.
          devices.data && shown.length === 0 ? (
            devices.data.length > 0 ? (
              <EmptyState title={t('devices:empty.filteredTitle')} hint={t('devices:empty.filteredHint')} />
            ) : (
              <EmptyState
                title={t('devices:empty.title')}
                hint={t('devices:empty.hint')}
                action={canWrite ? <Button onClick={() => openForm(null)}>{t('devices:actions.add')}</Button> : undefined}
              />
            )
          ) : (
            <span />
          )
        }
      />
      <DeviceFormModal
        opened={formOpened}
        device={editing}
        onClose={() => setFormOpened(false)}
        onSaved={(saved, created) => {
          notifySuccess(created ? t('devices:notify.created', { name: saved.name }) : t('devices:notify.updated', { name: saved.name }));
          devices.reload();
          status.reload();
        }}
      />
      <ConfirmActionModal
        opened={confirmOpened}
        onClose={() => setConfirmOpened(false)}
        title={
          deleting
            ? t('devices:confirm.deleteTitle', { name: target?.name ?? '' })
            : target?.enabled
              ? t('devices:confirm.disableTitle', { name: target?.name ?? '' })
              : t('devices:confirm.enableTitle', { name: target?.name ?? '' })
        }
        message={deleting ? t('devices:confirm.deleteMessage') : target?.enabled ? t('devices:confirm.disableMessage') : t('devices:confirm.enableMessage')}
        confirmLabel={deleting ? t('devices:actions.delete') : target?.enabled ? t('devices:actions.disable') : t('devices:actions.enable')}
        color={deleting || target?.enabled ? 'red' : 'green'}
        // devices.delete / devices.update keep no reason; the operation log records who did it and when.
        reason="none"
        onConfirm={async () => {
          if (!target) return;
          if (deleting) {
            await call('devices.delete', { id: target.id });
            notifySuccess(t('devices:notify.deleted', { name: target.name }));
          } else {
            const updated = await call('devices.update', { id: target.id, enabled: !target.enabled });
            notifySuccess(updated.enabled ? t('devices:notify.enabled', { name: updated.name }) : t('devices:notify.disabled', { name: updated.name }));
          }
          devices.reload();
          status.reload();
        }}
      />
    </>
  );
}
