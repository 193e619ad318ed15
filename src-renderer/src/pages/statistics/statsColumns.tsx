import { Anchor, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconArrowsSort, IconSortAscending, IconSortDescending } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { StatsCallType, StatsFigures, StatsKind, StatsRow, StatsTable } from '../../../../src-shared/api/statistics';
import { MoneyText } from '../../components/MoneyText';
import type { Formatters } from '../../hooks/useFormatters';
import { recordsLink } from './records-link';

/** Column order of the screens and files (UI.md): local, domestic, international, internal, special. */
export const COLUMN_CALL_TYPES: readonly StatsCallType[] = ['local', 'domestic', 'international', 'internal', 'special'];

/** What a call-type column is sorted by when its header is clicked. */
export type StatsMeasure = 'amount' | 'calls' | 'seconds';

export interface StatsSortState {
  /** `name`, or `<local|…|total>.<amount|calls|seconds>` as the API takes it. */
  accessor: string;
  direction: 'asc' | 'desc';
}

interface ColumnOptions {
  kind: StatsKind;
  t: TFunction;
  f: Formatters;
  table: StatsTable | undefined;
  /** The period as sent (ISO), for drill-down links. */
  from: string;
  to: string;
  sort: StatsSortState;
  /** The measure a header click sorts by. */
  measure: StatsMeasure;
  onSort(sort: StatsSortState): void;
}

/**
 * A header that sorts its column: one button with the state in words (mantine-datatable's own sort icons carry fixed
 * English labels). A first click sorts the largest first, names A to Z.
 */
function SortHeader({ label, accessor, o, align }: { label: string; accessor: string; o: ColumnOptions; align: 'left' | 'right' }) {
  const active = o.sort.accessor === accessor;
  const next: StatsSortState = active
    ? { accessor, direction: o.sort.direction === 'asc' ? 'desc' : 'asc' }
    : { accessor, direction: accessor === 'name' ? 'asc' : 'desc' };
  const state = active ? o.t(`statistics:sort.${o.sort.direction}`) : o.t('statistics:sort.none');
  const Icon = !active ? IconArrowsSort : o.sort.direction === 'asc' ? IconSortAscending : IconSortDescending;
  return (
    <UnstyledButton onClick={() => o.onSort(next)} aria-label={o.t('statistics:sort.button', { column: label, state })} w="100%">
      <Group gap={4} justify={align === 'right' ? 'flex-end' : 'flex-start'} wrap="nowrap">
        <Text size="sm" fw={600}>
          {label}
        </Text>
        <Icon size={14} opacity={active ? 1 : 0.4} aria-hidden />
      </Group>
    </UnstyledButton>
  );
}

/** Amount on top; calls (a link to them) and duration under it, so six figures fit a 1366-pixel screen. */
function FiguresCell({ figures, link, o, strong }: { figures: StatsFigures; link: string; o: ColumnOptions; strong?: boolean }) {
  const { t, f } = o;
  const calls: ReactNode =
    figures.calls > 0 ? (
      <Anchor component={Link} to={link} size="xs" title={t('statistics:drillDown')}>
        {t('statistics:cell.calls', { count: figures.calls, calls: f.number(figures.calls) })}
      </Anchor>
    ) : (
      <Text span size="xs" c="dimmed">
        {t('statistics:cell.calls', { count: 0, calls: '0' })}
      </Text>
    );
  return (
    <Stack gap={0} align="flex-end">
      <MoneyText amount={figures.amount} size="sm" fw={strong ? 600 : undefined} />
      <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
        {calls} · {f.duration(figures.seconds)}
      </Text>
    </Stack>
  );
}

function figureColumn(scope: 'total' | StatsCallType, o: ColumnOptions, totals: StatsFigures | undefined): DataTableColumn<StatsRow> {
  const { t, kind } = o;
  const pick = (r: StatsRow) => (scope === 'total' ? r.total : r.byType[scope]);
  const link = (r: StatsRow) =>
    recordsLink({ kind, accountId: r.id, enterpriseId: r.enterpriseId, from: o.from, to: o.to, ...(scope === 'total' ? {} : { callType: scope }) });
  const label = scope === 'total' ? t('statistics:columns.total') : t(`rating:callTypes.${scope}`);
  const accessor = `${scope}.${o.measure}`;
  return {
    accessor,
    title: <SortHeader label={label} accessor={accessor} o={o} align="right" />,
    textAlign: 'right',
    noWrap: true,
    render: (r) => <FiguresCell figures={pick(r)} link={link(r)} o={o} strong={scope === 'total'} />,
    footer: totals ? <FiguresCell figures={totals} link={recordsLink({ kind, from: o.from, to: o.to, ...(scope === 'total' ? {} : { callType: scope }) })} o={o} strong /> : null,
  };
}

export function statsColumns(o: ColumnOptions): DataTableColumn<StatsRow>[] {
  const { t, kind, table } = o;
  const nameLabel = t(`statistics:columns.name.${kind}`);
  return [
    {
      accessor: 'name',
      title: <SortHeader label={nameLabel} accessor="name" o={o} align="left" />,
      render: (r) => (
        <Anchor component={Link} to={recordsLink({ kind, accountId: r.id, enterpriseId: r.enterpriseId, from: o.from, to: o.to })} size="sm" title={t('statistics:drillDown')}>
          {r.name}
        </Anchor>
      ),
      footer: <Text fw={600} size="sm">{t('statistics:totals')}</Text>,
    },
    ...(kind === 'enterprise' ? [] : [{ accessor: 'enterpriseName', title: t('statistics:columns.enterprise'), render: (r: StatsRow) => <Text size="sm">{r.enterpriseName}</Text> }]),
    ...COLUMN_CALL_TYPES.map((type) => figureColumn(type, o, table?.totals.byType[type])),
    figureColumn('total', o, table?.totals.total),
  ];
}
