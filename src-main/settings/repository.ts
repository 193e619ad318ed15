/** The `settings` table: one JSON value per section. */
import type { Sqlite } from '../db/connection';
import type { SettingsRow } from '../db/rows';

/** The stored JSON of a section (undefined: never written, the defaults apply). */
export function readSettingValue(db: Sqlite, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as Pick<SettingsRow, 'value'> | undefined;
  return row?.value;
}

/** Stores the JSON of a section, replacing what was there. */
export function writeSettingValue(db: Sqlite, key: string, value: string, at: number): void {
  db.prepare(
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  ).run(key, value, at);
}
