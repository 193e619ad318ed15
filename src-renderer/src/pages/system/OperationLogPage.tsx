import { Button, Code, ScrollArea, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OperationLogEntry } from '../../../../src-shared/api/auth';
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
const NO_FILTERS = { from: '', to: '', user: '', method: '', target: '' };

/** Every change made through the API, latest first; a row opens to the recorded before/after summary. */
export function OperationLogPage() {
  const { t } = useTranslation();
  const f = useFormatters();
  const [filters, setFilters] = useUrlFilters(NO_FILTERS);
  const [expanded, setExpanded] = useState<number[]>([]);

  const query = useMemo(
    () => ({
      ...dayRangeToInstants(filters.from || undefined, filters.to || undefined, f.timeZone),
      ...(filters.user ? { user: filters.user } : {}),
      ...(filters.method ? { method: filters.method } : {}),
      ...(filters.target ? { target: filters.target } : {}),
    }),
    [filters, f.timeZone],
  );
  const pages = useKeysetPages(
    (cursor) => call('logs.operation', { ...query, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
    JSON.stringify(query),
  );

  const toggle = (id: number) =>
    setExpanded((ids) => (ids.includes(id) ? ids.filter((other) => other !== id) : [...ids, id]));
  const columns: DataTableColumn<OperationLogEntry>[] = [
    { accessor: 'at', title: t('logs:fields.time', { zone: f.zone }), noWrap: true, render: (r) => f.dateTime(r.at) },
    { accessor: 'username', title: t('logs:fields.user') },
    { accessor: 'method', title: t('logs:fields.method'), render: (r) => <Code>{r.method}</Code> },
    { accessor: 'target', title: t('logs:fields.target'), render: (r) => r.target ?? '' },
    { accessor: 'address', title: t('logs:fields.address') },
    {
      accessor: 'summary',
      title: t('logs:fields.summary'),
      textAlign: 'right',
      render: (r) =>
        r.summary === undefined ? (
          <Text size="xs" c="dimmed">
            {t('logs:noSummary')}
          </Text>
        ) : (
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={expanded.includes(r.id) ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
            aria-expanded={expanded.includes(r.id)}
            onClick={() => toggle(r.id)}
          >
            {expanded.includes(r.id) ? t('logs:hideSummary') : t('logs:showSummary')}
          </Button>
        ),
    },
  ];

  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <PageHeader
        title={t('nav:operationLog')}
        description={t('logs:operationDescription')}
        actions={
          <ExportButton onExport={(format, language) => call('logs.exportOperation', { ...query, format, timeZone: f.timeZone, language })} />
        }
      />
      <FilterBar active={filtered} onClear={() => setFilters(NO_FILTERS)}>
        <DateRangeFilter from={filters.from} to={filters.to} onChange={(from, to) => setFilters({ from, to })} />
        <FilterTextInput label={t('logs:fields.user')} value={filters.user} onChange={(user) => setFilters({ user })} />
        <FilterTextInput
          label={t('logs:fields.method')}
          placeholder="systemAccounts."
          value={filters.method}
          onChange={(method) => setFilters({ method })}
        />
        <FilterTextInput
          label={t('logs:fields.target')}
          placeholder="systemAccount:2"
          value={filters.target}
          onChange={(target) => setFilters({ target })}
        />
      </FilterBar>
      <Text size="xs" c="dimmed" mb="xs">
        {t('logs:prefixHint')}
      </Text>
      <PagedDataTable
        label={t('nav:operationLog')}
        pages={pages}
        columns={columns}
        pageSize={PAGE_SIZE}
        rowExpansion={{
          trigger: 'never',
          allowMultiple: true,
          expanded: { recordIds: expanded, onRecordIdsChange: (ids: unknown[]) => setExpanded(ids as number[]) },
          content: ({ record }) => (
            <ScrollArea.Autosize mah={360} px="md" py="xs">
              <Code block aria-label={t('logs:fields.summary')}>
                {JSON.stringify(record.summary, null, 2)}
              </Code>
            </ScrollArea.Autosize>
          ),
        }}
        empty={{
          title: t('logs:empty.title'),
          hint: filtered ? t('logs:empty.hintFiltered') : t('logs:empty.hintOperation'),
        }}
      />
    </>
  );
}
