/**
 * Importing the real-world corpus (test/fixtures/real): a device per file, the clerk's file import, the counts and
 * reject reasons checked, and a repeated import that must add nothing. Shared by the corpus test's describes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { InputOf, OutputOf } from '../../src-shared/api';
import type { CdrFormat } from '../../src-shared/domain/cdr';
import type { CdrRow } from '../../src-shared/api/cdrs';
import type { TestEngine } from './engine';
import { beijingDevice } from './fixtures';

export const REAL_DIR = path.resolve('test/fixtures/real');

export type ImportResult = OutputOf<'cdrs.import'>;

export interface Counts {
  received: number;
  stored: number;
  duplicates: number;
  rejected: number;
  skipped: number;
}

/** The fields checked by hand on each sampled row. */
export const callOf = (row: CdrRow) => ({
  caller: row.caller,
  callee: row.callee,
  start: row.start,
  answer: row.answer,
  end: row.end,
  duration: row.duration,
  billsec: row.billsec,
  disposition: row.disposition,
});

export class RealCorpus {
  private deviceSeq = 0;

  constructor(
    private readonly t: TestEngine,
    private readonly admin: string,
    private readonly clerk: string,
  ) {}

  async device(format: CdrFormat, timeZone: string, extra: Partial<InputOf<'devices.create'>> = {}): Promise<number> {
    const input = beijingDevice({ name: `real ${format} ${++this.deviceSeq}`, format, timeZone, addresses: [], ...extra });
    return (await this.t.call('devices.create', input, this.admin)).id;
  }

  importReal(deviceId: number, file: string): Promise<ImportResult> {
    const content = fs.readFileSync(path.join(REAL_DIR, file)).toString('base64');
    return this.t.call('cdrs.import', { deviceId, fileName: path.basename(file), content }, this.clerk);
  }

  /** Imports the file, checks the counts and the reject reasons (in line order), and that a second import adds nothing. */
  async importChecked(deviceId: number, file: string, counts: Counts, rejectReasons: RegExp[] = []): Promise<ImportResult> {
    const storedBefore = this.storedCount(deviceId);
    const result = await this.importReal(deviceId, file);
    expect({ received: result.received, stored: result.stored, duplicates: result.duplicates, rejected: result.rejected, skipped: result.skipped }).toEqual(counts);
    expect(result.rejects.map((r) => r.reason)).toEqual(rejectReasons.map((re) => expect.stringMatching(re)));
    expect(this.storedCount(deviceId)).toBe(storedBefore + counts.stored);

    const again = await this.importReal(deviceId, file);
    // Calls and rejects already held both count as duplicates the second time.
    expect({ stored: again.stored, rejected: again.rejected, duplicates: again.duplicates, skipped: again.skipped }).toEqual({
      stored: 0,
      rejected: 0,
      duplicates: counts.received,
      skipped: counts.skipped,
    });
    expect(this.storedCount(deviceId)).toBe(storedBefore + counts.stored);
    return result;
  }

  storedCount(deviceId: number): number {
    return this.t.services.db.prepare('SELECT COUNT(*) FROM cdrs WHERE device_id = ?').pluck().get(deviceId) as number;
  }

  /** The device's CDRs, earliest start first (ties in the order of the file). */
  async rowsOf(deviceId: number): Promise<CdrRow[]> {
    const page = await this.t.call('cdrs.search', { deviceId, order: 'asc', limit: 1000 }, this.clerk);
    return page.rows;
  }

  detail(row: CdrRow) {
    return this.t.call('cdrs.get', { id: row.id }, this.clerk);
  }
}
