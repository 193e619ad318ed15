/**
 * Child process of the first start's default attribution load (DefaultAttributionLoader `worker`): generates the
 * China data and writes it into a database file of its own (no lock shared with the engine), sends how many rows it
 * wrote, and ends. The engine then copies the rows in with one statement. Its process never holds the BSON sources or
 * the rows as objects; the memory they took goes back to the system with this process.
 *
 *   node attribution-worker.cjs <new database file>      (forked by the engine, with an IPC channel)
 */
import Database from 'better-sqlite3';
import { generateChinaAttribution } from '../default-attribution';
import { STAGED_TABLE } from './default-attribution-loader';

function run(file: string): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(
      `CREATE TABLE ${STAGED_TABLE} (prefix TEXT NOT NULL, region TEXT NOT NULL, region_en TEXT NOT NULL, area_code TEXT NOT NULL,
         carrier TEXT NOT NULL, carrier_en TEXT NOT NULL, kind TEXT NOT NULL)`,
    );
    const generated = generateChinaAttribution();
    const insert = db.prepare(`INSERT INTO ${STAGED_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)`);
    db.transaction(() => {
      for (const r of generated.rows) insert.run(r.prefix, r.region, r.regionEn, r.areaCode, r.carrier, r.carrierEn, r.kind);
    })();
    process.send!({ countryCode: generated.countryCode, rows: generated.rows.length }, () => process.disconnect?.());
  } finally {
    db.close();
  }
}

if (!process.send || !process.argv[2]) {
  console.error('attribution-worker: run by the engine (fork with an IPC channel and a new database file)');
  process.exit(2);
}
try {
  run(process.argv[2]);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
