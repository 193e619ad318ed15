/**
 * Parse + normalize of 1,000,000 generated Asterisk Master.csv records read from a file through parseCdrStream
 * (no storage). The end-to-end ingestion target with storage is >= 100,000 records/s under 300 MB; parsing alone
 * has to stay well above that rate.
 */
import fs from 'node:fs';
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

/** One cdr_csv line with uniqueid and userfield (18 columns); every 10th call unanswered. */
function asteriskLine(i: number): string {
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
    `"${1767225600 + i}.${i}"`, '""',
  ].join(',');
}

function writeSampleFile(file: string): number {
  const fd = fs.openSync(file, 'w');
  const lines: string[] = [];
  for (let i = 0; i < RECORDS; i++) {
    lines.push(asteriskLine(i));
    if (lines.length === 10_000) {
      fs.writeSync(fd, lines.join('\n') + '\n');
      lines.length = 0;
    }
  }
  if (lines.length) fs.writeSync(fd, lines.join('\n') + '\n');
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

export default defineBench('ingest-parse', async (ctx) => {
  const file = path.join(ctx.tmpDir(), 'Master.csv');
  const bytes = writeSampleFile(file);
  ctx.log(`generated ${RECORDS.toLocaleString('en-US')} records, ${(bytes / 1024 / 1024).toFixed(1)} MB`);
  (globalThis as { gc?: () => void }).gc?.();
  ctx.resetPeakRss();

  const parser = createCdrParser('asterisk-csv', { deviceId: 'bench', timeZone: 'Europe/Berlin' });
  let cdrs = 0;
  let rejects = 0;
  let billsecTotal = 0;
  const started = performance.now();
  for await (const batch of parseCdrStream(fs.createReadStream(file, { highWaterMark: 256 * 1024 }), parser)) {
    cdrs += batch.cdrs.length;
    rejects += batch.rejects.length;
    for (const cdr of batch.cdrs) billsecTotal += cdr.billsec;
  }
  const seconds = (performance.now() - started) / 1000;
  if (cdrs !== RECORDS || rejects !== 0) throw new Error(`expected ${RECORDS} cdrs and no rejects, got ${cdrs} and ${rejects}`);
  ctx.log(`billsec total ${billsecTotal}`);

  const rate = Math.round(RECORDS / seconds);
  const peak = Math.round(ctx.peakRssMb());
  ctx.record({
    name: 'asterisk-csv parse + normalize from file (parseCdrStream)',
    value: rate,
    unit: 'records/s',
    target: '>= 100000',
    ok: rate >= 100_000,
    notes: `${RECORDS.toLocaleString('en-US')} records (18 columns, ${(bytes / 1024 / 1024).toFixed(0)} MB), Europe/Berlin, no storage; ${seconds.toFixed(2)} s`,
  });
  ctx.record({
    name: 'peak RSS while parsing 1,000,000 records',
    value: peak,
    unit: 'MB',
    target: '< 300',
    ok: peak < 300,
    notes: 'batches of 1,000 lines consumed and dropped as they come',
  });
});
