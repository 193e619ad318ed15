import { Anchor, Text } from '@mantine/core';
import type { DataTableColumn, DataTableColumnGroup } from 'mantine-datatable';
import type { TFunction } from 'i18next';
import { Link } from 'react-router-dom';
import type { StatsCallType, StatsFigures, StatsKind, StatsRow, StatsTable } from '../../../../src-shared/api/statistics';
import { MoneyText } from '../../components/MoneyText';
import type { Formatters } from '../../hooks/useFormatters';
import { recordsLink } from './records-link';

/** Column order of the screens and files (UI.md): local, domestic, international, internal, special. */
export const COLUMN_CALL_TYPES: readonly StatsCallType[] = ['local', 'domestic', 'international', 'internal', 'special'];

interface ColumnOptions {
  kind: StatsKind;
  t: TFunction;
  f: Formatters;
  table: StatsTable | undefined;
  /** The period as sent (ISO), for drill-down links. */
  from: string;
  to: string;
}

const numeric = { textAlign: 'right' as const, noWrap: true, sortable: true };

function figureColumns(scope: 'total' | StatsCallType, o: ColumnOptions, totals: StatsFigures | undefined): DataTableColumn<StatsRow>[] {
  const { t, f, kind } = o;
  const pick = (r: StatsRow) => (scope === 'total' ? r.total : r.byType[scope]);
  const link = (r: StatsRow) =>
    recordsLink({ kind, accountId: r.id, enterpriseId: r.enterpriseId, from: o.from, to: o.to, ...(scope === 'total' ? {} : { callType: scope }) });
  return [
    {
      accessor: `${scope}.calls`,
      title: t('statistics:columns.calls'),
      ...numeric,
      render: (r) =>
        pick(r).calls > 0 ? (
          <Anchor component={Link} to={link(r)} size="sm" title={t('statistics:drillDown')}>
            {f.number(pick(r).calls)}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            0
          </Text>
        ),
      footer: totals ? <Text fw={600} size="sm">{f.number(totals.calls)}</Text> : null,
    },
    {
      accessor: `${scope}.seconds`,
      title: t('statistics:columns.duration'),
      ...numeric,
      render: (r) => <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>{f.duration(pick(r).seconds)}</Text>,
      footer: totals ? <Text fw={600} size="sm">{f.duration(totals.seconds)}</Text> : null,
    },
    {
      accessor: `${scope}.amount`,
      title: t('statistics:columns.amount'),
      ...numeric,
      render: (r) => <MoneyText amount={pick(r).amount} size="sm" />,
      footer: totals ? <MoneyText amount={totals.amount} size="sm" fw={600} /> : null,
    },
  ];
}

export function statsColumnGroups(o: ColumnOptions): DataTableColumnGroup<StatsRow>[] {
  const { t, kind, table } = o;
  const account: DataTableColumn<StatsRow>[] = [
    {
      accessor: 'name',
      title: t(`statistics:columns.name.${kind}`),
      sortable: true,
      noWrap: true,
      render: (r) => (
        <Anchor component={Link} to={recordsLink({ kind, accountId: r.id, enterpriseId: r.enterpriseId, from: o.from, to: o.to })} size="sm" title={t('statistics:drillDown')}>
          {r.name}
        </Anchor>
      ),
      footer: <Text fw={600} size="sm">{t('statistics:totals')}</Text>,
    },
    ...(kind === 'enterprise' ? [] : [{ accessor: 'enterpriseName', title: t('statistics:columns.enterprise'), render: (r: StatsRow) => <Text size="sm">{r.enterpriseName}</Text> }]),
  ];
  return [
    { id: 'account', title: '', columns: account },
    ...COLUMN_CALL_TYPES.map((type) => ({
      id: type,
      title: t(`rating:callTypes.${type}`),
      columns: figureColumns(type, o, table?.totals.byType[type]),
    })),
    { id: 'total', title: t('statistics:columns.total'), columns: figureColumns('total', o, table?.totals.total) },
  ];
}
