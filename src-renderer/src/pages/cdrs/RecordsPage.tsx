import { Alert, Anchor, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconRefresh } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { InputOf } from '../../../../src-shared/api';
import type { CdrRow } from '../../../../src-shared/api/cdrs';
import { isMoneyText } from '../../../../src-shared/domain/money';
import { FilterBar } from '../../components/FilterBar';
import { MoneyText } from '../../components/MoneyText';
import { PageHeader } from '../../components/PageHeader';
import { PagedDataTable } from '../../components/PagedDataTable';
import { useApiEvent } from '../../hooks/useApiEvent';
import { useFormatters } from '../../hooks/useFormatters';
import { useKeysetPages } from '../../hooks/useKeysetPages';
import { useUrlFilters } from '../../hooks/useUrlFilters';
import { CallTypeBadge } from '../rating/components/CallTypeBadge';
import { CdrDetailDrawer, STATUS_COLORS } from './CdrDetailDrawer';
import { RecordsExportButton } from './RecordsExportButton';
import { RECORD_FILTERS, RecordsFilters, urlInstant, type RecordFilters } from './RecordsFilters';

const PAGE_SIZE = 50;
/** New CDRs refresh the first page at most this often (an import can store thousands a second). */
const LIVE_REFRESH_MS = 3000;

type SearchFilter = Omit<InputOf<'cdrs.search'>, 'limit' | 'cursor' | 'count' | 'order'>;

/** The URL filters as the API's filter (ignoring what does not parse, e.g. a half-typed amount). */
export function searchFilterOf(filters: RecordFilters, zone: string): SearchFilter {
  const id = (v: string) => (/^\d+$/.test(v) ? Number(v) : undefined);
  const out: Record<string, unknown> = {
    from: urlInstant(filters.from, zone),
    to: urlInstant(filters.to, zone),
    deviceId: id(filters.deviceId),
    enterpriseId: id(filters.enterpriseId),
    userAccountId: id(filters.userAccountId),
    gatewayId: id(filters.gatewayId),
    caller: filters.caller || undefined,
    callee: filters.callee || undefined,
    callType: filters.callType || undefined,
    disposition: filters.disposition || undefined,
    status: ['rated', 'unrated', 'pending'].includes(filters.status) ? filters.status : undefined,
    costMin: isMoneyText(filters.costMin) ? filters.costMin : undefined,
    costMax: isMoneyText(filters.costMax) ? filters.costMax : undefined,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as SearchFilter;
}

/** CDR records: the latest calls first, every filter in the URL, a detail drawer with "why this price", export. */
export function RecordsPage() {
  const { t } = useTranslation();
  const f = useFormatters();
  const [filters, setFilters] = useUrlFilters(RECORD_FILTERS);
  const [params, setParams] = useSearchParams();
  const [order, setOrder] = useState<'desc' | 'asc'>('desc');
  const [newArrived, setNewArrived] = useState(false);
  const openId = Number(params.get('cdr') ?? '') || null;

  const query = useMemo(() => searchFilterOf(filters, f.timeZone), [filters, f.timeZone]);
  // The first page also counts the matches (the server stops counting at 100,000); later pages show its count.
  const pages = useKeysetPages('cdrs.search', { ...query, order, limit: PAGE_SIZE }, { firstPage: { count: true } });
  const counted = pages.first;
  const total = counted?.total === undefined ? null : { n: counted.total, capped: counted.totalCapped === true };

  // New CDRs: the first page (latest first) follows by itself; elsewhere a notice offers to go back to the latest.
  const lastRefresh = useRef(-Infinity);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onFirstLatestPage = pages.pageNumber === 1 && order === 'desc';
  const reloadRef = useRef(pages.reload);
  reloadRef.current = pages.reload;
  const onNewCdrs = useCallback(() => {
    if (!onFirstLatestPage) {
      setNewArrived(true);
      return;
    }
    if (timer.current) return;
    const wait = Math.max(0, lastRefresh.current + LIVE_REFRESH_MS - performance.now());
    timer.current = setTimeout(() => {
      timer.current = null;
      lastRefresh.current = performance.now();
      reloadRef.current();
    }, wait);
  }, [onFirstLatestPage]);
  useApiEvent('data.changed', (data) => {
    if (data.domain === 'ingest' || data.domain === 'cdrs') onNewCdrs();
  });

  const openDetail = (id: number | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (id === null) next.delete('cdr');
        else next.set('cdr', String(id));
        return next;
      },
      { replace: true },
    );

  const columns: DataTableColumn<CdrRow>[] = [
    {
      accessor: 'start',
      title: (
        <Stack gap={0}>
          <Button
            variant="subtle"
            size="compact-xs"
            px={0}
            rightSection={order === 'desc' ? <IconArrowDown size={12} /> : <IconArrowUp size={12} />}
            onClick={() => setOrder(order === 'desc' ? 'asc' : 'desc')}
            aria-label={t(order === 'desc' ? 'cdrs:table.sortedLatestFirst' : 'cdrs:table.sortedOldestFirst')}
          >
            {t('cdrs:table.start')}
          </Button>
          <Text size="xs" c="dimmed" fw={400}>
            {f.zone}
          </Text>
        </Stack>
      ),
      noWrap: true,
      width: 170,
      render: (r) => f.dateTime(r.start),
    },
    { accessor: 'deviceName', title: t('cdrs:fields.device'), width: 120 },
    {
      accessor: 'caller',
      title: t('cdrs:fields.caller'),
      render: (r) => (
        <Stack gap={0}>
          <Text size="sm">{r.caller}</Text>
          {r.callerName && r.callerName !== r.caller && (
            <Text size="xs" c="dimmed">
              {r.callerName}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      accessor: 'callee',
      title: t('cdrs:fields.callee'),
      render: (r) => (
        <Stack gap={0}>
          <Text size="sm">{r.callee}</Text>
          {r.normalized && r.normalized !== r.callee && (
            <Text size="xs" c="dimmed">
              {t('cdrs:table.normalizedAs', { number: r.normalized })}
            </Text>
          )}
        </Stack>
      ),
    },
    { accessor: 'callType', title: t('cdrs:fields.callType'), render: (r) => (r.callType ? <CallTypeBadge callType={r.callType} size="sm" /> : '') },
    { accessor: 'disposition', title: t('cdrs:fields.disposition'), render: (r) => t(`cdrs:dispositions.${r.disposition}`) },
    {
      accessor: 'billsec',
      title: t('cdrs:fields.talkTime'),
      textAlign: 'right',
      render: (r) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{f.duration(r.billsec)}</span>,
    },
    {
      accessor: 'enterpriseName',
      title: t('cdrs:fields.account'),
      render: (r) => (
        <Stack gap={0}>
          <Text size="sm">{r.enterpriseName ?? ''}</Text>
          {(r.userAccountName || r.gatewayName) && (
            <Text size="xs" c="dimmed">
              {r.userAccountName ?? r.gatewayName}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      accessor: 'status',
      title: t('cdrs:fields.status'),
      render: (r) => (
        <Badge variant="light" color={STATUS_COLORS[r.status]} size="sm" miw="max-content">
          {t(`cdrs:statuses.${r.status}`)}
        </Badge>
      ),
    },
    { accessor: 'cost', title: t('cdrs:fields.cost'), textAlign: 'right', render: (r) => (r.cost === null ? '' : <MoneyText amount={r.cost} size="sm" />) },
    {
      accessor: 'id',
      title: '',
      width: 76,
      textAlign: 'right',
      render: (r) => (
        <Button size="compact-xs" variant="subtle" onClick={() => openDetail(r.id)} aria-label={t('cdrs:table.openDetail', { id: r.id })}>
          {t('cdrs:table.details')}
        </Button>
      ),
    },
  ];

  const filtered = Object.values(filters).some(Boolean);
  const rejectedChosen = filters.status === 'rejected';
  return (
    <>
      <PageHeader
        title={t('nav:cdrRecords')}
        description={t('cdrs:description')}
        actions={<RecordsExportButton filter={query} />}
      />
      <FilterBar active={filtered} onClear={() => setFilters(RECORD_FILTERS)}>
        <Stack gap={0}>
          <RecordsFilters filters={filters} onChange={setFilters} />
        </Stack>
      </FilterBar>
      {rejectedChosen ? (
        <Alert color="orange" title={t('cdrs:rejected.title')}>
          <Text size="sm" mb="xs">
            {t('cdrs:rejected.body')}
          </Text>
          <Anchor component={Link} to={`/cdr/rejects${filters.deviceId ? `?device=${filters.deviceId}` : ''}`}>
            {t('cdrs:rejected.open')}
          </Anchor>
        </Alert>
      ) : (
        <>
          {newArrived && (
            <Group mb="xs">
              <Button
                size="xs"
                variant="light"
                leftSection={<IconRefresh size={14} />}
                onClick={() => {
                  setNewArrived(false);
                  if (order === 'desc') pages.toFirst();
                  else setOrder('desc');
                }}
              >
                {t('cdrs:table.newArrived')}
              </Button>
            </Group>
          )}
          {total && (
            <Text size="sm" c="dimmed" mb="xs" aria-live="polite">
              {total.capped
                ? t('cdrs:table.totalCapped', { n: f.number(total.n) })
                : t('cdrs:table.total', { count: total.n, n: f.number(total.n) })}
            </Text>
          )}
          <PagedDataTable
            label={t('nav:cdrRecords')}
            pages={pages}
            columns={columns}
            pageSize={PAGE_SIZE}
            empty={{
              title: t('cdrs:empty.title'),
              hint: filtered ? t('cdrs:empty.hintFiltered') : t('cdrs:empty.hint'),
            }}
          />
        </>
      )}
      <CdrDetailDrawer cdrId={openId} onClose={() => openDetail(null)} />
    </>
  );
}
