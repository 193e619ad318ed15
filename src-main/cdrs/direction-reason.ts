/**
 * How a stored CDR's direction was decided (Asterisk leaves it to device settings or a guess). The reason is not a
 * column: the record is read again, as it was received, with its device's settings now. Where that gives another
 * direction than the one stored, the device's settings changed after the call was stored, and the text says so.
 */
import { isCdrFormat, type CallDirection } from '../../src-shared/domain/cdr';
import type { CdrsRow } from '../db/rows';
import { deviceContextOf, type DeviceRepository } from '../devices/repository';
import { parseCdrText } from '../ingest/adapters/registry';

/** What reading a record again uses: its device's settings now. */
export interface DirectionReasonDeps {
  devices: DeviceRepository;
}

/** The stored columns a reading again needs: the record as received, its device, and the direction stored. */
type StoredRecord = Pick<CdrsRow, 'device_id' | 'format' | 'raw'> & { direction: CallDirection };

export function directionReasonOf(s: DirectionReasonDeps, r: StoredRecord): string | null {
  if (!r.format.startsWith('asterisk-') || !isCdrFormat(r.format)) return null; // the other formats say the direction
  const again = parseCdrText(r.format, r.raw, deviceContextOf(s.devices.get(r.device_id))).cdrs[0];
  if (again?.directionReason === undefined) return null;
  if (again.direction === r.direction) return again.directionReason;
  return `${again.direction} with the device's settings now (stored as ${r.direction}): ${again.directionReason}`;
}
