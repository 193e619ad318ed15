/**
 * `exports.cdrs`: the CDRs of a filter as .xlsx or .csv, read in keyset chunks (never the whole result in memory),
 * latest first like the records page, with a subtotal under each day (in the export's zone) and a total at the end.
 * Progress goes to the exporting session; `exports.cancel` stops it between chunks and the file is removed.
 */
import fs from 'node:fs';
import type { CdrFilter } from '../../src-shared/api/cdrs';
import type { DownloadTicket } from '../../src-shared/api/downloads';
import { formatMoney } from '../../src-shared/domain/money';
import type { CallContext } from '../api/call-context';
import { CSV_TYPE, XLSX_TYPE } from '../exports/table-export';
import type { Sqlite } from '../db/connection';
import type { DownloadRegistry } from '../downloads/registry';
import type { CdrPosition } from './cdr-query';
import type { ExportJob, ExportJobs } from './export-jobs';
import { cdrExportLabels, type CdrExportLabels, type ExportLanguage } from './export-labels';
import { openCsvSink, openXlsxSink, type ExportSink, type SinkColumn, type SinkValue, type Sums } from './export-sinks';
import { dayText, NameCache, ZoneClock } from './export-values';
import { cdrChunkReader, oldestCdrStart, planCdrQuery } from './repository';
import { checkFilter } from './search';

export interface CdrExportQuery extends CdrFilter {
  format: 'xlsx' | 'csv';
  timeZone: string;
  language: ExportLanguage;
  exportId?: string;
  rowsPerSheet?: number;
}

/**
 * Rows read from the database per chunk; between chunks the event loop turns and the file catches up. Small enough
 * that the zip's deflate on the thread pool is handed its next batch soon after it finishes the last.
 */
export const EXPORT_CHUNK_ROWS = 1000;

/** A CDR as the export reads it: the columns of EXPORT_COLUMNS, in that order (raw rows). */
type ExportCdr = [
  id: number,
  deviceId: number,
  startAt: number,
  duration: number,
  billsec: number,
  caller: string,
  callerName: string,
  callee: string,
  normalized: string | null,
  callType: string | null,
  region: string | null,
  disposition: string,
  status: string,
  cost: number | null,
  rateId: number | null,
  enterpriseId: number | null,
  userAccountId: number | null,
  gatewayId: number | null,
];

const EXPORT_COLUMNS =
  'id, device_id, start_at, duration, billsec, caller, caller_name, callee, normalized, call_type, region, disposition, ' +
  'status, cost, rate_id, enterprise_id, user_account_id, gateway_id';

function columnsOf(l: CdrExportLabels): SinkColumn[] {
  const c = l.columns;
  return [
    { header: c.start, kind: 'time', width: 20 },
    { header: c.device, kind: 'text', width: 16 },
    { header: c.caller, kind: 'text', width: 14 },
    { header: c.callerName, kind: 'text', width: 16 },
    { header: c.callee, kind: 'text', width: 18 },
    { header: c.normalized, kind: 'text', width: 18 },
    { header: c.callType, kind: 'text', width: 12 },
    { header: c.region, kind: 'text', width: 12 },
    { header: c.disposition, kind: 'text', width: 12 },
    { header: c.duration, kind: 'duration', width: 10 },
    { header: c.billsec, kind: 'duration', width: 10 },
    { header: c.enterprise, kind: 'text', width: 20 },
    { header: c.user, kind: 'text', width: 16 },
    { header: c.gateway, kind: 'text', width: 16 },
    { header: c.rate, kind: 'text', width: 14 },
    { header: c.status, kind: 'text', width: 10 },
    { header: c.cost, kind: 'money', width: 12 },
  ];
}
const SUM_COLUMNS = { duration: 9, billsec: 10, cost: 16 };

/** The filters as a clerk reads them, with names instead of ids. */
function filterText(q: CdrFilter, l: CdrExportLabels, names: NameCache): string {
  const parts: string[] = [];
  const add = (key: string, value: string) => parts.push(`${l.filters[key]}: ${value}`);
  if (q.deviceId !== undefined) add('deviceId', names.device(q.deviceId));
  if (q.enterpriseId !== undefined) add('enterpriseId', names.account(q.enterpriseId) ?? '');
  if (q.userAccountId !== undefined) add('userAccountId', names.account(q.userAccountId) ?? '');
  if (q.gatewayId !== undefined) add('gatewayId', names.account(q.gatewayId) ?? '');
  if (q.caller !== undefined) add('caller', q.caller);
  if (q.callee !== undefined) add('callee', q.callee);
  if (q.callType !== undefined) add('callType', l.values[q.callType] ?? q.callType);
  if (q.disposition !== undefined) add('disposition', l.values[q.disposition] ?? q.disposition);
  if (q.status !== undefined) add('status', l.values[q.status] ?? q.status);
  if (q.costMin !== undefined) add('costMin', formatMoney(q.costMin));
  if (q.costMax !== undefined) add('costMax', formatMoney(q.costMax));
  return parts.length ? parts.join('; ') : l.block.none;
}

function headerBlock(s: { now(): number }, ctx: CallContext, q: CdrExportQuery, l: CdrExportLabels, clock: ZoneClock, names: NameCache): [string, string][] {
  const b = l.block;
  const at = (ms: number) => clock.wallClockText(ms);
  const period =
    q.from === undefined && q.to === undefined
      ? b.all
      : `${q.from !== undefined ? at(q.from) : b.start} ${b.to} ${q.to !== undefined ? at(q.to) : b.now} ${b.endExcluded}`;
  return [
    [b.period, period],
    [b.timeZone, q.timeZone],
    [b.filters, filterText(q, l, names)],
    [b.exportedBy, ctx.user?.username ?? ''],
    [b.exportedAt, at(s.now())],
  ];
}

const emptySums = (): Sums => ({ calls: 0, duration: 0, billsec: 0, cost: 0 });

/** A subtotal under each day of the export's zone and the total at the end, kept as the rows go by (latest first). */
class DayTotals {
  private readonly total = emptySums();
  private day = emptySums();
  private currentDay: number | null = null;

  constructor(
    private readonly sink: ExportSink,
    private readonly labels: CdrExportLabels,
    private readonly clock: ZoneClock,
  ) {}

  /** Before a row of `startAt`: the previous day's subtotal when this row starts another day. */
  beforeRow(startAt: number): void {
    const dayNumber = this.clock.dayNumber(startAt);
    if (this.currentDay !== null && dayNumber !== this.currentDay) {
      this.sink.sumRow(this.labels.subtotal(dayText(this.currentDay), this.day.calls), this.day);
      this.day = emptySums();
    }
    this.currentDay = dayNumber;
  }

  add(duration: number, billsec: number, cost: number | null): void {
    const { day, total } = this;
    day.calls++, total.calls++;
    day.duration += duration, total.duration += duration;
    day.billsec += billsec, total.billsec += billsec;
    if (cost !== null) day.cost += cost, total.cost += cost;
  }

  /** The last day's subtotal and the total. */
  finish(): void {
    if (this.currentDay !== null) this.sink.sumRow(this.labels.subtotal(dayText(this.currentDay), this.day.calls), this.day);
    this.sink.sumRow(this.labels.total(this.total.calls), this.total);
  }
}

/**
 * Writes CDRs as rows of EXPORT_COLUMNS' sheet columns (columnsOf) and adds them to the sums. One values array serves
 * every row (sinks do not keep it), and the labels of stored values are looked up in a Map: strings read from the
 * database are new each row, and a Map finds them faster than an object's properties do.
 */
class CdrRowWriter {
  private readonly values: SinkValue[] = new Array<SinkValue>(17).fill(null);
  private readonly labels: Map<string, string>;

  constructor(
    private readonly sink: ExportSink,
    private readonly names: NameCache,
    labels: CdrExportLabels['values'],
    private readonly totals: DayTotals,
  ) {
    this.labels = new Map(Object.entries(labels));
  }

  private label(value: string): string {
    return this.labels.get(value) ?? value;
  }

  write(r: ExportCdr): void {
    // By index rather than destructured: array destructuring goes through the iterator protocol, per row.
    const { names, values } = this;
    const startAt = r[2];
    const duration = r[3];
    const billsec = r[4];
    const callType = r[9];
    const status = r[12];
    this.totals.beforeRow(startAt);
    const cost = status === 'rated' ? r[13] : null;
    values[0] = startAt;
    values[1] = names.device(r[1]);
    values[2] = r[5];
    values[3] = r[6];
    values[4] = r[7];
    values[5] = r[8];
    values[6] = callType === null ? null : this.label(callType);
    values[7] = r[10];
    values[8] = this.label(r[11]);
    values[9] = duration;
    values[10] = billsec;
    values[11] = names.account(r[15]);
    values[12] = names.account(r[16]);
    values[13] = names.account(r[17]);
    values[14] = names.rate(r[14]);
    values[15] = this.label(status);
    values[16] = cost;
    this.sink.row(values);
    this.totals.add(duration, billsec, cost);
  }
}

/**
 * Reads the plan's CDRs chunk by chunk into the sink, with progress and cancelling between chunks. `written.rows`
 * counts the rows as they go, so a failed or cancelled export reports how far it got.
 */
async function writeCdrs(
  db: Sqlite,
  q: CdrExportQuery,
  out: { sink: ExportSink; job: ExportJob; names: NameCache; labels: CdrExportLabels; clock: ZoneClock },
  written: { rows: number },
): Promise<void> {
  const { sink, job, names, labels } = out;
  const read = cdrChunkReader<ExportCdr>(db, planCdrQuery(db, q), EXPORT_COLUMNS, true);
  // Progress by how far the export has gone back in time: cheap, and close to the share of rows written.
  const bottom = q.from ?? oldestCdrStart(db) ?? 0;
  const totals = new DayTotals(sink, labels, out.clock);
  const rows = new CdrRowWriter(sink, names, labels.values, totals);
  let top: number | null = null;
  let after: CdrPosition | undefined;
  for (;;) {
    job.throwIfCancelled();
    const chunk = read(EXPORT_CHUNK_ROWS, after);
    if (chunk.length === 0) break;
    top ??= chunk[0]![2];
    for (const r of chunk) rows.write(r);
    written.rows += chunk.length;
    const last = chunk[chunk.length - 1]!;
    after = [last[2], last[0]];
    job.progress(written.rows, top > bottom ? (top - last[2]) / (top - bottom) : 0);
    await sink.drain();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  totals.finish();
}

/** What `exports.cdrs` uses: the CDRs, the running exports (progress, cancel) and the download tickets. */
export interface CdrExportDeps {
  db: Sqlite;
  exportJobs: ExportJobs;
  downloads: DownloadRegistry;
  now(): number;
}

export async function exportCdrs(s: CdrExportDeps, q: CdrExportQuery, ctx: CallContext): Promise<DownloadTicket> {
  checkFilter(q);
  const job = s.exportJobs.start('cdrs', q.exportId, ctx);
  const labels = cdrExportLabels(q.language);
  const clock = new ZoneClock(q.timeZone);
  const names = new NameCache(s.db);
  const file = s.downloads.newFile(q.format);
  const written = { rows: 0 };
  let sink: ExportSink | null = null;
  try {
    const spec = {
      file,
      title: labels.title,
      sheetName: labels.sheet,
      headerBlock: headerBlock(s, ctx, q, labels, clock, names),
      columns: columnsOf(labels),
      clock,
      sumColumns: SUM_COLUMNS,
      ...(q.rowsPerSheet ? { rowsPerSheet: q.rowsPerSheet } : {}),
    };
    sink = q.format === 'xlsx' ? openXlsxSink(spec) : openCsvSink(spec);
    await writeCdrs(s.db, q, { sink, job, names, labels, clock }, written);
    await sink.close();
    sink = null;
    const { rows } = written;
    job.finish({ state: 'done', rows });
    return s.downloads.offer({
      file,
      fileName: `cdrs-${clock.wallClockText(s.now()).replace(/[-:]/g, '').replace(' ', '-')}.${q.format}`,
      contentType: q.format === 'xlsx' ? XLSX_TYPE : CSV_TYPE,
      owner: ctx,
      rows,
    });
  } catch (err) {
    const cancelled = (err as { details?: { cancelled?: boolean } }).details?.cancelled === true;
    job.finish({ state: cancelled ? 'cancelled' : 'failed', rows: written.rows, ...(cancelled ? {} : { message: (err as Error).message }) });
    if (sink) await sink.close().catch(() => undefined);
    fs.rm(file, { force: true }, () => undefined);
    throw err;
  }
}
