/**
 * Links the records of a call that a PBX reports in several records (DESIGN §7, "nothing is counted twice"), inside
 * the transaction that stores them, before charging runs. Most records say what they are themselves (a FreeSWITCH
 * XML/JSON B leg names its A leg, a UCM sub-CDR sits under its main CDR) and are stored as such. A FreeSWITCH
 * mod_cdr_csv line does not: the A leg's line names its B leg (`bleg_uuid`), the B leg's line names nothing, and the
 * two lines may arrive in either order, in one batch or in two. So:
 * - an A line naming a record stored earlier turns that record into its B leg;
 * - a line naming nothing is looked up among the A lines stored earlier that name it.
 * The leg that is not billed stays pending and is never charged. When the B line was charged on its own before its
 * A line came (a file split between two reads), the charge stands and the A line is the one left uncharged: a charge
 * is never taken back, and the call is still charged once.
 *
 * A CUCM recording or monitoring call names the recorded call by one of that call's two leg ids (its
 * `origConversationId`): the orig leg for the caller's side, the dest leg for the callee's side. A CUCM call is
 * stored under its orig leg and names its dest leg (`otherLegId`), so a recording naming the dest leg is moved
 * under the call's id, whichever of the two arrives first. It stays a recording leg, never charged; the call's
 * own role and charge are not touched (only FreeSWITCH A lines, role `a`, turn the record they name into a B leg).
 *
 * Hot path: the store runs the linker for each stored CDR that is a leg, in its batch's transaction, so the
 * statements are prepared once in the constructor beside the code that runs them.
 */
import type { CdrStatus } from '../../src-shared/api/cdrs';
import type { CallLeg } from '../../src-shared/domain/cdr';
import type { Sqlite } from '../db/connection';
import type { CdrsRow, SetColumns } from '../db/rows';

/** A record a leg names, with the status that decides which of the two stays charged. */
type NamedLeg = Pick<CdrsRow, 'id'> & { status: CdrStatus };

/** An A leg stored earlier that names a record as its B leg. */
type NamingLeg = SetColumns<CdrsRow, 'leg_call_id' | 'leg_billed'>;

export class CallLegLinker {
  private readonly namedBy;
  private readonly namingOf;
  private readonly makeOtherLeg;
  private readonly releaseUnrated;
  private readonly unbill;
  private readonly callById;
  private readonly callByOtherId;
  private readonly moveRecording;
  private readonly adoptRecordings;

  constructor(db: Sqlite) {
    // A record standing alone has its own id as its call id (a FreeSWITCH A leg's uuid is its call's id).
    this.namedBy = db.prepare(
      'SELECT id, status FROM cdrs WHERE device_id = ? AND leg_call_id = ? AND leg_role IS NULL AND id <> ?',
    );
    this.namingOf = db.prepare(
      "SELECT leg_call_id, leg_billed FROM cdrs WHERE device_id = ? AND leg_other_id = ? AND leg_role = 'a' AND id <> ? ORDER BY id LIMIT 1",
    );
    this.callById = db.prepare(
      'SELECT 1 FROM cdrs WHERE device_id = ? AND leg_call_id = ? AND leg_role IS NULL AND id <> ? LIMIT 1',
    );
    this.callByOtherId = db.prepare(
      'SELECT leg_call_id FROM cdrs WHERE device_id = ? AND leg_other_id = ? AND leg_role IS NULL AND id <> ? ORDER BY id LIMIT 1',
    );
    this.moveRecording = db.prepare("UPDATE cdrs SET leg_call_id = ? WHERE id = ? AND leg_role = 'recording'");
    this.adoptRecordings = db.prepare(
      "UPDATE cdrs SET leg_call_id = ? WHERE device_id = ? AND leg_call_id = ? AND leg_role = 'recording' AND id <> ?",
    );
    this.makeOtherLeg = db.prepare("UPDATE cdrs SET leg_role = 'b', leg_call_id = ?, leg_billed = ? WHERE id = ?");
    // An unrated record has no ledger entry: as a linked leg it leaves the unrated queue for the never-charged state.
    this.releaseUnrated = db.prepare(
      "UPDATE cdrs SET status = 'pending', status_reason = NULL WHERE id = ? AND status = 'unrated'",
    );
    this.unbill = db.prepare('UPDATE cdrs SET leg_billed = 0 WHERE id = ?');
  }

  /** Links a record just stored as `id` with the records of its call stored before it (same transaction). */
  arrived(deviceId: number, id: number, leg: CallLeg): void {
    if (leg.role === 'recording') this.joinRecordedCall(deviceId, id, leg);
    else if (leg.otherLegId !== undefined) {
      if (leg.role === 'a') this.claimOtherLeg(deviceId, id, leg, leg.otherLegId);
      // Recordings stored earlier under the other leg's id belong to this call.
      this.adoptRecordings.run(leg.callId, deviceId, leg.otherLegId, id);
    } else if (leg.role === null) this.joinNamingLeg(deviceId, id, leg);
  }

  /** A recording naming a leg id that is not a call's own id: the call stored earlier naming that leg takes it. */
  private joinRecordedCall(deviceId: number, id: number, leg: CallLeg): void {
    if (this.callById.get(deviceId, leg.callId, id)) return;
    const call = this.callByOtherId.get(deviceId, leg.callId, id) as SetColumns<CdrsRow, 'leg_call_id'> | undefined;
    if (call) this.moveRecording.run(call.leg_call_id, id);
  }

  /** An A leg naming its B leg: a record stored earlier under that id becomes the B leg. */
  private claimOtherLeg(deviceId: number, id: number, leg: CallLeg, otherLegId: string): void {
    for (const other of this.namedBy.all(deviceId, otherLegId, id) as NamedLeg[]) {
      if (leg.billed && other.status === 'rated') {
        // Charged already as a call of its own: it stays the charged record, this one is the linked leg.
        this.makeOtherLeg.run(leg.callId, 1, other.id);
        this.unbill.run(id);
        continue;
      }
      this.makeOtherLeg.run(leg.callId, leg.billed ? 0 : 1, other.id);
      if (leg.billed) this.releaseUnrated.run(other.id);
    }
  }

  /** A record naming no other leg: an A leg stored earlier may name it as its B leg. */
  private joinNamingLeg(deviceId: number, id: number, leg: CallLeg): void {
    const naming = this.namingOf.get(deviceId, leg.callId, id) as NamingLeg | undefined;
    if (!naming) return;
    this.makeOtherLeg.run(naming.leg_call_id, naming.leg_billed === 1 ? 0 : 1, id);
  }
}
