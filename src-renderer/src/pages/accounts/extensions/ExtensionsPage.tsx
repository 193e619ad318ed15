import { ActionIcon, Anchor, Button, Checkbox, Group, Tabs, Text, Tooltip } from '@mantine/core';
import { IconPencil, IconPlus, IconTrash, IconUpload } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Extension } from '../../../../../src-shared/api/accounts';
import { call } from '../../../api/client';
import { ConfirmActionModal } from '../../../components/ConfirmActionModal';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ExportButton } from '../../../components/ExportButton';
import { FilterBar } from '../../../components/FilterBar';
import { FilterTextInput } from '../../../components/FilterTextInput';
import { PageHeader } from '../../../components/PageHeader';
import { PagedDataTable } from '../../../components/PagedDataTable';
import { notifySuccess } from '../../../hooks/notify';
import { useApiQuery } from '../../../hooks/useApiQuery';
import { useFormatters } from '../../../hooks/useFormatters';
import { useKeysetPages } from '../../../hooks/useKeysetPages';
import { useUrlFilters } from '../../../hooks/useUrlFilters';
import { usePermissions } from '../../../session/SessionProvider';
import { DeviceSelect } from '../../rating/components/DeviceSelect';
import { ImportModal } from '../components/ImportModal';
import { ExtensionFormModal } from './ExtensionFormModal';
import { UnknownExtensions } from './UnknownExtensions';

const PAGE_SIZE = 100;

/** Devices → Extensions: a device's extensions and owners, batch files, and the numbers calling that are not configured. */
export function ExtensionsPage() {
  const { t } = useTranslation();
  const f = useFormatters();
  const { canWrite } = usePermissions();
  const [filters, setFilters] = useUrlFilters({ device: '', q: '', unassigned: '', tab: 'configured' });
  const devices = useApiQuery('devices.list', {});
  const [form, setForm] = useState<{ opened: boolean; extension: Extension | null }>({ opened: false, extension: null });
  const [deleting, setDeleting] = useState<{ opened: boolean; extension: Extension | null }>({ opened: false, extension: null });
  const [importOpened, setImportOpened] = useState(false);

  useEffect(() => {
    const first = devices.data?.[0];
    if (!filters.device && first) setFilters({ device: String(first.id) });
  }, [devices.data, filters.device, setFilters]);
  const deviceId = Number(filters.device) || 0;
  const device = devices.data?.find((d) => d.id === deviceId);

  const query = useMemo(
    () => ({ deviceId, ...(filters.q ? { q: filters.q } : {}), ...(filters.unassigned ? { unassigned: true } : {}) }),
    [deviceId, filters.q, filters.unassigned],
  );
  const pages = useKeysetPages('extensions.list', { ...query, limit: PAGE_SIZE }, { enabled: deviceId > 0 });

  const columns: DataTableColumn<Extension>[] = [
    { accessor: 'number', title: t('accounts:extensions.number'), render: (x) => <Text ff="monospace" fw={600}>{x.number}</Text> },
    { accessor: 'name', title: t('accounts:extensions.name') },
    {
      accessor: 'userAccountName',
      title: t('accounts:extensions.owner'),
      render: (x) =>
        x.userAccountId ? (
          <Anchor href={`#/accounts/users?q=${encodeURIComponent(x.userAccountName ?? '')}`} size="sm">
            {x.userAccountName}
          </Anchor>
        ) : (
          <Text size="xs" c="dimmed">
            {t('accounts:extensions.noOwner')}
          </Text>
        ),
    },
    { accessor: 'updatedAt', title: t('accounts:extensions.updatedAt', { zone: f.zone }), noWrap: true, render: (x) => f.dateTime(x.updatedAt) },
    ...(canWrite
      ? [
          {
            accessor: 'actions',
            title: t('common:actions.label'),
            textAlign: 'right' as const,
            render: (x: Extension) => (
              <Group gap={4} justify="flex-end" wrap="nowrap">
                <Tooltip label={t('common:actions.edit')}>
                  <ActionIcon variant="subtle" aria-label={t('accounts:extensions.editNamed', { number: x.number })} onClick={() => setForm({ opened: true, extension: x })}>
                    <IconPencil size={16} />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label={t('accounts:extensions.delete')}>
                  <ActionIcon variant="subtle" color="red" aria-label={t('accounts:extensions.deleteNamed', { number: x.number })} onClick={() => setDeleting({ opened: true, extension: x })}>
                    <IconTrash size={16} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            ),
          },
        ]
      : []),
  ];

  const filtered = Boolean(filters.q || filters.unassigned);
  return (
    <>
      <PageHeader
        title={t('nav:extensions')}
        description={t('accounts:extensions.description')}
        actions={
          deviceId > 0 && (
            <>
              <ExportButton onExport={(format, language) => call('extensions.export', { ...query, format, timeZone: f.timeZone, language })} />
              {canWrite && (
                <Button variant="default" leftSection={<IconUpload size={16} />} onClick={() => setImportOpened(true)}>
                  {t('accounts:extensions.import')}
                </Button>
              )}
              {canWrite && (
                <Button leftSection={<IconPlus size={16} />} onClick={() => setForm({ opened: true, extension: null })}>
                  {t('accounts:extensions.create')}
                </Button>
              )}
            </>
          )
        }
      />
      {devices.error && <ErrorAlert error={devices.error} onRetry={devices.reload} />}
      {devices.data && devices.data.length === 0 ? (
        <EmptyState title={t('accounts:extensions.noDevices')} hint={t('accounts:extensions.noDevicesHint')} />
      ) : (
        <>
          <Group mb="md" align="flex-end">
            <DeviceSelect devices={devices.data} value={filters.device} onChange={(id) => setFilters({ device: id })} />
          </Group>
          <Tabs value={filters.tab} onChange={(tab) => setFilters({ tab: tab ?? 'configured' })} keepMounted={false}>
            <Tabs.List mb="md">
              <Tabs.Tab value="configured">{t('accounts:extensions.configuredTab')}</Tabs.Tab>
              <Tabs.Tab value="unknown">{t('accounts:extensions.unknownTab')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="configured">
              <FilterBar active={filtered} onClear={() => setFilters({ q: '', unassigned: '' })}>
                <FilterTextInput label={t('accounts:filters.search')} placeholder={t('accounts:extensions.searchPlaceholder')} value={filters.q} onChange={(q) => setFilters({ q })} />
                <Checkbox mb={8} label={t('accounts:extensions.withoutOwner')} checked={Boolean(filters.unassigned)} onChange={(e) => setFilters({ unassigned: e.currentTarget.checked ? '1' : '' })} />
              </FilterBar>
              <PagedDataTable
                label={t('nav:extensions')}
                pages={pages}
                columns={columns}
                pageSize={PAGE_SIZE}
                empty={{
                  title: t('accounts:extensions.empty'),
                  hint: filtered ? t('accounts:emptyFiltered') : t('accounts:extensions.emptyHint'),
                }}
              />
            </Tabs.Panel>
            <Tabs.Panel value="unknown">{deviceId > 0 && <UnknownExtensions deviceId={deviceId} canWrite={canWrite} onAdopted={pages.reload} />}</Tabs.Panel>
          </Tabs>
        </>
      )}
      <ExtensionFormModal
        opened={form.opened}
        deviceId={deviceId}
        extension={form.extension}
        onClose={() => setForm((s) => ({ ...s, opened: false }))}
        onSaved={(saved, created) => {
          notifySuccess(created ? t('accounts:extensions.created', { number: saved.number }) : t('accounts:extensions.updated', { number: saved.number }));
          pages.reload();
        }}
      />
      <ConfirmActionModal
        opened={deleting.opened}
        onClose={() => setDeleting((s) => ({ ...s, opened: false }))}
        title={t('accounts:extensions.deleteTitle', { number: deleting.extension?.number ?? '' })}
        message={t('accounts:extensions.deleteMessage')}
        confirmLabel={t('accounts:extensions.delete')}
        // extensions.delete keeps no reason; the operation log records who did it and when.
        reason="none"
        onConfirm={async () => {
          if (!deleting.extension) return;
          await call('extensions.delete', { id: deleting.extension.id });
          notifySuccess(t('accounts:extensions.deleted', { number: deleting.extension.number }));
          pages.reload();
        }}
      />
      <ImportModal
        opened={importOpened}
        onClose={() => setImportOpened(false)}
        title={t('accounts:extensions.importTitle', { device: device?.name ?? '' })}
        help={t('accounts:extensions.importHelp', { device: device?.name ?? '' })}
        onImport={async (file) => {
          const result = await call('extensions.import', { ...file, deviceId });
          pages.reload();
          return result;
        }}
        onTemplate={(format, language) => call('extensions.template', { format, language })}
        describeResult={(r) => t('accounts:extensions.imported', { rows: r.rows, created: r.created, updated: r.updated })}
      />
    </>
  );
}
