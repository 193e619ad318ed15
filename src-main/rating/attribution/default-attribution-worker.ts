/**
 * Child process of the first start's default attribution load (DefaultAttributionLoader `worker`): generates the
 * China data and writes it through a connection of its own, sends what it wrote, and ends. The engine's process never
 * holds the BSON sources or the rows; the memory they took goes back to the system with this process.
 *
 *   node attribution-worker.cjs <database file>      (forked by the engine, with an IPC channel)
 */
import Database from 'better-sqlite3';
import { generateChinaAttribution } from '../default-attribution';
import { writeDefaultRows } from './default-attribution-loader';

async function run(dbFile: string): Promise<void> {
  const db = new Database(dbFile, { fileMustExist: true });
  try {
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // The engine writes meanwhile (CDRs may already arrive): wait for its transactions rather than fail.
    db.pragma('busy_timeout = 10000');
    const written = await writeDefaultRows(db, generateChinaAttribution(), () => true);
    await new Promise<void>((resolve, reject) => process.send!(written, (err: Error | null) => (err ? reject(err) : resolve())));
  } finally {
    db.close();
  }
}

if (!process.send || !process.argv[2]) {
  console.error('attribution-worker: run by the engine (fork with an IPC channel and the database file)');
  process.exit(2);
}
run(process.argv[2]).then(
  () => process.disconnect?.(),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
