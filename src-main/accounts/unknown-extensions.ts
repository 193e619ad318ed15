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
import { numberingPlanOf, type DeviceRepository } from '../devices/repository';
import { ExtensionRepository } from './extension-repository';

/** Without a pattern on the device, numbers of 2 to 6 digits look like extensions. */
export const DEFAULT_EXTENSION_PATTERN = '\\d{2,6}';

/** A CdrStore processor: counts the callers of a stored batch per device. */
export class CallerSightings {
  private readonly record;

  constructor(db: Sqlite) {
    this.record = new ExtensionRepository(db).callerSightingRecorder();
  }

  recordBatch(newIds: readonly number[]): void {
    if (newIds.length === 0) return;
    // The batch's new CDRs are the ids from its first to its last: one writer, one transaction.
    let min = newIds[0]!;
    let max = min;
    for (const id of newIds) {
      if (id < min) min = id;
      if (id > max) max = id;
    }
    this.record(min, max);
  }
}

/** What extensions.unknown reads: the device (its extension pattern) and the sightings. */
export interface UnknownExtensionDeps {
  db: Sqlite;
  devices: DeviceRepository;
}

export function unknownExtensions(deps: UnknownExtensionDeps, q: { deviceId: number; q?: string; limit: number }): UnknownExtensionList {
  const device = deps.devices.get(q.deviceId);
  const devicePattern = compileNumberingPlan(numberingPlanOf(device)).extensionPattern;
  const pattern = devicePattern ?? new RegExp(`^(?:${DEFAULT_EXTENSION_PATTERN})$`);
  const rows = new ExtensionRepository(deps.db).unconfiguredCallers(q.deviceId, likePrefix(q.q ?? ''));
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
