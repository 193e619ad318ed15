/**
 * Where every transport (TCP, HTTP push, SFTP pollers, manual import) puts what its parser produced: new CDRs,
 * unreadable records with their reason, and the day's counts, in one transaction per batch. The unique
 * (device, dedup key) makes a re-sent or re-read record a counted duplicate instead of a second call; a re-sent
 * unreadable record is kept once too (unique device + hash of the raw text).
 *
 * One write per call: charging (`setCharger`) prices each new CDR before it is stored, so the CDR is inserted once with
 * its rated columns (or as unrated with its reason) and its ledger entry follows in the same transaction: "rated CDR +
 * ledger entry + balance" commit together with the CDR itself, or not at all. Only a record that is a leg of a call
 * reported in several records is stored pending first and charged by id once linked (call-legs.ts), and so is every
 * CDR stored while the rating data is still loading. Other processors (`addProcessor`) run in the same transaction
 * with the ids of the CDRs the batch stored.
 *
 * Hot path: every record of every transport passes through storeBatch, so its statements are prepared once here,
 * beside the loop that runs them per CDR and per reject, inside the batch's one transaction.
 */
import { hash } from 'node:crypto';
import type { CdrParseResult, CdrReject, NormalizedCdr } from '../../src-shared/domain/cdr';
import type { IngestCounts, IngestSourceKind } from '../../src-shared/api/ingest';
import type { Sqlite } from '../db/connection';
import type { CdrsRow } from '../db/rows';
import { CallLegLinker } from './call-legs';
import type { IngestStatus } from './status';
import { localDay } from './local-day';
import { rejectProblem } from './reject-reasons';

/** How many of a batch's CDRs the processors left in one status. */
type StatusCount = Pick<CdrsRow, 'status'> & { n: number };

/** Where records came from: `name` is the connection id and remote address, the file path, or the file name. */
export interface IngestSource {
  kind: 'tcp' | 'http' | 'sftp' | 'import';
  name: string;
  /**
   * Header line(s) of the file (for header-mapped layouts: CUCM, generic CSV with a header, 3CX with a header),
   * kept with its rejects so that a reprocess reads them with the same columns.
   */
  context?: string;
}

export interface StoreBatchResult extends IngestCounts {
  /** Ids of the CDRs this batch stored, in input order. */
  newIds: number[];
  /** Id of each reject row (new, or the one already stored for the same raw record), in input order. */
  rejectIds: number[];
  /** Of the duplicates: unreadable records already kept as rejects (a file imported again meets its rejects again). */
  knownRejects: number;
  /** Of the new CDRs: rated / left unrated by the processors (0 while no processor is installed). */
  rated: number;
  unrated: number;
}

export interface StoreOptions {
  /** When the records were received (reprocessing keeps the original time). Default: now. */
  receivedAt?: number;
  /** Add to the day's received counts and the live status. Default true; false when re-reading stored rejects. */
  countDaily?: boolean;
}

/** Runs inside the batch's transaction with the ids of the CDRs it stored; throwing rolls the whole batch back. */
export type CdrProcessor = (newIds: number[]) => void;

/** The columns charging fills: a CDR is inserted with them set, or 'pending' with the others NULL. */
export const RATED_COLUMNS = [
  'status', 'status_reason', 'call_type', 'normalized', 'rating_number', 'area_code', 'region', 'country', 'rate_id',
  'rate_group_id', 'billed_seconds', 'cost', 'account_id', 'enterprise_id', 'user_account_id', 'gateway_id', 'rated_at',
] as const;

const PENDING_VALUES: readonly unknown[] = RATED_COLUMNS.map((c) => (c === 'status' ? 'pending' : null));

/** A new CDR priced before it is stored. */
export interface PricedCdr {
  /** The values of RATED_COLUMNS, in that order. */
  values: readonly unknown[];
  rated: boolean;
  /** Posts its charge and counts it, once it is stored under `id` (nothing for an unrated CDR). */
  book(id: number): void;
}

/** Charging as the store uses it (charging/charging.ts). */
export interface CdrCharger {
  /** Runs `fn` with a function pricing a new CDR (null: store it pending), inside the batch's transaction. */
  priceBatch<T>(at: number, fn: (price: (deviceId: number, cdr: NormalizedCdr) => PricedCdr | null) => T): T;
  /** Charges CDRs stored pending (legs once linked), by id, as of `at`. */
  process(ids: readonly number[], at: number): void;
}

const CDR_COLUMNS = [
  'device_id', 'dedup_key', 'native_id', 'format', 'start_at', 'answer_at', 'end_at', 'duration', 'billsec', 'caller',
  'caller_name', 'callee', 'original_callee', 'final_callee', 'direction', 'trunk_in', 'trunk_out', 'disposition', 'cause',
  'account_code', 'pin', 'raw', 'joined_records', 'source_kind', 'source_name', 'source_line', 'source_offset',
  'source_index', 'received_at', 'leg_role', 'leg_call_id', 'leg_billed', 'leg_other_id',
] as const;

const REJECT_COLUMNS = [
  'device_id', 'raw_key', 'received_at', 'source_kind', 'source_name', 'source_line', 'source_offset', 'source_index',
  'raw', 'raw_complete', 'context', 'reason', 'reason_key', 'reason_params',
] as const;

const insertSql = (table: string, columns: readonly string[], conflict: string) =>
  `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (${conflict}) DO NOTHING`;

/** The reject reasons of records whose raw text is only their start (see adapters/lines.ts, parse-stream.ts). */
const TRUNCATED_REASON = /bytes accepted; only its start is kept$|^body is \d+ bytes, more than the \d+ bytes accepted$/;

function tooOldReason(startMs: number, horizon: number): string {
  return (
    `the call started ${new Date(startMs).toISOString()}, before ${new Date(horizon).toISOString()}: CDRs of that time ` +
    'were archived and purged (retention), so it is not stored as a call again (it may be in an archive already)'
  );
}

/** Whether a reject keeps its whole record (false: a line or body over the size cap, kept cut). */
export function isCompleteReject(reject: CdrReject): boolean {
  return !TRUNCATED_REASON.test(reject.reason.replace(/^(line \d+(, record \d+)?|record \d+): /, ''));
}

/** The key that keeps a re-sent unreadable record once per device. */
export function rejectKey(reject: Pick<CdrReject, 'raw' | 'reason'>): string {
  return hash('sha256', reject.raw === '' ? `\u0000${reject.reason}` : reject.raw, 'hex');
}

export class CdrStore {
  private readonly processors: CdrProcessor[] = [];
  private charger: CdrCharger | null = null;
  private readonly insertCdr;
  private readonly insertReject;
  private readonly findReject;
  private readonly findCdr;
  private readonly addDaily;
  private readonly countStatuses;
  private readonly storeInTransaction;
  private readonly legs: CallLegLinker;
  private readonly cdrRow: unknown[] = new Array(CDR_COLUMNS.length + RATED_COLUMNS.length);
  /**
   * CDRs that started before this instant were archived and purged by retention. A late or re-sent one would no
   * longer meet its stored twin (the dedup key is gone with it) and would be charged a second time: it is kept as a
   * reject instead, with the reason.
   */
  private retentionHorizon = -Infinity;

  constructor(
    db: Sqlite,
    private readonly now: () => number,
    private readonly status?: IngestStatus,
  ) {
    this.insertCdr = db.prepare(insertSql('cdrs', [...CDR_COLUMNS, ...RATED_COLUMNS], 'device_id, dedup_key'));
    this.insertReject = db.prepare(insertSql('cdr_rejects', REJECT_COLUMNS, 'device_id, raw_key'));
    this.findReject = db.prepare('SELECT id FROM cdr_rejects WHERE device_id = ? AND raw_key = ?').pluck();
    this.findCdr = db.prepare('SELECT id FROM cdrs WHERE device_id = ? AND dedup_key = ?').pluck();
    this.addDaily = db.prepare(
      `INSERT INTO ingest_daily (device_id, day, received, stored, duplicates, rejected, skipped, last_received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (device_id, day) DO UPDATE SET
         received = received + excluded.received, stored = stored + excluded.stored,
         duplicates = duplicates + excluded.duplicates, rejected = rejected + excluded.rejected,
         skipped = skipped + excluded.skipped, last_received_at = max(last_received_at, excluded.last_received_at)`,
    );
    this.countStatuses = db.prepare(
      "SELECT status, COUNT(*) AS n FROM cdrs WHERE id BETWEEN ? AND ? AND status <> 'pending' GROUP BY status",
    );
    this.legs = new CallLegLinker(db);
    this.storeInTransaction = db.transaction(
      (deviceId: number, source: IngestSource, batch: CdrParseResult, at: number, countDaily: boolean): StoreBatchResult =>
        this.write(deviceId, source, batch, at, countDaily),
    );
  }

  /** Installs charging: new CDRs are priced before they are stored. Returns a function that removes it. */
  setCharger(charger: CdrCharger): () => void {
    this.charger = charger;
    return () => {
      if (this.charger === charger) this.charger = null;
    };
  }

  /** Adds a processor run with the ids of each batch's new CDRs; returns a function that removes it. */
  addProcessor(fn: CdrProcessor): () => void {
    this.processors.push(fn);
    return () => {
      const i = this.processors.indexOf(fn);
      if (i >= 0) this.processors.splice(i, 1);
    };
  }

  /**
   * Stores one parsed batch of a device in one transaction (a savepoint when the caller already opened one, e.g.
   * a poller that records its file progress with the records). Duplicates are counted, not stored, not errors.
   * Throws (and stores nothing of the batch) when the database or a processor fails.
   */
  storeBatch(deviceId: number, source: IngestSource, batch: CdrParseResult, options: StoreOptions = {}): StoreBatchResult {
    const at = options.receivedAt ?? this.now();
    const result = this.storeInTransaction(deviceId, source, batch, at, options.countDaily ?? true);
    if (options.countDaily ?? true) this.status?.recorded(deviceId, result, at);
    return result;
  }

  /** Sets the purge horizon of the retention job (null: nothing was ever purged). */
  setRetentionHorizon(startedBefore: number | null): void {
    this.retentionHorizon = startedBefore ?? -Infinity;
  }

  /** Why a call that started at `startMs` is no longer stored (older than the purged past), or null. */
  tooOldToStore(startMs: number): string | null {
    return startMs < this.retentionHorizon ? tooOldReason(startMs, this.retentionHorizon) : null;
  }

  /** The id of the CDR a device already has under `dedupKey` (what a duplicate duplicates). */
  existingCdrId(deviceId: number, dedupKey: string): number | null {
    return (this.findCdr.get(deviceId, dedupKey) as number | undefined) ?? null;
  }

  /** Inserts each CDR once, priced when it can be; a duplicate (same device and dedup key) is counted, not booked. */
  private insertCdrs(
    deviceId: number,
    source: IngestSource,
    batch: CdrParseResult,
    at: number,
    price: (deviceId: number, cdr: NormalizedCdr) => PricedCdr | null,
  ): InsertedCdrs {
    const out: InsertedCdrs = { newIds: [], pendingIds: [], duplicates: 0, rated: 0, unrated: 0, tooOld: [] };
    const values = this.cdrRow;
    // Charges are booked after the batch's inserts, as one run of ledger writes (the same transaction either way).
    const toBook: { priced: PricedCdr; id: number }[] = [];
    for (const cdr of batch.cdrs) {
      if (cdr.startMs < this.retentionHorizon) {
        out.tooOld.push({ raw: cdr.raw, position: cdr.position, reason: tooOldReason(cdr.startMs, this.retentionHorizon) });
        continue;
      }
      fillCdrValues(values, deviceId, source, cdr, at);
      // A leg is linked first (a linked leg is never charged), then charged by id if it is the billed record.
      const priced = cdr.leg ? null : price(deviceId, cdr);
      const rated = priced ? priced.values : PENDING_VALUES;
      for (let i = 0; i < rated.length; i++) values[CDR_COLUMNS.length + i] = rated[i];
      const r = this.insertCdr.run(values);
      if (r.changes !== 1) {
        out.duplicates++;
        continue;
      }
      const id = Number(r.lastInsertRowid);
      out.newIds.push(id);
      if (cdr.leg) this.legs.arrived(deviceId, id, cdr.leg);
      if (!priced) out.pendingIds.push(id);
      else {
        toBook.push({ priced, id });
        if (priced.rated) out.rated++;
        else out.unrated++;
      }
    }
    for (const { priced, id } of toBook) priced.book(id);
    return out;
  }

  private write(deviceId: number, source: IngestSource, batch: CdrParseResult, at: number, countDaily: boolean): StoreBatchResult {
    const charger = this.charger;
    const cdrs = charger
      ? charger.priceBatch(at, (price) => this.insertCdrs(deviceId, source, batch, at, price))
      : this.insertCdrs(deviceId, source, batch, at, () => null);
    const { newIds, tooOld } = cdrs;
    let duplicates = cdrs.duplicates;
    const rejectIds: number[] = [];
    let rejected = 0;
    let knownRejects = 0;
    for (const reject of tooOld.length ? [...batch.rejects, ...tooOld] : batch.rejects) {
      const key = rejectKey(reject);
      const problem = rejectProblem(reject.reason);
      const r = this.insertReject.run(
        deviceId,
        key,
        at,
        source.kind,
        source.name,
        reject.position.line ?? null,
        reject.position.offset ?? null,
        reject.position.index ?? null,
        reject.raw,
        isCompleteReject(reject) ? 1 : 0,
        source.context ?? null,
        reject.reason,
        problem.key,
        JSON.stringify(problem.params ?? {}),
      );
      if (r.changes === 1) {
        rejected++;
        rejectIds.push(Number(r.lastInsertRowid));
      } else {
        duplicates++;
        knownRejects++;
        rejectIds.push(this.findReject.get(deviceId, key) as number);
      }
    }
    const received = batch.cdrs.length + batch.rejects.length;
    const skipped = batch.skipped.length;
    if (countDaily && received + skipped > 0) {
      this.addDaily.run(deviceId, localDay(at), received, newIds.length, duplicates, rejected, skipped, at);
    }
    let { rated, unrated } = cdrs;
    if (cdrs.pendingIds.length > 0 && charger) charger.process(cdrs.pendingIds, at);
    for (const processor of newIds.length > 0 ? this.processors : []) processor(newIds);
    if (cdrs.pendingIds.length > 0 && charger) {
      // Ids grow within a transaction on this one connection, so the range holds only this batch's CDRs.
      rated = 0;
      unrated = 0;
      for (const row of this.countStatuses.all(newIds[0], newIds[newIds.length - 1]) as StatusCount[]) {
        if (row.status === 'rated') rated = row.n;
        else if (row.status === 'unrated') unrated = row.n;
      }
    }
    return { received, stored: newIds.length, duplicates, rejected, skipped, newIds, rejectIds, knownRejects, rated, unrated };
  }
}

/** What inserting a batch's CDRs did. */
interface InsertedCdrs {
  newIds: number[];
  /** Stored pending, to be charged by id: legs of multi-record calls, or every CDR while rating cannot run. */
  pendingIds: number[];
  duplicates: number;
  rated: number;
  unrated: number;
  /** CDRs older than the purged past, kept as rejects. */
  tooOld: CdrReject[];
}

/** Fills the bind values of one CDR row (in CDR_COLUMNS order) into a reused array: no allocation per record. */
function fillCdrValues(v: unknown[], deviceId: number, source: IngestSource, c: NormalizedCdr, at: number): void {
  v[0] = deviceId;
  v[1] = c.dedupKey;
  v[2] = c.nativeId;
  v[3] = c.format;
  v[4] = c.startMs;
  v[5] = c.answerMs;
  v[6] = c.endMs;
  v[7] = c.duration;
  v[8] = c.billsec;
  v[9] = c.caller;
  v[10] = c.callerName;
  v[11] = c.callee;
  v[12] = c.originalCallee ?? null;
  v[13] = c.finalCallee ?? null;
  v[14] = c.direction;
  v[15] = c.trunkIn ?? null;
  v[16] = c.trunkOut ?? null;
  v[17] = c.disposition;
  v[18] = c.cause ?? null;
  v[19] = c.accountCode ?? null;
  v[20] = c.pin ?? null;
  v[21] = c.raw;
  v[22] = c.joinedRecords ?? 1;
  v[23] = source.kind;
  v[24] = source.name;
  v[25] = c.position.line ?? null;
  v[26] = c.position.offset ?? null;
  v[27] = c.position.index ?? null;
  v[28] = at;
  const leg = c.leg;
  v[29] = leg ? leg.role : null;
  v[30] = leg ? leg.callId : null;
  v[31] = leg ? (leg.billed ? 1 : 0) : null;
  v[32] = leg?.otherLegId ?? null;
}

export type { IngestSourceKind };
