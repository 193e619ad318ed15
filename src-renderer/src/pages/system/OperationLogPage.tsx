import { Button, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OperationLogEntry } from '../../../../src-shared/api/logs';
import { call } from '../../api/client';
import { ExportButton } from '../../components/ExportButton';
import { PageHeader } from '../../components/PageHeader';
import { PagedDataTable } from '../../components/PagedDataTable';
import { dayRangeToInstants } from '../../format/time';
import { useFormatters } from '../../hooks/useFormatters';
import { useKeysetPages } from '../../hooks/useKeysetPages';
import { useUrlFilters } from '../../hooks/useUrlFilters';
import { OperationDetails } from './operation-log/OperationDetails';
import { NO_OPERATION_FILTERS, OperationFilters } from './operation-log/OperationFilters';
import { operationSentence } from './operation-log/sentence';

const PAGE_SIZE = 50;

/**
 * Every change made through the system, latest first, each as a sentence in the clerk's language ("张三 为 企业 A
 * 充值 ¥1,000.00"); a row opens to the fields it changed, before → after.
 */
export function OperationLogPage() {
  const { t, i18n } = useTranslation();
  const f = useFormatters();
  const [filters, setFilters] = useUrlFilters(NO_OPERATION_FILTERS);
  const [expanded, setExpanded] = useState<number[]>([]);
  const exists = (key: string) => i18n.exists(key);

  const query = useMemo(
    () => ({
      ...dayRangeToInstants(filters.from || undefined, filters.to || undefined, f.timeZone),
      ...(/^\d+$/.test(filters.person) ? { accountId: Number(filters.person) } : {}),
      ...(filters.action ? { action: filters.action } : {}),
      ...(filters.target ? { target: filters.target } : {}),
      ...(filters.kind ? { targetKind: filters.kind } : {}),
      ...(filters.kind && filters.id ? { targetId: filters.id } : {}),
    }),
    [filters, f.timeZone],
  );
  const pages = useKeysetPages('logs.operation', { ...query, limit: PAGE_SIZE });

  const toggle = (id: number) =>
    setExpanded((ids) => (ids.includes(id) ? ids.filter((other) => other !== id) : [...ids, id]));
  const columns: DataTableColumn<OperationLogEntry>[] = [
    { accessor: 'at', title: t('logs:fields.time', { zone: f.zone }), noWrap: true, render: (r) => f.dateTime(r.at) },
    {
      accessor: 'method',
      title: t('logs:columns.operation'),
      render: (r) => (
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {operationSentence(t, exists, r, f)}
        </Text>
      ),
    },
    { accessor: 'address', title: t('logs:fields.address'), width: 130 },
    {
      accessor: 'summary',
      title: t('logs:fields.summary'),
      textAlign: 'right',
      // Wide enough for "Show details" with its icon (at 120 the button stuck out of the table in English).
      width: 140,
      render: (r) => (
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
      <OperationFilters filters={filters} onChange={setFilters} />
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
          content: ({ record }) => <OperationDetails entry={record} format={f} />,
        }}
        empty={{
          title: t('logs:empty.title'),
          hint: filtered ? t('logs:empty.hintFiltered') : t('logs:empty.hintOperation'),
        }}
      />
    </>
  );
}
