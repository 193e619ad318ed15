/**
 * A large site's database for the benches: by default 10,000,000 CDRs of 200 enterprises, 20,000 users, 50 gateways
 * and 20 devices over 6 months, written DIRECTLY into a billing.db with the real schema (every migration applied),
 * as the charging pipeline would leave it: rated CDRs with cost and accounts, a few unrated ones, one charge entry per
 * rated CDR and a monthly recharge per enterprise in the ledger (balances follow), the daily statistics rollups (by
 * the real StatsRollups writer), ingest_daily and caller_sightings. It does NOT go through the import path (parsing,
 * classification and rating of 10M records would take an hour): the benches of that path import their own files.
 *
 * The file is cached in bench/tmp/cdr-dataset-<hash>/ keyed by the migrations' SQL, the options and GENERATOR_VERSION,
 * and reused across runs. Benches must not write to it (copy it first); `cdrDataset()` returns its data folder.
 *
 *   import { cdrDataset } from './generate-cdrs';
 *   const data = await cdrDataset({}, ctx.log);   // or cdrDataset({ cdrs: 100_000 }) for a small one
 *   const store = openStore(data.dataDir);
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../src-main/db/connection';
import { migrations } from '../src-main/db/migrations';
import { StatsRollups } from '../src-main/statistics/rollups';
import { calendarOf } from '../src-main/statistics/zone-calendar';
import { setUpAccounts, writeCalls } from './cdr-dataset-rows';

/** Bump when the generated content changes, so cached files are made again. */
export const GENERATOR_VERSION = 1;

export interface CdrDatasetOptions {
  cdrs: number;
  enterprises: number;
  users: number;
  gateways: number;
  devices: number;
  months: number;
  /** The data ends at the start of this month (exclusive), in `timeZone`: "2026-07". */
  endMonth: string;
  /** Devices' zone and the statistics zone. */
  timeZone: string;
  seed: number;
}

export const DEFAULT_DATASET: CdrDatasetOptions = {
  cdrs: 10_000_000,
  enterprises: 200,
  users: 20_000,
  gateways: 50,
  devices: 20,
  months: 6,
  endMonth: '2026-07',
  timeZone: 'Asia/Shanghai',
  seed: 1,
};

export interface CdrDataset {
  dataDir: string;
  file: string;
  options: CdrDatasetOptions;
  /** [from, to) of the calls, epoch ms. */
  from: number;
  to: number;
  /** Months covered, oldest first ("2026-01"...). */
  months: string[];
  enterpriseIds: number[];
  deviceIds: number[];
  gatewayIds: number[];
  /** The first user of each enterprise (users of an enterprise have consecutive ids). */
  firstUserIds: number[];
  counts: { cdrs: number; rated: number; unrated: number; ledger: number; statsRows: number };
  generatedSeconds: number;
}

export function datasetKey(options: CdrDatasetOptions): string {
  const h = createHash('sha256');
  h.update(`v${GENERATOR_VERSION}\n${JSON.stringify(options)}\n`);
  for (const m of migrations) h.update(`${m.id}\n${m.sql}\n`);
  return h.digest('hex').slice(0, 16);
}

/** The cached dataset for these options, generated first when there is none. */
export async function cdrDataset(overrides: Partial<CdrDatasetOptions> = {}, log: (m: string) => void = () => undefined): Promise<CdrDataset> {
  const options = { ...DEFAULT_DATASET, ...overrides };
  const dir = path.resolve('bench', 'tmp', `cdr-dataset-${datasetKey(options)}`);
  const manifest = path.join(dir, 'dataset.json');
  const lock = `${dir}.lock`;
  for (;;) {
    if (fs.existsSync(manifest)) return JSON.parse(fs.readFileSync(manifest, 'utf8')) as CdrDataset;
    // One generator per data set: another bench process may be writing it (same working tree, same key).
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const owner = Number(fs.readFileSync(lock, 'utf8'));
      if (!isAlive(owner)) fs.rmSync(lock, { force: true });
      else {
        log(`waiting for process ${owner}, which is generating ${dir}`);
        await new Promise((resolve) => setTimeout(resolve, 10_000));
      }
    }
  }
  try {
    fs.rmSync(dir, { recursive: true, force: true });
    log(`generating ${options.cdrs.toLocaleString('en-US')} CDRs into ${dir} (cached for later runs)`);
    const dataset = generate(dir, options, log);
    fs.writeFileSync(manifest, JSON.stringify(dataset, null, 2));
    return dataset;
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function generate(dir: string, o: CdrDatasetOptions, log: (m: string) => void): CdrDataset {
  const started = performance.now();
  openStore(dir).close(); // the real schema
  const file = path.join(dir, 'billing.db');
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.pragma('temp_store = FILE');
  const calendar = calendarOf(o.timeZone);
  const endFirst = calendar.monthRange(o.endMonth).from;
  const months: string[] = [];
  let month = o.endMonth;
  for (let i = 0; i < o.months; i++) {
    const [y, m] = month.split('-').map(Number) as [number, number];
    month = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    months.unshift(month);
  }
  const from = calendar.monthRange(months[0]!).from;
  const to = endFirst;
  const createdAt = from - 30 * 86_400_000;

  // Indexes and triggers of the big tables are dropped while rows go in and made again from their own SQL after.
  const deferred = db
    .prepare("SELECT name, type, sql FROM sqlite_master WHERE tbl_name IN ('cdrs', 'ledger') AND type IN ('index', 'trigger') AND sql IS NOT NULL")
    .all() as { name: string; type: string; sql: string }[];
  for (const d of deferred) db.exec(`DROP ${d.type.toUpperCase()} ${d.name}`);

  const ids = db.transaction(() => setUpAccounts(db, o, createdAt))();
  db.prepare('UPDATE stats_state SET time_zone = ?, built_at = ? WHERE id = 1').run(o.timeZone, to);
  const rollups = new StatsRollups(db);
  const counts = writeCalls(db, o, ids, rollups, { from, to, months }, log);
  log(`rows written in ${((performance.now() - started) / 1000).toFixed(0)} s; building indexes`);
  for (const d of deferred) db.exec(d.sql);
  // After the ledger's indexes are back: the balance trigger checks each balance against the latest entry.
  const setBalance = db.prepare('UPDATE accounts SET balance = ? WHERE id = ?');
  db.transaction(() => {
    for (const [account, balance] of counts.balances) setBalance.run(balance, account);
  })();
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'caller_sightings'").get()) {
    db.exec(`INSERT INTO caller_sightings (device_id, caller, calls, first_seen_at, last_seen_at)
      SELECT device_id, caller, COUNT(*), MIN(start_at), MAX(start_at) FROM cdrs
      WHERE direction <> 'inbound' AND length(caller) BETWEEN 1 AND 20 AND caller NOT GLOB '*[^0-9*#+]*'
      GROUP BY device_id, caller`);
  }
  const statsRows = db.prepare('SELECT COUNT(*) FROM stats_daily').pluck().get() as number;
  db.pragma('journal_mode = WAL');
  db.close();
  return {
    dataDir: dir,
    file,
    options: o,
    from,
    to,
    months,
    enterpriseIds: ids.enterprises,
    deviceIds: ids.devices,
    gatewayIds: ids.gateways.map((g) => g.id),
    firstUserIds: ids.firstUsers,
    counts: { cdrs: counts.cdrs, rated: counts.rated, unrated: counts.unrated, ledger: counts.ledger, statsRows },
    generatedSeconds: Math.round((performance.now() - started) / 1000),
  };
}
