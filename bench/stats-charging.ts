/**
 * The charging part of the statistics bench: 1,000,000 Asterisk records imported through importCdrFile (the function
 * behind cdrs.import) into a fresh engine whose store charges every batch: classification, rating, payer (20,000
 * users by extension on one device, 50 gateways by trunk, the device's default enterprise), ledger entry, statistics
 * rollups, caller sightings. Accounts are inserted with SQL (setting up 20,000 users through the API is not what is
 * measured); rates, devices, enterprises and gateways go through the API.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startEngine } from '../src-main/engine';
import { importCdrFile } from '../src-main/ingest/file-import';
import type { BenchContext } from './harness';

export const CHARGING_RECORDS = Number(process.env['STATS_BENCH_CHARGING_RECORDS'] ?? 1_000_000);
const ENTERPRISES = 200;
const USERS = 20_000;
const GATEWAYS = 50;
const ADMIN_PASSWORD = 'Bench-password-1';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** Shanghai wall clock (UTC+8, no DST) as Asterisk writes it. */
const local = (ms: number) => {
  const d = new Date(ms + 8 * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};

/** Dialled numbers (with the 9 for an outside line): local, Beijing mobile, Shanghai, Shenzhen, London (the last 4
 * digits vary per call), and the police. */
const DIALLED: [string, boolean][] = [['96234', true], ['91380013', true], ['90215000', true], ['907558888', true], ['90044207946', true], ['9110', false]];

/** Writes the file in the child process (its memory is not the importer's). */
export function writeChargingFile(file: string): void {
  const out = fs.openSync(file, 'w');
  let buf = '';
  for (let i = 0; i < CHARGING_RECORDS; i++) {
    const ext = String(10_000 + ((i * 7919) % USERS));
    const start = Date.UTC(2026, 2, 1) + i * 2_500;
    const internal = i % 5 === 0;
    const gateway = !internal && i % 14 === 1 ? `gw-${i % GATEWAYS}` : 'trunk-cn';
    const [prefix, varies] = DIALLED[i % DIALLED.length]!;
    const dialled = internal ? String(10_000 + ((i * 31) % USERS)) : varies ? `${prefix}${pad(i % 10_000, 4)}` : prefix;
    const billsec = i % 9 === 0 ? 0 : 5 + (i % 600);
    const answer = billsec > 0 ? `"${local(start + 4000)}"` : '';
    const dst = internal ? `PJSIP/${dialled}-${pad(i % 65536, 8)}` : `PJSIP/${gateway}-${pad(i % 65536, 8)}`;
    buf +=
      `"ent","${ext}","${dialled}","from-internal","""User ${ext}"" <${ext}>","PJSIP/${ext}-${pad(i % 65536, 8)}","${dst}","Dial","",` +
      `"${local(start)}",${answer},"${local(start + (4 + billsec) * 1000)}",${4 + billsec},${billsec},"${billsec > 0 ? 'ANSWERED' : 'NO ANSWER'}","DOCUMENTATION","${Math.floor(start / 1000)}.${i}",""\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(out, buf);
      buf = '';
    }
  }
  fs.writeSync(out, buf);
  fs.closeSync(out);
}

export async function chargingImportBench(ctx: BenchContext, file: string, dataDir: string, load: string): Promise<void> {
  const engine = await startEngine({ dataDir, http: false, cdrListener: false, adminPassword: ADMIN_PASSWORD, consoleLogLevel: 'silent', resourcesDir: path.resolve('resources') });
  try {
    const call = async <T>(method: string, input: unknown, token?: string): Promise<T> =>
      (await engine.dispatcher.call(method, input, { transport: 'internal', address: 'bench', ...(token ? { token } : {}) })) as T;
    const { token } = await call<{ token: string }>('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    await engine.services.rating.ready();
    const group = await call<{ id: number }>('rateGroups.create', { name: 'Bench' }, token);
    for (const r of [
      { name: 'domestic', callType: 'domestic', intervals: [{ start: 0, price: '0.30', unit: 60, increment: 6 }] },
      { name: 'international', callType: 'international', intervals: [{ start: 0, price: '1.20', unit: 60, increment: 60 }] },
      { name: 'special', callType: 'special', intervals: [{ start: 0, price: '0', unit: 60, increment: 60 }] },
    ]) {
      await call('rates.create', { rateGroupId: group.id, ...r }, token);
    }
    const enterprises: number[] = [];
    for (let e = 0; e < ENTERPRISES; e++) {
      enterprises.push((await call<{ id: number }>('enterprises.create', { name: `Enterprise ${e}`, rateGroupId: group.id, billingMode: e % 4 ? 'prepaid' : 'postpaid', creditLimit: '1000000' }, token)).id);
    }
    const device = await call<{ id: number }>('devices.create', {
      name: 'Bench PBX', format: 'asterisk-csv', timeZone: 'Asia/Shanghai', countryCode: '86', areaCode: '10', nationalPrefix: '0',
      internationalPrefix: '00', extensionPattern: '\\d{5}', defaultEnterpriseId: enterprises[0],
    }, token);
    await call('routePrefixes.create', { deviceId: device.id, prefix: '9', minRemainingLength: 3 }, token);
    for (let g = 0; g < GATEWAYS; g++) {
      await call('gateways.create', { enterpriseId: enterprises[g], name: `Gateway ${g}`, deviceId: device.id, trunk: `gw-${g}` }, token);
    }
    const db = engine.services.db;
    const now = Date.now();
    const user = db.prepare("INSERT INTO accounts (kind, enterprise_id, name, own_balance, created_at, updated_at) VALUES ('user', ?, ?, 0, ?, ?)");
    const extension = db.prepare('INSERT INTO extensions (device_id, number, name, user_account_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (let u = 0; u < USERS; u++) {
        const id = Number(user.run(enterprises[Math.floor(u / (USERS / ENTERPRISES))], `User ${u}`, now, now).lastInsertRowid);
        extension.run(device.id, String(10_000 + u), '', id, now, now);
      }
    })();

    const megabytes = Math.round(fs.statSync(file).size / 1024 / 1024);
    // Where the time goes: the charging processor as a whole, and the rollups' writes within it.
    const spent = { charging: 0, rollups: 0 };
    const charging = engine.services.charging;
    const decide = charging.decide.bind(charging);
    charging.decide = (...args) => {
      const t = performance.now();
      const outcome = decide(...args);
      spent.charging += performance.now() - t;
      return outcome;
    };
    const rollups = engine.services.statistics.rollups as unknown as { flush(): void };
    const flush = rollups.flush.bind(rollups);
    rollups.flush = () => {
      const t = performance.now();
      flush();
      spent.rollups += performance.now() - t;
    };
    (globalThis as { gc?: () => void }).gc?.();
    const baselineRss = Math.round(ctx.peakRssMb());
    ctx.resetPeakRss();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const summary = await importCdrFile(engine.services.cdrWriter, {
      device: engine.services.devices.get(device.id),
      source: { kind: 'import', name: 'Master.csv' },
      input: fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const peak = Math.round(ctx.peakRssMb());
    if (process.env['STATS_BENCH_MEMORY']) ctx.log(`memory after the import: ${JSON.stringify(process.memoryUsage())}`);
    const rated = db.prepare("SELECT COUNT(*) FROM cdrs WHERE status = 'rated'").pluck().get() as number;
    if (summary.stored !== CHARGING_RECORDS || rated !== CHARGING_RECORDS) {
      const reasons = db.prepare("SELECT json_extract(status_reason, '$.key') AS reason, COUNT(*) AS n, MIN(callee) AS example FROM cdrs WHERE status <> 'rated' GROUP BY 1").all();
      throw new Error(`stored ${summary.stored}, rated ${rated} of ${CHARGING_RECORDS}: ${JSON.stringify(summary)} ${JSON.stringify(reasons)}`);
    }
    const rate = Math.round(CHARGING_RECORDS / seconds);
    ctx.record({
      name: `file import with charging and rollups, ${CHARGING_RECORDS.toLocaleString('en-US')} records`,
      value: rate,
      unit: 'CDRs/s',
      target: '>= 50000',
      ok: rate >= 50_000,
      notes:
        `importCdrFile of a ${megabytes} MB Master.csv into a fresh billing.db (WAL, synchronous=FULL), batches of 5,000 lines: ` +
        `parse, store, classify, rate, payer (20,000 users by extension, 50 gateways by trunk), ledger, rollups, caller sightings; ` +
        `${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU of this process; finding the payer and rating took ` +
        `${(spent.charging / 1000).toFixed(1)} s, the rollup writes ${(spent.rollups / 1000).toFixed(1)} s, parsing, the ` +
        `one insert of each rated CDR, its ledger entry, caller sightings and commits the other ` +
        `${(seconds - spent.charging / 1000 - spent.rollups / 1000).toFixed(1)} s; ${load}. What limits it: SQLite writes ` +
        `more than rating: each CDR is inserted with its indexes (store, search), and its charge is a ledger row with 5 ` +
        `indexes and 3 triggers (balance check and move)`,
    });
    ctx.record({
      name: 'the same import per CPU second',
      value: Math.round(CHARGING_RECORDS / cpuSeconds),
      unit: 'CDRs/CPU-s',
      notes: 'records over the CPU time the process used (user + system): the rate on a core of its own, whatever else the machine ran',
    });
    ctx.record({
      name: 'peak RSS during that import',
      value: peak,
      unit: 'MB',
      target: '< 300',
      ok: peak < 300,
      notes: `the file is streamed from disk; ${baselineRss} MB before the import (engine, rating data of the default attribution, 20,000 accounts)`,
    });
    const ledger = await call<{ ok: boolean }>('accounts.verify', {}, token);
    const stats = await engine.services.statistics.verify();
    if (!ledger.ok || !stats.ok) throw new Error(`after the import: ledger check ${ledger.ok}, statistics check ${stats.ok}`);
  } finally {
    await engine.stop();
  }
}
