import { Anchor, Select, Text, Tooltip } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { AccountStatus, AlertState } from '../../../../../src-shared/api/accounts';
import { MoneyText } from '../../../components/MoneyText';
import { useFormatters } from '../../../hooks/useFormatters';
import { AccountStateBadges } from './AccountBadges';
import { AccountRowActions } from './AccountRowActions';
import type { MoneyActionKind, MoneyActionTarget } from './MoneyActions';

/** What the users and gateways lists show of an account of an enterprise. */
export interface MemberRow {
  id: number;
  name: string;
  enterpriseId: number;
  enterpriseName: string;
  ownBalance: boolean;
  balance: string;
  status: AccountStatus;
  alertState: AlertState;
}

/**
 * The columns the users and gateways lists share: the enterprise (a link to the list filtered by it), the balance
 * (or "shared" with the enterprise's), the state, and the row's actions.
 */
export function useMemberColumns<R extends MemberRow>({
  listPath,
  canWrite,
  onEdit,
  onMoney,
}: {
  /** The list page, to filter it by the row's enterprise: '#/accounts/users'. */
  listPath: string;
  canWrite: boolean;
  onEdit(row: R): void;
  onMoney(kind: MoneyActionKind, target: MoneyActionTarget): void;
}) {
  const { t } = useTranslation();
  const f = useFormatters();
  const enterprise: DataTableColumn<R> = {
    accessor: 'enterpriseName',
    title: t('accounts:fields.enterprise'),
    render: (r) => (
      <Anchor href={`${listPath}?enterprise=${r.enterpriseId}`} size="sm">
        {r.enterpriseName}
      </Anchor>
    ),
  };
  const rest: DataTableColumn<R>[] = [
    {
      accessor: 'balance',
      title: t('accounts:fields.balance'),
      textAlign: 'right',
      render: (r) =>
        r.ownBalance ? (
          <MoneyText amount={r.balance} fw={600} />
        ) : (
          <Tooltip label={t('accounts:users.sharedBalanceHint', { enterprise: r.enterpriseName, balance: f.money(r.balance) })}>
            <Text size="xs" c="dimmed" ta="right">
              {t('accounts:users.sharedBalance')}
            </Text>
          </Tooltip>
        ),
    },
    { accessor: 'status', title: t('accounts:fields.status'), render: (r) => <AccountStateBadges status={r.status} alertState={r.alertState} /> },
    {
      accessor: 'actions',
      title: t('common:actions.label'),
      textAlign: 'right',
      render: (r) => (
        <AccountRowActions
          name={r.name}
          status={r.status}
          ownBalance={r.ownBalance}
          canWrite={canWrite}
          onEdit={() => onEdit(r)}
          onMoney={(kind) => onMoney(kind, { accountId: r.id, name: r.name, balance: r.balance })}
          ledgerHref={`#/accounts/ledger/${r.id}`}
        />
      ),
    },
  ];
  return { enterprise, rest };
}

/** The status filter of the account lists (enterprises, users, gateways). */
export function AccountStatusFilter({ value, onChange }: { value: string; onChange(status: string): void }) {
  const { t } = useTranslation();
  return (
    <Select
      label={t('accounts:fields.status')}
      placeholder={t('accounts:filters.any')}
      data={[
        { value: 'active', label: t('accounts:status.active') },
        { value: 'frozen', label: t('accounts:status.frozen') },
      ]}
      value={value || null}
      onChange={(status) => onChange(status ?? '')}
      clearable
      w={140}
    />
  );
}
