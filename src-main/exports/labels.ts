/**
 * The texts of every file the engine writes for a clerk (exports and import templates), in the language the clerk
 * reads the app in. The screens' texts are the renderer's (i18n); a file made by the engine carries its own.
 *
 * One catalogue per language: `exportLabels('zh-CN')` / `exportLabels('en')`. The CDR, statistics and bill files
 * keep their own sections (cdrs/export-labels.ts, statistics/export-labels.ts, bills/pdf-labels.ts, bills/export.ts);
 * this catalogue is a leaf those domains may import, so it does not reach them (labels.test.ts checks every section
 * of both languages for the same keys). The imports read the headings and the enumerated values (yes/no,
 * mobile/fixed...) of both languages from this catalogue, so a file downloaded in either language imports in either.
 *
 * Headings, sheet names and values are translated once per export (the columns are built from the catalogue before
 * the first row); a row's enumerated value goes through a small lookup map, never through a formatter per row.
 */
import { EXPORT_LANGUAGES, type ExportLanguage, type FileLabels } from './file-labels';
import { en } from './labels-en';
import { zhCN } from './labels-zh-cn';

export { EXPORT_LANGUAGES };
export type { AttributionColumn, ExportLanguage, ExtensionColumn, FileLabels, UserColumn } from './file-labels';

const catalogues: Record<ExportLanguage, FileLabels> = { en, 'zh-CN': zhCN };

/** The catalogue of a language (anything but zh-CN reads English, the API's default). */
export function exportLabels(language: ExportLanguage | undefined): FileLabels {
  return catalogues[language === 'zh-CN' ? 'zh-CN' : 'en'];
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
