import { z } from 'zod';
import { method, READ, WRITE } from './contract';
import { page, timeZone, type IsoTime, type Page } from './common';
import { exportLanguage, type DownloadTicket } from './downloads';
import type { SpecialNumberCategory } from '../domain/numbers/special-numbers';
import { keyed } from './messages';

const countryCode = z.string().trim().regex(/^\d{1,3}$/, keyed('field.countryCode', 'must be a country calling code of 1 to 3 digits, e.g. 86'));
const kind = z.enum(['mobile', 'fixed']);

const attributionFilter = {
  countryCode: countryCode.optional(),
  /** Rows whose prefix starts with these digits. */
  prefix: z.string().trim().regex(/^\d{0,15}$/, keyed('field.digits', 'must be digits')).optional(),
  /** Rows whose region (Chinese or English) contains this text. */
  region: z.string().trim().max(100).optional(),
  areaCode: z.string().trim().regex(/^\d{0,6}$/, keyed('field.areaCode', 'must be up to 6 digits')).optional(),
  /** Rows whose carrier (Chinese or English) contains this text. */
  carrier: z.string().trim().max(100).optional(),
  kind: kind.optional(),
};

export interface AttributionEntry {
  id: number;
  countryCode: string;
  /** Prefix of the national number (no trunk prefix): "1380013", "519". */
  prefix: string;
  region: string;
  regionEn: string;
  /** Area code without trunk prefix; "" when unknown. */
  areaCode: string;
  carrier: string;
  carrierEn: string;
  kind: 'mobile' | 'fixed';
  /** The version that added or last changed the row. */
  versionId: number | null;
}

export interface AttributionLookup {
  countryCode: string;
  /** The national number that was looked up (after removing +, the country code and the trunk prefix 0). */
  nationalNumber: string;
  /** What classification uses: the longest matching row, mobile or fixed. */
  match: AttributionEntry | null;
  mobile: AttributionEntry | null;
  fixed: AttributionEntry | null;
  /** The engine's data state; while `loading`, lookups wait for the default data. */
  state: AttributionState;
}

export type AttributionState = 'loading' | 'ready' | 'failed';

export interface AttributionVersion {
  id: number;
  at: IsoTime;
  username: string;
  source: 'default' | 'import';
  fileName: string | null;
  mode: 'merge' | 'replace';
  countryCodes: string[];
  rowsInFile: number;
  rowsAdded: number;
  rowsChanged: number;
  rowsRemoved: number;
  rowsUnchanged: number;
  millis: number;
}

export interface AttributionStatus {
  state: AttributionState;
  /** Why loading the default data failed. */
  message?: string;
  countries: { countryCode: string; rows: number }[];
  latestVersion: AttributionVersion | null;
}

/** One problem of an import file; `row` is the spreadsheet row number (1 = first line), null for the whole file. */
export interface ImportProblem {
  row: number | null;
  column: string | null;
  /** The problem in English (for support). */
  problem: string;
  /** The problem to show: a key of the `engine` catalogue (`import.*` or a contract rule's key) and its parameters. */
  key: string;
  params?: Record<string, string | number>;
}

/** 400 details of a refused import: nothing was applied. */
export interface ImportRefusal {
  problems: ImportProblem[];
  /** All problems found; `problems` lists the first 200. */
  problemCount: number;
}

export interface SpecialNumberExactEntry {
  number: string;
  category: SpecialNumberCategory;
  en: string;
  zh: string;
}

export interface SpecialNumberPatternEntry {
  prefix: string;
  minLength: number;
  maxLength: number;
  category: SpecialNumberCategory;
  en: string;
  zh: string;
}

export interface SpecialNumberListRecord {
  countryCode: string;
  exact: SpecialNumberExactEntry[];
  patterns: SpecialNumberPatternEntry[];
  /** default: as shipped in resources/special-numbers.json; none: no list for this country. */
  source: 'default' | 'edited' | 'none';
  updatedAt: IsoTime | null;
  updatedBy: string | null;
}

export interface AttributionImportResult {
  version: AttributionVersion;
}

export const SPECIAL_NUMBER_CATEGORIES = ['emergency', 'directory', 'carrier', 'public-service', 'service-line', 'toll-free'] as const;
const specialLabel = {
  category: z.enum(SPECIAL_NUMBER_CATEGORIES),
  en: z.string().trim().min(1).max(100),
  zh: z.string().trim().min(1).max(100),
};

/** 40 MiB of spreadsheet, base64-encoded (about 600,000 attribution rows as CSV). */
export const ATTRIBUTION_IMPORT_MAX_BODY = 56 * 1024 * 1024;

export const attributionMethods = {
  'attribution.list': method<Page<AttributionEntry>>()({
    input: z.object({ ...attributionFilter, ...page }),
    access: READ,
    mutation: false,
    summary: 'Search the attribution data by prefix, region, area code, carrier and kind; ordered by country and prefix.',
    returns: '{ rows: AttributionEntry[], nextCursor?, total }',
  }),
  'attribution.lookup': method<AttributionLookup>()({
    input: z.object({ number: z.string().trim().min(1).max(32), countryCode: countryCode.default('86') }),
    access: READ,
    mutation: false,
    summary:
      'What the engine uses for a number: the longest matching row (and the best mobile and fixed-line rows). ' +
      'Accepts +CC..., 00CC..., 0... or the national number.',
    returns: '{ countryCode, nationalNumber, match, mobile, fixed, state }',
  }),
  'attribution.import': method<AttributionImportResult>()({
    input: z.object({
      fileName: z.string().trim().min(1).max(255),
      /** The .xlsx or .csv file, base64 (an empty file is refused with a problem report, like any other bad file). */
      content: z.string(),
      /** For files without a country column. */
      countryCode: countryCode.default('86'),
      /** merge: add and change rows, keep the others; replace: the file's countries keep only the file's rows. */
      mode: z.enum(['merge', 'replace']).default('merge'),
    }),
    access: WRITE,
    mutation: true,
    async: true,
    maxBodyBytes: ATTRIBUTION_IMPORT_MAX_BODY,
    summary:
      'Import attribution rows from .xlsx or .csv, headings and kinds in English or Chinese (columns prefix, region, ' +
      'area code, kind; optional region (English), carrier, carrier (English), country code). All or nothing: an invalid file is refused with 400 and ' +
      '`details: { problems: [{ row, column, problem }], problemCount }`. Each import is a version.',
    returns: '{ version: AttributionVersion }',
  }),
  'attribution.export': method<DownloadTicket>()({
    input: z.object({
      ...attributionFilter,
      format: z.enum(['xlsx', 'csv']).default('xlsx'),
      /** For the "exported at" line. */
      timeZone: timeZone.default('UTC'),
      language: exportLanguage,
    }),
    access: READ,
    mutation: false,
    summary: 'Export the rows matching the filter as .xlsx or .csv, in a layout attribution.import reads back (in either language).',
    returns: 'DownloadTicket',
  }),
  'attribution.versions': method<AttributionVersion[]>()({
    input: z.object({ limit: z.number().int().min(1).max(500).default(100) }),
    access: READ,
    mutation: false,
    summary: 'The versions of the attribution data, latest first: who, when, source, file, rows added/changed/removed.',
    returns: 'AttributionVersion[]',
  }),
  'attribution.status': method<AttributionStatus>()({
    input: z.object({}),
    access: READ,
    mutation: false,
    summary: 'Whether the attribution data is ready (a fresh install loads the default data after start), rows per country.',
    returns: '{ state, message?, countries: [{ countryCode, rows }], latestVersion }',
  }),
  'specialNumbers.list': method<SpecialNumberListRecord>()({
    input: z.object({ countryCode: countryCode.default('86') }),
    access: READ,
    mutation: false,
    summary: "A country's special numbers (exact numbers and prefix patterns) dialled without trunk prefix.",
    returns: '{ countryCode, exact[], patterns[], source, updatedAt, updatedBy }',
  }),
  'specialNumbers.update': method<SpecialNumberListRecord>()({
    input: z.object({
      countryCode: countryCode.default('86'),
      exact: z.array(z.object({ number: z.string().trim().max(15), ...specialLabel })).max(2000),
      patterns: z
        .array(z.object({ prefix: z.string().trim().max(15), minLength: z.number().int(), maxLength: z.number().int(), ...specialLabel }))
        .max(500),
    }),
    access: WRITE,
    mutation: true,
    summary: "Replace a country's special-number list (400 with field paths for bad or repeated numbers).",
    returns: 'SpecialNumberListRecord',
  }),
} as const;
