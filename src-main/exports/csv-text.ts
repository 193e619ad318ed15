/**
 * Text for a CSV cell that a spreadsheet program shows as text. A cell that begins like a formula (`=`, `@`, a tab or
 * CR, or a sign that does not start a plain number) is run as one when the file is opened in Excel or LibreOffice:
 * a user name or caller name typed as `=HYPERLINK(...)` would become a link in the clerk's spreadsheet. Such text
 * gets a leading apostrophe. Phone numbers and amounts (`+8613800138000`, `+86 138 0013 8000`, `-5`) stay as they are.
 */
const FORMULA_START = /^[=@\t\r]/;
const SIGN = /^[+-]/;
const PLAIN_NUMBER = /^[+-][\d\s().]*$/;

export function csvText(text: string): string {
  return FORMULA_START.test(text) || (SIGN.test(text) && !PLAIN_NUMBER.test(text)) ? `'${text}` : text;
}
