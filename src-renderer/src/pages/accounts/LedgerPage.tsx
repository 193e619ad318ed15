import { Anchor, Badge, Group, MultiSelect, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import type { AccountKind, AccountStatus, AlertState, LedgerEntry, LedgerKind } from '../../../../src-shared/api/accounts';
import type { ApiError } from '../../../../src-shared/api/errors';
import { DateRangeFilter } from '../../components/DateRangeFilter';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterBar } from '../../components/FilterBar';
import { MoneyText } from '../../components/MoneyText';
import { PageHeader } from '../../components/PageHeader';
import { PagedDataTable } from '../../components/PagedDataTable';
import { dayRangeToInstants } from '../../format/time';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters } from '../../hooks/useFormatters';
import { useKeysetPages } from '../../hooks/useKeysetPages';
import { useUrlFilters } from '../../hooks/useUrlFilters';
import { usePermissions } from '../../session/SessionProvider';
import { AccountStateBadges } from './components/AccountBadges';
import { AccountRowActions } from './components/AccountRowActions';
import { useMoneyActions } from './components/MoneyActions';
import { ledgerReason, OperatorText } from './components/ledgerTexts';

const PAGE_SIZE = 50;
const KINDS: LedgerKind[] = ['charge', 'recharge', 'refund', 'adjustment', 'rerate', 'freeze', 'unfreeze'];
export const LEDGER_KIND_COLORS: Record<LedgerKind, string> = {
  charge: 'gray',
  recharge: 'green',
  refund: 'red',
  adjustment: 'blue',
  rerate: 'violet',
  freeze: 'cyan',
  unfreeze: 'teal',
};

interface AccountSummary {
  id: number;
  kind: AccountKind;
  name: string;
  enterpriseId: number;
  enterpriseName: string;
  balance: string;
  ownBalance: boolean;
  balanceAccountId: number;
  status: AccountStatus;
  alertState: AlertState;
}

/** Any account by id: an enterprise, else a user, else a gateway account (each asked only when the one before is not found). */
function useAccountSummary(id: number): { account: AccountSummary | null; error: ApiError | null; reload(): void } {
  const enterprise = useApiQuery('enterprises.get', { id });
  const user = useApiQuery('userAccounts.get', { id }, { enabled: enterprise.error?.code === 'not_found' });
  const gateway = useApiQuery('gateways.get', { id }, { enabled: user.error?.code === 'not_found' });
  return useMemo(() => {
    const e = enterprise.data;
    const account: AccountSummary | null = e
      ? { ...e, kind: 'enterprise', enterpriseId: e.id, enterpriseName: e.name }
      : user.data
        ? { ...user.data, kind: 'user' }
        : gateway.data
          ? { ...gateway.data, kind: 'gateway' }
          : null;
    const last = enterprise.error?.code !== 'not_found' ? enterprise : user.error?.code !== 'not_found' ? user : gateway;
    return { account, error: account ? null : last.error, reload: last.reload };
  }, [enterprise, user, gateway]);
}

/** An account's ledger (latest first): every movement of its balance, or for a member drawing on its enterprise, its calls. */
export function LedgerPage() {
  const { t } = useTranslation();
  const f = useFormatters();
  const { canWrite } = usePermissions();
  const accountId = Number(useParams().accountId);
  const [filters, setFilters] = useUrlFilters({ from: '', to: '', kinds: '', entry: '' });
  const { account, error: accountError, reload: reloadAccount } = useAccountSummary(accountId);

  const kinds = filters.kinds ? (filters.kinds.split(',').filter((k) => KINDS.includes(k as LedgerKind)) as LedgerKind[]) : [];
  const query = useMemo(
    () => ({ accountId, ...dayRangeToInstants(filters.from || undefined, filters.to || undefined, f.timeZone), ...(kinds.length ? { kinds } : {}) }),
    // `kinds` is derived from filters.kinds.
    [accountId, filters.from, filters.to, filters.kinds, f.timeZone],
  );
  const pages = useKeysetPages('accounts.ledger', { ...query, limit: PAGE_SIZE });
  const money = useMoneyActions();
  const marked = Number(filters.entry) || 0;

  const columns: DataTableColumn<LedgerEntry>[] = [
    { accessor: 'at', title: t('accounts:ledger.time', { zone: f.zone }), noWrap: true, render: (r) => f.dateTime(r.at) },
    {
      accessor: 'kind',
      title: t('accounts:ledger.kind'),
      render: (r) => (
        <Badge variant="light" color={LEDGER_KIND_COLORS[r.kind]} miw="max-content">
          {t(`accounts:ledgerKind.${r.kind}`)}
        </Badge>
      ),
    },
    { accessor: 'amount', title: t('accounts:ledger.amount'), textAlign: 'right', render: (r) => <MoneyText amount={r.amount} /> },
    { accessor: 'balanceAfter', title: t('accounts:ledger.balanceAfter'), textAlign: 'right', render: (r) => <MoneyText amount={r.balanceAfter} c="dimmed" /> },
    {
      accessor: 'details',
      title: t('accounts:ledger.details'),
      render: (r) => (
        <Text size="sm">
          {r.cdrId !== null
            ? t('accounts:ledger.call', { id: r.cdrId })
            : [r.method ? t(`accounts:money.methods.${r.method}`, { defaultValue: r.method }) : '', r.reference ?? ''].filter(Boolean).join(' · ')}
        </Text>
      ),
    },
    { accessor: 'operator', title: t('accounts:ledger.operator'), render: (r) => <OperatorText operator={r.operator} /> },
    { accessor: 'reason', title: t('accounts:ledger.reason'), render: (r) => <Text size="sm">{ledgerReason(r, t)}</Text> },
    {
      accessor: 'id',
      title: t('accounts:ledger.entry'),
      textAlign: 'right',
      // The entry a notification linked to is marked, so the clerk finds it at once.
      render: (r) =>
        r.id === marked ? (
          <Badge color="yellow" variant="filled" miw="max-content" aria-label={t('accounts:ledger.markedEntry', { id: r.id })}>
            #{r.id}
          </Badge>
        ) : (
          <Text size="xs" c="dimmed">
            #{r.id}
          </Text>
        ),
    },
  ];

  const filtered = Boolean(filters.from || filters.to || filters.kinds);
  return (
    <>
      <PageHeader
        title={account ? t('accounts:ledger.title', { name: account.name }) : t('accounts:ledger.titleLoading')}
        description={t('accounts:ledger.description')}
        actions={
          account && (
            <AccountRowActions
              name={account.name}
              status={account.status}
              ownBalance={account.ownBalance}
              canWrite={canWrite}
              onEdit={() => window.location.assign(`#/accounts/${account.kind === 'enterprise' ? 'enterprises' : account.kind === 'user' ? 'users' : 'gateways'}?q=${encodeURIComponent(account.name)}`)}
              onMoney={(kind) => money.open(kind, { accountId: account.id, name: account.name, balance: account.balance })}
              ledgerHref={`#/accounts/ledger/${account.id}`}
            />
          )
        }
      />
      {accountError && <ErrorAlert error={accountError} onRetry={reloadAccount} />}
      {account && (
        <Paper withBorder p="sm" mb="md" radius="sm">
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Stack gap={2}>
              <Text size="xs" c="dimmed">
                {t('accounts:ledger.account')}
              </Text>
              <Group gap={6}>
                <Text fw={600}>{account.name}</Text>
                <Badge variant="outline" size="sm">
                  {t(`accounts:kind.${account.kind}`)}
                </Badge>
              </Group>
              {account.kind !== 'enterprise' && (
                <Anchor href={`#/accounts/ledger/${account.enterpriseId}`} size="xs">
                  {account.enterpriseName}
                </Anchor>
              )}
            </Stack>
            <Stack gap={2}>
              <Text size="xs" c="dimmed">
                {account.ownBalance ? t('accounts:fields.balance') : t('accounts:ledger.enterpriseBalance')}
              </Text>
              <MoneyText amount={account.balance} fw={700} fz="lg" ta="left" />
            </Stack>
            <Stack gap={2}>
              <Text size="xs" c="dimmed">
                {t('accounts:fields.status')}
              </Text>
              <AccountStateBadges status={account.status} alertState={account.alertState} />
            </Stack>
            {!account.ownBalance && (
              <Text size="sm" c="dimmed">
                {t('accounts:ledger.memberHint', { enterprise: account.enterpriseName })}
              </Text>
            )}
          </SimpleGrid>
        </Paper>
      )}
      <FilterBar active={filtered} onClear={() => setFilters({ from: '', to: '', kinds: '' })}>
        <DateRangeFilter from={filters.from} to={filters.to} onChange={(from, to) => setFilters({ from, to })} />
        <MultiSelect
          label={t('accounts:ledger.kind')}
          placeholder={kinds.length ? undefined : t('accounts:filters.any')}
          data={KINDS.map((k) => ({ value: k, label: t(`accounts:ledgerKind.${k}`) }))}
          value={kinds}
          onChange={(next) => setFilters({ kinds: next.join(',') })}
          clearable
          miw={220}
        />
      </FilterBar>
      <PagedDataTable
        label={t('accounts:ledger.table')}
        pages={pages}
        columns={columns}
        pageSize={PAGE_SIZE}
        empty={{ title: t('accounts:ledger.empty'), hint: filtered ? t('accounts:emptyFiltered') : t('accounts:ledger.emptyHint') }}
      />
      {money.modals}
    </>
  );
}
