/**
 * How an Asterisk CDR's direction was decided, as keys of the `engine` catalogue (`direction.*`) with their params, for
 * the CDR detail in the clerk's language. The sentence is composed in ../ingest/adapters/asterisk-direction.ts from a
 * source and a destination channel's reason; it is read back here part by part (the English stays the detail). A
 * sentence no entry reads is one part, `direction.other`.
 */
import type { ReasonProblem } from '../../src-shared/api/reasons';

type Entry = { key: string; pattern: RegExp };

/** What one channel is: the same reasons for the source and the destination (keys `direction.source.*`, `.destination.*`). */
const CHANNEL: Entry[] = [
  { key: 'none', pattern: /^no channel/ },
  { key: 'notDevice', pattern: /^channel '(?<channel>[^']*)' is not a device/ },
  { key: 'console', pattern: /^channel '(?<channel>[^']*)' is the PBX's own console/ },
  { key: 'trunkPattern', pattern: /^channel '(?<channel>[^']*)' matches the device's trunk channel pattern '(?<pattern>[^']*)'/ },
  { key: 'notTrunkPattern', pattern: /^channel '(?<channel>[^']*)' matches none of the device's trunk channel patterns/ },
  { key: 'trunkByPeerName', pattern: /^guess: channel '(?<channel>[^']*)' is a trunk \(its peer '(?<peer>[^']*)' is a name or a line, not an extension number\)/ },
  { key: 'extensionByPattern', pattern: /^channel '(?<channel>[^']*)' is extension (?<extension>\S+) \(device extension pattern\)/ },
  { key: 'trunkNotExtension', pattern: /^guess: channel '(?<channel>[^']*)' is a trunk \(peer '(?<peer>[^']*)' does not match the device's extension pattern\)/ },
  { key: 'trunkByNumber', pattern: /^guess: channel '(?<channel>[^']*)' is a trunk named by number \(its party '(?<number>[^']*)' is an outside number\)/ },
  { key: 'extensionGuess', pattern: /^guess: channel '(?<channel>[^']*)' is extension (?<extension>[^\s,;]+)/ },
];

/** Whole sentences (not about a channel). */
const SENTENCES: Entry[] = [
  { key: 'direction.inboundContext', pattern: /^context '(?<context>[^']*)' is one of the device's inbound contexts \('(?<pattern>[^']*)'\)$/ },
  { key: 'direction.inboundContextName', pattern: /^guess: context '(?<context>[^']*)' is named like a context where calls from outside enter$/ },
  { key: 'direction.extensionCalledOutside', pattern: /^guess: extension '(?<caller>[^']*)' called the outside number '(?<callee>[^']*)'$/ },
  { key: 'direction.outsideCalledExtension', pattern: /^guess: the outside number '(?<caller>[^']*)' called extension '(?<callee>[^']*)'$/ },
  { key: 'direction.unknown', pattern: /^no channel, context or number shape tells the direction$/ },
];

/** What follows the source channel's reason. */
const AFTER_SOURCE: Entry[] = [
  { key: 'direction.calleeOutside', pattern: /^, and '(?<callee>[^']*)' is an outside number$/ },
  { key: 'direction.calleeExtension', pattern: /^, and '(?<callee>[^']*)' matches the device's extension pattern$/ },
  { key: 'direction.calleeUnknown', pattern: /^; no destination channel tells where '(?<callee>[^']*)' is$/ },
];

const CHANGED = /^(?<nowDirection>\w+) with the device's settings now \(stored as (?<storedDirection>\w+)\): /;
const OTHER = 'direction.other';

/** Every key a direction reason can carry (the i18n catalogue must hold each). */
export const DIRECTION_REASON_KEYS: readonly string[] = [
  'direction.changed',
  ...SENTENCES.map((e) => e.key),
  ...AFTER_SOURCE.map((e) => e.key),
  ...CHANNEL.flatMap((e) => [`direction.source.${e.key}`, `direction.destination.${e.key}`]),
  OTHER,
];

const paramsOf = (m: RegExpExecArray): Record<string, string> =>
  Object.fromEntries(Object.entries(m.groups ?? {}).filter((e): e is [string, string] => e[1] !== undefined));

function channel(text: string, side: 'source' | 'destination'): { problem: ReasonProblem; rest: string } | null {
  for (const e of CHANNEL) {
    const m = e.pattern.exec(text);
    if (m) return { problem: { key: `direction.${side}.${e.key}`, params: paramsOf(m), text: m[0] }, rest: text.slice(m[0].length) };
  }
  return null;
}

/** The parts of a direction reason, in order (a source and a destination channel, what the numbers say...). */
export function directionProblems(reason: string): ReasonProblem[] {
  const parts: ReasonProblem[] = [];
  let text = reason;
  const changed = CHANGED.exec(text);
  if (changed) {
    parts.push({ key: 'direction.changed', params: paramsOf(changed), text: changed[0].replace(/: $/, '') });
    text = text.slice(changed[0].length);
  }
  const sentence = SENTENCES.find((e) => e.pattern.test(text));
  if (sentence) return [...parts, { key: sentence.key, params: paramsOf(sentence.pattern.exec(text)!), text }];
  const destinationOnly = text.startsWith('destination ') ? channel(text.slice('destination '.length), 'destination') : null;
  if (destinationOnly && destinationOnly.rest === '') return [...parts, destinationOnly.problem];
  const source = channel(text, 'source');
  if (source) {
    if (source.rest === '') return [...parts, source.problem];
    if (source.rest.startsWith(', destination ')) {
      const destination = channel(source.rest.slice(', destination '.length), 'destination');
      if (destination && destination.rest === '') return [...parts, source.problem, destination.problem];
    }
    const after = AFTER_SOURCE.find((e) => e.pattern.test(source.rest));
    if (after) return [...parts, source.problem, { key: after.key, params: paramsOf(after.pattern.exec(source.rest)!), text: source.rest.replace(/^(, and |; )/, '') }];
  }
  return [...parts, { key: OTHER, params: {}, text }];
}
