import { Button, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconKey, IconPlus, IconUpload } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputOf } from '../../../../src-shared/api';
import type { UserAccount } from '../../../../src-shared/api/accounts';
import { call } from '../../api/client';
import { ExportButton } from '../../components/ExportButton';
import { FilterBar } from '../../components/FilterBar';
import { FilterTextInput } from '../../components/FilterTextInput';
import { PageHeader } from '../../components/PageHeader';
import { PagedDataTable } from '../../components/PagedDataTable';
import { notifySuccess } from '../../hooks/notify';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters } from '../../hooks/useFormatters';
import { useKeysetPages } from '../../hooks/useKeysetPages';
import { useUrlFilters } from '../../hooks/useUrlFilters';
import { usePermissions } from '../../session/SessionProvider';
import { AccountStatusFilter, useMemberColumns } from './components/accountColumns';
import { EnterpriseSelect } from './components/EnterpriseSelect';
import { ImportModal } from './components/ImportModal';
import { useMoneyActions } from './components/MoneyActions';
import { UserFormModal } from './UserFormModal';

const PAGE_SIZE = 50;
const NO_FILTERS = { enterprise: '', q: '', status: '' };

/** Accounts → Users: the user accounts of an enterprise, with import, export and a template. */
export function UsersPage() {
  const { t } = useTranslation();
  const f = useFormatters();
  const { canWrite } = usePermissions();
  const [filters, setFilters] = useUrlFilters(NO_FILTERS);
  const [form, setForm] = useState<{ opened: boolean; user: UserAccount | null }>({ opened: false, user: null });
  const [importOpened, setImportOpened] = useState(false);
  const devices = useApiQuery('devices.list', {});
  const deviceName = (id: number) => devices.data?.find((d) => d.id === id)?.name ?? `#${id}`;

  const query = useMemo((): Omit<InputOf<'userAccounts.list'>, 'limit' | 'cursor'> => {
    const status = filters.status === 'active' || filters.status === 'frozen' ? filters.status : undefined;
    return {
      ...(Number(filters.enterprise) > 0 ? { enterpriseId: Number(filters.enterprise) } : {}),
      ...(filters.q ? { q: filters.q } : {}),
      ...(status ? { status } : {}),
    };
  }, [filters]);
  const pages = useKeysetPages('userAccounts.list', { ...query, limit: PAGE_SIZE });
  const money = useMoneyActions();
  const openCreate = () => setForm({ opened: true, user: null });

  const member = useMemberColumns<UserAccount>({
    listPath: '#/accounts/users',
    canWrite,
    onEdit: (u) => setForm({ opened: true, user: u }),
    onMoney: money.open,
  });
  const columns: DataTableColumn<UserAccount>[] = [
    {
      accessor: 'name',
      title: t('accounts:fields.name'),
      render: (u) => (
        <Stack gap={0}>
          <Text fw={500} size="sm">
            {u.name}
          </Text>
          {u.code && (
            <Text size="xs" c="dimmed">
              {u.code}
            </Text>
          )}
        </Stack>
      ),
    },
    member.enterprise,
    {
      accessor: 'extensions',
      title: t('accounts:fields.extensions'),
      render: (u) => (
        <Text size="sm" ff="monospace">
          {u.extensions.map((x) => (devices.data && devices.data.length > 1 ? `${deviceName(x.deviceId)}:${x.number}` : x.number)).join(', ')}
        </Text>
      ),
    },
    {
      accessor: 'cardNumber',
      title: t('accounts:fields.cardNumber'),
      render: (u) =>
        u.cardNumber ? (
          <Group gap={4} wrap="nowrap">
            <Text size="sm" ff="monospace">
              {u.cardNumber}
            </Text>
            {u.hasPin && (
              <Tooltip label={t('accounts:users.hasPin')}>
                <IconKey size={14} aria-label={t('accounts:users.hasPin')} />
              </Tooltip>
            )}
          </Group>
        ) : (
          ''
        ),
    },
    ...member.rest,
  ];

  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <PageHeader
        title={t('nav:titles.userAccounts')}
        description={t('accounts:users.description')}
        actions={
          <>
            <ExportButton onExport={(format, language) => call('userAccounts.export', { ...query, format, timeZone: f.timeZone, language })} />
            {canWrite && (
              <Button variant="default" leftSection={<IconUpload size={16} />} onClick={() => setImportOpened(true)}>
                {t('accounts:users.import')}
              </Button>
            )}
            {canWrite && (
              <Button leftSection={<IconPlus size={16} />} onClick={openCreate}>
                {t('accounts:users.create')}
              </Button>
            )}
          </>
        }
      />
      <FilterBar active={filtered} onClear={() => setFilters(NO_FILTERS)}>
        <EnterpriseSelect value={filters.enterprise} onChange={(enterprise) => setFilters({ enterprise })} placeholder={t('accounts:filters.allEnterprises')} width={240} />
        <FilterTextInput label={t('accounts:filters.search')} placeholder={t('accounts:filters.searchUser')} value={filters.q} onChange={(q) => setFilters({ q })} width={220} />
        <AccountStatusFilter value={filters.status} onChange={(status) => setFilters({ status })} />
      </FilterBar>
      <PagedDataTable
        label={t('nav:titles.userAccounts')}
        pages={pages}
        columns={columns}
        pageSize={PAGE_SIZE}
        empty={{
          title: t('accounts:users.empty'),
          hint: filtered ? t('accounts:emptyFiltered') : t('accounts:users.emptyHint'),
          ...(canWrite && !filtered
            ? {
                action: (
                  <Group gap="xs">
                    <Button onClick={openCreate}>{t('accounts:users.create')}</Button>
                    <Button variant="default" onClick={() => setImportOpened(true)}>
                      {t('accounts:users.import')}
                    </Button>
                  </Group>
                ),
              }
            : {}),
        }}
      />
      <UserFormModal
        opened={form.opened}
        user={form.user}
        enterpriseId={filters.enterprise}
        onClose={() => setForm((s) => ({ ...s, opened: false }))}
        onSaved={(saved, created) => {
          notifySuccess(created ? t('accounts:users.created', { name: saved.name }) : t('accounts:users.updated', { name: saved.name }));
          pages.reload();
        }}
      />
      <ImportModal
        opened={importOpened}
        onClose={() => setImportOpened(false)}
        title={t('accounts:users.importTitle')}
        help={t('accounts:users.importHelp')}
        onImport={async (file) => {
          const result = await call('userAccounts.import', file);
          pages.reload();
          return result;
        }}
        onTemplate={(format, language) => call('userAccounts.template', { format, language })}
        describeResult={(r) => t('accounts:users.imported', { rows: r.rows, created: r.created, updated: r.updated, extensions: r.extensionsAssigned, pins: r.pinsSet })}
      />
      {money.modals}
    </>
  );
}
