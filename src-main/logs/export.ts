import type { DownloadTicket } from '../../src-shared/api/downloads';
import type { CallContext } from '../api/dispatcher';
import { CSV_TYPE, XLSX_TYPE } from '../exports/downloads';
import { writeTableExport, type ExportColumn } from '../exports/table-export';
import { formatWallClock } from '../exports/wall-clock';
import type { Services } from '../services';
import {
  logBatches,
  selectLoginLog,
  selectOperationLog,
  type LoginLogFilter,
  type LoginLogRow,
  type OperationLogFilter,
  type OperationLogRow,
} from './queries';

interface ExportOptions {
  format: 'xlsx' | 'csv';
  timeZone: string;
}

const loginColumns: ExportColumn<LoginLogRow>[] = [
  { header: 'Time', kind: 'time', value: (r) => r.at },
  { header: 'User', width: 18, value: (r) => r.username },
  { header: 'Result', width: 10, value: (r) => (r.ok ? 'ok' : 'failed') },
  { header: 'Reason', width: 20, value: (r) => r.reason },
  { header: 'Address', width: 18, value: (r) => r.address },
  { header: 'User agent', width: 50, value: (r) => r.user_agent },
];

const operationColumns: ExportColumn<OperationLogRow>[] = [
  { header: 'Time', kind: 'time', value: (r) => r.at },
  { header: 'User', width: 18, value: (r) => r.username },
  { header: 'Action (method)', width: 26, value: (r) => r.method },
  { header: 'Target', width: 24, value: (r) => r.target },
  { header: 'Address', width: 18, value: (r) => r.address },
  { header: 'Details (before/after)', width: 80, value: (r) => r.summary },
];

/** The header block: what the file holds, so a printed or forwarded copy explains itself. */
function headerBlock(s: Services, ctx: CallContext, q: { from?: number; to?: number; timeZone: string }, filters: string[]): [string, string][] {
  const at = (ms: number) => formatWallClock(ms, q.timeZone);
  const period = q.from === undefined && q.to === undefined ? 'all' : `${q.from !== undefined ? at(q.from) : '(start)'} to ${q.to !== undefined ? at(q.to) : '(now)'} (end excluded)`;
  return [
    ['Period', period],
    ['Time zone', q.timeZone],
    ['Filters', filters.length ? filters.join('; ') : 'none'],
    ['Exported by', ctx.user?.username ?? '(unknown)'],
    ['Exported at', at(s.now())],
  ];
}

function fileStamp(s: Services, timeZone: string): string {
  return formatWallClock(s.now(), timeZone).replace(/[-:]/g, '').replace(' ', '-');
}

async function exportLog<R extends { at: number; id: number }>(
  s: Services,
  ctx: CallContext,
  o: ExportOptions & { from?: number; to?: number },
  kind: { title: string; base: string; columns: ExportColumn<R>[]; filters: string[]; select: (limit: number, after?: [number, number]) => R[] },
): Promise<DownloadTicket> {
  const file = s.downloads.newFile(o.format);
  const result = await writeTableExport(
    {
      format: o.format,
      file,
      sheetName: kind.title,
      title: kind.title,
      headerBlock: headerBlock(s, ctx, o, kind.filters),
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

export function exportLoginLog(s: Services, q: LoginLogFilter & ExportOptions, ctx: CallContext): Promise<DownloadTicket> {
  const filters = [...(q.user ? [`user starts with "${q.user}"`] : []), ...(q.ok === undefined ? [] : [`result: ${q.ok ? 'ok' : 'failed'}`])];
  return exportLog(s, ctx, q, {
    title: 'Login log',
    base: 'login-log',
    columns: loginColumns,
    filters,
    select: (limit, after) => selectLoginLog(s.db, q, limit, after),
  });
}

export function exportOperationLog(s: Services, q: OperationLogFilter & ExportOptions, ctx: CallContext): Promise<DownloadTicket> {
  const filters = [
    ...(q.user ? [`user starts with "${q.user}"`] : []),
    ...(q.method ? [`action starts with "${q.method}"`] : []),
    ...(q.target ? [`target starts with "${q.target}"`] : []),
  ];
  return exportLog(s, ctx, q, {
    title: 'Operation log',
    base: 'operation-log',
    columns: operationColumns,
    filters,
    select: (limit, after) => selectOperationLog(s.db, q, limit, after),
  });
}
