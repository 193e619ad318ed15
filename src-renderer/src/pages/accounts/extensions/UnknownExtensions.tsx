import { Alert, Button, Code, Text } from '@mantine/core';
import { DataTable, type DataTableColumn } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UnknownExtension } from '../../../../../src-shared/api/accounts';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FilterTextInput } from '../../../components/FilterTextInput';
import { notifySuccess } from '../../../hooks/notify';
import { useApiQuery } from '../../../hooks/useApiQuery';
import { useFormatters } from '../../../hooks/useFormatters';
import { ExtensionFormModal } from './ExtensionFormModal';

/** Numbers that called from the device and look like extensions but are not configured, with adopt per row. */
export function UnknownExtensions({ deviceId, canWrite, onAdopted }: { deviceId: number; canWrite: boolean; onAdopted(): void }) {
  const { t } = useTranslation();
  const f = useFormatters();
  const [prefix, setPrefix] = useState('');
  const unknown = useApiQuery('extensions.unknown', { deviceId, ...(prefix ? { q: prefix } : {}) });
  const [adopting, setAdopting] = useState<{ opened: boolean; number: string | null }>({ opened: false, number: null });

  const columns: DataTableColumn<UnknownExtension>[] = [
    { accessor: 'number', title: t('accounts:extensions.number'), render: (r) => <Text ff="monospace" fw={600}>{r.number}</Text> },
    { accessor: 'calls', title: t('accounts:extensions.calls'), textAlign: 'right', render: (r) => f.number(r.calls) },
    { accessor: 'firstSeen', title: t('accounts:extensions.firstSeen', { zone: f.zone }), noWrap: true, render: (r) => f.dateTime(r.firstSeen) },
    { accessor: 'lastSeen', title: t('accounts:extensions.lastSeen', { zone: f.zone }), noWrap: true, render: (r) => f.dateTime(r.lastSeen) },
    ...(canWrite
      ? [
          {
            accessor: 'actions',
            title: t('common:actions.label'),
            textAlign: 'right' as const,
            render: (r: UnknownExtension) => (
              <Button size="compact-xs" variant="light" onClick={() => setAdopting({ opened: true, number: r.number })} aria-label={t('accounts:extensions.adoptNamed', { number: r.number })}>
                {t('accounts:extensions.adopt')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const data = unknown.data;
  return (
    <>
      {data && (
        <Alert variant="light" color="gray" mb="sm">
          {data.patternFromDevice ? t('accounts:extensions.patternDevice') : t('accounts:extensions.patternDefault')} <Code>{data.pattern}</Code>
          {data.total > data.rows.length && ` ${t('accounts:extensions.showingFirst', { shown: data.rows.length, total: data.total })}`}
        </Alert>
      )}
      <FilterTextInput label={t('accounts:extensions.numberStarts')} value={prefix} onChange={setPrefix} />
      {unknown.error && <ErrorAlert error={unknown.error} onRetry={unknown.reload} />}
      <DataTable<UnknownExtension>
        mt="sm"
        aria-label={t('accounts:extensions.unknownTable')}
        withTableBorder
        borderRadius="sm"
        striped
        minHeight={data?.rows.length ? 120 : 220}
        records={data?.rows ?? []}
        columns={columns}
        idAccessor="number"
        fetching={unknown.loading}
        loaderBackgroundBlur={0}
        emptyState={data ? <EmptyState title={t('accounts:extensions.unknownEmpty')} hint={t('accounts:extensions.unknownEmptyHint')} /> : <span />}
      />
      <ExtensionFormModal
        opened={adopting.opened}
        deviceId={deviceId}
        extension={null}
        adoptNumber={adopting.number}
        onClose={() => setAdopting((a) => ({ ...a, opened: false }))}
        onSaved={(saved) => {
          notifySuccess(
            saved.userAccountName
              ? t('accounts:extensions.adoptedFor', { number: saved.number, user: saved.userAccountName })
              : t('accounts:extensions.adopted', { number: saved.number }),
          );
          unknown.reload();
          onAdopted();
        }}
      />
    </>
  );
}
