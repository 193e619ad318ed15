import { Badge, Select, Text } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { LoginLogEntry } from '../../../../src-shared/api/logs';
import { call } from '../../api/client';
import { DateRangeFilter } from '../../components/DateRangeFilter';
import { ExportButton } from '../../components/ExportButton';
import { FilterBar } from '../../components/FilterBar';
import { FilterTextInput } from '../../components/FilterTextInput';
import { PageHeader } from '../../components/PageHeader';
import { PagedDataTable } from '../../components/PagedDataTable';
import { dayRangeToInstants } from '../../format/time';
import { useFormatters } from '../../hooks/useFormatters';
import { useKeysetPages } from '../../hooks/useKeysetPages';
import { useUrlFilters } from '../../hooks/useUrlFilters';

const PAGE_SIZE = 50;
const NO_FILTERS = { from: '', to: '', user: '', result: '' };

/** Every login attempt, latest first (DESIGN.md §10): who, from where, and why a refusal happened. */
export function LoginLogPage() {
  const { t, i18n } = useTranslation();
  const f = useFormatters();
  const [filters, setFilters] = useUrlFilters(NO_FILTERS);

  const query = useMemo(
    () => ({
      ...dayRangeToInstants(filters.from || undefined, filters.to || undefined, f.timeZone),
      ...(filters.user ? { user: filters.user } : {}),
      ...(filters.result ? { ok: filters.result === 'ok' } : {}),
    }),
    [filters, f.timeZone],
  );
  const pages = useKeysetPages('logs.login', { ...query, limit: PAGE_SIZE });

  const reasonText = (reason: string) =>
    i18n.exists(`logs:loginReasons.${reason}`) ? t(`logs:loginReasons.${reason}`) : reason;
  const columns: DataTableColumn<LoginLogEntry>[] = [
    { accessor: 'at', title: t('logs:fields.time', { zone: f.zone }), noWrap: true, render: (r) => f.dateTime(r.at) },
    { accessor: 'username', title: t('logs:fields.user') },
    {
      accessor: 'ok',
      title: t('logs:fields.result'),
      render: (r) => (
        <Badge variant="light" color={r.ok ? 'green' : 'red'}>
          {r.ok ? t('logs:result.ok') : t('logs:result.failed')}
        </Badge>
      ),
    },
    { accessor: 'reason', title: t('logs:fields.reason'), render: (r) => reasonText(r.reason) },
    { accessor: 'address', title: t('logs:fields.address') },
    {
      accessor: 'userAgent',
      title: t('logs:fields.userAgent'),
      render: (r) => (
        // The browser's own identification, as it sent it: evidence, not text to translate.
        <Text size="xs" c="dimmed" lineClamp={1} title={r.userAgent} maw={320} translate="no">
          {r.userAgent ?? ''}
        </Text>
      ),
    },
  ];

  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <PageHeader
        title={t('nav:loginLog')}
        description={t('logs:loginDescription')}
        actions={
          <ExportButton onExport={(format, language) => call('logs.exportLogin', { ...query, format, timeZone: f.timeZone, language })} />
        }
      />
      <FilterBar active={filtered} onClear={() => setFilters(NO_FILTERS)}>
        <DateRangeFilter from={filters.from} to={filters.to} onChange={(from, to) => setFilters({ from, to })} />
        <FilterTextInput label={t('logs:fields.user')} value={filters.user} onChange={(user) => setFilters({ user })} />
        <Select
          label={t('logs:fields.result')}
          w={150}
          data={[
            { value: '', label: t('logs:result.any') },
            { value: 'ok', label: t('logs:result.ok') },
            { value: 'failed', label: t('logs:result.failed') },
          ]}
          value={filters.result}
          allowDeselect={false}
          onChange={(result) => setFilters({ result: result ?? '' })}
        />
      </FilterBar>
      <PagedDataTable
        label={t('nav:loginLog')}
        pages={pages}
        columns={columns}
        pageSize={PAGE_SIZE}
        empty={{
          title: t('logs:empty.title'),
          hint: filtered ? t('logs:empty.hintFiltered') : t('logs:empty.hintLogin'),
        }}
      />
    </>
  );
}
