import { describe, expect, it } from 'vitest';
import { EXTENSION_COLUMNS, USER_COLUMNS, yesNoOf } from '../accounts/account-files/columns';
import { LABELS as BILL_SHEET_LABELS } from '../bills/export';
import { billPdfLabels } from '../bills/pdf-labels';
import { cdrExportLabels } from '../cdrs/export-labels';
import { ATTRIBUTION_COLUMNS, columnOfHeading, kindOf } from '../rating/attribution/attribution-columns';
import { statsExportLabels } from '../statistics/export-labels';
import { EXPORT_LANGUAGES, exportLabels, valueMap, type ExportLanguage } from './labels';

/** Every section of a language's file texts: this catalogue and the ones the CDR, statistics and bill files keep. */
function everySection(lang: ExportLanguage) {
  return { ...exportLabels(lang), cdrs: cdrExportLabels(lang), stats: statsExportLabels(lang), billPdf: billPdfLabels(lang), billSheet: BILL_SHEET_LABELS[lang] };
}

/** Every key path of a catalogue; a function (a text with parameters) is a leaf like a string. */
function keyPaths(value: unknown, at = ''): string[] {
  if (value === null || typeof value !== 'object') return [`${at}:${typeof value}`];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => keyPaths(v, at ? `${at}.${key}` : key));
}

/** Every text of a catalogue (functions called with a marker), to check none is left empty. */
function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'function') return [String((value as (...a: string[]) => unknown)('X', 'Y', 'Z'))];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value as Record<string, unknown>).flatMap(texts);
}

describe('export labels', () => {
  it('has the same keys in zh-CN and en, every section included (CDRs, statistics, bills)', () => {
    const en = keyPaths(everySection('en'));
    const zh = keyPaths(everySection('zh-CN'));
    expect(zh).toEqual(en);
    expect(en.length).toBeGreaterThan(250);
    for (const lang of EXPORT_LANGUAGES) for (const text of texts(everySection(lang))) expect(text.trim(), lang).not.toBe('');
  });

  it('names the same attribution columns as the attribution files read', () => {
    for (const lang of EXPORT_LANGUAGES) expect(Object.keys(exportLabels(lang).attribution.columns).sort()).toEqual([...ATTRIBUTION_COLUMNS].sort());
  });

  it('reads English when no language or an unknown one is given (the API default)', () => {
    expect(exportLabels(undefined).users.columns.name).toBe('Name');
    expect(exportLabels('zh-CN').users.columns.name).toBe('用户名');
  });

  it('translates the headings: the Chinese ones are Chinese, the English ones are not', () => {
    for (const section of ['users', 'extensions', 'recharges', 'attribution', 'loginLog', 'operationLog'] as const) {
      const zh = Object.values(exportLabels('zh-CN')[section].columns);
      const en = Object.values(exportLabels('en')[section].columns);
      for (const heading of zh) expect(heading, section).toMatch(/\p{Script=Han}/u);
      for (const heading of en) expect(heading, section).not.toMatch(/\p{Script=Han}/u);
    }
  });

  it('maps the headings of both languages back to their columns, and the values of yes/no and kinds', () => {
    for (const lang of EXPORT_LANGUAGES) {
      const l = exportLabels(lang);
      for (const [column, heading] of Object.entries(l.users.columns)) expect(USER_COLUMNS.columnOf(heading), `${lang} ${heading}`).toBe(column);
      for (const [column, heading] of Object.entries(l.extensions.columns)) expect(EXTENSION_COLUMNS.columnOf(heading), `${lang} ${heading}`).toBe(column);
      for (const column of ATTRIBUTION_COLUMNS) expect(columnOfHeading(l.attribution.columns[column]), lang).toBe(column);
      expect(yesNoOf(l.yesNo.yes)).toBe(true);
      expect(yesNoOf(l.yesNo.no)).toBe(false);
      expect(kindOf(l.attribution.kinds.mobile)).toBe('mobile');
      expect(kindOf(l.attribution.kinds.fixed)).toBe('fixed');
    }
  });

  it('never writes a title or header-block label that an import would take for the heading row', () => {
    for (const lang of EXPORT_LANGUAGES) {
      const l = exportLabels(lang);
      const lines = [
        l.users.title,
        l.users.templateTitle,
        l.extensions.title,
        l.extensions.templateTitle,
        l.attribution.title,
        ...Object.values(l.block).filter((v) => typeof v === 'string'),
        ...Object.values(l.users.columns).map((h) => l.template.column(h)),
        ...Object.values(l.extensions.columns).map((h) => l.template.column(h)),
      ];
      for (const line of lines) {
        expect(USER_COLUMNS.columnOf(line), `${lang} "${line}"`).not.toBe(USER_COLUMNS.keyColumn);
        expect(EXTENSION_COLUMNS.columnOf(line), `${lang} "${line}"`).not.toBe(EXTENSION_COLUMNS.keyColumn);
        expect(columnOfHeading(line), `${lang} "${line}"`).not.toBe('prefix');
      }
    }
  });

  it('looks a value up once per export and keeps an unknown value as it is', () => {
    const kind = valueMap(exportLabels('zh-CN').recharges.kinds);
    expect(kind('refund')).toBe('退款');
    expect(kind('something-new')).toBe('something-new');
  });
});
