/**
 * FreeSWITCH mod_xml_cdr (freeswitch-xml) and mod_json_cdr (freeswitch-json): one call per HTTP body or file.
 *
 * The modules post in four ways (their `encode` setting): a bare document (text/xml, application/json), or a form
 * field `cdr=` holding the document url-encoded, unencoded, or base64-encoded. Inside, variable values are
 * url-encoded (`Li%20Wei`). Epoch variables are UTC and preferred; `*_stamp` variables are device-local.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { CdrFormat, DeviceContext, RecordPosition } from '../../../src-shared/domain/cdr';
import {
  clip,
  completeCallTimes,
  DeviceTimeReader,
  dispositionFromCauseName,
  epochField,
  finishCdr,
  secondsField,
  textOf,
} from './normalize';
import { billedLegOf, legOfChannel, type LegEvidence } from './freeswitch-legs';
import { bodyDirection, presentedCaller } from './freeswitch-parties';
import { isBlank, isJsonObject, stripBom, type JsonObject } from './record-parsers';
import { FieldError, ParseOutcome, type CdrAdapter, type CdrParser, type SourceRecord } from './types';

type DocumentKind = 'xml' | 'json';

/** Finds the CDR document in a body of any of the four encodings, or says why there is none. */
export function extractCdrDocument(body: string, kind: DocumentKind): { ok: true; document: string } | { ok: false; problem: string } {
  const text = stripBom(body).trim();
  const opens = (candidate: string) => (kind === 'xml' ? candidate.startsWith('<') : /^[{[]/.test(candidate));
  if (opens(text)) return { ok: true, document: text };
  const field = /(?:^|&)cdr=/.exec(text);
  if (!field) {
    return { ok: false, problem: `expected ${kind === 'xml' ? 'an XML' : 'a JSON'} document or a cdr= form field, found '${clip(text, 40)}'` };
  }
  const valueStart = field.index + field[0].length;
  // encode=false posts the document unencoded: it may contain '&', so it runs to the end of the body.
  const rest = text.slice(valueStart);
  if (opens(rest.trimStart())) return { ok: true, document: rest.trim() };
  const ampersand = rest.indexOf('&');
  const value = ampersand === -1 ? rest : rest.slice(0, ampersand);
  const formDecoded = decodeForm(value);
  if (formDecoded !== null && opens(formDecoded.trimStart())) return { ok: true, document: formDecoded.trim() };
  const base64 = decodeBase64(decodeForm(value, false) ?? value);
  if (base64 !== null && opens(base64.trimStart())) return { ok: true, document: base64.trim() };
  return { ok: false, problem: `the cdr= field holds neither url-encoded nor base64 ${kind.toUpperCase()}` };
}

/** application/x-www-form-urlencoded value -> text ('+' is a space unless `plusIsSpace` is off); null if malformed. */
function decodeForm(value: string, plusIsSpace = true): string | null {
  try {
    return decodeURIComponent(plusIsSpace ? value.replace(/\+/g, ' ') : value);
  } catch {
    return null;
  }
}

function decodeBase64(value: string): string | null {
  const compact = value.replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) return null;
  return Buffer.from(compact, 'base64').toString('utf8');
}

/** A url-encoded variable value; left as is when it is not valid url-encoding ('+' stays '+': E.164 numbers). */
export function decodeVariable(value: unknown): string {
  const text = textOf(value);
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text).trim();
  } catch {
    return text;
  }
}

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false, // numbers stay text: "0044207946000" must keep its zeros
  parseAttributeValue: false,
  trimValues: true,
  htmlEntities: false,
});

/**
 * Where a NUL byte sits in a document (line, column, the element or key it is in), or null when there is none. XML
 * forbids the character and JSON text never holds it raw; it means the file or body was damaged (a crash, a disk
 * block of zeros), so the whole body is a reject rather than a call read from what is left.
 */
export function nulByteProblem(document: string, kind: DocumentKind): string | null {
  const at = document.indexOf('\u0000');
  if (at === -1) return null;
  const before = document.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  const name = kind === 'xml' ? /<([A-Za-z_][\w.:-]*)[^<]*$/.exec(before)?.[1] : /"([^"\\]{1,60})"\s*:[^:]*$/.exec(before)?.[1];
  const inside = name === undefined ? '' : kind === 'xml' ? ` (in <${name}>)` : ` (in "${name}")`;
  return `NUL byte at line ${line}, column ${column}${inside}: the ${kind.toUpperCase()} document is damaged`;
}

function parseDocument(document: string, kind: DocumentKind): { ok: true; cdr: JsonObject } | { ok: false; problem: string } {
  const nul = nulByteProblem(document, kind);
  if (nul !== null) return { ok: false, problem: nul };
  if (kind === 'xml') {
    const valid = XMLValidator.validate(document);
    if (valid !== true) return { ok: false, problem: `not well-formed XML (line ${valid.err.line}: ${clip(valid.err.msg, 100)})` };
    let parsed: unknown;
    try {
      parsed = xmlParser.parse(document);
    } catch (error) {
      // The validator lets a few malformed documents through (an unclosed <?xml ...?>) that the parser refuses.
      return { ok: false, problem: `not well-formed XML (${clip((error as Error).message, 100)})` };
    }
    const cdr = isJsonObject(parsed) ? parsed['cdr'] : undefined;
    return isJsonObject(cdr) ? { ok: true, cdr } : { ok: false, problem: 'XML has no <cdr> element' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch (error) {
    const problem = `not JSON (${clip((error as Error).message, 100)})`;
    const repaired = withBareNumbersAsNull(document);
    if (repaired === null) return { ok: false, problem };
    try {
      parsed = JSON.parse(repaired);
    } catch {
      return { ok: false, problem };
    }
  }
  if (!isJsonObject(parsed)) return { ok: false, problem: 'expected a JSON object with variables' };
  return { ok: true, cdr: parsed };
}

const BARE_NUMBER_WORDS = /^-?(?:nan|inf(?:inity)?)(?![\w.])/i;

/**
 * mod_json_cdr prints a C double that is not a number as is: `"quality_percentage":nan`, `"mos":-nan`, `inf` in
 * `callStats` when no audio came in. Such a token outside a string, where a value stands, is read as null; null is
 * returned when there is none (the text is not JSON for another reason).
 */
export function withBareNumbersAsNull(text: string): string | null {
  let result = '';
  let copiedTo = 0;
  let inString = false;
  let expectsValue = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === ':' || c === ',' || c === '[') expectsValue = true;
    else if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') {
      const word = expectsValue ? BARE_NUMBER_WORDS.exec(text.slice(i, i + 10)) : null;
      if (word) {
        result += `${text.slice(copiedTo, i)}null`;
        i += word[0].length - 1;
        copiedTo = i + 1;
      }
      expectsValue = false;
    }
  }
  return copiedTo === 0 ? null : result + text.slice(copiedTo);
}

const ORIGINATE_SOURCE = 'src/switch_ivr_originate.c';

/** Variables of the call, with the first callflow's caller profile as the fallback source. */
class CallVariables {
  private readonly variables: JsonObject;
  private readonly profile: JsonObject;

  constructor(cdr: JsonObject) {
    this.variables = isJsonObject(cdr['variables']) ? cdr['variables'] : {};
    const callflow = Array.isArray(cdr['callflow']) ? cdr['callflow'][0] : cdr['callflow'];
    const profile = isJsonObject(callflow) ? callflow['caller_profile'] : undefined;
    this.profile = isJsonObject(profile) ? profile : {};
  }

  /** A variable's text; a NUL byte in it (a url-encoded %00, a JSON \u0000) is a damaged value, not text. */
  get(name: string, profileName?: string): string {
    const value = decodeVariable(this.variables[name]);
    const found = value !== '' || !profileName ? value : decodeVariable(this.profile[profileName]);
    if (found.includes('\u0000')) throw new FieldError(value !== '' || !profileName ? name : `caller_profile ${profileName}`, 'holds a NUL byte (the value is damaged)');
    return found;
  }

  /**
   * The caller profiles under the current profile's `originator` or `originatee` element: XML nests
   * `<originator><originator_caller_profile>` (one, or several as an array), JSON `originator_caller_profiles: [...]`.
   */
  private linkedProfiles(kind: 'originator' | 'originatee'): JsonObject[] {
    const holder = this.profile[kind];
    if (!isJsonObject(holder)) return [];
    const found = holder[`${kind}_caller_profiles`] ?? holder[`${kind}_caller_profile`];
    return (Array.isArray(found) ? found : [found]).filter(isJsonObject);
  }

  legEvidence(uuid: string): LegEvidence {
    const originator = this.linkedProfiles('originator')[0];
    const originatorUuid =
      (originator ? decodeVariable(originator['uuid']) : '') ||
      this.get('originating_leg_uuid') ||
      this.get('originator');
    const hasOtherLeg =
      this.linkedProfiles('originatee').length > 0 ||
      ['bridge_uuid', 'bleg_uuid', 'originate_signal_bond', 'originated_legs', 'last_bridge_to'].some((name) => this.get(name) !== '');
    const evidence: LegEvidence = {
      uuid,
      originatorUuid,
      hasOtherLeg,
      loopbackOtherUuid: this.get('other_loopback_leg_uuid'),
      loopbackFromUuid: this.get('other_loopback_from_uuid') || this.get('loopback_from_uuid'),
    };
    const joined = this.joinedOriginate();
    if (joined) evidence.joinedOriginate = joined;
    return evidence;
  }

  /** Two switch-placed channels joined by uuid_bridge (see ./freeswitch-legs.ts): which of them is the call. */
  private joinedOriginate(): LegEvidence['joinedOriginate'] {
    const other = this.linkedProfiles('originator')[0] ?? this.linkedProfiles('originatee')[0];
    if (other === undefined || !isOriginated(this.profile) || !isOriginated(other)) return undefined;
    const otherUuid = decodeVariable(other['uuid']);
    if (callsItself(other) && !callsItself(this.profile)) return { is: 'call', otherUuid };
    if (callsItself(this.profile) && !callsItself(other)) return { is: 'control', otherUuid };
    return undefined;
  }
}

function isOriginated(profile: JsonObject): boolean {
  return decodeVariable(profile['source']) === ORIGINATE_SOURCE;
}

/** A caller profile whose caller id number is its own destination (the platform dialling its own endpoint). */
function callsItself(profile: JsonObject): boolean {
  const caller = decodeVariable(profile['caller_id_number']);
  return caller !== '' && caller === decodeVariable(profile['destination_number']);
}

class FreeswitchBodyParser implements CdrParser {
  readonly framing = 'document' as const;
  private readonly times: DeviceTimeReader;
  private readonly billedLeg;

  constructor(
    readonly format: CdrFormat,
    private readonly kind: DocumentKind,
    private readonly device: DeviceContext,
  ) {
    this.times = new DeviceTimeReader(device.timeZone);
    this.billedLeg = billedLegOf(device);
  }

  push(record: SourceRecord, out = new ParseOutcome()): ParseOutcome {
    if (isBlank(record.text)) {
      out.skip(record.position, 'empty body');
      return out;
    }
    if (this.billedLeg !== 'a' && this.billedLeg !== 'b') {
      // Kept as a reject until the setting is fixed, then reprocessed: no leg is charged by a guess.
      out.reject(record.text, record.position, this.billedLeg);
      return out;
    }
    const extracted = extractCdrDocument(record.text, this.kind);
    const parsed = extracted.ok ? parseDocument(extracted.document, this.kind) : extracted;
    if (!parsed.ok) {
      out.reject(record.text, record.position, parsed.problem);
      return out;
    }
    try {
      this.addCall(new CallVariables(parsed.cdr), record, out);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      out.reject(record.text, record.position, error.message);
    }
    return out;
  }

  flush(into = new ParseOutcome()): ParseOutcome {
    return into;
  }

  heldFrom(): RecordPosition | null {
    return null;
  }

  /**
   * A time from `*_epoch` (an instant) or else the device-local `*_stamp`; `wallMs` is the stamp as written (for the
   * dedup key), absent for an epoch.
   */
  private time(vars: CallVariables, name: 'start' | 'answer' | 'end'): { ms: number; wallMs?: number } | null {
    const epoch = vars.get(`${name}_epoch`);
    const stamp = vars.get(`${name}_stamp`);
    if (epoch !== '' && epoch !== '0') {
      // The epoch is read, but a stamp that is not a time means the body is not what FreeSWITCH wrote: a reject.
      if (stamp !== '') this.times.wallClock(`${name}_stamp`, stamp);
      return { ms: epochField(`${name}_epoch`, epoch) };
    }
    if (stamp === '') return null;
    const wallMs = this.times.wallClock(`${name}_stamp`, stamp);
    return { ms: this.times.fromWallClock(`${name}_stamp`, wallMs), wallMs };
  }

  private addCall(vars: CallVariables, record: SourceRecord, out: ParseOutcome): void {
    const start = this.time(vars, 'start');
    if (start === null) throw new FieldError('start_epoch', 'missing (and no start_stamp)');
    const durationText = vars.get('duration');
    const billsecText = vars.get('billsec');
    const callTimes = completeCallTimes({
      startMs: start.ms,
      answerMs: this.time(vars, 'answer')?.ms ?? null,
      endMs: this.time(vars, 'end')?.ms,
      duration: durationText === '' ? undefined : secondsField('duration', durationText),
      billsec: billsecText === '' ? undefined : secondsField('billsec', billsecText),
    });
    const callee = vars.get('destination_number', 'destination_number');
    const caller = presentedCaller(vars, callee);
    const route = bodyDirection(vars, caller, callee);
    const cause = vars.get('hangup_cause');
    const uuid = vars.get('uuid', 'uuid');
    const answered = callTimes.billsec > 0 || callTimes.answerMs !== null;
    const cdr = finishCdr(
      {
        nativeId: uuid !== '' ? uuid : null,
        ...callTimes,
        startWallMs: start.wallMs,
        caller,
        callerName: vars.get('caller_id_name', 'caller_id_name'),
        callee,
        direction: route.direction,
        trunkOut: route.trunkOut,
        disposition: answered ? 'answered' : dispositionFromCauseName(cause),
        cause,
        accountCode: vars.get('accountcode'),
        pin: vars.get('pin_number'),
        raw: record.text,
        position: record.position,
      },
      this.device,
      this.format,
    );
    const leg = legOfChannel(vars.legEvidence(uuid), this.billedLeg as 'a' | 'b');
    if (leg) cdr.leg = leg;
    out.cdrs.push(cdr);
  }
}

export const freeswitchXmlAdapter: CdrAdapter = {
  format: 'freeswitch-xml',
  framing: 'document',
  description: 'FreeSWITCH mod_xml_cdr body or file (bare XML, or cdr= url-encoded, unencoded or base64)',
  createParser: (device) => new FreeswitchBodyParser('freeswitch-xml', 'xml', device),
};

export const freeswitchJsonAdapter: CdrAdapter = {
  format: 'freeswitch-json',
  framing: 'document',
  description: 'FreeSWITCH mod_json_cdr body or file (bare JSON, or cdr= url-encoded, unencoded or base64)',
  createParser: (device) => new FreeswitchBodyParser('freeswitch-json', 'json', device),
};
