/**
 * Field values as database exports and collectors write them. FreePBX/MySQL and PostgreSQL exports write `NULL`
 * (MySQL's own dumps `\N`) for a column that has no value: it is an empty field, not a number or a trunk name.
 */

export function isDatabaseNull(text: string): boolean {
  return text === 'NULL' || text === '\\N';
}

/** The field trimmed, empty when the export wrote NULL for it. */
export function fieldValue(text: string): string {
  const trimmed = text.trim();
  return isDatabaseNull(trimmed) ? '' : trimmed;
}

/** A column name as a key: lower case, without spaces, dashes and underscores (`Call Start`, `time_start`, `timeStart`). */
export function nameKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
