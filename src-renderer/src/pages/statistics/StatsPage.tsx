import { SegmentedControl, Text } from '@mantine/core';
import { DataTable } from 'mantine-datatable';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputOf } from '../../../../src-shared/api';
import { STATS_SORTS, type StatsKind, type StatsRow, type StatsSort } from '../../../../src-shared/api/statistics';
import { call } from '../../api/client';
import { DateRangeFilter } from '../../components/DateRangeFilter';
import { EmptyState } from '../../components/EmptyState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExportButton } from '../../components/ExportButton';
import { FilterBar } from '../../components/FilterBar';
import { PageHeader } from '../../components/PageHeader';
import { dayRangeToInstants, todayIn } from '../../format/time';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters } from '../../hooks/useFormatters';
import { useUrlFilters } from '../../hooks/useUrlFilters';
import { EnterpriseSelect } from '../accounts/components/EnterpriseSelect';
import { MonthStepper } from './MonthStepper';
import { StatsChart } from './StatsChart';
import { statsColumns, type StatsMeasure } from './statsColumns';
import { StatsZoneNotice } from './StatsZoneNotice';

/** Rows drawn on screen; the export holds every row. */
const ROWS_ON_SCREEN = 1000;
const FILTERS = { from: '', to: '', enterpriseId: '', sort: 'total.amount', order: 'desc' };
const METHOD = { enterprise: 'stats.enterprise', user: 'stats.user', gateway: 'stats.gateway' } as const;
const TITLE = { enterprise: 'nav:titles.statsEnterprises', user: 'nav:titles.statsUsers', gateway: 'nav:titles.statsGateways' } as const;

/** Statistics per enterprise, user or gateway account: period presets, a chart per day, the table with totals. */
export function StatsPage({ kind }: { kind: StatsKind }) {
  const { t, i18n } = useTranslation();
  const f = useFormatters();
  const [filters, setFilters] = useUrlFilters(FILTERS);
  // This month so far, unless the URL says otherwise.
  const today = todayIn(f.timeZone);
  const fromDay = filters.from || `${today.slice(0, 8)}01`;
  const toDay = filters.to || today;
  const sort: StatsSort = (STATS_SORTS as readonly string[]).includes(filters.sort) ? (filters.sort as StatsSort) : 'total.amount';
  const order = filters.order === 'asc' ? 'asc' : 'desc';

  const query = useMemo(() => {
    const range = dayRangeToInstants(fromDay, toDay, f.timeZone) as { from: string; to: string };
    return {
      from: range.from,
      to: range.to,
      timeZone: f.timeZone,
      ...(/^\d+$/.test(filters.enterpriseId) ? { enterpriseId: Number(filters.enterpriseId) } : {}),
    };
  }, [fromDay, toDay, f.timeZone, filters.enterpriseId]);
  const tableInput: InputOf<'stats.enterprise'> = { ...query, sort, order, limit: ROWS_ON_SCREEN };
  const table = useApiQuery(METHOD[kind], tableInput);
  const series = useApiQuery('stats.series', { ...query, kind });

  // Call-type columns sort by one measure at a time; the current sort says which.
  const measure: StatsMeasure = sort === 'name' ? 'amount' : (sort.split('.')[1] as StatsMeasure);
  const sortBy = (accessor: string, direction: 'asc' | 'desc') => setFilters({ sort: accessor, order: direction });
  const columns = statsColumns({
    kind, t, f, table: table.data, from: query.from, to: query.to,
    sort: { accessor: sort, direction: order }, measure,
    onSort: (next) => sortBy(next.accessor, next.direction),
  });
  const data = table.data;
  const source = data?.source;
  const filtered = Boolean(filters.from || filters.to || filters.enterpriseId);

  return (
    <>
      <PageHeader
        title={t(TITLE[kind])}
        description={t(`statistics:descriptions.${kind}`)}
        actions={
          <ExportButton
            onExport={(format) =>
              call('exports.stats', { ...query, kind, sort, order, format, language: (i18n.resolvedLanguage ?? '').startsWith('zh') ? 'zh-CN' : 'en' })
            }
          />
        }
      />
      <FilterBar active={filtered} onClear={() => setFilters({ from: '', to: '', enterpriseId: '' })}>
        <MonthStepper from={fromDay} to={toDay} today={today} onChange={(from, to) => setFilters({ from, to })} />
        <DateRangeFilter from={fromDay} to={toDay} onChange={(from, to) => setFilters({ from, to })} />
        <EnterpriseSelect value={filters.enterpriseId} onChange={(enterpriseId) => setFilters({ enterpriseId })}
          label={t('statistics:filters.enterprise')}
          placeholder={t('statistics:filters.allEnterprises')}
          width={220}
        />
        <SegmentedControl
          size="xs"
          aria-label={t('statistics:sort.measure')}
          value={measure}
          onChange={(value) => sortBy(sort === 'name' ? 'total.' + value : `${sort.split('.')[0]}.${value}`, order)}
          data={(['amount', 'calls', 'seconds'] as const).map((m) => ({ value: m, label: t(`statistics:sort.by.${m}`) }))}
        />
      </FilterBar>
      {series.error && <ErrorAlert error={series.error} onRetry={series.reload} />}
      <StatsChart series={series.data} />
      {table.error && <ErrorAlert error={table.error} onRetry={table.reload} />}
      <DataTable<StatsRow>
        aria-label={t('statistics:table')}
        withTableBorder
        withColumnBorders
        borderRadius="sm"
        striped
        highlightOnHover
        minHeight={data && data.rows.length > 0 ? 150 : 260}
        records={data?.rows ?? []}
        columns={columns}
        idAccessor="id"
        fetching={table.loading}
        loaderBackgroundBlur={0}
        emptyState={data && data.rows.length === 0 ? <EmptyState title={t('statistics:empty.title')} hint={t('statistics:empty.hint')} /> : <span />}
      />
      {data && data.totalRows > data.rows.length && (
        <Text size="xs" c="dimmed" mt="xs">
          {t('statistics:shown', { shown: data.rows.length, total: data.totalRows })}
        </Text>
      )}
      {source && (
        <Text size="xs" c="dimmed" mt="xs">
          {t(`statistics:source.${source.kind}`, { zone: source.rollupTimeZone ?? '' })}
          {source.incomplete ? ` ${t('statistics:source.incomplete')}` : ''}
        </Text>
      )}
      <StatsZoneNotice />
    </>
  );
}
