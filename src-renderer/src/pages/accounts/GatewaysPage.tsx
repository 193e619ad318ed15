import { Button, Select, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputOf } from '../../../../src-shared/api';
import type { GatewayAccount } from '../../../../src-shared/api/accounts';
import { FilterBar } from '../../components/FilterBar';
import { FilterTextInput } from '../../components/FilterTextInput';
import { PageHeader } from '../../components/PageHeader';
import { PagedDataTable } from '../../components/PagedDataTable';
import { notifySuccess } from '../../hooks/notify';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useKeysetPages } from '../../hooks/useKeysetPages';
import { useUrlFilters } from '../../hooks/useUrlFilters';
import { usePermissions } from '../../session/SessionProvider';
import { AccountStatusFilter, useMemberColumns } from './components/accountColumns';
import { EnterpriseSelect } from './components/EnterpriseSelect';
import { useMoneyActions } from './components/MoneyActions';
import { useRateGroupNames } from './components/RateGroupSelect';
import { GatewayFormModal } from './GatewayFormModal';

const PAGE_SIZE = 50;
const NO_FILTERS = { enterprise: '', device: '', q: '', status: '' };

/** Accounts → Gateways: accounts charged per device trunk. */
export function GatewaysPage() {
  const { t } = useTranslation();
  const { canWrite } = usePermissions();
  const rateGroupName = useRateGroupNames();
  const [filters, setFilters] = useUrlFilters(NO_FILTERS);
  const [form, setForm] = useState<{ opened: boolean; gateway: GatewayAccount | null }>({ opened: false, gateway: null });
  const devices = useApiQuery('devices.list', {});

  const query = useMemo((): Omit<InputOf<'gateways.list'>, 'limit' | 'cursor'> => {
    const status = filters.status === 'active' || filters.status === 'frozen' ? filters.status : undefined;
    return {
      ...(Number(filters.enterprise) > 0 ? { enterpriseId: Number(filters.enterprise) } : {}),
      ...(Number(filters.device) > 0 ? { deviceId: Number(filters.device) } : {}),
      ...(filters.q ? { q: filters.q } : {}),
      ...(status ? { status } : {}),
    };
  }, [filters]);
  const pages = useKeysetPages('gateways.list', { ...query, limit: PAGE_SIZE });
  const money = useMoneyActions();
  const openCreate = () => setForm({ opened: true, gateway: null });

  const member = useMemberColumns<GatewayAccount>({
    listPath: '#/accounts/gateways',
    canWrite,
    onEdit: (g) => setForm({ opened: true, gateway: g }),
    onMoney: money.open,
  });
  const columns: DataTableColumn<GatewayAccount>[] = [
    { accessor: 'name', title: t('accounts:fields.name'), render: (g) => <Text fw={500} size="sm">{g.name}</Text> },
    member.enterprise,
    { accessor: 'deviceId', title: t('accounts:fields.device'), render: (g) => devices.data?.find((d) => d.id === g.deviceId)?.name ?? `#${g.deviceId}` },
    { accessor: 'trunk', title: t('accounts:fields.trunk'), render: (g) => <Text size="sm" ff="monospace">{g.trunk}</Text> },
    { accessor: 'rateGroupId', title: t('accounts:fields.rateGroup'), render: (g) => (g.rateGroupId ? rateGroupName(g.rateGroupId) : <Text size="xs" c="dimmed">{t('accounts:users.enterpriseRateGroup')}</Text>) },
    ...member.rest,
  ];

  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <PageHeader
        title={t('nav:titles.gateways')}
        description={t('accounts:gateways.description')}
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={openCreate}>
              {t('accounts:gateways.create')}
            </Button>
          )
        }
      />
      <FilterBar active={filtered} onClear={() => setFilters(NO_FILTERS)}>
        <EnterpriseSelect value={filters.enterprise} onChange={(enterprise) => setFilters({ enterprise })} placeholder={t('accounts:filters.allEnterprises')} width={240} />
        <Select
          label={t('accounts:fields.device')}
          placeholder={t('accounts:filters.any')}
          data={(devices.data ?? []).map((d) => ({ value: String(d.id), label: d.name }))}
          value={filters.device || null}
          onChange={(device) => setFilters({ device: device ?? '' })}
          clearable
          w={180}
        />
        <FilterTextInput label={t('accounts:filters.search')} placeholder={t('accounts:filters.searchGateway')} value={filters.q} onChange={(q) => setFilters({ q })} />
        <AccountStatusFilter value={filters.status} onChange={(status) => setFilters({ status })} />
      </FilterBar>
      <PagedDataTable
        label={t('nav:titles.gateways')}
        pages={pages}
        columns={columns}
        pageSize={PAGE_SIZE}
        empty={{
          title: t('accounts:gateways.empty'),
          hint: filtered ? t('accounts:emptyFiltered') : t('accounts:gateways.emptyHint'),
          ...(canWrite && !filtered ? { action: <Button onClick={openCreate}>{t('accounts:gateways.create')}</Button> } : {}),
        }}
      />
      <GatewayFormModal
        opened={form.opened}
        gateway={form.gateway}
        enterpriseId={filters.enterprise}
        onClose={() => setForm((s) => ({ ...s, opened: false }))}
        onSaved={(saved, created) => {
          notifySuccess(created ? t('accounts:gateways.created', { name: saved.name }) : t('accounts:gateways.updated', { name: saved.name }));
          pages.reload();
        }}
      />
      {money.modals}
    </>
  );
}
