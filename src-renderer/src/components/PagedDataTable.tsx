import { Button, Group, Text } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { DataTable, type DataTableColumn, type DataTableRowExpansionProps } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { KeysetPages } from '../hooks/useKeysetPages';
import { EmptyState } from './EmptyState';
import { ErrorAlert } from './ErrorAlert';

export interface PagedDataTableProps<Row> {
  /** From `useKeysetPages`: rows, loading state and the cursor stack. */
  pages: KeysetPages<Row>;
  columns: DataTableColumn<Row>[];
  /** What the table is, for screen readers and end-to-end tests (`getByRole('table', { name })`). */
  label: string;
  /** Shown when the server found nothing: say what to do next. */
  empty: { title: string; hint?: string; action?: React.ReactNode };
  idAccessor?: keyof Row & string;
  rowExpansion?: DataTableRowExpansionProps<Row>;
  /** Rows per page the caller asks for; only used to say so in the pager. */
  pageSize?: number;
}

/**
 * A server-side paged table over keyset cursors (`{ rows, nextCursor }`): previous rows stay visible with a loader
 * on top while the next page loads, and the table keeps a minimum height, so nothing jumps.
 */
export function PagedDataTable<Row>({ pages, columns, label, empty, idAccessor, rowExpansion, pageSize }: PagedDataTableProps<Row>) {
  const { t } = useTranslation();
  const nothingFound = pages.loaded && !pages.loading && pages.rows.length === 0 && !pages.error;
  return (
    <>
      {pages.error && <ErrorAlert error={pages.error} onRetry={pages.reload} />}
      <DataTable<Row>
        aria-label={label}
        withTableBorder
        borderRadius="sm"
        striped
        highlightOnHover
        verticalAlign="top"
        minHeight={nothingFound || !pages.loaded ? 260 : 150}
        records={pages.rows}
        columns={columns}
        fetching={pages.loading}
        loaderBackgroundBlur={0}
        idAccessor={idAccessor ?? 'id'}
        rowExpansion={rowExpansion}
        emptyState={pages.loaded ? <EmptyState title={empty.title} hint={empty.hint} action={empty.action} /> : <span />}
      />
      <Group justify="space-between" mt="xs" aria-label={t('common:pager.label')} role="navigation">
        <Text size="sm" c="dimmed">
          {pageSize
            ? t('common:pager.pageWithSize', { page: pages.pageNumber, size: pageSize })
            : t('common:pager.page', { page: pages.pageNumber })}
        </Text>
        <Group gap="xs">
          <Button
            variant="default"
            size="xs"
            leftSection={<IconChevronLeft size={14} />}
            disabled={!pages.hasPrevious}
            onClick={pages.previous}
          >
            {t('common:pager.previous')}
          </Button>
          <Button
            variant="default"
            size="xs"
            rightSection={<IconChevronRight size={14} />}
            disabled={!pages.hasNext}
            onClick={pages.next}
          >
            {t('common:pager.next')}
          </Button>
        </Group>
      </Group>
    </>
  );
}
