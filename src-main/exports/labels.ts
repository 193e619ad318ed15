/**
 * The texts of every file the engine writes for a clerk (exports and import templates), in the language the clerk
 * reads the app in. The screens' texts are the renderer's (i18n); a file made by the engine carries its own.
 *
 * One catalogue per language: `exportLabels('zh-CN')` / `exportLabels('en')`. The CDR, statistics and bill files
 * keep their own sections (cdrs/export-labels.ts, statistics/export-labels.ts, bills/pdf-labels.ts, bills/export.ts)
 * and are reached from here too, so a test checks every section of both languages for the same keys. The imports read the headings
 * and the enumerated values (yes/no, mobile/fixed...) of both languages from this catalogue, so a file downloaded in
 * either language imports in either.
 *
 * Headings, sheet names and values are translated once per export (the columns are built from the catalogue before
 * the first row); a row's enumerated value goes through a small lookup map, never through a formatter per row.
 */
import type { AttributionColumn } from '../rating/attribution/attribution-columns';
import type { ExtensionColumn, UserColumn } from '../accounts/account-file-columns';
import { cdrExportLabels, type CdrExportLabels } from '../cdrs/export-labels';
import { statsExportLabels, type StatsExportLabels } from '../statistics/export-labels';
import { billPdfLabels, type BillPdfLabels } from '../bills/pdf-labels';
import { LABELS as BILL_SHEET_LABELS, type BillLabels } from '../bills/export';
import { en } from './labels-en';
import { zhCN } from './labels-zh-cn';

export const EXPORT_LANGUAGES = ['en', 'zh-CN'] as const;
export type ExportLanguage = (typeof EXPORT_LANGUAGES)[number];

export interface FileLabels {
  /** Lines of the header block above the headings. */
  block: {
    period: string;
    timeZone: string;
    filters: string;
    exportedBy: string;
    exportedAt: string;
    dataVersion: string;
    none: string;
    all: string;
    unknownUser: string;
    start: string;
    now: string;
    endExcluded: string;
    /** "a to b" */
    to: string;
    /** Between the filters of the Filters line. */
    separator: string;
  };
  yesNo: { yes: string; no: string };
  template: {
    /** "Column: Name": never a heading an import recognizes, so never taken for the heading row. */
    column(heading: string): string;
    required: string;
  };
  users: {
    title: string;
    sheet: string;
    templateTitle: string;
    columns: Record<UserColumn, string>;
    help: Record<UserColumn, string>;
    status: { active: string; frozen: string };
    filters: { enterprise(name: string): string; status(status: string): string; search(q: string): string };
  };
  extensions: {
    title: string;
    sheet: string;
    templateTitle: string;
    columns: Record<ExtensionColumn, string>;
    help: Record<ExtensionColumn, string>;
    filters: { device(name: string): string; userAccount(name: string): string; unassigned: string; search(q: string): string };
  };
  recharges: {
    title: string;
    sheet: string;
    columns: {
      at: string;
      enterprise: string;
      account: string;
      accountKind: string;
      kind: string;
      amount: string;
      balanceAfter: string;
      method: string;
      reference: string;
      operator: string;
      reason: string;
      entry: string;
    };
    kinds: { recharge: string; refund: string; adjustment: string };
    accountKinds: { enterprise: string; user: string; gateway: string };
    filters: {
      period(from: string, to: string, zone: string): string;
      enterprise(name: string): string;
      account(name: string): string;
      kinds(list: string): string;
      operator(name: string): string;
    };
  };
  attribution: {
    title: string;
    sheet: string;
    columns: Record<AttributionColumn, string>;
    kinds: { mobile: string; fixed: string };
    /** Where the data version came from (the "Data version" line). */
    sources: { default: string; import: string };
    filters: {
      country(code: string): string;
      prefix(prefix: string): string;
      region(text: string): string;
      areaCode(code: string): string;
      carrier(text: string): string;
      kind(kind: string): string;
    };
  };
  loginLog: {
    title: string;
    sheet: string;
    columns: { at: string; user: string; result: string; reason: string; address: string; userAgent: string };
    results: { ok: string; failed: string };
    reasons: { ok: string; bad_password: string; unknown_user: string; disabled: string; throttled: string };
    filters: { user(prefix: string): string; result(result: string): string };
  };
  operationLog: {
    title: string;
    sheet: string;
    columns: { at: string; user: string; action: string; target: string; address: string; details: string };
    filters: { user(prefix: string): string; action(prefix: string): string; target(prefix: string): string };
  };
}

export interface ExportLabels extends FileLabels {
  cdrs: CdrExportLabels;
  stats: StatsExportLabels;
  billPdf: BillPdfLabels;
  billSheet: BillLabels;
}

const catalogues: Record<ExportLanguage, FileLabels> = { en, 'zh-CN': zhCN };

/** The catalogue of a language (anything but zh-CN reads English, the API's default). */
export function exportLabels(language: ExportLanguage | undefined): ExportLabels {
  const lang: ExportLanguage = language === 'zh-CN' ? 'zh-CN' : 'en';
  return { ...catalogues[lang], cdrs: cdrExportLabels(lang), stats: statsExportLabels(lang), billPdf: billPdfLabels(lang), billSheet: BILL_SHEET_LABELS[lang] };
}

/** The same text in every language (headings of one column, values of one enumeration), for the imports. */
export function inEveryLanguage(pick: (l: FileLabels) => string): string[] {
  return EXPORT_LANGUAGES.map((lang) => pick(catalogues[lang]));
}

/** A value -> text map of one enumeration, built once per export. */
export function valueMap<K extends string>(texts: Record<K, string>): (value: string) => string {
  const map = new Map<string, string>(Object.entries(texts));
  return (value) => map.get(value) ?? value;
}

/** "…; …" or the language's "none". */
export function filtersText(l: FileLabels, filters: string[]): string {
  const given = filters.filter(Boolean);
  return given.length ? given.join(l.block.separator) : l.block.none;
}
