import { Anchor, Button, Select, Text, Tooltip } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputOf } from '../../../../src-shared/api';
import type { GatewayAccount } from '../../../../src-shared/api/accounts';
import { FilterBar } from '../../components/FilterBar';
import { FilterTextInput } from '../../components/FilterTextInput';
import { MoneyText } from '../../components/MoneyText';
import { PageHeader } from '../../components/PageHeader';
import { PagedDataTable } from '../../components/PagedDataTable';
import { notifySuccess } from '../../hooks/notify';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters } from '../../hooks/useFormatters';
import { useKeysetPages } from '../../hooks/useKeysetPages';
import { useUrlFilters } from '../../hooks/useUrlFilters';
import { usePermissions } from '../../session/SessionProvider';
import { AccountStateBadges } from './components/AccountBadges';
import { AccountRowActions } from './components/AccountRowActions';
import { EnterpriseSelect } from './components/EnterpriseSelect';
import { useMoneyActions } from './components/MoneyActions';
import { useRateGroupNames } from './components/RateGroupSelect';
import { GatewayFormModal } from './GatewayFormModal';

const PAGE_SIZE = 50;
const NO_FILTERS = { enterprise: '', device: '', q: '', status: '' };

/** Accounts → Gateways: accounts charged per device trunk. */
export function GatewaysPage() {
  const { t } = useTranslation();
  const f = useFormatters();
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

  const columns: DataTableColumn<GatewayAccount>[] = [
    { accessor: 'name', title: t('accounts:fields.name'), render: (g) => <Text fw={500} size="sm">{g.name}</Text> },
    {
      accessor: 'enterpriseName',
      title: t('accounts:fields.enterprise'),
      render: (g) => (
        <Anchor href={`#/accounts/gateways?enterprise=${g.enterpriseId}`} size="sm">
          {g.enterpriseName}
        </Anchor>
      ),
    },
    { accessor: 'deviceId', title: t('accounts:fields.device'), render: (g) => devices.data?.find((d) => d.id === g.deviceId)?.name ?? `#${g.deviceId}` },
    { accessor: 'trunk', title: t('accounts:fields.trunk'), render: (g) => <Text size="sm" ff="monospace">{g.trunk}</Text> },
    { accessor: 'rateGroupId', title: t('accounts:fields.rateGroup'), render: (g) => (g.rateGroupId ? rateGroupName(g.rateGroupId) : <Text size="xs" c="dimmed">{t('accounts:users.enterpriseRateGroup')}</Text>) },
    {
      accessor: 'balance',
      title: t('accounts:fields.balance'),
      textAlign: 'right',
      render: (g) =>
        g.ownBalance ? (
          <MoneyText amount={g.balance} fw={600} />
        ) : (
          <Tooltip label={t('accounts:users.sharedBalanceHint', { enterprise: g.enterpriseName, balance: f.money(g.balance) })}>
            <Text size="xs" c="dimmed" ta="right">
              {t('accounts:users.sharedBalance')}
            </Text>
          </Tooltip>
        ),
    },
    { accessor: 'status', title: t('accounts:fields.status'), render: (g) => <AccountStateBadges status={g.status} alertState={g.alertState} /> },
    {
      accessor: 'actions',
      title: t('common:actions.label'),
      textAlign: 'right',
      render: (g) => (
        <AccountRowActions
          name={g.name}
          status={g.status}
          ownBalance={g.ownBalance}
          canWrite={canWrite}
          onEdit={() => setForm({ opened: true, gateway: g })}
          onMoney={(kind) => money.open(kind, { accountId: g.id, name: g.name, balance: g.balance })}
          ledgerHref={`#/accounts/ledger/${g.id}`}
        />
      ),
    },
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
        <Select
          label={t('accounts:fields.status')}
          placeholder={t('accounts:filters.any')}
          data={[
            { value: 'active', label: t('accounts:status.active') },
            { value: 'frozen', label: t('accounts:status.frozen') },
          ]}
          value={filters.status || null}
          onChange={(status) => setFilters({ status: status ?? '' })}
          clearable
          w={140}
        />
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
