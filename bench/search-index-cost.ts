/**
 * What the search indexes (migration 0011) cost ingestion: the same generated CDRs stored through CdrStore into two
 * fresh databases, one without and one with the indexes, batch by batch in turn (so a busy machine slows both
 * alike), then "charged" (the charging pipeline's UPDATE of the rated columns, which fills the partial indexes).
 */
import os from 'node:os';
import path from 'node:path';
import type { NormalizedCdr } from '../src-shared/domain/cdr';
import { openStore, type Store } from '../src-main/db/connection';
import { migrations } from '../src-main/db/migrations';
import { CdrStore } from '../src-main/ingest/store';
import type { BenchContext } from './harness';

const TOTAL = 300_000;
const BATCH = 2_000;

function device(store: Store): number {
  const at = Date.now();
  return Number(
    store.sqlite
      .prepare(
        `INSERT INTO devices (name, format, time_zone, country_code, area_code, national_prefix, international_prefix,
           extension_pattern, addresses, created_at, updated_at)
         VALUES ('PBX', 'asterisk-csv', 'Asia/Shanghai', '86', '10', '0', '00', '^\\d{4}$', '[]', ?, ?)`,
      )
      .run(at, at).lastInsertRowid,
  );
}

function batchOf(deviceId: number, first: number, n: number, t0: number): NormalizedCdr[] {
  const out: NormalizedCdr[] = [];
  for (let i = first; i < first + n; i++) {
    const start = t0 + i * 1_700;
    const answered = i % 7 !== 0;
    const billsec = answered ? 10 + ((i * 37) % 900) : 0;
    const caller = String(8000 + ((i * 7919) % 1000));
    const callee = i % 3 === 0 ? `9138${String((i * 104_729) % 1e8).padStart(8, '0')}` : `90${['21', '755', '571'][i % 3]}${String((i * 7_919) % 1e8).padStart(8, '0')}`;
    out.push({
      deviceId: String(deviceId),
      format: 'asterisk-csv',
      nativeId: `${Math.floor(start / 1000)}.${i}`,
      dedupKey: `bench:${i}`,
      startMs: start,
      answerMs: answered ? start + 5_000 : null,
      endMs: start + 5_000 + billsec * 1000,
      duration: 5 + billsec,
      billsec,
      caller,
      callerName: `Ext ${caller}`,
      callee,
      direction: 'outbound',
      disposition: answered ? 'answered' : i % 2 ? 'no_answer' : 'busy',
      raw: `"ent","${caller}","${callee}","from-internal","","PJSIP/${caller}","PJSIP/trunk","Dial","","${new Date(start).toISOString()}",${billsec}`,
      position: { line: i + 1 },
    });
  }
  return out;
}

interface Side {
  name: string;
  store: Store;
  cdrs: CdrStore;
  deviceId: number;
  storeMs: number;
  chargeMs: number;
}

export async function measureIndexCost(ctx: BenchContext): Promise<void> {
  const dir = ctx.tmpDir();
  const open = (name: string, withSearch: boolean): Side => {
    const store = openStore(path.join(dir, name), { migrations: withSearch ? migrations : migrations.filter((m) => m.id !== '0011_cdr_search') });
    return { name, store, cdrs: new CdrStore(store.sqlite, Date.now), deviceId: device(store), storeMs: 0, chargeMs: 0 };
  };
  const sides = [open('without', false), open('with', true)];
  const t0 = Date.UTC(2026, 0, 1);
  for (let first = 0; first < TOTAL; first += BATCH) {
    for (const side of first / BATCH % 2 ? [...sides].reverse() : sides) {
      const batch = batchOf(side.deviceId, first, BATCH, t0);
      const started = performance.now();
      side.cdrs.storeBatch(side.deviceId, { kind: 'import', name: 'bench.csv' }, { cdrs: batch, rejects: [], skipped: [] });
      side.storeMs += performance.now() - started;
    }
    if (first % 20_000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  // The charging pipeline's write: the rated columns of each CDR, in the batch's transaction.
  for (const side of sides) {
    const rated = side.store.sqlite.prepare(
      `UPDATE cdrs SET status = 'rated', call_type = ?, normalized = callee, rating_number = callee, rate_id = 1, rate_group_id = 1,
         billed_seconds = billsec, cost = ?, account_id = ?, enterprise_id = ?, user_account_id = ?, gateway_id = ?, rated_at = ? WHERE id = ?`,
    );
    const ids = side.store.sqlite.prepare('SELECT id FROM cdrs ORDER BY id').pluck().all() as number[];
    side.store.sqlite.pragma('foreign_keys = OFF'); // no accounts exist in these files: only the index work is measured
    const charge = side.store.sqlite.transaction((chunk: number[]) => {
      for (const id of chunk) {
        rated.run(id % 3 ? 'domestic' : 'local', (id * 37) % 50_000, 1 + (id % 200), 1 + (id % 200), id % 10 ? 1000 + (id % 20_000) : null, id % 10 ? null : 30_000 + (id % 50), Date.now(), id);
      }
    });
    const started = performance.now();
    for (let i = 0; i < ids.length; i += BATCH) charge(ids.slice(i, i + BATCH));
    side.chargeMs = performance.now() - started;
  }
  const [without, withSearch] = sides as [Side, Side];
  const rate = (ms: number) => Math.round(TOTAL / (ms / 1000));
  const cost = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(0)}% more time`;
  ctx.record({ name: 'store CDRs (CdrStore.storeBatch), without the search indexes', value: rate(without.storeMs), unit: 'records/s', notes: `${TOTAL.toLocaleString('en-US')} CDRs in batches of ${BATCH}, WAL, synchronous=FULL` });
  ctx.record({ name: 'store CDRs (CdrStore.storeBatch), with the search indexes (0011)', value: rate(withSearch.storeMs), unit: 'records/s', notes: `${cost(without.storeMs, withSearch.storeMs)}; batches alternate between the two files; load average ${os.loadavg()[0]!.toFixed(1)}` });
  ctx.record({ name: 'charging write of the rated columns, without the search indexes', value: rate(without.chargeMs), unit: 'records/s', notes: 'one UPDATE per CDR, transactions of 2,000' });
  ctx.record({ name: 'charging write of the rated columns, with the search indexes (0011)', value: rate(withSearch.chargeMs), unit: 'records/s', notes: cost(without.chargeMs, withSearch.chargeMs) });
  for (const side of sides) side.store.close();
}
