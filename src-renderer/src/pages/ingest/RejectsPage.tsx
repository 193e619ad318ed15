import { Badge, Button, Checkbox, Group, Select, Stack, Text, Tooltip } from '@mantine/core';
import { IconRefresh, IconTrash } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CdrRejectRow, ReprocessResult } from '../../../../src-shared/api/ingest';
import { call } from '../../api/client';
import { ConfirmActionModal } from '../../components/ConfirmActionModal';
import { DateRangeFilter } from '../../components/DateRangeFilter';
import { FilterBar } from '../../components/FilterBar';
import { FilterTextInput } from '../../components/FilterTextInput';
import { PageHeader } from '../../components/PageHeader';
import { PagedDataTable } from '../../components/PagedDataTable';
import { ReasonText } from '../../components/ReasonText';
import { dayRangeToInstants } from '../../format/time';
import { notifyError, notifySuccess } from '../../hooks/notify';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters } from '../../hooks/useFormatters';
import { useKeysetPages } from '../../hooks/useKeysetPages';
import { useUrlFilters } from '../../hooks/useUrlFilters';
import { usePermissions } from '../../session/SessionProvider';
import { RawRecord, RejectSource } from './RejectsTable';

const PAGE_SIZE = 50;
const FILTERS = { device: '', status: 'open', source: '', from: '', to: '' };
const STATUS_COLOR = { open: 'orange', reprocessed: 'green', dismissed: 'gray' } as const;

/** Records that could not be read: why and where, the record itself; reprocess after a fix, or dismiss. */
export function RejectsPage() {
  const { t } = useTranslation();
  const f = useFormatters();
  const { canWrite } = usePermissions();
  const devices = useApiQuery('devices.list', {});
  const [filters, setFilters] = useUrlFilters(FILTERS);
  const [selected, setSelected] = useState<number[]>([]);
  const [expanded, setExpanded] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [dismissing, setDismissing] = useState(false);

  const query = useMemo(
    () => ({
      ...dayRangeToInstants(filters.from || undefined, filters.to || undefined, f.timeZone),
      ...(filters.device ? { deviceId: Number(filters.device) } : {}),
      ...(filters.status ? { status: filters.status as CdrRejectRow['status'] } : {}),
      ...(filters.source ? { sourceName: filters.source } : {}),
    }),
    [filters, f.timeZone],
  );
  const pages = useKeysetPages('cdrs.rejects', { ...query, limit: PAGE_SIZE });
  // "Reprocess all open" acts on the open rejects of the chosen device, or of every device: it is offered when any.
  const open = useApiQuery('cdrs.rejects', { status: 'open', limit: 1, ...(filters.device ? { deviceId: Number(filters.device) } : {}) });
  const openCount = open.data?.total ?? 0;

  const reprocess = async (input: { ids: number[] } | { deviceId: number } | { all: true }) => {
    setBusy(true);
    try {
      const result: ReprocessResult = await call('cdrs.reprocess', input);
      const rejects = t('ingest:rejects.reprocessed', { total: result.total, stored: result.stored, duplicates: result.duplicates, still: result.stillRejected, unchanged: result.unchanged });
      const unrated = result.unrated
        ? ` ${t('ingest:rejects.reprocessedUnrated', { examined: result.unrated.examined, rated: result.unrated.rated, still: result.unrated.stillUnrated })}`
        : '';
      notifySuccess(rejects + unrated);
      setSelected([]);
      pages.reload();
    } catch (err) {
      notifyError(err, t);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (id: number, list: number[], set: (ids: number[]) => void) =>
    set(list.includes(id) ? list.filter((other) => other !== id) : [...list, id]);
  const columns: DataTableColumn<CdrRejectRow>[] = [
    ...(canWrite
      ? [
          {
            accessor: 'select',
            title: '',
            width: 40,
            render: (r: CdrRejectRow) => (
              <Checkbox
                aria-label={t('ingest:rejects.selectOne', { id: r.id })}
                checked={selected.includes(r.id)}
                disabled={r.status === 'reprocessed'}
                onChange={() => toggle(r.id, selected, setSelected)}
              />
            ),
          },
        ]
      : []),
    { accessor: 'receivedAt', title: t('ingest:fields.receivedAt', { zone: f.zone }), noWrap: true, width: 170, render: (r) => f.dateTime(r.receivedAt) },
    { accessor: 'deviceName', title: t('ingest:fields.device'), width: 140 },
    { accessor: 'sourceName', title: t('ingest:fields.source'), width: 240, render: (r) => <RejectSource row={r} /> },
    {
      accessor: 'reason',
      title: t('ingest:fields.reason'),
      render: (r) => (
        <Stack gap={2}>
          <ReasonText problem={r.problem} />
          {r.resolutionProblem && <ReasonText problem={r.resolutionProblem} size="xs" c="dimmed" />}
        </Stack>
      ),
    },
    {
      accessor: 'status',
      title: t('ingest:fields.status'),
      width: 120,
      render: (r) => (
        <Badge variant="light" color={STATUS_COLOR[r.status]} miw="max-content">
          {t(`ingest:statuses.${r.status}`)}
        </Badge>
      ),
    },
    {
      accessor: 'raw',
      title: t('ingest:rejects.recordColumn'),
      width: 110,
      textAlign: 'right',
      render: (r) => (
        <Button size="compact-xs" variant="subtle" aria-expanded={expanded.includes(r.id)} onClick={() => toggle(r.id, expanded, setExpanded)}>
          {expanded.includes(r.id) ? t('ingest:rejects.hideRaw') : t('ingest:rejects.showRaw')}
        </Button>
      ),
    },
  ];

  const filtered = filters.device !== '' || filters.status !== 'open' || filters.source !== '' || filters.from !== '' || filters.to !== '';
  const deviceName = devices.data?.find((d) => String(d.id) === filters.device)?.name;
  return (
    <>
      <PageHeader
        title={t('nav:cdrRejects')}
        description={t('ingest:rejects.description')}
        actions={
          canWrite && (
            <Group gap="xs">
              <Button
                variant="default"
                leftSection={<IconTrash size={16} />}
                disabled={selected.length === 0 || busy}
                onClick={() => setDismissing(true)}
              >
                {t('ingest:rejects.dismissSelected', { count: selected.length })}
              </Button>
              <Button leftSection={<IconRefresh size={16} />} disabled={selected.length === 0} loading={busy} onClick={() => void reprocess({ ids: selected })}>
                {t('ingest:rejects.reprocessSelected', { count: selected.length })}
              </Button>
              {/* A disabled button hears no pointer: data-disabled keeps the tooltip that says why. */}
              <Tooltip label={t('ingest:rejects.nothingOpen')} disabled={openCount > 0 || !open.data}>
                <Button
                  variant="light"
                  leftSection={<IconRefresh size={16} />}
                  data-disabled={openCount === 0 || undefined}
                  loading={busy}
                  onClick={() => {
                    if (openCount === 0) return;
                    void reprocess(filters.device ? { deviceId: Number(filters.device) } : { all: true });
                  }}
                >
                  {deviceName
                    ? t('ingest:rejects.reprocessAllOf', { device: deviceName, count: openCount })
                    : t('ingest:rejects.reprocessAll', { count: openCount })}
                </Button>
              </Tooltip>
            </Group>
          )
        }
      />
      <FilterBar active={filtered} onClear={() => setFilters(FILTERS)}>
        <Select
          label={t('ingest:fields.device')}
          placeholder={t('ingest:rejects.allDevices')}
          data={(devices.data ?? []).map((d) => ({ value: String(d.id), label: d.name }))}
          value={filters.device || null}
          onChange={(value) => setFilters({ device: value ?? '' })}
          clearable
          searchable
          w={200}
        />
        <Select
          label={t('ingest:fields.status')}
          data={[
            { value: 'open', label: t('ingest:statuses.open') },
            { value: 'reprocessed', label: t('ingest:statuses.reprocessed') },
            { value: 'dismissed', label: t('ingest:statuses.dismissed') },
          ]}
          placeholder={t('ingest:rejects.allStatuses')}
          value={filters.status || null}
          onChange={(value) => setFilters({ status: value ?? '' })}
          clearable
          w={160}
        />
        <FilterTextInput label={t('ingest:fields.sourceName')} value={filters.source} onChange={(source) => setFilters({ source })} width={220} />
        <DateRangeFilter from={filters.from} to={filters.to} onChange={(from, to) => setFilters({ from, to })} label={t('ingest:fields.receivedRange')} />
      </FilterBar>
      <Text size="xs" c="dimmed" mb="xs">
        {t('ingest:rejects.reprocessHint')}
      </Text>
      <PagedDataTable
        label={t('nav:cdrRejects')}
        pages={pages}
        columns={columns}
        pageSize={PAGE_SIZE}
        rowExpansion={{
          trigger: 'never',
          allowMultiple: true,
          expanded: { recordIds: expanded, onRecordIdsChange: (ids: unknown[]) => setExpanded(ids as number[]) },
          content: ({ record }) => (
            <Stack px="md" py="xs">
              <RawRecord row={record} />
            </Stack>
          ),
        }}
        empty={{
          title: t('ingest:rejects.empty'),
          hint: filtered ? t('ingest:rejects.emptyFiltered') : t('ingest:rejects.emptyHint'),
        }}
      />
      <ConfirmActionModal
        opened={dismissing}
        onClose={() => setDismissing(false)}
        title={t('ingest:rejects.dismissTitle')}
        message={t('ingest:rejects.dismissMessage', { count: selected.length })}
        confirmLabel={t('ingest:rejects.dismiss')}
        color="orange"
        reason="required"
        onConfirm={async (reason) => {
          const { dismissed } = await call('cdrs.dismissRejects', { ids: selected, reason });
          notifySuccess(t('ingest:rejects.dismissed', { count: dismissed }));
          setSelected([]);
          setDismissing(false);
          pages.reload();
        }}
      />
    </>
  );
}
