import type { DownloadTicket } from '../../src-shared/api/downloads';
import type { CallContext } from '../api/call-context';
import { CSV_TYPE, XLSX_TYPE, writeTableExport, type ExportColumn } from '../exports/table-export';
import { exportLabels, filtersText, valueMap, type ExportLanguage, type FileLabels } from '../exports/labels';
import { formatWallClock } from '../exports/wall-clock';
import type { Sqlite } from '../db/connection';
import type { DownloadOffers } from '../downloads/registry';
import {
  logBatches,
  selectLoginLog,
  selectOperationLog,
  type LoginLogFilter,
  type LoginLogRow,
  type OperationLogFilter,
  type OperationLogRow,
} from './repository';

/** What the log exports use. */
export interface LogExportDeps {
  db: Sqlite;
  downloads: DownloadOffers;
  now(): number;
}

interface ExportOptions {
  format: 'xlsx' | 'csv';
  timeZone: string;
  /** Headings, header block and values (result, reason) in this language (exports/labels.ts). */
  language?: ExportLanguage;
}

function loginColumns(l: FileLabels): ExportColumn<LoginLogRow>[] {
  const h = l.loginLog.columns;
  const reason = valueMap(l.loginLog.reasons);
  return [
    { header: h.at, kind: 'time', value: (r) => r.at },
    { header: h.user, width: 18, value: (r) => r.username },
    { header: h.result, width: 10, value: (r) => (r.ok ? l.loginLog.results.ok : l.loginLog.results.failed) },
    { header: h.reason, width: 20, value: (r) => reason(r.reason) },
    { header: h.address, width: 18, value: (r) => r.address },
    { header: h.userAgent, width: 50, value: (r) => r.user_agent },
  ];
}

function operationColumns(l: FileLabels): ExportColumn<OperationLogRow>[] {
  const h = l.operationLog.columns;
  return [
    { header: h.at, kind: 'time', value: (r) => r.at },
    { header: h.user, width: 18, value: (r) => (r.actor_name && r.actor_name !== r.username ? `${r.actor_name} (${r.username})` : r.username) },
    { header: h.action, width: 26, value: (r) => r.method },
    // The target's name at the time of the change, then how the engine names it ("Acme (account:3)").
    { header: h.target, width: 24, value: (r) => (r.target_name ? `${r.target_name} (${r.target ?? r.target_kind})` : r.target) },
    { header: h.address, width: 18, value: (r) => r.address },
    { header: h.details, width: 80, value: (r) => [r.changes === '[]' ? null : r.changes, r.summary].filter(Boolean).join('\n') || null },
  ];
}

/** The header block: what the file holds, so a printed or forwarded copy explains itself. */
function headerBlock(s: LogExportDeps, ctx: CallContext, l: FileLabels, q: { from?: number; to?: number; timeZone: string }, filters: string[]): [string, string][] {
  const at = (ms: number) => formatWallClock(ms, q.timeZone);
  const b = l.block;
  const period =
    q.from === undefined && q.to === undefined ? b.all : `${q.from !== undefined ? at(q.from) : b.start} ${b.to} ${q.to !== undefined ? at(q.to) : b.now} ${b.endExcluded}`;
  return [
    [b.period, period],
    [b.timeZone, q.timeZone],
    [b.filters, filtersText(l, filters)],
    [b.exportedBy, ctx.user?.username ?? b.unknownUser],
    [b.exportedAt, at(s.now())],
  ];
}

function fileStamp(s: LogExportDeps, timeZone: string): string {
  return formatWallClock(s.now(), timeZone).replace(/[-:]/g, '').replace(' ', '-');
}

async function exportLog<R extends { at: number; id: number }>(
  s: LogExportDeps,
  ctx: CallContext,
  o: ExportOptions & { from?: number; to?: number },
  kind: { labels: FileLabels; title: string; sheet: string; base: string; columns: ExportColumn<R>[]; filters: string[]; select: (limit: number, after?: [number, number]) => R[] },
): Promise<DownloadTicket> {
  const file = s.downloads.newFile(o.format);
  const result = await writeTableExport(
    {
      format: o.format,
      file,
      sheetName: kind.sheet,
      title: kind.title,
      headerBlock: headerBlock(s, ctx, kind.labels, o, kind.filters),
      columns: kind.columns,
      timeZone: o.timeZone,
    },
    logBatches(kind.select),
  );
  return s.downloads.offer({
    file,
    fileName: `${kind.base}-${fileStamp(s, o.timeZone)}.${o.format}`,
    contentType: o.format === 'xlsx' ? XLSX_TYPE : CSV_TYPE,
    owner: ctx,
    rows: result.rows,
  });
}

export function exportLoginLog(s: LogExportDeps, q: LoginLogFilter & ExportOptions, ctx: CallContext): Promise<DownloadTicket> {
  const l = exportLabels(q.language);
  const f = l.loginLog.filters;
  const filters = [q.user ? f.user(q.user) : '', q.ok === undefined ? '' : f.result(q.ok ? l.loginLog.results.ok : l.loginLog.results.failed)];
  return exportLog(s, ctx, q, {
    labels: l,
    title: l.loginLog.title,
    sheet: l.loginLog.sheet,
    base: 'login-log',
    columns: loginColumns(l),
    filters,
    select: (limit, after) => selectLoginLog(s.db, q, limit, after),
  });
}

export function exportOperationLog(s: LogExportDeps, q: OperationLogFilter & ExportOptions, ctx: CallContext): Promise<DownloadTicket> {
  const l = exportLabels(q.language);
  const f = l.operationLog.filters;
  const filters = [
    q.user ? f.user(q.user) : '',
    q.method ? f.action(q.method) : '',
    q.action ? f.action(q.action) : '',
    q.target ? f.target(q.target) : '',
    q.targetKind ? f.target(`${q.targetKind}:${q.targetId ?? ''}`) : '',
  ];
  return exportLog(s, ctx, q, {
    labels: l,
    title: l.operationLog.title,
    sheet: l.operationLog.sheet,
    base: 'operation-log',
    columns: operationColumns(l),
    filters,
    select: (limit, after) => selectOperationLog(s.db, q, limit, after),
  });
}
