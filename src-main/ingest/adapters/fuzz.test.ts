/**
 * Adapters never throw on any input, and every record pushed ends up as a cdr, a reject or a skip (or, for IP
 * Office, is held until flush): random text, and random mutations of the sample files.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CDR_FORMATS, type CdrFormat, type CdrParseResult, type DeviceContext } from '../../../src-shared/domain/cdr';
import { BEIJING, fixtureText } from './fixtures-for-tests';
import { cdrAdapters } from './registry';

const SAMPLES: Record<CdrFormat, string[]> = {
  'asterisk-csv': ['asterisk-master.csv', 'asterisk-master-uniqueid.csv', 'asterisk-edge-berlin.csv'],
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
  const parser = cdrAdapters[format].createParser(DEVICES[format] ?? BEIJING);
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
});
