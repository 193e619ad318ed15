/**
 * Who called whom on a FreeSWITCH record, and in which direction: the caller presented, the direction, the gateway
 * a call left by. Shared by mod_xml_cdr / mod_json_cdr (all the channel's variables) and mod_cdr_csv (the template's
 * columns only).
 */
import type { CallDirection } from '../../../src-shared/domain/cdr';
import { directionFromNumbers } from './normalize';

const DIALABLE_RE = /^\+?[\d*#]+$/;
const OUTSIDE_NUMBER_RE = /^\+?\d{7,}$/;
const EXTENSION_SHAPE_RE = /^\d{2,6}$/;

/** The variables of a record (url-decoded), with the caller profile as the fallback where a name is given. */
export interface ChannelVariables {
  get(name: string, profileName?: string): string;
}

/**
 * The number the call came from. The caller profile's `caller_id_number` is what the channel was created with:
 * - on a channel the switch placed (variable `direction` outbound: an originate, a B leg) FreeSWITCH often writes
 *   the callee there; the number presented is `origination_caller_id_number`, else the `ani`;
 * - on a channel from a handset it may be an identity that is not a number (`IMSI510555550000168` on a GSM cell):
 *   the number presented is what the dialplan set as `effective_caller_id_number`.
 */
export function presentedCaller(vars: ChannelVariables, callee: string): string {
  const profileCaller = vars.get('caller_id_number', 'caller_id_number');
  const placedBySwitch = vars.get('direction') === 'outbound';
  if (placedBySwitch) {
    const originated = vars.get('origination_caller_id_number');
    if (DIALABLE_RE.test(originated)) return originated;
  }
  const repeatsCallee = profileCaller !== '' && profileCaller === callee;
  if (!DIALABLE_RE.test(profileCaller) || (placedBySwitch && repeatsCallee)) {
    const candidates = [vars.get('effective_caller_id_number'), vars.get('origination_caller_id_number'), vars.get('ani', 'ani')];
    const presented = candidates.find((n) => DIALABLE_RE.test(n) && n !== callee);
    if (presented !== undefined) return presented;
  }
  return profileCaller;
}

/** `sofia/gateway/sip.nexmo.com/6282349406513` -> `sip.nexmo.com` (the first target of a bridge string). */
export function gatewayOfBridge(target: string): string {
  const match = /(?:^|[,|:}])\s*sofia\/gateway\/([^/,|]+)\//.exec(target);
  return match ? match[1]!.trim() : '';
}

export interface RecordDirection {
  direction: CallDirection;
  trunkOut: string;
}

/**
 * Direction of a mod_xml_cdr / mod_json_cdr record: FusionPBX's `call_direction`; else the "public" context (calls
 * from outside); else a bridge out through a gateway (outbound, the gateway is the trunk); else a caller and a
 * callee who are both the switch's own users (the caller registered as a directory user, the callee reached by
 * `user/…`): internal; else a channel the switch placed towards an outside number: outbound; else number shapes.
 */
export function bodyDirection(vars: ChannelVariables, caller: string, callee: string): RecordDirection {
  const bridgeTarget = vars.get('last_app') === 'bridge' ? vars.get('last_arg') : '';
  const trunkOut = vars.get('sip_gateway_name') || gatewayOfBridge(bridgeTarget);
  const result = (direction: CallDirection): RecordDirection => ({ direction, trunkOut });
  const stated = vars.get('call_direction').toLowerCase();
  if (stated === 'inbound' || stated === 'outbound') return result(stated);
  if (stated === 'local') return result('internal');
  if (vars.get('context', 'context') === 'public') return result('inbound');
  if (trunkOut !== '') return result('outbound');
  const presence = vars.get('presence_id');
  const callerIsUser = vars.get('user_name') !== '' || (caller !== '' && presence.startsWith(`${caller}@`));
  const calleeIsUser = vars.get('dialed_user') !== '' || /^user\//.test(bridgeTarget);
  if (callerIsUser && calleeIsUser) return result('internal');
  if (vars.get('direction') === 'outbound' && !calleeIsUser && OUTSIDE_NUMBER_RE.test(callee)) return result('outbound');
  return result(directionFromNumbers(caller, callee));
}

/**
 * Direction of a mod_cdr_csv line, which has only the context: "public" is where FreeSWITCH puts calls from
 * outside; "default" is where the calls of its own registered users run, so a call from there came from inside
 * (to an outside number: outbound; to an extension, by the device's pattern or the shape of one: internal). The
 * stock public dialplan transfers a DID call to its extension in "default", where the context then reads
 * "default": a caller in E.164 form (`+…`, as carriers present it) calling an extension there came from outside.
 */
export function csvDirection(context: string, caller: string, callee: string, extensionPattern: RegExp | null): CallDirection {
  if (context === 'public') return 'inbound';
  if (context === 'default') {
    const calleeIsExtension = extensionPattern ? extensionPattern.test(callee) : EXTENSION_SHAPE_RE.test(callee);
    if (calleeIsExtension) return caller.startsWith('+') ? 'inbound' : 'internal';
    return OUTSIDE_NUMBER_RE.test(callee) ? 'outbound' : 'unknown';
  }
  return directionFromNumbers(caller, callee);
}
