/**
 * Adapters never throw on any input, and every record pushed ends up as a cdr, a reject or a skip (or, for IP
 * Office, is held until flush): random text, and random mutations of the sample files.
 *
 * Bad lines derived from valid sample lines (a column count no layout has, NUL bytes, an unbalanced quote, a typed
 * field holding text of another kind) must be rejects with a reason, never calls; a valid line written out again
 * (re-quoted CSV, re-serialized JSON) must give the same call.
 * Share of bad lines stored as calls, per format and kind: CDR_FUZZ_REPORT=1 CDR_FUZZ_BAD_RUNS=200 npx vitest run src-main/ingest/adapters/fuzz.test.ts
 * (it must be 0 for every format and kind); the reasons given: CDR_FUZZ_REASONS=1.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CDR_FORMATS, type CdrFormat, type CdrParseResult, type DeviceContext } from '../../../src-shared/domain/cdr';
import { splitDelimitedLine } from './csv-line';
import { BEIJING, fixtureText } from './fixtures-for-tests';
import { cdrAdapters } from './registry';

const SAMPLES: Record<CdrFormat, string[]> = {
  'asterisk-csv': ['asterisk-master.csv', 'asterisk-master-uniqueid.csv', 'asterisk-edge-berlin.csv', 'asterisk-cdr-custom-stock.csv'],
  'asterisk-json': ['asterisk-cdr-custom.jsonl'],
  'freeswitch-csv': ['freeswitch-example.csv'],
  'freeswitch-xml': ['freeswitch-xml-cdr.xml'],
  'freeswitch-json': ['freeswitch-json-cdr.json'],
  yeastar: ['yeastar-newcdr.jsonl', 'yeastar-p-series.jsonl'],
  'grandstream-csv': ['grandstream-cdrapi.csv'],
  'grandstream-json': ['grandstream-cdrapi.json'],
  '3cx': ['3cx-cdr.csv', '3cx-cdr-noheader.txt'],
  cucm: ['cucm-cdr_Cluster1_01_202603020915_000001'],
  'ipoffice-smdr': ['ipoffice-smdr.txt', 'ipoffice-smdr-transfer.txt'],
  'generic-csv': ['generic-semicolon.csv'],
};

const DEVICES: Partial<Record<CdrFormat, DeviceContext>> = {
  'generic-csv': {
    ...BEIJING,
    formatOptions: {
      delimiter: ';',
      columns: { start: 'Datum', caller: 'Von', callee: 'Nach', billsec: 'Dauer', disposition: 'Status', nativeId: 'ID' },
      dateFormat: 'DD.MM.YYYY HH:mm:ss',
      durationUnit: 'hms',
    },
  },
};

const deviceOf = (format: CdrFormat): DeviceContext => DEVICES[format] ?? BEIJING;
const delimiterOf = (format: CdrFormat): string => (format === 'generic-csv' ? ';' : ',');
const isCsv = (format: CdrFormat): boolean => cdrAdapters[format].framing === 'line';

/** The records a format's parser is pushed: whole files for document formats, else lines. */
function sampleRecords(format: CdrFormat): string[] {
  const texts = SAMPLES[format].map(fixtureText);
  if (cdrAdapters[format].framing === 'document') return texts;
  return texts.flatMap((text) => text.split(/\r?\n/)).filter((line) => line !== '');
}

/** More runs for a deeper search: CDR_FUZZ_RUNS=5000 npx vitest run src-main/ingest/adapters/fuzz.test.ts */
const RUNS = Number(process.env['CDR_FUZZ_RUNS'] ?? 150);

const ALPHABET = ['"', ',', ';', '0', '1', '9', '-', ':', ' ', '\t', '{', '}', '[', ']', '<', '>', '/', '%', '=', '&', 'a', '张', '\uFEFF', '\\', '.', 'e'];

type Mutation = { kind: 'delete' | 'insert' | 'replace' | 'duplicate'; at: number; char: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'replace', 'duplicate'),
  at: fc.nat(),
  char: fc.constantFrom(...ALPHABET),
});

function mutate(text: string, mutations: Mutation[]): string {
  let result = text;
  for (const m of mutations) {
    const at = result.length === 0 ? 0 : m.at % result.length;
    if (m.kind === 'delete') result = result.slice(0, at) + result.slice(at + 1);
    else if (m.kind === 'insert') result = result.slice(0, at) + m.char + result.slice(at);
    else if (m.kind === 'replace') result = result.slice(0, at) + m.char + result.slice(at + 1);
    else result = result.slice(0, at) + result.slice(at, at + 8) + result.slice(at);
  }
  return result;
}

/** How many records a result accounts for (joined IP Office records count each). */
function accounted(result: CdrParseResult): number {
  return result.cdrs.reduce((n, c) => n + (c.joinedRecords ?? 1), 0) + result.rejects.length + result.skipped.length;
}

function checkEveryRecordAccounted(format: CdrFormat, records: string[]): void {
  const parser = cdrAdapters[format].createParser(deviceOf(format));
  let total = 0;
  records.forEach((text, i) => {
    const step = parser.push({ text, position: { line: i + 1, offset: i * 100 } });
    const count = accounted(step);
    if (format === 'ipoffice-smdr') total += count;
    else if (cdrAdapters[format].framing === 'line' || cdrAdapters[format].framing === 'document') expect(count).toBe(1);
    else expect(count).toBeGreaterThanOrEqual(1); // a JSON array holds several records
    for (const cdr of step.cdrs) {
      expect(Number.isFinite(cdr.startMs) && Number.isFinite(cdr.endMs)).toBe(true);
      expect(cdr.endMs).toBeGreaterThanOrEqual(cdr.startMs);
      expect(cdr.billsec).toBeLessThanOrEqual(cdr.duration + 1);
      expect(cdr.dedupKey).not.toBe('');
    }
    for (const reject of step.rejects) expect(reject.reason).not.toBe('');
  });
  const flushed = parser.flush();
  if (format === 'ipoffice-smdr') expect(total + accounted(flushed)).toBe(records.length);
  else expect(accounted(flushed)).toBe(0);
}

// ---- valid lines, and bad lines made from them ----

/** A data line with the lines that must come before it in its file (a header), read alone as one call. */
interface ValidLine {
  preamble: string[];
  text: string;
}

/** Parses `text` after `preamble` in a fresh parser; the outcome of `text` only (with what a flush emits). */
function readAfter(format: CdrFormat, preamble: string[], text: string): CdrParseResult {
  const parser = cdrAdapters[format].createParser(deviceOf(format));
  preamble.forEach((line, i) => parser.push({ text: line, position: { line: i + 1 } }));
  const out = parser.push({ text, position: { line: preamble.length + 1 } });
  parser.flush(out);
  return out;
}

/** A file that is one JSON document over several lines (a body), not one JSON value per line. */
function isOneJsonDocument(text: string): boolean {
  if (!text.trim().includes('\n')) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The sample lines that are one call each, with the header lines before them in their file. */
function validLines(format: CdrFormat): ValidLine[] {
  const result: ValidLine[] = [];
  const texts = SAMPLES[format].map(fixtureText);
  for (const text of texts) {
    if (cdrAdapters[format].framing === 'document' || (cdrAdapters[format].framing === 'json' && isOneJsonDocument(text))) {
      if (readAfter(format, [], text).cdrs.length >= 1) result.push({ preamble: [], text });
      continue;
    }
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line !== '');
    const preamble: string[] = [];
    for (const line of lines) {
      const out = readAfter(format, preamble, line);
      if (out.cdrs.length === 1 && out.rejects.length === 0) result.push({ preamble: [...preamble], text: line });
      else if (out.cdrs.length === 0 && out.rejects.length === 0 && out.skipped.length > 0 && result.length === 0) preamble.push(line);
    }
  }
  return result;
}

type BadKind = 'columnCount' | 'nul' | 'unbalancedQuote' | 'wrongKind';
const BAD_KINDS: BadKind[] = ['columnCount', 'nul', 'unbalancedQuote', 'wrongKind'];

const DATE_TIME_RE = /^(?:\d{4}[-./]\d{2}[-./]\d{2}|\d{2}\.\d{2}\.\d{4})[ T]\d{2}:\d{2}:\d{2}$/;
const CLOCK_RE = /^\d{1,2}:\d{2}:\d{2}$/;
const ASTERISK_DISPOSITIONS = new Set(['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED', 'CONGESTION']);
/** Columns a header names, whose values are numbers of seconds or epoch times. */
const NUMERIC_HEADER_RE = /^(duration|billsec|datetimeorigination|datetimeconnect|datetimedisconnect)$/i;
const NOT_A_TIME = ['abc', 'ANSWERED', 'x1', '2026-13-45 25:61:61', '--'];

/** Indexes of the fields that hold a time, a number of seconds or a disposition: their kind is known. */
function typedColumns(format: CdrFormat, fields: string[], header: string[] | null): number[] {
  const typed = new Set<number>();
  fields.forEach((field, i) => {
    if (DATE_TIME_RE.test(field) || CLOCK_RE.test(field)) typed.add(i);
    if (header && NUMERIC_HEADER_RE.test(header[i] ?? '')) typed.add(i);
  });
  if (format === 'asterisk-csv') {
    // start, answer, end, duration, billsec, disposition sit just before the disposition in both layouts.
    const disposition = fields.findIndex((f) => ASTERISK_DISPOSITIONS.has(f));
    for (let i = disposition - 5; i <= disposition; i++) if (i >= 0 && fields[i] !== '') typed.add(i);
  }
  return [...typed];
}

/** Timestamps and durations inside JSON or XML text: `"start":"2026-…"`, `<start_epoch>177…<`, `"billsec":"122"`. */
const TYPED_VALUE_RE =
  /\d{4}-\d{2}-\d{2}(?: |%20)\d{2}(?::|%3A)\d{2}(?::|%3A)\d{2}|(?<=(?:epoch|duration|billsec|callduraction|talkduraction|call_duration|talk_duration)\W{1,4})\d+/g;

function quoteField(field: string, delimiter: string): string {
  const needsQuotes = field.includes('"') || field.includes(delimiter) || field.includes('\n') || field.startsWith('\uFEFF');
  return needsQuotes ? `"${field.replace(/"/g, '""')}"` : field;
}

function fieldsOf(format: CdrFormat, text: string): string[] {
  const split = splitDelimitedLine(text, delimiterOf(format));
  if (!split.ok) throw new Error(`sample line does not split: ${split.problem}`);
  return split.fields;
}

/** A bad line of the given kind made from a valid one (null when the kind means nothing for the format). */
function badLine(format: CdrFormat, line: ValidLine, kind: BadKind): fc.Arbitrary<string> | null {
  const text = line.text;
  const csv = isCsv(format);
  const delimiter = delimiterOf(format);
  switch (kind) {
    case 'nul':
      return fc.array(fc.nat(text.length), { minLength: 1, maxLength: 3 }).map((ats) =>
        ats.sort((a, b) => b - a).reduce((t, at) => `${t.slice(0, at)}\u0000${t.slice(at)}`, text),
      );
    case 'unbalancedQuote': {
      if (format === 'freeswitch-xml') return null; // a quote is ordinary text in XML content
      const quotes = [...text].flatMap((c, i) => (c === '"' ? [i] : []));
      const insert = fc.nat(text.length).map((at) => `${text.slice(0, at)}"${text.slice(at)}`);
      if (quotes.length === 0) return insert;
      const remove = fc.constantFrom(...quotes).map((at) => text.slice(0, at) + text.slice(at + 1));
      return fc.oneof(insert, remove);
    }
    case 'columnCount': {
      if (!csv) return null;
      const fields = fieldsOf(format, text);
      const fewer = fc.integer({ min: 1, max: Math.max(1, Math.floor(fields.length / 2)) }).map((n) => fields.slice(0, n));
      const more = fc.integer({ min: fields.length + 10, max: fields.length + 90 }).map((n) => Array.from({ length: n }, (_, i) => fields[i % fields.length]!));
      return fc.oneof(fewer, more).map((fs) => fs.map((f) => quoteField(f, delimiter)).join(delimiter));
    }
    case 'wrongKind': {
      if (csv) {
        const fields = fieldsOf(format, text);
        const header = line.preamble.length > 0 ? fieldsOf(format, line.preamble[0]!) : null;
        const typed = typedColumns(format, fields, header);
        if (typed.length === 0) return null;
        return fc.tuple(fc.constantFrom(...typed), fc.constantFrom(...NOT_A_TIME)).map(([i, bad]) => {
          const changed = [...fields];
          changed[i] = ASTERISK_DISPOSITIONS.has(fields[i]!) ? (bad === 'ANSWERED' ? '129' : bad) : bad;
          return changed.map((f) => quoteField(f, delimiter)).join(delimiter);
        });
      }
      const spots = [...text.matchAll(TYPED_VALUE_RE)].map((m) => [m.index, m[0].length] as const);
      if (spots.length === 0) return null;
      return fc.constantFrom(...spots).map(([at, length]) => `${text.slice(0, at)}abc${text.slice(at + length)}`);
    }
  }
}

/** A valid line written out again: every field re-quoted (CSV) or re-serialized (JSON); null for documents. */
function reserialized(format: CdrFormat, withBom: string): string | null {
  const text = withBom.replace(/^\uFEFF/, ''); // parsers drop a byte order mark before anything else
  if (isCsv(format)) {
    const split = splitDelimitedLine(text, delimiterOf(format));
    return split.ok ? split.fields.map((f) => quoteField(f, delimiterOf(format))).join(delimiterOf(format)) : null;
  }
  if (cdrAdapters[format].framing === 'json') return JSON.stringify(JSON.parse(text));
  return null;
}

/** A call without what depends on the text as written (raw, position). */
const callFields = (out: CdrParseResult) => out.cdrs.map(({ raw: _raw, position: _position, ...rest }) => rest);

/** Where a bad line differs from the valid one it was made from, with some text around it (for the report). */
function changedPart(valid: string, bad: string): string {
  let at = 0;
  while (at < valid.length && valid[at] === bad[at]) at++;
  return JSON.stringify(bad.slice(Math.max(0, at - 30), at + 30));
}

function storedShare(format: CdrFormat, kind: BadKind, runs: number): { tried: number; stored: string[] } {
  const stored: string[] = [];
  let tried = 0;
  for (const line of validLines(format)) {
    const bad = badLine(format, line, kind);
    if (bad === null) continue;
    for (const text of fc.sample(bad, { numRuns: runs, seed: 42 })) {
      tried++;
      const out = readAfter(format, line.preamble, text);
      // Stored: read as calls with nothing rejected (a body of several records keeps its other, good ones).
      if (out.cdrs.length > 0 && out.rejects.length === 0) stored.push(process.env['CDR_FUZZ_REPORT'] === '1' ? changedPart(line.text, text) : text);
      for (const reject of out.rejects) {
        expect(reject.reason).not.toBe('');
        // The reason says what is wrong where: the NUL byte (or the quote or text it broke), the field of the wrong kind.
        if (kind === 'nul') expect(reject.reason).toMatch(/NUL byte|unbalanced quote|found '/);
        if (kind === 'wrongKind') expect(reject.reason).toMatch(/field [\w -]+: |not JSON \(|expected a JSON object/);
        if (process.env['CDR_FUZZ_REASONS'] === '1') console.log(`${format}\t${kind}\t${reject.reason}`);
      }
    }
  }
  return { tried, stored };
}

describe.each(CDR_FORMATS)('fuzz %s', (format) => {
  const samples = sampleRecords(format);

  it('reads the unmutated samples with every record accounted for', () => {
    expect(samples.length).toBeGreaterThan(0);
    checkEveryRecordAccounted(format, samples);
  });

  it('never throws on mutated sample records', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...samples), fc.array(mutation, { maxLength: 6 })), { minLength: 1, maxLength: 8 }), (picks) => {
        checkEveryRecordAccounted(format, picks.map(([text, mutations]) => mutate(text, mutations)));
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 200 })), { minLength: 1, maxLength: 5 }), (texts) => {
        checkEveryRecordAccounted(format, texts);
      }),
      { numRuns: RUNS },
    );
  });

  it('gives the same call for a valid line written out again', () => {
    const lines = validLines(format);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const again = reserialized(format, line.text);
      if (again === null) continue;
      expect(callFields(readAfter(format, line.preamble, again))).toEqual(callFields(readAfter(format, line.preamble, line.text)));
    }
  });

  it('gives the same call for a mutated line that is still a call, written out again', () => {
    const lines = validLines(format);
    fc.assert(
      fc.property(fc.constantFrom(...lines), fc.array(mutation, { maxLength: 4 }), (line, mutations) => {
        const text = mutate(line.text, mutations);
        const first = readAfter(format, line.preamble, text);
        if (first.cdrs.length !== 1) return;
        let again: string | null;
        try {
          again = reserialized(format, text);
        } catch {
          return; // JSON that one adapter still reads leniently (not a round-trip question)
        }
        if (again !== null) expect(callFields(readAfter(format, line.preamble, again))).toEqual(callFields(first));
      }),
      { numRuns: RUNS },
    );
  });

  it('stores no bad line as a call', () => {
    const runs = Number(process.env['CDR_FUZZ_BAD_RUNS'] ?? Math.max(20, Math.floor(RUNS / 3)));
    const shares = BAD_KINDS.map((kind) => ({ kind, ...storedShare(format, kind, runs) })).filter((s) => s.tried > 0); // no column counts in JSON
    if (process.env['CDR_FUZZ_REPORT'] === '1') {
      const share = (s: (typeof shares)[number]) => `${s.stored.length}/${s.tried}\t${((100 * s.stored.length) / s.tried).toFixed(1)} %`;
      console.log(shares.map((s) => `${format}\t${s.kind}\t${share(s)}\t${s.stored.slice(0, 3).join(' | ')}`).join('\n'));
    }
    expect(shares.length).toBeGreaterThan(0);
    for (const { kind, stored } of shares) expect({ kind, stored: stored.slice(0, 3) }).toEqual({ kind, stored: [] });
  });
});
