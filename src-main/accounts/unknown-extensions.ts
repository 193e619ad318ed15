/**
 * Extensions that call but are not configured: every stored batch of CDRs adds its callers to caller_sightings
 * (one statement per batch, in the batch's transaction); extensions.unknown lists the sighted numbers of a device
 * that match its extension pattern and no configured extension, so a clerk can adopt them.
 */
import type { UnknownExtensionList } from '../../src-shared/api/accounts';
import { isoTime } from '../../src-shared/api/common';
import { likePrefix } from '../db/paging';
import { compileNumberingPlan } from '../../src-shared/domain/numbers/numbering-plan';
import type { Sqlite } from '../db/connection';
import { numberingPlanOf } from '../devices/repository';
import type { Services } from '../services';

/** Without a pattern on the device, numbers of 2 to 6 digits look like extensions. */
export const DEFAULT_EXTENSION_PATTERN = '\\d{2,6}';

/** A CdrStore processor: counts the callers of a stored batch per device. */
export class CallerSightings {
  private readonly record;

  constructor(db: Sqlite) {
    // The batch's new CDRs are the ids from its first to its last: one writer, one transaction.
    this.record = db.prepare(
      `INSERT INTO caller_sightings (device_id, caller, calls, first_seen_at, last_seen_at)
       SELECT device_id, caller, COUNT(*), MIN(start_at), MAX(start_at) FROM cdrs
       WHERE id BETWEEN ? AND ? AND direction <> 'inbound' AND length(caller) BETWEEN 1 AND 20
         AND caller NOT GLOB '*[^0-9*#+]*'
       GROUP BY device_id, caller
       ON CONFLICT (device_id, caller) DO UPDATE SET calls = calls + excluded.calls,
         first_seen_at = MIN(first_seen_at, excluded.first_seen_at), last_seen_at = MAX(last_seen_at, excluded.last_seen_at)`,
    );
  }

  recordBatch(newIds: readonly number[]): void {
    if (newIds.length === 0) return;
    let min = newIds[0]!;
    let max = min;
    for (const id of newIds) {
      if (id < min) min = id;
      if (id > max) max = id;
    }
    this.record.run(min, max);
  }
}

interface SightingRow {
  caller: string;
  calls: number;
  first_seen_at: number;
  last_seen_at: number;
}

export function unknownExtensions(s: Services, q: { deviceId: number; q?: string; limit: number }): UnknownExtensionList {
  const device = s.devices.get(q.deviceId);
  const devicePattern = compileNumberingPlan(numberingPlanOf(device)).extensionPattern;
  const pattern = devicePattern ?? new RegExp(`^(?:${DEFAULT_EXTENSION_PATTERN})$`);
  const rows = s.db
    .prepare(
      `SELECT caller, calls, first_seen_at, last_seen_at FROM caller_sightings c
       WHERE c.device_id = ? AND c.caller LIKE ? ESCAPE '\\'
         AND NOT EXISTS (SELECT 1 FROM extensions x WHERE x.device_id = c.device_id AND x.number = c.caller)
       ORDER BY c.last_seen_at DESC, c.caller`,
    )
    .all(q.deviceId, likePrefix(q.q ?? '')) as SightingRow[];
  const matching = rows.filter((r) => pattern.test(r.caller));
  return {
    rows: matching.slice(0, q.limit).map((r) => ({
      deviceId: q.deviceId,
      number: r.caller,
      calls: r.calls,
      firstSeen: isoTime(r.first_seen_at),
      lastSeen: isoTime(r.last_seen_at),
    })),
    total: matching.length,
    pattern: device.extensionPattern || DEFAULT_EXTENSION_PATTERN,
    patternFromDevice: devicePattern !== null,
  };
}
