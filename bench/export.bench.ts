/**
 * exports.cdrs at a million CDRs: the whole of a 1,000,000-CDR database of bench/generate-cdrs.ts (6 months, cached in
 * bench/tmp) to .xlsx and to .csv, each in its own measure of time and peak RSS.
 * - .xlsx: >= 100,000 rows/s and peak RSS < 400 MB (17 columns, names, labels, number formats, day subtotals, total).
 * - .csv: for reference.
 * - exceljs's own streaming writer (stream.xlsx.WorkbookWriter, a plain addRow(...).commit() per row, no styles, no
 *   shared strings, level-1 deflate like the export) on the same rows in one statement: what the library alone
 *   gives, and the export's speed as a multiple of it.
 */
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallContext } from '../src-main/api/call-context';
import { ExportJobs } from '../src-main/cdrs/export-jobs';
import { exportCdrs } from '../src-main/cdrs/export';
import { EventBus } from '../src-main/events';
import { DownloadRegistry } from '../src-main/downloads/registry';
import { createLogger } from '../src-main/log';
import type { Services } from '../src-main/services';
import { cdrDataset, type CdrDataset } from './generate-cdrs';
import { defineBench, type BenchContext } from './harness';

/** The machine is shared: its load goes with each figure. */
const loadAverage = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
/** A smaller dataset for a trial run of the bench itself (EXPORT_BENCH_CDRS=100000); the figures are for 1M. */
const DATASET_CDRS = Number(process.env.EXPORT_BENCH_CDRS ?? 1_000_000);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

interface Measured {
  rows: number;
  seconds: number;
  peakMb: number;
  /** Resident memory when the measure began (the peak's floor: the process's heap and the database's cache). */
  beforeMb: number;
  fileBytes: number;
}

/** Time and peak RSS of `run`, which returns its rows and the size of the file it wrote. */
async function measure(ctx: BenchContext, run: (dir: string) => Promise<{ rows: number; fileBytes: number }>): Promise<Measured> {
  const dir = ctx.tmpDir();
  global.gc?.();
  ctx.resetPeakRss();
  const beforeMb = process.memoryUsage().rss / 1024 / 1024;
  const t0 = performance.now();
  const { rows, fileBytes } = await run(dir);
  const seconds = (performance.now() - t0) / 1000;
  const peakMb = ctx.peakRssMb();
  return { rows, seconds, peakMb, beforeMb, fileBytes };
}

async function exportOnce(ctx: BenchContext, db: Database.Database, d: CdrDataset, format: 'xlsx' | 'csv'): Promise<Measured> {
  return measure(ctx, async (dir) => {
    const log = createLogger({ dir: path.join(dir, 'logs'), consoleLevel: 'silent' });
    const events = new EventBus();
    const s = {
      db,
      now: Date.now,
      events,
      log,
      exportJobs: new ExportJobs(events, Date.now),
      downloads: new DownloadRegistry({ dir: path.join(dir, 'downloads'), now: Date.now, log }),
    } as unknown as Services;
    const caller = { user: { id: 1, username: 'bench', role: 'clerk' }, session: null } as unknown as CallContext;
    try {
      const ticket = await exportCdrs(s, { from: d.from, to: d.to, format, timeZone: d.options.timeZone, language: 'en' }, caller);
      const downloads = path.join(dir, 'downloads');
      const file = fs.readdirSync(downloads).map((f) => path.join(downloads, f))[0]!;
      return { rows: ticket.rows ?? 0, fileBytes: fs.statSync(file).size };
    } finally {
      s.downloads.stop();
      log.close();
    }
  });
}

/** exceljs's streaming writer on its own: the same CDR columns, latest first, one addRow per CDR. */
async function bareExcelJs(ctx: BenchContext, db: Database.Database, d: CdrDataset): Promise<Measured> {
  return measure(ctx, async (dir) => {
    const file = path.join(dir, 'bare.xlsx');
    // The same deflate level as the export's (level 1), so the ratio compares the row paths, not the compression.
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: file,
      useStyles: false,
      useSharedStrings: false,
      zip: { zlib: { level: 1 } },
    } as ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookWriter>[0]);
    const sheet = book.addWorksheet('CDRs');
    const read = db
      .prepare(
        `SELECT id, device_id, start_at, duration, billsec, caller, caller_name, callee, normalized, call_type, region,
           disposition, status, cost, rate_id, enterprise_id, user_account_id, gateway_id
         FROM cdrs WHERE start_at >= ? AND start_at < ? ORDER BY start_at DESC, id DESC`,
      )
      .raw(true);
    let rows = 0;
    for (const r of read.iterate(d.from, d.to) as Iterable<unknown[]>) {
      sheet.addRow(r).commit();
      // exceljs does not wait for its zip; let it catch up now and then, as an export must.
      if (++rows % 4000 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    sheet.commit();
    await book.commit();
    const fileBytes = fs.statSync(file).size;
    fs.rmSync(file, { force: true });
    return { rows, fileBytes };
  });
}

export default defineBench('export', async (ctx) => {
  let generated = false;
  const d = await cdrDataset({ cdrs: DATASET_CDRS }, (m) => {
    if (m.startsWith('generating')) generated = true;
    ctx.log(m);
  });
  ctx.log(`dataset: ${d.counts.cdrs.toLocaleString('en-US')} CDRs in ${d.file}`);
  const db = new Database(d.file, { readonly: true, fileMustExist: true });
  db.pragma('cache_size = -65536');
  try {
    const results: Record<string, Measured> = {};
    for (const format of ['xlsx', 'csv'] as const) {
      const m = (results[format] = await exportOnce(ctx, db, d, format));
      const rate = Math.round(m.rows / m.seconds);
      const rows = m.rows.toLocaleString('en-US');
      const xlsx = format === 'xlsx';
      ctx.record({
        name: `exports.cdrs, ${rows} CDRs to .${format}: rows/s`,
        value: rate,
        unit: 'rows/s',
        ...(xlsx ? { target: '>= 100000', ok: rate >= 100_000 } : {}),
        notes: `${m.seconds.toFixed(1)} s, 17 columns, day subtotals and total, file ${mb(m.fileBytes)} MB; load average ${loadAverage()}`,
      });
      ctx.record({
        name: `exports.cdrs, ${rows} CDRs to .${format}: peak RSS`,
        value: Number(m.peakMb.toFixed(0)),
        unit: 'MB',
        ...(xlsx ? { target: '< 400', ok: m.peakMb < 400 } : {}),
        notes: `whole bench process, ${m.beforeMb.toFixed(0)} MB before the export${generated ? ' (dataset generated by this run first: run again for a clean figure)' : ''}`,
      });
    }
    const bare = await bareExcelJs(ctx, db, d);
    const bareRate = Math.round(bare.rows / bare.seconds);
    const xlsxRate = results.xlsx!.rows / results.xlsx!.seconds;
    ctx.record({
      name: `exceljs streaming writer alone, same ${bare.rows.toLocaleString('en-US')} CDRs: rows/s`,
      value: bareRate,
      unit: 'rows/s',
      notes: `reference: raw column values, no styles, no names, deflate level 1; file ${mb(bare.fileBytes)} MB, peak RSS ${bare.peakMb.toFixed(0)} MB; load average ${loadAverage()}`,
    });
    ctx.record({
      name: 'exports.cdrs .xlsx rows/s as a share of exceljs alone',
      value: Number((xlsxRate / bareRate).toFixed(2)),
      unit: 'ratio',
      notes: 'same run, same rows',
    });
  } finally {
    db.close();
  }
});
