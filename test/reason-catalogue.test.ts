/**
 * Reasons a clerk reads are a finite catalogue: every reject, unrated and import key the sources name is translated in
 * both engine.json files (with the same placeholders), and every reject the real corpus, the sample files and their
 * mutations produce has a key of the catalogue other than the general one (a new English sentence without an entry
 * would show the clerk only "cannot be read").
 */
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CDR_FORMATS, type CdrFormat, type DeviceContext } from '../src-shared/domain/cdr';
import { UNRATED_REASON_KEYS, unratedProblem } from '../src-main/charging/unrated-reasons';
import { DIRECTION_REASON_KEYS, directionProblems } from '../src-main/cdrs/direction-reasons';
import { IMPORT_PROBLEM_KEYS, importProblemKey } from '../src-main/imports/import-problems';
import { parseCdrText } from '../src-main/ingest/adapters/registry';
import { overlongLineProblem } from '../src-main/ingest/adapters/lines';
import { REJECT_REASON_KEYS, rejectProblem } from '../src-main/ingest/reject-reasons';
import { outcomeReason, RESOLUTION_KEYS, resolutionProblem } from '../src-main/ingest/reject-resolutions';
import { keptAsRejects } from '../src-main/ingest/tcp-connection';

const ROOT = path.resolve(__dirname, '..');
const locale = (lang: string) => JSON.parse(fs.readFileSync(path.join(ROOT, `src-renderer/i18n/locales/${lang}/engine.json`), 'utf8')) as Record<string, unknown>;
const EN = locale('en');
const ZH = locale('zh-CN');

function lookup(catalogue: Record<string, unknown>, key: string): string | undefined {
  let node: unknown = catalogue;
  for (const part of key.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

/** Every 'reject.…', 'unrated.…', 'import.…' and 'direction.…' string literal of the product sources. */
function keysInSources(): Set<string> {
  const keys = new Set<string>();
  for (const file of ['src-main', 'src-shared', 'src-renderer/src'].flatMap((d) => sourceFiles(path.join(ROOT, d)))) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/['"`]((?:reject|unrated|import|direction)\.[A-Za-z0-9_.]+)['"`]/g)) keys.add(m[1]!);
  }
  return keys;
}

describe('the reason catalogue', () => {
  const catalogue = [...REJECT_REASON_KEYS, ...RESOLUTION_KEYS, ...UNRATED_REASON_KEYS, ...IMPORT_PROBLEM_KEYS, ...DIRECTION_REASON_KEYS];

  it('names each key once, and the sources name no key outside it', () => {
    expect(new Set(catalogue).size).toBe(catalogue.length);
    const inSources = keysInSources();
    expect(inSources.size).toBeGreaterThan(100);
    expect([...inSources].filter((k) => !catalogue.includes(k) && k !== 'import.inSheet')).toEqual([]);
    // Direction keys are built from the channel reasons' names (direction.source.*, direction.destination.*).
    expect(catalogue.filter((k) => !inSources.has(k) && !/^direction\.(source|destination)\./.test(k))).toEqual([]);
  });

  it('is translated in both engine.json files, with the same placeholders', () => {
    for (const key of [...catalogue, 'import.inSheet', 'direction.separator']) {
      const en = lookup(EN, key);
      const zh = lookup(ZH, key);
      expect({ key, en: typeof en, zh: typeof zh }).toEqual({ key, en: 'string', zh: 'string' });
      expect({ key, zh: placeholders(zh!) }).toEqual({ key, zh: placeholders(en!) });
      // The Chinese sentence is Chinese: at least one Han character, as the clerk reads it.
      if (key !== 'direction.separator') expect(zh, key).toMatch(/\p{Script=Han}/u);
    }
  });

  it('gives each sentence of the pipeline its key and parameters', () => {
    expect(rejectProblem('line 7: expected 16 or more columns, found 3')).toEqual({
      key: 'reject.columns.atLeast',
      params: { line: 7, expected: 16, found: 3 },
      text: 'line 7: expected 16 or more columns, found 3',
    });
    expect(rejectProblem("line 2, record 3: field billsec: 'x1' is not a whole number of seconds").params).toEqual({
      line: 2,
      record: 3,
      cdrField: 'billsec',
      value: 'x1',
    });
    expect(rejectProblem(`line 4: ${overlongLineProblem(300_000, 262_144)}`).key).toBe('reject.line.tooLong');
    const kept = keptAsRejects({ cdrs: [{ raw: 'x', position: { line: 3 } } as never], rejects: [], skipped: [] }, 'the disk is full');
    expect(rejectProblem(kept.rejects[0]!.reason).key).toBe('reject.notStored');
    expect(rejectProblem('line 9: the call started 2020-01-01T00:00:00.000Z, before 2024-01-01T00:00:00.000Z: CDRs of that time were archived and purged (retention), so it is not stored as a call again (it may be in an archive already)').params).toEqual({
      line: 9,
      start: '2020-01-01T00:00:00.000Z',
      horizon: '2024-01-01T00:00:00.000Z',
    });
    expect(rejectProblem('something no adapter writes').key).toBe('reject.other');
    expect(resolutionProblem('read again on 2026-03-02T10:00:00.000Z: stored as CDR 12').params).toEqual({ at: '2026-03-02T10:00:00.000Z', cdrIds: '12' });
    expect(resolutionProblem('dismissed: a note in the file')).toEqual({ key: 'reject.resolution.dismissed', params: { reason: 'a note in the file' }, text: 'dismissed: a note in the file' });
    expect(outcomeReason('nothing to read').problem.key).toBe('reject.outcome.nothing');
  });

  it('gives unrated reasons their key, and a step it does not know the general one', () => {
    expect(unratedProblem({ key: 'rate.none', params: { callType: 'international', number: '4420' } })).toMatchObject({
      key: 'unrated.rate.none',
      params: { callType: 'international', number: '4420' },
    });
    expect(unratedProblem({ key: 'rating.total', params: {} }).key).toBe('unrated.other');
  });

  it('gives import problems their key, the sheet and the values as written', () => {
    expect(importProblemKey('(sheet Users (2)) card number 0042 appears again; it is first in row 3')).toEqual({
      key: 'import.card.repeated',
      params: { sheet: 'Users (2)', value: '0042', first: 3 },
    });
    expect(importProblemKey('must be mobile or fixed, got "landline"')).toEqual({ key: 'import.attribution.kind', params: { value: 'landline' } });
    expect(importProblemKey('must be an amount of zero or more, got "-5"').key).toBe('import.cell.invalidValue');
  });
});

// ---- every reject of the corpus, the samples and their mutations has a key ----

const REAL = path.join(ROOT, 'test/fixtures/real');
const SAMPLES = path.join(ROOT, 'test/fixtures/cdr');
const DEVICE: DeviceContext = { deviceId: 'pbx-test', timeZone: 'Asia/Shanghai' };
const GENERIC_CSV: DeviceContext = {
  ...DEVICE,
  formatOptions: {
    delimiter: ';',
    columns: { start: 'Datum', caller: 'Von', callee: 'Nach', billsec: 'Dauer', disposition: 'Status', nativeId: 'ID' },
    dateFormat: 'DD.MM.YYYY HH:mm:ss',
    durationUnit: 'hms',
  },
};

/** The sample files of each format (test/fixtures/cdr names start with the format, JSON Asterisk is cdr-custom.jsonl). */
function sampleFormat(name: string): CdrFormat | null {
  if (name === 'asterisk-cdr-custom.jsonl') return 'asterisk-json';
  if (name.startsWith('freeswitch-')) return name.endsWith('.xml') ? 'freeswitch-xml' : name.endsWith('.json') ? 'freeswitch-json' : 'freeswitch-csv';
  if (name.startsWith('grandstream-')) return name.endsWith('.json') ? 'grandstream-json' : 'grandstream-csv';
  if (name.startsWith('generic-')) return 'generic-csv';
  return CDR_FORMATS.find((f) => name.startsWith(`${f}-`) || name.startsWith(`${f.split('-')[0]}-`)) ?? null;
}

const inputs: { format: CdrFormat; name: string; text: string }[] = [
  ...CDR_FORMATS.filter((f) => fs.existsSync(path.join(REAL, f))).flatMap((format) =>
    fs.readdirSync(path.join(REAL, format)).map((name) => ({ format, name: `real/${format}/${name}`, text: fs.readFileSync(path.join(REAL, format, name), 'utf8') })),
  ),
  ...fs.readdirSync(SAMPLES).flatMap((name) => {
    const format = sampleFormat(name);
    return format && !name.endsWith('.ts') ? [{ format, name, text: fs.readFileSync(path.join(SAMPLES, name), 'utf8') }] : [];
  }),
];

const deviceOf = (format: CdrFormat) => (format === 'generic-csv' ? GENERIC_CSV : DEVICE);
const ALPHABET = ['"', ',', ';', '\u0000', '0', '9', '-', ':', ' ', '{', '}', '[', ']', '<', '>', 'a', '\\', '.'];

/** Rejects whose reason is not in the catalogue (the general keys), with the reason, for the failure message. */
function unknownReasons(format: CdrFormat, text: string): string[] {
  const out = parseCdrText(format, text, deviceOf(format));
  return out.rejects.map((r) => ({ reason: r.reason, key: rejectProblem(r.reason).key })).filter((r) => r.key === 'reject.other' || r.key === 'reject.field.other').map((r) => `${format}: ${r.reason}`);
}

describe('rejects of real and mutated input', () => {
  it('covers every format with the real corpus and the sample files', () => {
    expect(new Set(inputs.map((i) => i.format))).toEqual(new Set(CDR_FORMATS));
  });

  it('the real corpus and the samples: every reject has a catalogued reason', () => {
    let rejects = 0;
    for (const input of inputs) {
      rejects += parseCdrText(input.format, input.text, deviceOf(input.format)).rejects.length;
      expect({ file: input.name, unknown: unknownReasons(input.format, input.text) }).toEqual({ file: input.name, unknown: [] });
    }
    expect(rejects).toBeGreaterThan(0); // the corpus holds unreadable records (the buggy Asterisk file, a bad XML)
  });

  it('mutated lines and documents: every reject has a catalogued reason', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        fc.constantFrom(...inputs),
        fc.array(fc.record({ at: fc.nat(), char: fc.constantFrom(...ALPHABET), kind: fc.constantFrom('insert', 'delete', 'replace', 'cut') }), { minLength: 1, maxLength: 6 }),
        (input, edits) => {
          let text = input.text;
          for (const e of edits) {
            const at = text.length ? e.at % text.length : 0;
            if (e.kind === 'insert') text = text.slice(0, at) + e.char + text.slice(at);
            else if (e.kind === 'delete') text = text.slice(0, at) + text.slice(at + 1);
            else if (e.kind === 'replace') text = text.slice(0, at) + e.char + text.slice(at + 1);
            else text = text.slice(0, at);
          }
          for (const r of parseCdrText(input.format, text, deviceOf(input.format)).rejects) seen.add(rejectProblem(r.reason).key);
          expect(unknownReasons(input.format, text)).toEqual([]);
        },
      ),
      { numRuns: Number(process.env['REASON_FUZZ_RUNS'] ?? 1500), seed: 12 },
    );
    // The mutations reach a good part of the catalogue, not one sentence over and over.
    expect(seen.size).toBeGreaterThan(20);
  });

  it('bad device options give the options reason', () => {
    const bad: [CdrFormat, DeviceContext['formatOptions']][] = [
      ['generic-csv', { delimiter: ';', columns: {} }],
      ['3cx', { fields: ['nonsense-field'] }],
      ['cucm', { recorderNumbers: 5 }],
      ['freeswitch-csv', { billedLeg: 'c' }],
      ['asterisk-csv', { columns: 7 }],
    ];
    for (const [format, formatOptions] of bad) {
      const sample = inputs.find((i) => i.format === format && !i.name.startsWith('real/'))!;
      const out = parseCdrText(format, sample.text, { ...DEVICE, formatOptions } as DeviceContext);
      expect(out.rejects.length, format).toBeGreaterThan(0);
      expect({ format, keys: [...new Set(out.rejects.map((r) => rejectProblem(r.reason).key))] }).toEqual({ format, keys: ['reject.deviceOptions'] });
    }
  });
});

describe('direction reasons of Asterisk CDRs', () => {
  const devices: DeviceContext[] = [
    DEVICE,
    { ...DEVICE, extensionPattern: '8\\d{3}' },
    { ...DEVICE, formatOptions: { trunkChannels: ['PJSIP/trunk-*', 'SIP/211553', 'DAHDI/*'], inboundContexts: ['from-trunk', 'from-pstn'] } },
  ];

  it('reads every reason the corpus and the samples give, under three device settings, into catalogued parts', () => {
    const seen = new Set<string>();
    let reasons = 0;
    for (const input of inputs.filter((i) => i.format.startsWith('asterisk-'))) {
      for (const device of devices) {
        for (const cdr of parseCdrText(input.format, input.text, device).cdrs) {
          if (cdr.directionReason === undefined) continue;
          reasons++;
          const parts = directionProblems(cdr.directionReason);
          for (const p of parts) seen.add(p.key);
          expect({ file: input.name, reason: cdr.directionReason, other: parts.some((p) => p.key === 'direction.other') }).toEqual({
            file: input.name,
            reason: cdr.directionReason,
            other: false,
          });
        }
      }
    }
    expect(reasons).toBeGreaterThan(20);
    expect(seen.size).toBeGreaterThan(5);
  });

  it('splits a reason into its channel parts, with a change of the device settings first', () => {
    expect(directionProblems("outbound with the device's settings now (stored as inbound): channel 'PJSIP/8001-01' is extension 8001 (device extension pattern), and '013912345678' is an outside number")).toEqual([
      { key: 'direction.changed', params: { nowDirection: 'outbound', storedDirection: 'inbound' }, text: "outbound with the device's settings now (stored as inbound)" },
      { key: 'direction.source.extensionByPattern', params: { channel: 'PJSIP/8001-01', extension: '8001' }, text: "channel 'PJSIP/8001-01' is extension 8001 (device extension pattern)" },
      { key: 'direction.calleeOutside', params: { callee: '013912345678' }, text: "'013912345678' is an outside number" },
    ]);
    expect(directionProblems('a sentence nobody writes')).toEqual([{ key: 'direction.other', params: {}, text: 'a sentence nobody writes' }]);
  });
});
