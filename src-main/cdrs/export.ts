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
  startAt: number,
  duration: number,
  billsec: number,
  caller: string,
  callerName: string,
  callee: string,
  normalized: string | null,
  region: string | null,
  cost: number | null,
  /** Disposition, status and call type ('' for none), joined by SEPARATOR. */
  kinds: string,
  /** Ids of the device, enterprise, user, gateway and rate ('' for none), joined by SEPARATOR. */
  refs: string,
];

/** Unit separator (char 31): in none of the enumerated values nor in an id. */
const SEPARATOR = '\u001f';

/**
 * better-sqlite3 spends about 0.2 µs on each value it hands over, a third of an export's time at 18 columns. The
 * enumerated columns and the ids of names come in few combinations, so each group is read as one text, resolved
 * once per combination (KindsCache, RefsCache).
 */
const EXPORT_COLUMNS =
  'id, start_at, duration, billsec, caller, caller_name, callee, normalized, region, cost, ' +
  "disposition || char(31) || status || char(31) || ifnull(call_type, '') AS kinds, " +
  "device_id || char(31) || ifnull(enterprise_id, '') || char(31) || ifnull(user_account_id, '') || char(31) || " +
  "ifnull(gateway_id, '') || char(31) || ifnull(rate_id, '') AS refs";

/** Past this many combinations a cache starts again (memory stays bounded whatever the data). */
const MAX_COMBINATIONS = 100_000;

/** A `kinds` text as the clerk reads it: labels of the disposition, status and call type. */
interface Kinds {
  disposition: string;
  status: string;
  callType: string | null;
  /** Only a rated CDR shows its cost. */
  rated: boolean;
}

class KindsCache {
  private readonly known = new Map<string, Kinds>();
  private readonly labels: Map<string, string>;

  constructor(labels: CdrExportLabels['values']) {
    // A Map: texts read from the database are new strings each row, which a Map finds faster than an object does.
    this.labels = new Map(Object.entries(labels));
  }

  of(text: string): Kinds {
    let kinds = this.known.get(text);
    if (kinds === undefined) {
      const [disposition = '', status = '', callType = ''] = text.split(SEPARATOR);
      const label = (value: string) => this.labels.get(value) ?? value;
      kinds = { disposition: label(disposition), status: label(status), callType: callType === '' ? null : label(callType), rated: status === 'rated' };
      if (this.known.size >= MAX_COMBINATIONS) this.known.clear();
      this.known.set(text, kinds);
    }
    return kinds;
  }
}

/** A `refs` text as names: the device, enterprise, user, gateway and rate. */
interface Refs {
  device: string;
  enterprise: string | null;
  user: string | null;
  gateway: string | null;
  rate: string | null;
}

class RefsCache {
  private readonly known = new Map<string, Refs>();

  constructor(private readonly names: NameCache) {}

  of(text: string): Refs {
    let refs = this.known.get(text);
    if (refs === undefined) {
      const [device, enterprise, user, gateway, rate] = text.split(SEPARATOR).map((id) => (id === '' ? null : Number(id)));
      const { names } = this;
      refs = {
        device: names.device(device ?? 0),
        enterprise: names.account(enterprise ?? null),
        user: names.account(user ?? null),
        gateway: names.account(gateway ?? null),
        rate: names.rate(rate ?? null),
      };
      if (this.known.size >= MAX_COMBINATIONS) this.known.clear();
      this.known.set(text, refs);
    }
    return refs;
  }
}

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

/** Writes CDRs as rows of the sheet columns (columnsOf) and adds them to the sums; one values array serves every row (sinks do not keep it). */
class CdrRowWriter {
  private readonly values: SinkValue[] = new Array<SinkValue>(17).fill(null);
  private readonly kinds: KindsCache;
  private readonly refs: RefsCache;

  constructor(
    private readonly sink: ExportSink,
    names: NameCache,
    labels: CdrExportLabels['values'],
    private readonly totals: DayTotals,
  ) {
    this.kinds = new KindsCache(labels);
    this.refs = new RefsCache(names);
  }

  write(r: ExportCdr): void {
    const { values } = this;
    const startAt = r[1];
    const duration = r[2];
    const billsec = r[3];
    const kinds = this.kinds.of(r[10]);
    const refs = this.refs.of(r[11]);
    this.totals.beforeRow(startAt);
    const cost = kinds.rated ? r[9] : null;
    values[0] = startAt;
    values[1] = refs.device;
    values[2] = r[4];
    values[3] = r[5];
    values[4] = r[6];
    values[5] = r[7];
    values[6] = kinds.callType;
    values[7] = r[8];
    values[8] = kinds.disposition;
    values[9] = duration;
    values[10] = billsec;
    values[11] = refs.enterprise;
    values[12] = refs.user;
    values[13] = refs.gateway;
    values[14] = refs.rate;
    values[15] = kinds.status;
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
    top ??= chunk[0]![1];
    for (const r of chunk) rows.write(r);
    written.rows += chunk.length;
    const last = chunk[chunk.length - 1]!;
    after = [last[1], last[0]];
    job.progress(written.rows, top > bottom ? (top - last[1]) / (top - bottom) : 0);
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
