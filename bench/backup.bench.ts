/**
 * Online backup while a writer inserts at full speed (issue: backup of 10,000,000 CDRs while ingesting; throughput
 * drop < 30 %, no pause > 200 ms).
 *
 * The database is the 10,000,000-CDR data set of bench/generate-cdrs.ts (real schema and indexes, ledger, rollups;
 * cached in bench/tmp). The writer commits rows of CDR width into a side table of that copy (`bench_cdrs`, with a
 * unique dedup key and time indexes) on the engine's connection, as ingestion commits its batches.
 * BENCH_BACKUP_ROWS=n backs up a generated database of n rows of that side table alone instead (quicker).
 */
import { BackupService, DEFAULT_PAGES_PER_STEP, FLUSH_EVERY_BYTES } from '../src-main/system/backup/backup-service';
import fs from 'node:fs';
import path from 'node:path';
import { DB_FILE_NAME, openStore, type Sqlite } from '../src-main/db/connection';
import { EventBus } from '../src-main/events';
import { createLogger } from '../src-main/log';
import { SettingsService } from '../src-main/settings/service';
import { cdrDataset } from './generate-cdrs';
import { defineBench, percentile } from './harness';

const GENERATED_ROWS = process.env.BENCH_BACKUP_ROWS ? Number(process.env.BENCH_BACKUP_ROWS) : null;
const REPEATS = Number(process.env.BENCH_BACKUP_REPEATS ?? 3);
/** Rows per write transaction: ingestion commits small batches (synchronous = FULL, so each commit is an fsync). */
const WRITE_BATCH = 50;
const BASELINE_MS = 6000;
/** pages per step : MB between background flushes; the first is the engine's default (backup-service.ts). */
const VARIANTS = (process.env.BENCH_BACKUP_VARIANTS ?? '64:8').split(',').map((v) => {
  const [pages, flushMb] = v.split(':').map(Number) as [number, number];
  return { pagesPerStep: pages, flushEveryBytes: flushMb * 1024 * 1024 };
});

const SUBJECT = {
  table: 'bench_cdrs',
  create: `
    CREATE TABLE bench_cdrs (
      id INTEGER PRIMARY KEY,
      device_id INTEGER NOT NULL,
      dedup_key TEXT NOT NULL,
      start_at INTEGER NOT NULL,
      answer_at INTEGER,
      end_at INTEGER NOT NULL,
      duration INTEGER NOT NULL,
      billsec INTEGER NOT NULL,
      caller TEXT NOT NULL,
      caller_name TEXT,
      callee TEXT NOT NULL,
      callee_normalized TEXT,
      direction TEXT NOT NULL,
      trunk_in TEXT,
      trunk_out TEXT,
      disposition TEXT NOT NULL,
      call_type TEXT,
      area TEXT,
      rate_id INTEGER,
      cost INTEGER,
      account_id INTEGER,
      status TEXT NOT NULL,
      raw TEXT NOT NULL
    );
    CREATE UNIQUE INDEX bench_cdrs_dedup ON bench_cdrs(device_id, dedup_key);
    CREATE INDEX bench_cdrs_start ON bench_cdrs(start_at DESC, id DESC);
    CREATE INDEX bench_cdrs_account_start ON bench_cdrs(account_id, start_at DESC);`,
  insert: `INSERT INTO bench_cdrs (device_id, dedup_key, start_at, answer_at, end_at, duration, billsec, caller, caller_name,
      callee, callee_normalized, direction, trunk_in, trunk_out, disposition, call_type, area, rate_id, cost, account_id,
      status, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  row(i: number): unknown[] {
    const start = 1_767_225_600_000 + i * 2_600;
    const billsec = (i * 37) % 900;
    const callee = `0${10 + (i % 80)}${String(60_000_000 + ((i * 7919) % 39_999_999))}`;
    const caller = String(8000 + (i % 900));
    return [
      1 + (i % 4), `1767225600.${i}`, start, start + 8_000, start + 8_000 + billsec * 1000, 8 + billsec, billsec, caller,
      `Extension ${caller}`, callee, callee.slice(1), 'outbound', null, `trunk-${i % 6}`, billsec ? 'ANSWERED' : 'NO ANSWER',
      'domestic', `area-${i % 80}`, 1 + (i % 40), billsec * 50, 1 + (i % 500), 'rated',
      `"${caller}","${callee}","from-internal","SIP/${caller}-0000${i}","SIP/trunk-${i % 6}","Dial","${billsec}","ANSWERED","DOCUMENTATION","1767225600.${i}"`,
    ];
  },
};

function fill(db: Sqlite, rows: number): void {
  db.exec(SUBJECT.create);
  const insert = db.prepare(SUBJECT.insert);
  const chunk = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insert.run(...SUBJECT.row(i));
  });
  for (let from = 0; from < rows; from += 50_000) chunk(from, Math.min(rows, from + 50_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/** Inserts batches back to back (yielding to the event loop between them) and records when each one committed. */
function startWriter(db: Sqlite, firstRow: number) {
  const insert = db.prepare(SUBJECT.insert);
  const batch = db.transaction((from: number) => {
    for (let i = from; i < from + WRITE_BATCH; i++) insert.run(...SUBJECT.row(i));
  });
  const commits: number[] = [];
  let next = firstRow;
  let running = true;
  const done = (async () => {
    while (running) {
      batch(next);
      next += WRITE_BATCH;
      commits.push(performance.now());
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return {
    commits,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/** Rows per second and the longest gap between two commits within [from, to]. */
function window(commits: number[], from: number, to: number) {
  const inside = commits.filter((c) => c >= from && c <= to);
  let longest = 0;
  let previous = from;
  for (const c of inside) {
    longest = Math.max(longest, c - previous);
    previous = c;
  }
  longest = Math.max(longest, to - previous);
  const gaps = inside.slice(1).map((c, i) => c - inside[i]!);
  return { rowsPerSecond: (inside.length * WRITE_BATCH) / ((to - from) / 1000), longestPauseMs: longest, p99GapMs: percentile(gaps, 99) };
}

interface Run {
  before: number;
  after: number;
  during: number;
  dropPercent: number;
  longestPauseMs: number;
  baselinePauseMs: number;
  p99GapMs: number;
  seconds: number;
  fileMb: number;
}

/** One backup of a fresh copy of the template while the writer runs before, during and after it. */
async function measure(template: string, dataDir: string, variant: (typeof VARIANTS)[number]): Promise<Run> {
  fs.copyFileSync(path.join(template, DB_FILE_NAME), path.join(dataDir, DB_FILE_NAME));
  const store = openStore(dataDir);
  const db = store.sqlite;
  const log = createLogger({ consoleLevel: 'silent' });
  const backups = new BackupService({ db, dataDir, settings: new SettingsService(db, Date.now), events: new EventBus(), log, now: Date.now, version: 'bench', ...variant });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const writer = startWriter(db, 1_000_000_000);
  await sleep(2000); // warm-up
  const beforeStart = performance.now();
  await sleep(BASELINE_MS);
  const backupStart = performance.now();
  const file = await backups.backup('manual', 'bench');
  const backupEnd = performance.now();
  await sleep(BASELINE_MS);
  await writer.stop();
  await backups.stop();
  store.close();
  log.close();
  fs.rmSync(dataDir, { recursive: true, force: true });

  // The baseline is the writer before and after the backup: fsync latency drifts, one window alone misleads.
  const before = window(writer.commits, beforeStart, backupStart);
  const after = window(writer.commits, backupEnd, backupEnd + BASELINE_MS);
  const during = window(writer.commits, backupStart, backupEnd);
  const base = (before.rowsPerSecond + after.rowsPerSecond) / 2;
  return {
    before: before.rowsPerSecond,
    after: after.rowsPerSecond,
    during: during.rowsPerSecond,
    dropPercent: (1 - during.rowsPerSecond / base) * 100,
    longestPauseMs: during.longestPauseMs,
    baselinePauseMs: Math.max(before.longestPauseMs, after.longestPauseMs),
    p99GapMs: during.p99GapMs,
    seconds: (backupEnd - backupStart) / 1000,
    fileMb: file.sizeBytes / 1024 / 1024,
  };
}

export default defineBench('backup', async (ctx) => {
  const template = ctx.tmpDir();
  const started = performance.now();
  let described: string;
  if (GENERATED_ROWS === null) {
    const data = await cdrDataset({}, ctx.log);
    fs.copyFileSync(data.file, path.join(template, DB_FILE_NAME));
    const filling = openStore(template);
    fill(filling.sqlite, 0);
    filling.close();
    described = `the ${data.counts.cdrs.toLocaleString('en-US')}-CDR data set (real schema, ${data.counts.ledger.toLocaleString('en-US')} ledger entries, rollups)`;
  } else {
    const filling = openStore(template);
    fill(filling.sqlite, GENERATED_ROWS);
    filling.close();
    described = `a ${GENERATED_ROWS.toLocaleString('en-US')}-row generated table of CDR width`;
  }
  const sizeMb = fs.statSync(path.join(template, DB_FILE_NAME)).size / 1024 / 1024;
  ctx.log(`template ready (${sizeMb.toFixed(0)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const subject = `${described}, ${sizeMb.toFixed(0)} MB; writer commits ${WRITE_BATCH} rows of CDR width per transaction (synchronous=FULL) on the engine's connection`;

  for (const variant of VARIANTS) {
    const runs: Run[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const run = await measure(template, ctx.tmpDir(), variant);
      runs.push(run);
      ctx.log(
        `pages/step ${variant.pagesPerStep}, flush ${variant.flushEveryBytes / 1024 / 1024} MB, run ${i + 1}: writer ${run.before.toFixed(0)} before, ` +
          `${run.during.toFixed(0)} during, ${run.after.toFixed(0)} after (rows/s), drop ${run.dropPercent.toFixed(1)} %, longest pause ` +
          `${run.longestPauseMs.toFixed(1)} ms (outside the backup ${run.baselinePauseMs.toFixed(1)} ms), backup ${run.seconds.toFixed(1)} s, ${run.fileMb.toFixed(0)} MB`,
      );
    }
    const isDefault = variant.pagesPerStep === DEFAULT_PAGES_PER_STEP && variant.flushEveryBytes === FLUSH_EVERY_BYTES;
    const label = `${variant.pagesPerStep} pages per step, flush every ${variant.flushEveryBytes / 1024 / 1024} MB${isDefault ? ', the default' : ''}`;
    const drop = percentile(runs.map((r) => r.dropPercent), 50);
    const worstPause = Math.max(...runs.map((r) => r.longestPauseMs));
    const list = (f: (r: Run) => number, digits = 1) => runs.map((r) => f(r).toFixed(digits)).join(', ');
    ctx.record({
      name: `writer throughput drop during backup (${label})`,
      value: +drop.toFixed(1),
      unit: '%',
      target: '< 30',
      ok: drop < 30,
      notes: `median of ${REPEATS} runs (${list((r) => r.dropPercent)} %); ${subject}; writer rows/s during: ${list((r) => r.during, 0)}; shared 2-core machine`,
    });
    ctx.record({
      name: `longest writer pause during backup (${label})`,
      value: +worstPause.toFixed(1),
      unit: 'ms',
      target: '< 200',
      ok: worstPause < 200,
      notes: `worst of ${REPEATS} runs (${list((r) => r.longestPauseMs)} ms); outside the backup the longest gap between commits was ${list((r) => r.baselinePauseMs)} ms (fsync)`,
    });
    ctx.record({
      name: `backup duration while writing (${label})`,
      value: +percentile(runs.map((r) => r.seconds), 50).toFixed(1),
      unit: 's',
      notes: `median of ${REPEATS}; copies of ${list((r) => r.fileMb, 0)} MB (the writer grew the table before the backup), including the sha-256 of the copy`,
    });
  }
});
