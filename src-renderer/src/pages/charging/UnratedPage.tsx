import { Anchor, Badge, Button, Card, Group, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconBolt } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { UnratedCdr, UnratedGroup } from '../../../../src-shared/api/charging';
import { call } from '../../api/client';
import { DateRangeFilter } from '../../components/DateRangeFilter';
import { EmptyState } from '../../components/EmptyState';
import { FilterBar } from '../../components/FilterBar';
import { PageHeader } from '../../components/PageHeader';
import { PagedDataTable } from '../../components/PagedDataTable';
import { ReasonText, useReasonText } from '../../components/ReasonText';
import { dayRangeToInstants } from '../../format/time';
import { notifyError, notifySuccess } from '../../hooks/notify';
import { useApiQuery } from '../../hooks/useApiQuery';
import { useFormatters } from '../../hooks/useFormatters';
import { useKeysetPages } from '../../hooks/useKeysetPages';
import { useUrlFilters } from '../../hooks/useUrlFilters';
import { usePermissions } from '../../session/SessionProvider';
import { CallTypeBadge } from '../rating/components/CallTypeBadge';
import { CdrDetailDrawer } from '../cdrs/CdrDetailDrawer';

const PAGE_SIZE = 50;
const FILTERS = { deviceId: '', reason: '', from: '', to: '' };

/** Where a reason is fixed: pages whose change lets the CDRs be charged again. */
export function fixLinksFor(key: string): { to: string; label: string }[] {
  if (key === 'charging.noPayer') {
    return [
      { to: '/accounts/users', label: 'cdrs:unrated.fix.users' },
      { to: '/devices/extensions', label: 'cdrs:unrated.fix.extensions' },
      { to: '/devices/ippbx', label: 'cdrs:unrated.fix.deviceDefault' },
    ];
  }
  if (key.startsWith('rate.') || key.startsWith('rating.') || key === 'charging.noRate' || key === 'charging.configurationMissing') {
    return [{ to: '/billing/rates', label: 'cdrs:unrated.fix.rates' }];
  }
  return [
    { to: '/devices/route-prefixes', label: 'cdrs:unrated.fix.routePrefixes' },
    { to: '/billing/attribution', label: 'cdrs:unrated.fix.attribution' },
    { to: '/devices/ippbx', label: 'cdrs:unrated.fix.numberingPlan' },
  ];
}

/** CDRs that no account or rate could charge, grouped by reason, with where to fix each and "charge again". */
export function UnratedPage() {
  const { t } = useTranslation();
  const reasonText = useReasonText();
  const f = useFormatters();
  const { canWrite } = usePermissions();
  const devices = useApiQuery('devices.list', {});
  const [filters, setFilters] = useUrlFilters(FILTERS);
  const [params, setParams] = useSearchParams();
  const [busy, setBusy] = useState<string | null>(null);
  const openId = Number(params.get('cdr') ?? '') || null;

  const query = useMemo(
    () => ({
      ...dayRangeToInstants(filters.from || undefined, filters.to || undefined, f.timeZone),
      ...(filters.deviceId ? { deviceId: Number(filters.deviceId) } : {}),
      ...(filters.reason ? { reasonKey: filters.reason } : {}),
    }),
    [filters, f.timeZone],
  );
  const pages = useKeysetPages('cdrs.unrated', { ...query, limit: PAGE_SIZE });
  // Every page carries the groups of all the filtered queue.
  const groups: UnratedGroup[] | null = pages.page?.groups ?? null;

  const deviceName = (id: number) => devices.data?.find((d) => d.id === id)?.name ?? `#${id}`;
  const chargeAgain = async (reasonKey?: string) => {
    setBusy(reasonKey ?? '*');
    try {
      const input = { ...query, ...(reasonKey ? { reasonKey } : {}) };
      const result = await call('cdrs.chargeUnrated', input);
      notifySuccess(t('cdrs:unrated.charged', { examined: result.examined, rated: result.rated, still: result.stillUnrated }));
      pages.reload();
    } catch (err) {
      notifyError(err, t);
    } finally {
      setBusy(null);
    }
  };
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

  const columns: DataTableColumn<UnratedCdr>[] = [
    { accessor: 'start', title: t('cdrs:fields.start', { zone: f.zone }), noWrap: true, width: 170, render: (r) => f.dateTime(r.start) },
    { accessor: 'deviceId', title: t('cdrs:fields.device'), render: (r) => deviceName(r.deviceId) },
    { accessor: 'caller', title: t('cdrs:fields.caller') },
    { accessor: 'callee', title: t('cdrs:fields.callee') },
    { accessor: 'callType', title: t('cdrs:fields.callType'), render: (r) => (r.callType ? <CallTypeBadge callType={r.callType as never} size="sm" /> : '') },
    { accessor: 'billsec', title: t('cdrs:fields.talkTime'), textAlign: 'right', render: (r) => f.duration(r.billsec) },
    { accessor: 'reason', title: t('cdrs:unrated.reason'), render: (r) => <ReasonText problem={r.problem} /> },
    {
      accessor: 'id',
      title: '',
      width: 90,
      textAlign: 'right',
      render: (r) => (
        <Button size="compact-xs" variant="subtle" onClick={() => openDetail(r.id)} aria-label={t('cdrs:table.openDetail', { id: r.id })}>
          {t('cdrs:table.details')}
        </Button>
      ),
    },
  ];

  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <PageHeader
        title={t('nav:cdrUnrated')}
        description={t('cdrs:unrated.description')}
        actions={
          <Group gap="xs">
            <Button component={Link} to="/cdr/records?status=unrated" variant="default">
              {t('cdrs:unrated.inRecords')}
            </Button>
            {canWrite && (
              <Button leftSection={<IconBolt size={16} />} loading={busy === '*'} disabled={busy !== null} onClick={() => void chargeAgain()}>
                {t('cdrs:unrated.chargeAll')}
              </Button>
            )}
          </Group>
        }
      />
      {groups && groups.length === 0 ? (
        <EmptyState title={t('cdrs:unrated.emptyTitle')} hint={t('cdrs:unrated.emptyHint')} />
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} mb="md" aria-label={t('cdrs:unrated.groups')}>
          {(groups ?? []).map((g) => (
            // Named by its reason in the clerk's words; the reason's key stays on the element for tools and tests.
            <Card key={g.key} withBorder padding="sm" aria-label={reasonText(g.problem)} data-reason={g.key}>
              <Stack gap={6}>
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <ReasonText problem={g.problem} fw={600} />
                  <Badge color="red" variant="light" miw="max-content">
                    {t('cdrs:unrated.count', { count: g.count, n: f.number(g.count) })}
                  </Badge>
                </Group>
                <Text size="xs" c="dimmed">
                  {t('cdrs:unrated.span', { oldest: f.dateTime(g.oldest), latest: f.dateTime(g.latest) })}
                </Text>
                <Text size="xs" c="dimmed">
                  {g.devices.map((d) => `${deviceName(d.deviceId)}: ${f.number(d.count)}`).join(' · ')}
                </Text>
                <Group gap="xs">
                  {fixLinksFor(g.key).map((link) => (
                    <Anchor key={link.to} component={Link} to={link.to} size="sm">
                      {t(link.label)}
                    </Anchor>
                  ))}
                </Group>
                <Group gap="xs">
                  <Button size="xs" variant="light" onClick={() => setFilters({ reason: filters.reason === g.key ? '' : g.key })}>
                    {filters.reason === g.key ? t('cdrs:unrated.showAll') : t('cdrs:unrated.showThese')}
                  </Button>
                  {canWrite && (
                    <Button size="xs" loading={busy === g.key} disabled={busy !== null} onClick={() => void chargeAgain(g.key)}>
                      {t('cdrs:unrated.chargeThese')}
                    </Button>
                  )}
                </Group>
              </Stack>
            </Card>
          ))}
        </SimpleGrid>
      )}
      <FilterBar active={filtered} onClear={() => setFilters(FILTERS)}>
        <Select
          label={t('cdrs:fields.device')}
          placeholder={t('cdrs:filters.any')}
          data={(devices.data ?? []).map((d) => ({ value: String(d.id), label: d.name }))}
          value={filters.deviceId || null}
          onChange={(value) => setFilters({ deviceId: value ?? '' })}
          clearable
          searchable
          w={200}
        />
        <DateRangeFilter from={filters.from} to={filters.to} onChange={(from, to) => setFilters({ from, to })} />
      </FilterBar>
      <PagedDataTable
        label={t('nav:cdrUnrated')}
        pages={pages}
        columns={columns}
        pageSize={PAGE_SIZE}
        empty={{ title: t('cdrs:unrated.emptyTitle'), hint: filtered ? t('cdrs:empty.hintFiltered') : t('cdrs:unrated.emptyHint') }}
      />
      <CdrDetailDrawer cdrId={openId} onClose={() => openDetail(null)} />
    </>
  );
}
