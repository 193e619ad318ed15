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
import { DefaultAttributionStaging } from './attribution-staging-repository';

function run(file: string): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    const staging = new DefaultAttributionStaging(db);
    staging.createTable();
    const generated = generateChinaAttribution();
    staging.insertRows(generated.rows);
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
