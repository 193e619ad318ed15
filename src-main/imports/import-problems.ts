/**
 * The catalogue of import problems (user accounts, extensions, number attribution): every sentence the imports write
 * about a file, a heading or a cell, as a key of the `engine` i18n namespace with its parameters. The English sentence
 * is kept as it was (the API's `problem`, tests, support); a sentence no entry knows becomes `import.other`.
 */
type Params = Record<string, string | number>;

const ENTRIES: { key: string; pattern: RegExp }[] = [
  // The file as a whole.
  { key: 'import.file.empty', pattern: /^the file is empty$/ },
  { key: 'import.file.zipNotXlsx', pattern: /^"(?<file>[^]*)" is a zip archive, not an \.xlsx workbook or a \.csv file$/ },
  { key: 'import.file.xls', pattern: /^old-style \.xls workbooks cannot be read\b/ },
  { key: 'import.file.notXlsx', pattern: /^"(?<file>[^]*)" is not an \.xlsx workbook \(its content is not a zip archive\)$/ },
  { key: 'import.file.binary', pattern: /^"(?<file>[^]*)" is not a spreadsheet: its content is binary\b/ },
  { key: 'import.file.quoteNotClosed', pattern: /^a quoted cell is not closed before the end of the file$/ },
  { key: 'import.file.rowUnreadable', pattern: /^row (?<line>\d+) cannot be read: (?<detail>[^]*)$/ },
  { key: 'import.file.xlsxUnreadable', pattern: /^the \.xlsx workbook cannot be read: (?<detail>[^]*)$/ },
  { key: 'import.file.noSheets', pattern: /^the \.xlsx workbook has no worksheets$/ },
  { key: 'import.file.noRows', pattern: /^the file has headings but no data rows$/ },
  // Headings.
  { key: 'import.heading.notFound', pattern: /^no heading row found: expected the columns (?<columns>[^;(]*?)(?: \(optionally (?<optional>[^)]*)\))?(?:;|$)/ },
  { key: 'import.heading.duplicate', pattern: /^names the same column as "(?<other>[^]*)"$/ },
  { key: 'import.heading.missing', pattern: /^column is missing from the headings$/ },
  { key: 'import.heading.unknown', pattern: /^is not a column of this import \(the columns are: (?<columns>[^]*)\)$/ },
  // Cells of any import.
  { key: 'import.cell.empty', pattern: /^is empty$/ },
  { key: 'import.cell.tooLong', pattern: /^is longer than (?<max>\d+) characters$/ },
  { key: 'import.cell.yesNo', pattern: /^must be yes or no, got "(?<value>[^]*)"$/ },
  // Users and extensions.
  { key: 'import.enterprise.empty', pattern: /^is empty \(the name or code of an enterprise\)$/ },
  { key: 'import.enterprise.unknown', pattern: /^there is no enterprise named or coded "(?<value>[^]*)"$/ },
  { key: 'import.enterprise.ambiguous', pattern: /^several enterprises have the code "(?<value>[^]*)": write the enterprise's name$/ },
  { key: 'import.rateGroup.unknown', pattern: /^there is no rate group "(?<value>[^]*)"$/ },
  { key: 'import.device.unknown', pattern: /^there is no device "(?<value>[^"]*)"/ },
  { key: 'import.device.empty', pattern: /^is empty: name the device\b/ },
  { key: 'import.extension.invalid', pattern: /^"(?<value>[^]*)" is not an extension number\b/ },
  { key: 'import.extension.whichDevice', pattern: /^say which device (?<number>\S+) is on\b/ },
  { key: 'import.extension.alsoInRow', pattern: /^extension (?<number>\S+) is also given in row (?<first>\d+)$/ },
  { key: 'import.extension.repeated', pattern: /^extension (?<number>\S+) of (?<device>[^]*) appears again; it is first in row (?<first>\d+)$/ },
  { key: 'import.card.invalid', pattern: /^"(?<value>[^]*)" is not a card number\b/ },
  { key: 'import.card.repeated', pattern: /^card number (?<value>\S+) appears again; it is first in row (?<first>\d+)$/ },
  { key: 'import.card.taken', pattern: /^card number (?<value>\S+) belongs to (?<owner>[^]*)$/ },
  { key: 'import.user.repeated', pattern: /^user "(?<name>[^]*)" of enterprise "(?<enterprise>[^]*)" appears again; it is first in row (?<first>\d+)$/ },
  { key: 'import.user.holdsBalance', pattern: /^(?<name>[^]*) still holds (?<amount>\S+) on its own balance\b/ },
  { key: 'import.user.unknownIn', pattern: /^there is no user "(?<name>[^]*)" in enterprise "(?<enterprise>[^]*)"$/ },
  { key: 'import.user.unknown', pattern: /^there is no user account "(?<name>[^]*)"$/ },
  { key: 'import.user.ambiguous', pattern: /^(?<count>\d+) enterprises have a user "(?<name>[^]*)" \((?<enterprises>[^]*)\): add an Enterprise column$/ },
  // Number attribution.
  { key: 'import.attribution.countryCode', pattern: /^must be a calling code of 1 to 3 digits, got "(?<value>[^]*)"$/ },
  { key: 'import.attribution.prefix', pattern: /^must be 1 to 15 digits, got "(?<value>[^]*)"$/ },
  { key: 'import.attribution.areaCode', pattern: /^must be up to 6 digits \(or empty\), got "(?<value>[^]*)"$/ },
  { key: 'import.attribution.kind', pattern: /^must be mobile or fixed, got "(?<value>[^]*)"$/ },
  { key: 'import.attribution.kindEmpty', pattern: /^is empty \(mobile or fixed\)$/ },
  // Last: any other rule's message with the value it refused ("must be an amount of zero or more, got "-5"").
  { key: 'import.cell.invalidValue', pattern: /^(?<rule>[^]*), got "(?<value>[^]*)"$/ },
  { key: 'import.attribution.repeated', pattern: /^prefix (?<prefix>\d+) \(country (?<countryCode>\d+)\) appears again; it is first in row (?<first>\d+)$/ },
];

/** A problem no entry knows (a contract rule's message, say): a general sentence, the English as its detail. */
export const GENERIC_IMPORT_KEY = 'import.other';

/** Every key an import problem can carry: the i18n catalogue (both engine.json files) must hold each. */
export const IMPORT_PROBLEM_KEYS: readonly string[] = [...ENTRIES.map((e) => e.key), GENERIC_IMPORT_KEY];

/** "(sheet Users (2)) " before a problem of a workbook with several sheets. */
const SHEET_NOTE = /^\(sheet (?<sheet>[^]*?)\) /;
/** Values quoted from the file stay text ("007" is not 7). */
const TEXT_PARAMS = new Set(['value', 'name', 'number', 'prefix', 'countryCode', 'file', 'other', 'owner', 'device']);

/** The key and parameters of an import problem's English sentence. */
export function importProblemKey(text: string): { key: string; params: Params } {
  const params: Params = {};
  let rest = text;
  const sheet = SHEET_NOTE.exec(rest);
  if (sheet) {
    params['sheet'] = sheet.groups!['sheet']!;
    rest = rest.slice(sheet[0].length);
  }
  for (const entry of ENTRIES) {
    const m = entry.pattern.exec(rest);
    if (!m) continue;
    for (const [name, value] of Object.entries(m.groups ?? {})) {
      if (value !== undefined) params[name] = /^\d{1,15}$/.test(value) && !TEXT_PARAMS.has(name) ? Number(value) : value;
    }
    return { key: entry.key, params };
  }
  return { key: GENERIC_IMPORT_KEY, params };
}
