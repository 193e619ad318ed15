/**
 * Rejected records: listing (keyset paged, latest first), reprocessing with the device's current settings, and
 * dismissal. A reprocessed record that now reads becomes a CDR through the store (processors included), keeping its
 * original source, position and time received; one that duplicates a stored call points at that call.
 */
import type { CdrRejectRow, RejectStatus, ReprocessOutcome, ReprocessResult } from '../../src-shared/api/ingest';
import { isoTime, type Page } from '../../src-shared/api/common';
import type { Device } from '../../src-shared/api/devices';
import type { NormalizedCdr } from '../../src-shared/domain/cdr';
import type { Sqlite } from '../db/connection';
import { deviceContextOf, type DeviceRepository } from '../devices/repository';
import { parseCdrText } from './adapters/registry';
import { rejectProblem, storedRejectProblem } from './reject-reasons';
import {
  dismissOpenRejects,
  findRejectPage,
  findRejectsByIds,
  openRejectIdsOf,
  updateRejectResolution,
  type RejectFilter,
  type RejectRow,
} from './reject-repository';
import { outcomeReason, resolutionProblem } from './reject-resolutions';
import type { CdrStore } from './store';

/** What listing, reprocessing and dismissing rejects use. */
export interface RejectDeps {
  db: Sqlite;
  devices: DeviceRepository;
  /** A reprocessed record is stored through the store (its processors, charging included). */
  cdrStore: CdrStore;
  now(): number;
}

export function toRejectRow(r: RejectRow): CdrRejectRow {
  return {
    id: r.id,
    deviceId: r.device_id,
    deviceName: r.device_name,
    receivedAt: isoTime(r.received_at),
    sourceKind: r.source_kind,
    sourceName: r.source_name,
    sourceLine: r.source_line,
    sourceOffset: r.source_offset,
    sourceIndex: r.source_index,
    raw: r.raw,
    rawComplete: r.raw_complete === 1,
    reason: r.reason,
    problem: storedRejectProblem(r.reason, r.reason_key, r.reason_params),
    status: r.status,
    resolvedAt: r.resolved_at === null ? null : isoTime(r.resolved_at),
    resolution: r.resolution,
    resolutionProblem: r.resolution === null ? null : resolutionProblem(r.resolution),
    cdrId: r.cdr_id,
  };
}

export function listRejects(s: RejectDeps, f: RejectFilter): Page<CdrRejectRow> {
  const found = findRejectPage(s.db, f);
  const more = found.rows.length > f.limit;
  const shown = found.rows.slice(0, f.limit);
  const page: Page<CdrRejectRow> = { rows: shown.map(toRejectRow) };
  if (more) page.nextCursor = String(shown[shown.length - 1]!.id);
  if (found.total !== undefined) page.total = found.total;
  return page;
}

export function rejectsByIds(s: RejectDeps, ids: number[]): CdrRejectRow[] {
  if (ids.length === 0) return [];
  const byId = new Map(findRejectsByIds(s.db, ids).map((r) => [r.id, r]));
  return ids.flatMap((id) => (byId.has(id) ? [toRejectRow(byId.get(id)!)] : []));
}

/** Rejects handled per transaction while reprocessing. */
const CHUNK = 200;
const POSITION_PREFIX = /^(line \d+(, record \d+)?|record \d+): /;

/** Reads the given rejects again with their devices' current settings (in chunks, yielding between them). */
export async function reprocessRejects(s: RejectDeps, ids: number[]): Promise<ReprocessResult> {
  const result: ReprocessResult = { total: 0, stored: 0, duplicates: 0, stillRejected: 0, unchanged: 0, outcomes: [] };
  const devices = new Map<number, Device>();
  const deviceOf = (id: number) => {
    if (!devices.has(id)) devices.set(id, s.devices.get(id));
    return devices.get(id)!;
  };
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    s.db.transaction(() => {
      for (const row of findRejectsByIds(s.db, chunk)) {
        const outcome = reprocessOne(s, row, deviceOf(row.device_id));
        result.total++;
        if (outcome.outcome === 'stored') result.stored++;
        else if (outcome.outcome === 'duplicate') result.duplicates++;
        else if (outcome.outcome === 'rejected') result.stillRejected++;
        else result.unchanged++;
        if (result.outcomes.length < 200) result.outcomes.push(outcome);
      }
    })();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return result;
}

function reprocessOne(s: RejectDeps, row: RejectRow, device: Device): ReprocessOutcome {
  const rejectId = row.id;
  if (row.status === 'reprocessed') {
    return { rejectId, outcome: 'skipped', ...outcomeReason('already reprocessed'), ...(row.cdr_id ? { cdrId: row.cdr_id } : {}) };
  }
  if (row.raw_complete !== 1) {
    return { rejectId, outcome: 'not_reprocessable', ...outcomeReason('only the start of this record was kept (it was longer than the limit)') };
  }
  const contextLines = row.context ? row.context.split('\n').length : 0;
  const text = row.context ? `${row.context}\n${row.raw}` : row.raw;
  const parsed = parseCdrText(device.format, text, deviceContextOf(device));
  const ownLine = (line: number | undefined) => line === undefined || line > contextLines;
  const position = {
    ...(row.source_line !== null ? { line: row.source_line } : {}),
    ...(row.source_offset !== null ? { offset: row.source_offset } : {}),
  };
  const cdrs: NormalizedCdr[] = parsed.cdrs
    .filter((c) => ownLine(c.position.line))
    .map((c) => ({ ...c, position: { ...position, ...(c.position.index !== undefined ? { index: c.position.index } : {}) } }));
  const rejects = parsed.rejects.filter((r) => ownLine(r.position.line));
  const now = s.now();
  const resolve = (status: RejectStatus, resolution: string, cdrId: number | null, readAgain?: string) => {
    // A reason the record was just read with gets its key (a row stored before keys gets one too); else it is kept.
    const reason = readAgain ?? row.reason;
    const problem = readAgain === undefined ? null : rejectProblem(readAgain);
    updateRejectResolution(s.db, rejectId, {
      status,
      resolvedAt: status === 'open' ? null : now,
      resolution,
      cdrId,
      reason,
      reasonKey: problem?.key ?? null,
      reasonParams: problem ? JSON.stringify(problem.params ?? {}) : null,
    });
  };

  // A call older than the purged past is not stored again: the reject stays open and says so.
  const tooOld = cdrs.length > 0 ? s.cdrStore.tooOldToStore(cdrs[0]!.startMs) : null;
  if (tooOld !== null) {
    const prefix = POSITION_PREFIX.exec(row.reason)?.[0] ?? '';
    const reason = prefix + tooOld;
    resolve('open', `read again on ${isoTime(now)}: ${tooOld}`, null, reason);
    return { rejectId, outcome: 'rejected', reason, problem: rejectProblem(reason) };
  }
  if (cdrs.length > 0) {
    const source = { kind: row.source_kind, name: row.source_name };
    const stored = s.cdrStore.storeBatch(row.device_id, source, { cdrs, rejects: [], skipped: [] }, { receivedAt: row.received_at, countDaily: false });
    const cdrId = stored.newIds[0] ?? s.cdrStore.existingCdrId(row.device_id, cdrs[0]!.dedupKey);
    const isNew = stored.newIds.length > 0;
    const resolution = isNew
      ? `read again on ${isoTime(now)}: stored as CDR ${stored.newIds.join(', ')}`
      : `read again on ${isoTime(now)}: the call was already stored (CDR ${cdrId})`;
    resolve('reprocessed', resolution, cdrId);
    return { rejectId, outcome: isNew ? 'stored' : 'duplicate', ...(cdrId !== null ? { cdrId } : {}) };
  }
  if (rejects.length > 0) {
    const prefix = POSITION_PREFIX.exec(row.reason)?.[0] ?? '';
    const reason = prefix + rejects[0]!.reason.replace(POSITION_PREFIX, '');
    resolve('open', `read again on ${isoTime(now)}: still unreadable`, null, reason);
    return { rejectId, outcome: 'rejected', reason, problem: rejectProblem(reason) };
  }
  const skipped = parsed.skipped.find((k) => ownLine(k.position.line));
  const why = skipped ? `not a call record (${skipped.reason})` : 'nothing to read';
  resolve('reprocessed', `read again on ${isoTime(now)}: ${why}`, null);
  return { rejectId, outcome: 'skipped', ...outcomeReason(why) };
}

export function dismissRejects(s: RejectDeps, ids: number[], reason: string): number {
  return dismissOpenRejects(s.db, ids, s.now(), `dismissed: ${reason}`);
}

/** Ids of a device's open rejects (of every device without one), oldest first. */
export function openRejectIds(s: RejectDeps, deviceId?: number): number[] {
  return openRejectIdsOf(s.db, deviceId);
}
