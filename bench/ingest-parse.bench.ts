/**
 * Parse + normalize of 1,000,000 generated Asterisk Master.csv records read from a file through parseCdrStream
 * (no storage). The end-to-end ingestion target with storage is >= 100,000 records/s under 300 MB; parsing alone
 * has to stay well above that rate.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCdrParser } from '../src-main/ingest/adapters/registry';
import { parseCdrStream } from '../src-main/ingest/parse-stream';
import { defineBench } from './harness';

const RECORDS = 1_000_000;
const EXTENSIONS = ['8001', '8002', '8003', '8004', '8005'];
const NAMES = ['Li Wei', 'Zhang, Min', 'Wang Fang', '赵磊', 'O"Brien'];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function localStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/**
 * One cdr_csv line; every 10th call unanswered. With `uniqueid` the 18-column layout (uniqueid and userfield, the
 * native id is the dedup key), without it the stock 16 columns (the dedup key is a SHA-256 of the normalized call).
 */
function asteriskLine(i: number, uniqueid: boolean): string {
  const ext = EXTENSIONS[i % EXTENSIONS.length]!;
  const name = NAMES[i % NAMES.length]!.replace(/"/g, '""');
  const dialled = `9${i % 3 === 0 ? '0' : ''}${13800000000 + (i % 9_999_999)}`;
  // Spread over a year of local times, DST changes included (Europe/Berlin).
  const start = Date.UTC(2026, 0, 1) + i * 31_000;
  const answered = i % 10 !== 0;
  const ring = 5;
  const billsec = answered ? 20 + (i % 600) : 0;
  const answer = answered ? `"${localStamp(start + ring * 1000)}"` : '';
  const end = localStamp(start + (ring + billsec) * 1000);
  return [
    '"ent-a"', `"${ext}"`, `"${dialled}"`, '"from-internal"', `"""${name}"" <${ext}>"`, `"PJSIP/${ext}-${pad(i % 65536, 8)}"`,
    `"PJSIP/trunk-cn-${pad(i % 65536, 8)}"`, '"Dial"', `"PJSIP/${dialled.slice(1)}@trunk-cn,60"`, `"${localStamp(start)}"`, answer,
    `"${end}"`, String(ring + billsec), String(billsec), answered ? '"ANSWERED"' : '"NO ANSWER"', '"DOCUMENTATION"',
    ...(uniqueid ? [`"${1767225600 + i}.${i}"`, '""'] : []),
  ].join(',');
}

function writeSampleFile(file: string, uniqueid: boolean): number {
  const fd = fs.openSync(file, 'w');
  const lines: string[] = [];
  for (let i = 0; i < RECORDS; i++) {
    lines.push(asteriskLine(i, uniqueid));
    if (lines.length === 10_000) {
      fs.writeSync(fd, lines.join('\n') + '\n');
      lines.length = 0;
    }
  }
  if (lines.length) fs.writeSync(fd, lines.join('\n') + '\n');
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

async function parseFile(file: string): Promise<{ seconds: number; cdrs: number; rejects: number }> {
  const parser = createCdrParser('asterisk-csv', { deviceId: 'bench', timeZone: 'Europe/Berlin' });
  let cdrs = 0;
  let rejects = 0;
  const started = performance.now();
  for await (const batch of parseCdrStream(fs.createReadStream(file, { highWaterMark: 256 * 1024 }), parser)) {
    cdrs += batch.cdrs.length;
    rejects += batch.rejects.length;
  }
  return { seconds: (performance.now() - started) / 1000, cdrs, rejects };
}

/**
 * Writes the sample file in another process (this same bundle, told so by the environment), so that the memory
 * the generator used does not count in the parser's peak RSS.
 */
function generateInChildProcess(file: string, uniqueid: boolean): number {
  const child = spawnSync(process.execPath, [process.argv[1]!], {
    env: { ...process.env, INGEST_BENCH_GENERATE: file, INGEST_BENCH_UNIQUEID: uniqueid ? '1' : '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`generating ${file} failed (exit ${child.status})`);
  return fs.statSync(file).size;
}

export default defineBench('ingest-parse', async (ctx) => {
  const generateOnly = process.env['INGEST_BENCH_GENERATE'];
  if (generateOnly) {
    writeSampleFile(generateOnly, process.env['INGEST_BENCH_UNIQUEID'] === '1');
    return;
  }
  for (const uniqueid of [true, false]) {
    const layout = uniqueid ? '18 columns, uniqueid as dedup key' : '16 columns, SHA-256 dedup key';
    const file = path.join(ctx.tmpDir(), 'Master.csv');
    const bytes = generateInChildProcess(file, uniqueid);
    const megabytes = (bytes / 1024 / 1024).toFixed(0);
    ctx.log(`generated ${RECORDS.toLocaleString('en-US')} records (${layout}), ${megabytes} MB`);
    (globalThis as { gc?: () => void }).gc?.();
    ctx.resetPeakRss();
    const rssBefore = Math.round(process.memoryUsage().rss / 1024 / 1024);

    const load = os.loadavg()[0]!.toFixed(1); // other work on the machine slows the figure down
    const { seconds, cdrs, rejects } = await parseFile(file);
    if (cdrs !== RECORDS || rejects !== 0) throw new Error(`expected ${RECORDS} cdrs and no rejects, got ${cdrs} and ${rejects}`);
    fs.rmSync(file);

    const rate = Math.round(RECORDS / seconds);
    const peak = Math.round(ctx.peakRssMb());
    ctx.record({
      name: `asterisk-csv parse + normalize from file, ${layout}`,
      value: rate,
      unit: 'records/s',
      target: '>= 100000',
      ok: rate >= 100_000,
      notes: `1,000,000 records (${megabytes} MB) through parseCdrStream, Europe/Berlin, no storage; ${seconds.toFixed(2)} s; load average ${load} on ${os.cpus().length} CPUs`,
    });
    ctx.record({
      name: `peak RSS while parsing, ${layout}`,
      value: peak,
      unit: 'MB',
      target: '< 300',
      ok: peak < 300,
      notes: `RSS ${rssBefore} MB before parsing; batches of 1,000 lines consumed and dropped as they come`,
    });
  }
});
