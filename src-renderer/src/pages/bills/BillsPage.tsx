import { Badge, Button, Checkbox, Stack, Text } from '@mantine/core';
import { MonthPickerInput } from '@mantine/dates';
import { IconCalendarMonth, IconLock } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { BillSummary } from '../../../../src-shared/api/bills';
import { call } from '../../api/client';
import { ConfirmActionModal } from '../../components/ConfirmActionModal';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterBar } from '../../components/FilterBar';
import { MoneyText } from '../../components/MoneyText';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime, todayIn } from '../../format/time';
import { notifySuccess } from '../../hooks/notify';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters } from '../../hooks/useFormatters';
import { useUrlFilters } from '../../hooks/useUrlFilters';
import { usePermissions } from '../../session/SessionProvider';
import { EnterpriseSelect } from '../accounts/components/EnterpriseSelect';

const FILTERS = { month: '', enterpriseId: '' };

/** Bills: one statement per enterprise for a month; a row opens the statement (printable, exportable). */
export function BillsPage() {
  const { t } = useTranslation();
  const f = useFormatters();
  const navigate = useNavigate();
  const { canWrite } = usePermissions();
  const [filters, setFilters] = useUrlFilters(FILTERS);
  const month = /^\d{4}-\d{2}$/.test(filters.month) ? filters.month : todayIn(f.timeZone).slice(0, 7);
  const enterpriseId = /^\d+$/.test(filters.enterpriseId) ? Number(filters.enterpriseId) : undefined;
  const list = useApiQuery('bills.list', { month, ...(enterpriseId ? { enterpriseId } : {}) });
  const [closing, setClosing] = useState(false);
  const data = list.data;
  const [force, setForce] = useState(false);
  const money = (field: 'opening' | 'charged' | 'lateUsage' | 'paid' | 'adjustments' | 'closing') => ({
    accessor: field,
    title: t(`bills:columns.${field}`),
    textAlign: 'right' as const,
    render: (r: BillSummary) => <MoneyText amount={r[field]} size="sm" />,
    footer: data ? <MoneyText amount={data.totals[field]} size="sm" fw={600} /> : null,
  });

  return (
    <>
      <PageHeader
        title={t('nav:bills')}
        description={t('bills:description')}
        actions={
          canWrite && (
            <Button variant="default" leftSection={<IconLock size={16} />} onClick={() => setClosing(true)}>
              {t('bills:close.button')}
            </Button>
          )
        }
      />
      <FilterBar active={Boolean(filters.month || filters.enterpriseId)} onClear={() => setFilters(FILTERS)}>
        <MonthPickerInput
          label={t('bills:month')}
          leftSection={<IconCalendarMonth size={16} />}
          valueFormat="YYYY-MM"
          value={`${month}-01`}
          onChange={(value) => value && setFilters({ month: String(value).slice(0, 7) })}
          miw={150}
        />
        <EnterpriseSelect value={filters.enterpriseId} onChange={(id) => setFilters({ enterpriseId: id })}
          label={t('statistics:filters.enterprise')}
          placeholder={t('statistics:filters.allEnterprises')}
          width={220}
        />
      </FilterBar>
      {list.error && <ErrorAlert error={list.error} onRetry={list.reload} />}
      <DataTable<BillSummary>
        aria-label={t('bills:table')}
        withTableBorder
        borderRadius="sm"
        striped
        highlightOnHover
        minHeight={data?.rows.length ? 150 : 260}
        records={data?.rows ?? []}
        idAccessor="enterpriseId"
        fetching={list.loading}
        loaderBackgroundBlur={0}
        onRowClick={({ record }) => navigate(`/statistics/bills/${record.enterpriseId}/${record.month}`)}
        emptyState={data && data.rows.length === 0 ? <EmptyState title={t('bills:empty.title')} hint={t('bills:empty.hint')} /> : <span />}
        columns={[
          { accessor: 'enterpriseName', title: t('bills:columns.enterprise'), footer: <Text fw={600} size="sm">{t('bills:totals')}</Text> },
          { accessor: 'billingMode', title: t('bills:columns.mode'), render: (r) => t(`bills:modes.${r.billingMode}`) },
          {
            accessor: 'state',
            title: t('bills:columns.state'),
            render: (r) => (
              <Badge variant="light" color={r.state === 'closed' ? 'gray' : 'blue'}>
                {t(`bills:states.${r.state}`)}
              </Badge>
            ),
          },
          money('opening'),
          money('charged'),
          money('lateUsage'),
          money('paid'),
          money('adjustments'),
          money('closing'),
          {
            accessor: 'amountDue',
            title: t('bills:columns.amountDue'),
            textAlign: 'right',
            render: (r) => (r.amountDue === null ? '' : <MoneyText amount={r.amountDue} size="sm" fw={600} />),
            footer: data ? <MoneyText amount={data.totals.amountDue} size="sm" fw={600} /> : null,
          },
        ]}
      />
      {data && (
        <Text size="xs" c="dimmed" mt="xs">
          {t('bills:statement.period', { from: formatDateTime(data.periodFrom, { locale: f.locale, timeZone: data.timeZone }), to: formatDateTime(data.periodTo, { locale: f.locale, timeZone: data.timeZone }), zone: data.timeZone })}
        </Text>
      )}
      <ConfirmActionModal
        opened={closing}
        onClose={() => {
          setClosing(false);
          setForce(false);
        }}
        title={t('bills:close.title', { month })}
        message={
          <Stack gap="sm">
            <Text size="sm">{t('bills:close.body', { month })}</Text>
            <Checkbox size="sm" checked={force} onChange={(e) => setForce(e.currentTarget.checked)} label={t('bills:close.force')} />
          </Stack>
        }
        confirmLabel={t('bills:close.confirm', { month })}
        color="blue"
        reason="none"
        onConfirm={async () => {
          const result = await call('bills.close', { month, force, ...(enterpriseId ? { enterpriseId } : {}) });
          notifySuccess(t('bills:close.done', { count: result.closed.length }));
          setClosing(false);
          setForce(false);
          list.reload();
        }}
      />
    </>
  );
}
