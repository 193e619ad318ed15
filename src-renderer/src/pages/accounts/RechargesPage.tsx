import { Anchor, Badge, MultiSelect, Select, Text } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { LedgerEntry } from '../../../../src-shared/api/accounts';
import { call } from '../../api/client';
import { DateRangeFilter } from '../../components/DateRangeFilter';
import { ExportButton } from '../../components/ExportButton';
import { FilterBar } from '../../components/FilterBar';
import { FilterTextInput } from '../../components/FilterTextInput';
import { MoneyText } from '../../components/MoneyText';
import { PageHeader } from '../../components/PageHeader';
import { PagedDataTable } from '../../components/PagedDataTable';
import { dayRangeToInstants } from '../../format/time';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters } from '../../hooks/useFormatters';
import { useKeysetPages } from '../../hooks/useKeysetPages';
import { useUrlFilters } from '../../hooks/useUrlFilters';
import { EnterpriseSelect } from './components/EnterpriseSelect';
import { LEDGER_KIND_COLORS } from './LedgerPage';
import { OperatorText } from './components/ledgerTexts';

const PAGE_SIZE = 50;
const KINDS = ['recharge', 'refund', 'adjustment'] as const;
type RechargeKind = (typeof KINDS)[number];
const NO_FILTERS = { from: '', to: '', enterprise: '', account: '', kinds: '', operator: '' };

/** The accounts of an enterprise that hold a balance of their own (only those are recharged). */
function useBalanceAccounts(enterpriseId: number): { value: string; label: string }[] {
  const { t } = useTranslation();
  const enabled = enterpriseId > 0;
  const enterprise = useApiQuery('enterprises.get', { id: enterpriseId }, { enabled }).data;
  const users = useApiQuery('userAccounts.list', { enterpriseId, limit: 1000 }, { enabled }).data;
  const gateways = useApiQuery('gateways.list', { enterpriseId, limit: 1000 }, { enabled }).data;
  return useMemo(() => {
    // Until all three answers for this enterprise are in (the last enterprise's stay meanwhile), nothing to offer.
    if (!enterprise || !users || !gateways || enterprise.id !== enterpriseId) return [];
    const own = <A extends { enterpriseId: number; ownBalance: boolean }>(a: A) => a.enterpriseId === enterpriseId && a.ownBalance;
    return [
      { value: String(enterprise.id), label: `${enterprise.name} (${t('accounts:kind.enterprise')})` },
      ...users.rows.filter(own).map((u) => ({ value: String(u.id), label: `${u.name} (${t('accounts:kind.user')})` })),
      ...gateways.rows.filter(own).map((g) => ({ value: String(g.id), label: `${g.name} (${t('accounts:kind.gateway')})` })),
    ];
  }, [enterprise, users, gateways, enterpriseId, t]);
}

/** Accounts → Recharge records: recharges, refunds and adjustments of every account, with operator and reason. */
export function RechargesPage() {
  const { t } = useTranslation();
  const f = useFormatters();
  const [filters, setFilters] = useUrlFilters(NO_FILTERS);
  const enterpriseId = Number(filters.enterprise) || 0;
  const accounts = useBalanceAccounts(enterpriseId);
  const kinds = filters.kinds.split(',').filter((k): k is RechargeKind => (KINDS as readonly string[]).includes(k));

  const query = useMemo(
    () => ({
      ...dayRangeToInstants(filters.from || undefined, filters.to || undefined, f.timeZone),
      ...(enterpriseId ? { enterpriseId } : {}),
      ...(Number(filters.account) > 0 ? { accountId: Number(filters.account) } : {}),
      ...(kinds.length ? { kinds } : {}),
      ...(filters.operator ? { operator: filters.operator } : {}),
    }),
    // `kinds` is derived from filters.kinds.
    [filters, enterpriseId, f.timeZone],
  );
  const pages = useKeysetPages('recharges.list', { ...query, limit: PAGE_SIZE });

  const columns: DataTableColumn<LedgerEntry>[] = [
    { accessor: 'at', title: t('accounts:ledger.time', { zone: f.zone }), noWrap: true, render: (r) => f.dateTime(r.at) },
    {
      accessor: 'accountName',
      title: t('accounts:recharges.account'),
      render: (r) => (
        <Anchor href={`#/accounts/ledger/${r.accountId}?entry=${r.id}`} size="sm">
          {r.accountName}
        </Anchor>
      ),
    },
    { accessor: 'accountKind', title: t('accounts:recharges.accountKind'), render: (r) => t(`accounts:kind.${r.accountKind}`) },
    {
      accessor: 'kind',
      title: t('accounts:ledger.kind'),
      render: (r) => (
        <Badge variant="light" color={LEDGER_KIND_COLORS[r.kind]} miw="max-content">
          {t(`accounts:ledgerKind.${r.kind}`)}
        </Badge>
      ),
    },
    { accessor: 'amount', title: t('accounts:ledger.amount'), textAlign: 'right', render: (r) => <MoneyText amount={r.amount} fw={600} /> },
    { accessor: 'balanceAfter', title: t('accounts:ledger.balanceAfter'), textAlign: 'right', render: (r) => <MoneyText amount={r.balanceAfter} c="dimmed" /> },
    {
      accessor: 'method',
      title: t('accounts:money.method'),
      render: (r) => (
        <Text size="sm">{[r.method ? t(`accounts:money.methods.${r.method}`, { defaultValue: r.method }) : '', r.reference ?? ''].filter(Boolean).join(' · ')}</Text>
      ),
    },
    { accessor: 'operator', title: t('accounts:ledger.operator'), render: (r) => <OperatorText operator={r.operator} /> },
    { accessor: 'reason', title: t('accounts:ledger.reason'), render: (r) => <Text size="sm">{r.reason}</Text> },
  ];

  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <PageHeader
        title={t('nav:recharges')}
        description={t('accounts:recharges.description')}
        actions={<ExportButton onExport={(format, language) => call('recharges.export', { ...query, format, timeZone: f.timeZone, language })} />}
      />
      <FilterBar active={filtered} onClear={() => setFilters(NO_FILTERS)}>
        <DateRangeFilter from={filters.from} to={filters.to} onChange={(from, to) => setFilters({ from, to })} />
        <EnterpriseSelect value={filters.enterprise} onChange={(enterprise) => setFilters({ enterprise, account: '' })} placeholder={t('accounts:filters.allEnterprises')} width={220} />
        <Select
          label={t('accounts:recharges.account')}
          placeholder={enterpriseId ? t('accounts:filters.any') : t('accounts:recharges.pickEnterpriseFirst')}
          disabled={!enterpriseId}
          data={accounts}
          value={filters.account || null}
          onChange={(account) => setFilters({ account: account ?? '' })}
          clearable
          searchable
          w={220}
        />
        <MultiSelect
          label={t('accounts:ledger.kind')}
          placeholder={kinds.length ? undefined : t('accounts:filters.any')}
          data={KINDS.map((k) => ({ value: k, label: t(`accounts:ledgerKind.${k}`) }))}
          value={kinds}
          onChange={(next) => setFilters({ kinds: next.join(',') })}
          clearable
          miw={200}
        />
        <FilterTextInput label={t('accounts:ledger.operator')} value={filters.operator} onChange={(operator) => setFilters({ operator })} width={150} />
      </FilterBar>
      <PagedDataTable
        label={t('nav:recharges')}
        pages={pages}
        columns={columns}
        pageSize={PAGE_SIZE}
        empty={{ title: t('accounts:recharges.empty'), hint: filtered ? t('accounts:emptyFiltered') : t('accounts:recharges.emptyHint') }}
      />
    </>
  );
}
