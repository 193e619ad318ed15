/**
 * What 3CX's `from-type` / `to-type` / `final-type` columns say about a call, in every spelling 3CX has written:
 * - v14–v16 name the kind of DN: `Line` (a trunk), `Extension`, `Queue`, `IVR`, `RingGroup`, `VoiceMail`, `Fax`,
 *   `ConfPlace`, `Parking`, `Bridge`...;
 * - some v16 builds (a 2020 file) write only `Internal` / `External`;
 * - v18–v20 write entity types in lower case: `extension`, `external_line`, `provider`, `outbound_rule`, `queue`,
 *   `ivr`, `script`, `ring_group_ring_all`, `voicemail`, `inbound_routing`..., and one PBX may mix `Ivr` and `ivr`;
 * - exports of the call log tables write the DN type as a number (0 extension, 1 external line or provider,
 *   2 ring group or queue, 5 voicemail, 13 inbound routing);
 * - collectors that keep a call-level direction in these columns write `Inbound` / `Outbound` / `Local`.
 * Case and separators are ignored. A value none of these lists knows says nothing; the numbers then decide.
 */
import type { CallDirection } from '../../../src-shared/domain/cdr';
import { directionFromNumbers } from './normalize';
import { nameKey } from './field-values';

/** Where one party of the call is: outside the PBX (a trunk or provider) or inside it. */
export type ThreeCxParty = 'outside' | 'inside';

const OUTSIDE = new Set(['line', 'externalline', 'external', 'provider', 'voipprovider', 'trunk', 'gateway', 'outboundrule', 'bridge', '1']);

const INSIDE = new Set([
  'extension', 'internal', 'local', 'queue', 'ivr', 'script', 'group', 'huntgroup', 'voicemail', 'vmail', 'vmailbox',
  'fax', 'conference', 'confplace', 'parking', 'park', 'routepoint', 'specialmenu', 'inboundrouting', 'callflow',
  'dialcodes', '0', '2', '5', '13',
]);

const CALL_DIRECTIONS: Record<string, CallDirection> = {
  inbound: 'inbound',
  incoming: 'inbound',
  outbound: 'outbound',
  outgoing: 'outbound',
};

/** The party a type value names, or null when it names none this adapter knows. */
export function partyOfType(type: string): ThreeCxParty | null {
  const key = nameKey(type);
  if (key === '') return null;
  if (OUTSIDE.has(key)) return 'outside';
  if (INSIDE.has(key) || key.startsWith('ringgroup')) return 'inside';
  return null;
}

/** `Ext.114` (how 3CX writes an extension in from-no, to-no and final-number) -> `114`; other numbers as written. */
export function dialableNumber(text: string): string {
  return /^ext\./i.test(text) ? text.slice(4).trim() : text;
}

export interface ThreeCxParties {
  fromType: string;
  toType: string;
  finalType: string;
  /** from-no / to-no as written: `Ext.` marks an extension where the type columns are absent or unknown. */
  fromNo: string;
  toNo: string;
}

export interface ThreeCxDirection {
  direction: CallDirection;
  from: ThreeCxParty | null;
  /** Outside when the call left through a trunk, at its first or its final destination. */
  to: ThreeCxParty | null;
  /** Which of the destination's DNs is the trunk the call left through. */
  outVia: 'to' | 'final' | null;
}

export function directionOf3cx(p: ThreeCxParties, caller: string, callee: string): ThreeCxDirection {
  for (const type of [p.fromType, p.toType, p.finalType]) {
    const stated = CALL_DIRECTIONS[nameKey(type)];
    if (stated) return { direction: stated, from: null, to: null, outVia: null };
  }
  const extension = (no: string) => (/^ext\./i.test(no) ? ('inside' as const) : null);
  const from = partyOfType(p.fromType) ?? extension(p.fromNo);
  const toParty = partyOfType(p.toType);
  const finalParty = partyOfType(p.finalType);
  const outVia = toParty === 'outside' ? 'to' : finalParty === 'outside' ? 'final' : null;
  const to = outVia !== null ? 'outside' : (toParty ?? finalParty ?? extension(p.toNo));
  let direction: CallDirection;
  if (from === null || to === null) direction = directionFromNumbers(caller, callee);
  else if (from === 'outside') direction = to === 'inside' ? 'inbound' : 'unknown'; // trunk to trunk: forwarded outside
  else direction = to === 'outside' ? 'outbound' : 'internal';
  return { direction, from, to, outVia };
}
