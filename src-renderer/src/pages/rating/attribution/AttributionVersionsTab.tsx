import { Badge, Text } from '@mantine/core';
import { DataTable, type DataTableColumn } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { AttributionVersion } from '../../../../../src-shared/api/attribution';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useApiQuery } from '../../../hooks/useApiQuery';
import { useFormatters } from '../../../hooks/useFormatters';

/** Every change to the attribution data, latest first: who, when, which file, and what it did. */
export function AttributionVersionsTab() {
  const { t } = useTranslation();
  const f = useFormatters();
  const versions = useApiQuery('attribution.versions', { limit: 200 });
  const count = (n: number) => f.number(n);
  const columns: DataTableColumn<AttributionVersion>[] = [
    { accessor: 'id', title: t('attribution:fields.version'), textAlign: 'right', width: 80 },
    { accessor: 'at', title: t('attribution:versions.at', { zone: f.zone }), noWrap: true, render: (v) => f.dateTime(v.at) },
    { accessor: 'username', title: t('attribution:versions.who'), render: (v) => (v.source === 'default' ? t('attribution:versions.systemUser') : v.username) },
    {
      accessor: 'source',
      title: t('attribution:versions.source'),
      render: (v) => (
        <Badge variant="light" color={v.source === 'default' ? 'gray' : 'blue'} miw="max-content">
          {t(`attribution:versions.sources.${v.source}`)}
        </Badge>
      ),
    },
    { accessor: 'fileName', title: t('attribution:versions.file'), render: (v) => v.fileName ?? <Text c="dimmed" size="sm">—</Text> },
    { accessor: 'mode', title: t('attribution:import.mode'), render: (v) => t(`attribution:import.${v.mode}`) },
    { accessor: 'countryCodes', title: t('attribution:fields.countryCode'), render: (v) => v.countryCodes.map((c) => `+${c}`).join(' ') },
    { accessor: 'rowsInFile', title: t('attribution:versions.rows'), textAlign: 'right', render: (v) => count(v.rowsInFile) },
    { accessor: 'rowsAdded', title: t('attribution:versions.added'), textAlign: 'right', render: (v) => count(v.rowsAdded) },
    { accessor: 'rowsChanged', title: t('attribution:versions.changed'), textAlign: 'right', render: (v) => count(v.rowsChanged) },
    { accessor: 'rowsRemoved', title: t('attribution:versions.removed'), textAlign: 'right', render: (v) => count(v.rowsRemoved) },
    { accessor: 'rowsUnchanged', title: t('attribution:versions.unchanged'), textAlign: 'right', render: (v) => count(v.rowsUnchanged) },
  ];
  return (
    <>
      {versions.error && <ErrorAlert error={versions.error} onRetry={versions.reload} />}
      <DataTable<AttributionVersion>
        aria-label={t('attribution:tabs.versions')}
        withTableBorder
        borderRadius="sm"
        striped
        minHeight={versions.data?.length ? 120 : 240}
        records={versions.data ?? []}
        columns={columns}
        fetching={versions.loading}
        loaderBackgroundBlur={0}
        emptyState={versions.data ? <EmptyState title={t('attribution:versions.empty')} hint={t('attribution:versions.emptyHint')} /> : <span />}
      />
    </>
  );
}
