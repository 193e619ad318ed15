import fs from 'node:fs';
import path from 'node:path';
import { isoTime } from '../../../src-shared/api/common';
import type { SpecialNumberListRecord } from '../../../src-shared/api/attribution';
import type { SpecialNumberCategory, SpecialNumberList } from '../../../src-shared/domain/numbers/special-numbers';
import type { Sqlite } from '../../db/connection';
import type { SpecialNumberListsRow, SpecialNumbersRow } from '../../db/rows';

/** A special_numbers row, its category narrowed to the categories the rating core knows. */
type SpecialNumberRow = Omit<SpecialNumbersRow, 'category'> & { category: SpecialNumberCategory };

/** A special_number_lists row, its source narrowed to the two the schema allows. */
type ListRow = Omit<SpecialNumberListsRow, 'source'> & { source: 'default' | 'edited' };

export const DEFAULT_SPECIAL_NUMBERS_FILE = 'special-numbers.json';

/** Special numbers per country (DESIGN §5.5), seeded once from resources/special-numbers.json. */
export class SpecialNumberRepository {
  constructor(private readonly db: Sqlite) {}

  /** The list of a country as the rating core wants it (empty when the country has none). */
  list(countryCode: string): SpecialNumberList {
    const rows = this.db
      .prepare('SELECT * FROM special_numbers WHERE country_code = ? ORDER BY position')
      .all(countryCode) as SpecialNumberRow[];
    const list: SpecialNumberList = { countryCode, exact: [], patterns: [] };
    for (const r of rows) {
      const label = { category: r.category, en: r.name_en, zh: r.name_zh };
      if (r.number !== null) list.exact.push({ number: r.number, ...label });
      else list.patterns.push({ prefix: r.prefix!, minLength: r.min_length!, maxLength: r.max_length!, ...label });
    }
    return list;
  }

  record(countryCode: string): SpecialNumberListRecord {
    const meta = this.db.prepare('SELECT * FROM special_number_lists WHERE country_code = ?').get(countryCode) as ListRow | undefined;
    const { exact, patterns } = this.list(countryCode);
    return {
      countryCode,
      exact,
      patterns,
      source: meta?.source ?? 'none',
      updatedAt: meta ? isoTime(meta.updated_at) : null,
      updatedBy: meta?.updated_by ?? null,
    };
  }

  /** Replaces a country's list. Call inside a transaction. */
  replace(list: SpecialNumberList, source: 'default' | 'edited', by: string, now: number): void {
    this.db.prepare('DELETE FROM special_numbers WHERE country_code = ?').run(list.countryCode);
    const insert = this.db.prepare(
      `INSERT INTO special_numbers (country_code, position, number, prefix, min_length, max_length, category, name_en, name_zh)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let position = 0;
    for (const e of list.exact) insert.run(list.countryCode, ++position, e.number, null, null, null, e.category, e.en, e.zh);
    for (const p of list.patterns) insert.run(list.countryCode, ++position, null, p.prefix, p.minLength, p.maxLength, p.category, p.en, p.zh);
    this.db
      .prepare(
        `INSERT INTO special_number_lists (country_code, source, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (country_code) DO UPDATE SET source = excluded.source, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(list.countryCode, source, now, by);
  }

  /**
   * First start: the shipped list goes in unless its country already has one (a list emptied on purpose stays
   * empty, because its row in special_number_lists remains).
   */
  seedDefaults(resourcesDir: string, now: number): boolean {
    const file = path.join(resourcesDir, DEFAULT_SPECIAL_NUMBERS_FILE);
    const shipped = JSON.parse(fs.readFileSync(file, 'utf8')) as SpecialNumberList;
    const known = this.db.prepare('SELECT 1 FROM special_number_lists WHERE country_code = ?').get(shipped.countryCode);
    if (known) return false;
    this.db.transaction(() => this.replace(shipped, 'default', '(default data)', now))();
    return true;
  }
}
