/**
 * Which FreeSWITCH leg a record is, and whether it is the one charged (device setting `formatOptions.billedLeg`,
 * 'a' by default). With `legs="ab"` (mod_cdr_csv) or `log-b-leg` (mod_xml_cdr, mod_json_cdr) every channel of a
 * call writes its own record; charging them all would charge a call two or more times.
 *
 * How FreeSWITCH tells the legs apart (see test/fixtures/cdr/README.md for the sources):
 * - mod_cdr_csv and mod_xml_cdr take a channel with an originator caller profile as the B leg
 *   (`switch_channel_get_originator_caller_profile`); XML writes it as `<originator><originator_caller_profile>`,
 *   JSON as `originator.originator_caller_profiles[]`, each with the A leg's `uuid`. The originate code also sets
 *   `originating_leg_uuid`, `originator` and `signal_bond` on the B channel, and `call_uuid` there is the A leg's.
 * - The A leg of a bridge carries `originatee` profiles and `bridge_uuid` / `originate_signal_bond` /
 *   `originated_legs` / `bleg_uuid`; mod_cdr_csv's templates only have `${bleg_uuid}`, empty on the B leg's line.
 * - mod_loopback's two channels carry `other_loopback_leg_uuid` (and `loopback_leg` A/B): plumbing, never a call.
 * - Two channels the switch placed itself (both caller profiles from `switch_ivr_originate.c`, as an API or Rayo
 *   originate makes them) and then joined with `uuid_bridge`: the originator/originatee profiles only follow the
 *   order of the command's arguments, so they do not say who called. The call is the leg towards its destination;
 *   a leg whose caller profile calls its own caller id number (`1234` -> `1234`, the platform's own endpoint that
 *   controls the call) is the other one, the B leg (Somleng's "leg A joined by leg B").
 */
import { BILLED_LEGS, type BilledLeg, type CallLeg, type DeviceContext } from '../../../src-shared/domain/cdr';

/** The device's billed leg, or what is wrong with the setting. */
export function billedLegOf(device: DeviceContext): BilledLeg | string {
  const value = (device.formatOptions as { billedLeg?: unknown } | undefined)?.billedLeg;
  if (value === undefined || value === null || value === '') return 'a';
  if (typeof value === 'string' && (BILLED_LEGS as readonly string[]).includes(value.toLowerCase())) {
    return value.toLowerCase() as BilledLeg;
  }
  return `device format options: billedLeg must be 'a' or 'b', found ${JSON.stringify(value)}`;
}

/** What a record's variables and caller profile say about its channel. */
export interface LegEvidence {
  uuid: string;
  /** The A leg's uuid, when this channel was originated by another (a B leg). */
  originatorUuid: string;
  /** Whether the channel names the legs it originated or was bridged to (an A leg with a B leg). */
  hasOtherLeg: boolean;
  /** mod_loopback's `other_loopback_leg_uuid`, and the real channel behind it (`other_loopback_from_uuid`). */
  loopbackOtherUuid: string;
  loopbackFromUuid: string;
  /**
   * Two switch-placed channels joined by uuid_bridge (see above): 'call' when this channel is the call, with the
   * other channel's uuid; 'control' when the other one is.
   */
  joinedOriginate?: { is: 'call' | 'control'; otherUuid: string };
}

/** The leg of an XML or JSON record; none for a record without a uuid that names no other channel. */
export function legOfChannel(evidence: LegEvidence, billed: BilledLeg): CallLeg | null {
  if (evidence.loopbackOtherUuid !== '') {
    const callId = evidence.originatorUuid || evidence.loopbackFromUuid || evidence.loopbackOtherUuid;
    return { role: 'loopback', callId, billed: false };
  }
  const joined = evidence.joinedOriginate;
  if (joined !== undefined && evidence.uuid !== '' && joined.otherUuid !== '') {
    return joined.is === 'call'
      ? { role: 'a', callId: evidence.uuid, billed: billed === 'a' }
      : { role: 'b', callId: joined.otherUuid, billed: billed === 'b' };
  }
  if (evidence.originatorUuid !== '' && evidence.originatorUuid !== evidence.uuid) {
    return { role: 'b', callId: evidence.originatorUuid, billed: billed === 'b' };
  }
  if (evidence.uuid === '') return null;
  if (evidence.hasOtherLeg) return { role: 'a', callId: evidence.uuid, billed: billed === 'a' };
  return { role: null, callId: evidence.uuid, billed: true };
}

/**
 * The leg of a mod_cdr_csv line: one with `bleg_uuid` is an A leg naming its B leg; one without is a call of its own
 * until an A line names it (the store links them, in whichever order they arrive).
 */
export function legOfCsvLine(uuid: string, blegUuid: string, billed: BilledLeg): CallLeg {
  if (blegUuid !== '' && blegUuid !== uuid) return { role: 'a', callId: uuid, billed: billed === 'a', otherLegId: blegUuid };
  return { role: null, callId: uuid, billed: true };
}
