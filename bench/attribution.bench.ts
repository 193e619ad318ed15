/**
 * Attribution import through the real path: a running engine (with the default China data loaded, as on any install),
 * `attribution.import` called through the dispatcher with the file as base64, parsed, checked row by row, staged and
 * applied as a version. The file is a full Chinese number-segment database: 500,000 seven-digit mobile prefixes with
 * region, area code and carrier in Chinese and English.
 */
import ExcelJS from 'exceljs';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEngine } from '../src-main/engine';
import { generateChinaAttribution } from '../src-main/rating/default-attribution';
import { buildAttributionIndex } from '../src-shared/domain/numbers/attribution-index';
import { defineBench, type BenchContext } from './harness';

const ROWS = 500_000;
const ADMIN_PASSWORD = 'Bench-admin-pass-1';

interface SegmentRow {
  prefix: string;
  region: string;
  regionEn: string;
  areaCode: string;
  carrier: string;
  carrierEn: string;
}

/** 500,000 seven-digit prefixes from 1300000 up, each attributed like its longest default-data match. */
function segmentDatabase(): SegmentRow[] {
  const generated = generateChinaAttribution();
  const index = buildAttributionIndex('86', generated.rows);
  const located = generated.rows.filter((r) => r.kind === 'mobile' && r.areaCode);
  const rows: SegmentRow[] = [];
  for (let n = 1_300_000; rows.length < ROWS; n++) {
    const prefix = String(n);
    const known = index.findMobile(prefix) as (typeof generated.rows)[number] | null;
    const source = known?.areaCode ? known : located[n % located.length]!;
    rows.push({ prefix, region: source.region, regionEn: source.regionEn, areaCode: source.areaCode, carrier: source.carrier, carrierEn: source.carrierEn });
  }
  return rows;
}

function csvFile(rows: SegmentRow[]): Buffer {
  const lines = ['Prefix,Region,Region (English),Area code,Carrier,Carrier (English),Kind'];
  const quote = (s: string) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  for (const r of rows) lines.push([r.prefix, r.region, quote(r.regionEn), r.areaCode, r.carrier, r.carrierEn, 'mobile'].join(','));
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

async function xlsxFile(rows: SegmentRow[], file: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('号段');
  sheet.addRow(['号段', '归属地', '地区（英文）', '区号', '运营商', '运营商（英文）', '类型']).commit();
  for (const r of rows) sheet.addRow([r.prefix, r.region, r.regionEn, r.areaCode, r.carrier, r.carrierEn, '手机']).commit();
  sheet.commit();
  await workbook.commit();
}

interface ImportMeasure {
  seconds: number;
  /** CPU time of the engine process during the import: what the machine's other load does not inflate. */
  cpuSeconds: number;
  /** 1-minute load average when the import ended (2 cores). */
  load: number;
  peakRssMb: number;
  rssBeforeMb: number;
  defaultRows: number;
  version: { rowsAdded: number; rowsChanged: number; rowsUnchanged: number };
  indexRebuildMs: number;
  indexRows: number;
}

const CHILD_ENV = 'ATTRIBUTION_BENCH_FILE';

/**
 * The measured part, in a process of its own (this bench re-run with CHILD_ENV set), so its peak RSS is the engine's:
 * engine with its default data, the file arriving as base64 as a client sends it, then the import.
 */
async function importInThisProcess(ctx: BenchContext, file: string): Promise<ImportMeasure> {
  const dataDir = ctx.tmpDir();
  const engine = await startEngine({ dataDir, http: false, adminPassword: ADMIN_PASSWORD, consoleLogLevel: 'silent', resourcesDir: path.resolve('resources') });
  try {
    const caller = { transport: 'internal' as const, address: 'bench' };
    const { token } = (await engine.dispatcher.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD }, caller)) as { token: string };
    await engine.services.rating.ready();
    const defaultRows = engine.services.db.prepare('SELECT COUNT(*) FROM attribution').pluck().get() as number;
    const content = fs.readFileSync(file).toString('base64');
    // The file's bytes were only the way to the base64 text a client sends: not part of the engine's memory.
    (globalThis as { gc?: () => void }).gc?.();
    const rssBeforeMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
    ctx.resetPeakRss();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const result = (await engine.dispatcher
      .call('attribution.import', { fileName: path.basename(file), content, countryCode: '86' }, { ...caller, token })
      .catch((err: { details?: unknown }) => {
        throw new Error(`import refused: ${JSON.stringify(err.details).slice(0, 2000)}`);
      })) as { version: ImportMeasure['version'] };
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const peakRssMb = Math.round(ctx.peakRssMb());
    const t = performance.now();
    const index = engine.services.rating.attributionIndex('86');
    return { seconds, cpuSeconds, load: os.loadavg()[0]!, peakRssMb, rssBeforeMb, defaultRows, version: result.version, indexRebuildMs: Math.round(performance.now() - t), indexRows: index.size };
  } finally {
    await engine.stop();
  }
}

function importInChildProcess(file: string): ImportMeasure {
  // Node flags as the server runs with (the bench runner's larger heap limit would let garbage pile up further).
  const child = spawnSync(process.execPath, ['--expose-gc', process.argv[1]!], {
    env: { ...process.env, [CHILD_ENV]: file },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = (child.stdout ?? '').split('\n').find((l) => l.startsWith('@@IMPORT '));
  if (child.status !== 0 || !line) throw new Error(`the import process failed (exit ${child.status})`);
  return JSON.parse(line.slice('@@IMPORT '.length)) as ImportMeasure;
}

function record(ctx: BenchContext, format: 'csv' | 'xlsx', sizeBytes: number, m: ImportMeasure): void {
  const n = (v: number) => v.toLocaleString('en-US');
  ctx.record({
    name: `attribution.import of 500,000 rows, .${format}`,
    value: Number(m.seconds.toFixed(2)),
    unit: 's',
    target: '< 10',
    ok: m.seconds < 10,
    notes: `${m.cpuSeconds.toFixed(1)} s of CPU (load average ${m.load.toFixed(1)} on 2 cores); ${(sizeBytes / 1024 / 1024).toFixed(1)} MB file as base64 through the dispatcher, on top of the ${n(m.defaultRows)} default rows: ${n(m.version.rowsAdded)} added, ${n(m.version.rowsChanged)} changed, ${n(m.version.rowsUnchanged)} unchanged`,
  });
  ctx.record({
    name: `peak RSS of the engine during attribution.import, .${format}`,
    value: m.peakRssMb,
    unit: 'MB',
    target: '< 300',
    ok: m.peakRssMb < 300,
    notes: `engine process alone; ${m.rssBeforeMb} MB before the call (engine with its default data and the file as base64)`,
  });
  ctx.record({ name: `attribution index rebuild after the .${format} import`, value: m.indexRebuildMs, unit: 'ms', notes: `${n(m.indexRows)} rows read from the table for the next rating` });
}

export default defineBench('attribution', async (ctx) => {
  const childFile = process.env[CHILD_ENV];
  if (childFile) {
    process.stdout.write(`@@IMPORT ${JSON.stringify(await importInThisProcess(ctx, childFile))}\n`);
    return;
  }
  const rows = segmentDatabase();
  const csv = path.join(ctx.tmpDir(), 'segments.csv');
  fs.writeFileSync(csv, csvFile(rows));
  const xlsx = path.join(ctx.tmpDir(), 'segments.xlsx');
  await xlsxFile(rows, xlsx);
  record(ctx, 'csv', fs.statSync(csv).size, importInChildProcess(csv));
  record(ctx, 'xlsx', fs.statSync(xlsx).size, importInChildProcess(xlsx));
});
