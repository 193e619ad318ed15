/**
 * What the CDR search indexes cost ingestion: the same CDRs, inserted once with their rated columns (call type, cost,
 * accounts: the store's one write per call), into databases that differ only in their search indexes, batch by batch
 * in turn (so a busy machine slows every side alike).
 *
 * Each database first holds HISTORY CDRs of the weeks before (written once without indexes, copied, then indexed), so the indexes are larger than the cache as at a large site: an insert into an index led by a key of many
 * values (caller, user, cost) then reads and dirties a leaf page of its own, while a day-led one lands in today's pages.
 * Sides: no search index, the 0011 set, the 0015 set (day-led), and 0015 variants that show what each choice is worth.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../src-main/db/connection';
import { migrations } from '../src-main/db/migrations';
import type { BenchContext } from './harness';
import { seededRandom as random } from '../test/helpers/seeded-random';

const HISTORY = Number(process.env.INDEX_COST_HISTORY ?? 2_000_000);
const TOTAL = Number(process.env.INDEX_COST_CDRS ?? 200_000);
const BATCH = 2_000;
const DAY = 86_400_000;
/** CDRs a day, as in the 10M data set (6 months). */
const PER_DAY = 55_000;

const sqlOf = (id: string) => migrations.find((m) => m.id === id)!.sql;

export interface IndexSet {
  name: string;
  /** SQL run on the indexed history file (after 0011's indexes are dropped). */
  sql: string;
}

const day = (key: string, where = '') => `(start_at / 86400000, ${key}, start_at, id)${where ? ` WHERE ${where}` : ''}`;
export const INDEX_SETS: IndexSet[] = [
  { name: 'no search index', sql: '' },
  { name: 'the 0011 set', sql: sqlOf('0011_cdr_search') },
  { name: 'the 0015 set (day-led)', sql: `${sqlOf('0011_cdr_search')}\n${sqlOf('0015_cdr_search_day_led')}` },
  {
    name: '0015, but enterprise and gateway led by the key',
    sql: `${sqlOf('0011_cdr_search')}\n${sqlOf('0015_cdr_search_day_led')}
      DROP INDEX cdrs_enterprise_time; DROP INDEX cdrs_gateway_time;
      CREATE INDEX cdrs_enterprise_time ON cdrs (enterprise_id, start_at, id) WHERE enterprise_id IS NOT NULL;
      CREATE INDEX cdrs_gateway_time ON cdrs (gateway_id, start_at, id) WHERE gateway_id IS NOT NULL;`,
  },
  {
    name: '0015, device, call type and disposition day-led too',
    sql: `${sqlOf('0011_cdr_search')}\n${sqlOf('0015_cdr_search_day_led')}
      DROP INDEX cdrs_device_time; DROP INDEX cdrs_call_type_time; DROP INDEX cdrs_disposition_time;
      CREATE INDEX cdrs_device_time ON cdrs ${day('device_id')};
      CREATE INDEX cdrs_call_type_time ON cdrs ${day('call_type', 'call_type IS NOT NULL')};
      CREATE INDEX cdrs_disposition_time ON cdrs ${day('disposition', "disposition <> 'answered'")};`,
  },
];

const TYPES = ['internal', 'local', 'domestic', 'international', 'special'];
const INSERT = `INSERT INTO cdrs (id, device_id, dedup_key, native_id, format, start_at, answer_at, end_at, duration, billsec, caller,
    callee, direction, disposition, raw, source_kind, source_name, received_at, status, call_type, normalized, rating_number,
    rate_id, rate_group_id, billed_seconds, cost, account_id, enterprise_id, user_account_id, gateway_id, rated_at)
  VALUES (?, ?, ?, ?, 'asterisk-csv', ?, ?, ?, ?, ?, ?, ?, 'outbound', ?, ?, 'import', 'bench.csv', ?, 'rated', ?, ?, ?, 1, 1, ?, ?, ?, ?, ?, ?, ?)`;

/** Start time of CDR `n` (ids from 1): PER_DAY a day, the first HISTORY before `t0`, the measured ones from `t0` on. */
const startOf = (n: number, t0: number) => t0 + Math.floor(((n - 1 - HISTORY) * DAY) / PER_DAY);

/**
 * The rated CDR `n`: 20 devices, 200 enterprises, 20,000 users (90% of calls) or 50 gateways, callers by user, random
 * callees and costs, as in the 10M data set.
 */
function cdrValues(n: number, t0: number, rnd: () => number): unknown[] {
  const start = startOf(n, t0);
  const e = Math.floor(rnd() * 200);
  const u = Math.floor(rnd() * 100);
  const byUser = rnd() < 0.9;
  const type = TYPES[Math.floor(rnd() * TYPES.length)]!;
  const answered = rnd() < 0.85;
  const billsec = answered ? Math.round(Math.exp(3 + rnd() * 4.5)) : 0;
  const callee = `9${type === 'local' ? '138' : '021'}${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`;
  const cost = Math.round(billsec * 50 * rnd());
  return [
    n, 1 + (e % 20), `bench:${n}`, `${n}`, start, answered ? start + 5_000 : null, start + 5_000 + billsec * 1000, 5 + billsec, billsec,
    String(8000 + (Math.floor(e / 20) * 100 + u)), callee, answered ? 'answered' : rnd() < 0.6 ? 'no_answer' : 'busy',
    `"bench","${callee}",${billsec}`, start + 60_000, type, callee.slice(1), callee.slice(1), billsec, cost, 1000 + e, 1000 + e,
    byUser ? 2000 + e * 100 + u : null, byUser ? null : 30_000 + (e % 50), start + 60_000,
  ];
}

/** The history file: HISTORY CDRs before `t0`, every migration but the search indexes' (0011, 0015). */
function historyFile(dir: string, t0: number, log: (m: string) => void): string {
  const search = ['0011_cdr_search', '0015_cdr_search_day_led'];
  const store = openStore(path.join(dir, 'history'), { migrations: migrations.filter((m) => !search.includes(m.id)) });
  store.close();
  const file = path.join(dir, 'history', 'billing.db');
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF'); // no accounts in these files: only the index work is measured
  const device = db.prepare(
    `INSERT INTO devices (id, name, format, time_zone, country_code, area_code, national_prefix, international_prefix,
       extension_pattern, addresses, created_at, updated_at) VALUES (?, ?, 'asterisk-csv', 'Asia/Shanghai', '86', '10', '0', '00', '^\\d{4}$', '[]', 0, 0)`,
  );
  for (let d = 1; d <= 20; d++) device.run(d, `PBX ${d}`);
  const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'cdrs' AND type = 'index' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
  for (const i of indexes) db.exec(`DROP INDEX ${i.name}`);
  const insert = db.prepare(INSERT);
  const rnd = random(7);
  db.transaction(() => {
    for (let n = 1; n <= HISTORY; n++) insert.run(...cdrValues(n, t0, rnd));
  })();
  for (const i of indexes) db.exec(i.sql);
  db.close();
  log(`index cost: ${HISTORY.toLocaleString('en-US')} CDRs of history written and indexed`);
  return file;
}

interface Side {
  set: IndexSet;
  db: Database.Database;
  insert: Database.Statement;
  ms: number;
}

/** Inserts the same TOTAL CDRs into a copy of the history for each index set: records/s of each. */
export async function measureIndexCost(ctx: BenchContext, sets: IndexSet[] = INDEX_SETS): Promise<Map<string, number>> {
  const dir = ctx.tmpDir();
  const t0 = Date.UTC(2026, 5, 1);
  const history = historyFile(dir, t0, ctx.log);
  const sides: Side[] = sets.map((set, i) => {
    const file = path.join(dir, `side-${i}.db`);
    fs.copyFileSync(history, file);
    const db = new Database(file);
    db.exec(set.sql);
    // The engine's settings (db/connection.ts): WAL, synchronous FULL, a 64 MB cache.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('cache_size = -65536');
    db.pragma('foreign_keys = OFF');
    return { set, db, insert: db.prepare(INSERT), ms: 0 };
  });
  fs.rmSync(path.dirname(history), { recursive: true, force: true });
  const rnd = random(11);
  for (let first = 0; first < TOTAL; first += BATCH) {
    const rows = Array.from({ length: BATCH }, (_, i) => cdrValues(HISTORY + 1 + first + i, t0, rnd));
    const order = (first / BATCH) % 2 ? [...sides].reverse() : sides;
    for (const side of order) {
      const started = performance.now();
      side.db.transaction(() => {
        for (const r of rows) side.insert.run(...r);
      })();
      side.ms += performance.now() - started;
    }
    if (first % 20_000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  const rates = new Map<string, number>();
  const none = sides[0]!;
  for (const side of sides) {
    const rate = Math.round(TOTAL / (side.ms / 1000));
    rates.set(side.set.name, rate);
    const indexes = side.db.prepare("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'cdrs' AND type = 'index'").pluck().get() as number;
    ctx.record({
      name: `insert a rated CDR, ${side.set.name}`,
      value: rate,
      unit: 'records/s',
      notes: `${(side.ms * 1000 / TOTAL).toFixed(0)} us/CDR; ${side !== none ? `${(((side.ms - none.ms) / none.ms) * 100).toFixed(0)}% more time than without search indexes; ` : ''}${indexes} indexes on cdrs (unique dedup key included); ${TOTAL.toLocaleString('en-US')} CDRs after ${HISTORY.toLocaleString('en-US')} of history, transactions of ${BATCH.toLocaleString('en-US')}, WAL, synchronous=FULL, 64 MB cache, the sides in turn; load average ${os.loadavg()[0]!.toFixed(1)}`,
    });
    side.db.close();
  }
  return rates;
}
