/**
 * `exports.stats`: a statistics view as .xlsx or .csv through writeTableExport (header block, headings, one row per
 * account, a totals row), offered as a download ticket. Money cells are numbers shown with 2 decimals; durations are
 * h:mm:ss.
 */
import type { DownloadTicket } from '../../src-shared/api/downloads';
import type { StatsCallType, StatsKind, StatsSort } from '../../src-shared/api/statistics';
import type { CallContext } from '../api/call-context';
import type { Sqlite } from '../db/connection';
import type { DownloadRegistry } from '../downloads/registry';
import { CSV_TYPE, XLSX_TYPE, writeTableExport, type ExportColumn } from '../exports/table-export';
import { formatWallClock } from '../exports/wall-clock';
import { hms, statsExportLabels, type ExportLanguage, type StatsExportLabels } from './export-labels';
import type { Figures } from './figures';
import { accountName } from './repository';
import type { StatisticsService } from './service';
import { statsTable, type BuiltRow } from './tables';

/** What a statistics export uses: the figures, the rollups' state, the download it is offered as and the clock. */
export interface StatsExportDeps {
  db: Sqlite;
  statistics: StatisticsService;
  downloads: DownloadRegistry;
  now(): number;
}

/** Column order of the screens and files (UI.md): local, domestic, international, internal, special. */
export const COLUMN_CALL_TYPES: readonly StatsCallType[] = ['local', 'domestic', 'international', 'internal', 'special'];

export interface StatsExportQuery {
  kind: StatsKind;
  from: number;
  to: number;
  timeZone: string;
  enterpriseId?: number;
  sort: StatsSort;
  order: 'asc' | 'desc';
  format: 'xlsx' | 'csv';
  language: ExportLanguage;
  /** Rows per sheet (tests lower it to see sheets continue). */
  maxRowsPerSheet?: number;
}

/** The totals row is a BuiltRow without an account. */
type ExportRow = Pick<BuiltRow, 'name' | 'enterpriseName' | 'byType' | 'total'>;

function columns(kind: StatsKind, l: StatsExportLabels): ExportColumn<ExportRow>[] {
  const figureColumns = (label: string, pick: (r: ExportRow) => Figures, withAnswered: boolean): ExportColumn<ExportRow>[] => [
    { header: `${label} ${l.columns.calls}`, kind: 'integer', width: 10, value: (r) => pick(r).calls },
    ...(withAnswered ? [{ header: `${label} ${l.columns.answered}`, kind: 'integer' as const, width: 10, value: (r: ExportRow) => pick(r).answered }] : []),
    { header: `${label} ${l.columns.duration}`, width: 12, value: (r) => hms(pick(r).seconds) },
    ...(withAnswered ? [{ header: `${label} ${l.columns.billed}`, width: 12, value: (r: ExportRow) => hms(pick(r).billedSeconds) }] : []),
    { header: `${label} ${l.columns.amount}`, kind: 'money', width: 12, value: (r) => pick(r).amount },
  ];
  return [
    ...(kind === 'enterprise' ? [] : [{ header: l.columns.enterprise, width: 24, value: (r: ExportRow) => r.enterpriseName }]),
    { header: l.columns.name[kind], width: 24, value: (r) => r.name },
    ...COLUMN_CALL_TYPES.flatMap((t) => figureColumns(l.callTypes[t], (r) => r.byType[t], false)),
    ...figureColumns(l.total, (r) => r.total, true),
  ];
}

export async function exportStats(s: StatsExportDeps, q: StatsExportQuery, ctx: CallContext): Promise<DownloadTicket> {
  const l = statsExportLabels(q.language);
  const { table, rows } = statsTable(s.db, s.statistics.rollups.current, q.kind, { ...q, limit: Number.MAX_SAFE_INTEGER });
  const at = (ms: number) => formatWallClock(ms, q.timeZone);
  const filters: string[] = [];
  if (q.enterpriseId !== undefined) {
    const name = accountName(s.db, q.enterpriseId);
    filters.push(`${l.filters.enterprise}: ${name ?? `#${q.enterpriseId}`}`);
  }
  filters.push(`${l.filters.sort}: ${q.sort} ${q.order}`);
  const source = l.source[table.source.kind] + (table.source.incomplete ? ` (${l.source.incomplete})` : '');
  const totals: ExportRow = {
    name: l.totals,
    enterpriseName: '',
    byType: Object.fromEntries(COLUMN_CALL_TYPES.map((t) => [t, sumOf(rows, (r) => r.byType[t])])) as BuiltRow['byType'],
    total: sumOf(rows, (r) => r.total),
  };
  const file = s.downloads.newFile(q.format);
  const result = await writeTableExport<ExportRow>(
    {
      format: q.format,
      file,
      sheetName: l.title[q.kind],
      title: l.title[q.kind],
      headerBlock: [
        [l.block.period, `${at(q.from)} ${l.block.to} ${at(q.to)}`],
        [l.block.timeZone, q.timeZone],
        [l.block.filters, filters.join('; ')],
        [l.block.source, source],
        [l.block.exportedBy, ctx.user?.username ?? ''],
        [l.block.exportedAt, at(s.now())],
      ],
      columns: columns(q.kind, l),
      timeZone: q.timeZone,
      ...(q.maxRowsPerSheet ? { maxRowsPerSheet: q.maxRowsPerSheet } : {}),
    },
    batchesOf([...rows, totals], 1000),
  );
  const stamp = formatWallClock(s.now(), q.timeZone).replace(/[-:]/g, '').replace(' ', '-');
  return s.downloads.offer({
    file,
    fileName: `${q.kind}-statistics-${stamp}.${q.format}`,
    contentType: q.format === 'xlsx' ? XLSX_TYPE : CSV_TYPE,
    owner: ctx,
    // Data rows: the accounts (the totals row is not one).
    rows: result.rows - 1,
  });
}

function sumOf(rows: BuiltRow[], pick: (r: BuiltRow) => Figures): Figures {
  const out: Figures = { calls: 0, answered: 0, seconds: 0, billedSeconds: 0, amount: 0 };
  for (const r of rows) {
    const f = pick(r);
    out.calls += f.calls;
    out.answered += f.answered;
    out.seconds += f.seconds;
    out.billedSeconds += f.billedSeconds;
    out.amount += f.amount;
  }
  return out;
}

function* batchesOf<T>(items: T[], size: number): Iterable<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
