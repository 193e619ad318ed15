import { ActionIcon, Anchor, Button, Group, Select, Stack, Text, Tooltip } from '@mantine/core';
import { IconKey, IconPlus } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputOf } from '../../../../src-shared/api';
import type { Enterprise } from '../../../../src-shared/api/accounts';
import { FilterBar } from '../../components/FilterBar';
import { FilterTextInput } from '../../components/FilterTextInput';
import { MoneyText } from '../../components/MoneyText';
import { PageHeader } from '../../components/PageHeader';
import { PagedDataTable } from '../../components/PagedDataTable';
import { notifySuccess } from '../../hooks/notify';
import { useKeysetPages } from '../../hooks/useKeysetPages';
import { useUrlFilters } from '../../hooks/useUrlFilters';
import { usePermissions } from '../../session/SessionProvider';
import { AccountStateBadges, BillingModeBadge } from './components/AccountBadges';
import { AccountRowActions } from './components/AccountRowActions';
import { useMoneyActions } from './components/MoneyActions';
import { useRateGroupNames } from './components/RateGroupSelect';
import { AccountStatusFilter } from './components/accountColumns';
import { EnterpriseFormModal } from './EnterpriseFormModal';
import { EnterpriseLoginModal } from './EnterpriseLoginModal';

const PAGE_SIZE = 50;
const NO_FILTERS = { q: '', status: '', mode: '', alert: '' };

/** Accounts → Enterprises: balances, modes and states; recharge, refund, adjust and freeze from the row. */
export function EnterprisesPage() {
  const { t } = useTranslation();
  const { canWrite } = usePermissions();
  const rateGroupName = useRateGroupNames();
  const [filters, setFilters] = useUrlFilters(NO_FILTERS);
  const [form, setForm] = useState<{ opened: boolean; enterprise: Enterprise | null }>({ opened: false, enterprise: null });
  const [loginOf, setLoginOf] = useState<Enterprise | null>(null);

  const query = useMemo((): Omit<InputOf<'enterprises.list'>, 'limit' | 'cursor'> => {
    const pick = <T extends string>(value: string, allowed: readonly T[]): T | undefined => (allowed.includes(value as T) ? (value as T) : undefined);
    const status = pick(filters.status, ['active', 'frozen'] as const);
    const billingMode = pick(filters.mode, ['prepaid', 'postpaid'] as const);
    const alertState = pick(filters.alert, ['ok', 'low', 'exhausted'] as const);
    return {
      ...(filters.q ? { q: filters.q } : {}),
      ...(status ? { status } : {}),
      ...(billingMode ? { billingMode } : {}),
      ...(alertState ? { alertState } : {}),
    };
  }, [filters]);
  const pages = useKeysetPages('enterprises.list', { ...query, limit: PAGE_SIZE });
  const money = useMoneyActions();
  const openCreate = () => setForm({ opened: true, enterprise: null });

  const columns: DataTableColumn<Enterprise>[] = [
    {
      accessor: 'name',
      title: t('accounts:fields.name'),
      render: (e) => (
        <Stack gap={0}>
          <Text fw={500} size="sm">
            {e.name}
          </Text>
          {e.code && (
            <Text size="xs" c="dimmed">
              {e.code}
            </Text>
          )}
        </Stack>
      ),
    },
    { accessor: 'balance', title: t('accounts:fields.balance'), textAlign: 'right', render: (e) => <MoneyText amount={e.balance} fw={600} /> },
    {
      accessor: 'available',
      title: t('accounts:fields.available'),
      textAlign: 'right',
      render: (e) => (e.billingMode === 'prepaid' ? <MoneyText amount={e.available} c="dimmed" size="sm" /> : ''),
    },
    { accessor: 'billingMode', title: t('accounts:fields.billingMode'), render: (e) => <BillingModeBadge mode={e.billingMode} /> },
    { accessor: 'status', title: t('accounts:fields.status'), render: (e) => <AccountStateBadges status={e.status} alertState={e.alertState} /> },
    { accessor: 'rateGroupId', title: t('accounts:fields.rateGroup'), render: (e) => rateGroupName(e.rateGroupId) },
    {
      accessor: 'users',
      title: t('accounts:enterprises.members'),
      render: (e) => (
        <Text size="sm">
          <Anchor href={`#/accounts/users?enterprise=${e.id}`} size="sm">
            {t('accounts:enterprises.usersCount', { count: e.users })}
          </Anchor>
          {e.gateways > 0 && (
            <>
              {' · '}
              <Anchor href={`#/accounts/gateways?enterprise=${e.id}`} size="sm">
                {t('accounts:enterprises.gatewaysCount', { count: e.gateways })}
              </Anchor>
            </>
          )}
        </Text>
      ),
    },
    {
      accessor: 'actions',
      title: t('common:actions.label'),
      textAlign: 'right',
      render: (e) => (
        <Group gap={4} justify="flex-end" wrap="nowrap">
          {canWrite && (
            <Tooltip label={t('portal:login.action')}>
              <ActionIcon variant="subtle" aria-label={t('portal:login.action')} onClick={() => setLoginOf(e)}>
                <IconKey size={16} />
              </ActionIcon>
            </Tooltip>
          )}
          <AccountRowActions
            name={e.name}
            status={e.status}
            ownBalance
            canWrite={canWrite}
            onEdit={() => setForm({ opened: true, enterprise: e })}
            onMoney={(kind) => money.open(kind, { accountId: e.id, name: e.name, balance: e.balance })}
            ledgerHref={`#/accounts/ledger/${e.id}`}
          />
        </Group>
      ),
    },
  ];

  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <PageHeader
        title={t('nav:enterprises')}
        description={t('accounts:enterprises.description')}
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={openCreate}>
              {t('accounts:enterprises.create')}
            </Button>
          )
        }
      />
      <FilterBar active={filtered} onClear={() => setFilters(NO_FILTERS)}>
        <FilterTextInput label={t('accounts:filters.search')} placeholder={t('accounts:filters.searchEnterprise')} value={filters.q} onChange={(q) => setFilters({ q })} width={220} />
        <AccountStatusFilter value={filters.status} onChange={(status) => setFilters({ status })} />
        <Select
          label={t('accounts:fields.billingMode')}
          placeholder={t('accounts:filters.any')}
          data={[
            { value: 'prepaid', label: t('accounts:mode.prepaid') },
            { value: 'postpaid', label: t('accounts:mode.postpaid') },
          ]}
          value={filters.mode || null}
          onChange={(mode) => setFilters({ mode: mode ?? '' })}
          clearable
          w={140}
        />
        <Select
          label={t('accounts:fields.alertState')}
          placeholder={t('accounts:filters.any')}
          data={(['ok', 'low', 'exhausted'] as const).map((a) => ({ value: a, label: t(`accounts:alert.${a}`) }))}
          value={filters.alert || null}
          onChange={(alert) => setFilters({ alert: alert ?? '' })}
          clearable
          w={150}
        />
      </FilterBar>
      <PagedDataTable
        label={t('nav:enterprises')}
        pages={pages}
        columns={columns}
        pageSize={PAGE_SIZE}
        empty={{
          title: t('accounts:enterprises.empty'),
          hint: filtered ? t('accounts:emptyFiltered') : t('accounts:enterprises.emptyHint'),
          ...(canWrite && !filtered ? { action: <Button onClick={openCreate}>{t('accounts:enterprises.create')}</Button> } : {}),
        }}
      />
      <EnterpriseFormModal
        opened={form.opened}
        enterprise={form.enterprise}
        onClose={() => setForm((f) => ({ ...f, opened: false }))}
        onSaved={(saved, created) => {
          notifySuccess(created ? t('accounts:enterprises.created', { name: saved.name }) : t('accounts:enterprises.updated', { name: saved.name }));
          pages.reload();
        }}
      />
      <EnterpriseLoginModal enterprise={loginOf} onClose={() => setLoginOf(null)} />
      {money.modals}
    </>
  );
}
