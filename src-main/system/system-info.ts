import fs from 'node:fs';
import os from 'node:os';
import { isoTime } from '../../src-shared/api/common';
import type { SystemInfo, SystemInfoSection, SystemInfoText } from '../../src-shared/api/system';
import type { Sqlite, Store } from '../db/connection';
import type { BackupService } from './backup/backup-service';
import { tableRowCounts } from './repository';

/**
 * Sections of `system.info` that other domains contribute. A domain registers a provider when the engine starts:
 *
 *   const text = sectionTexts('cdrs');
 *   services.systemInfo.register('cdrs', () => ({
 *     title: text('title', 'CDRs'),
 *     items: [
 *       { key: 'total', label: text('total', 'CDRs kept'), value: total, unit: 'count' },
 *       { key: 'device:3', label: text('deviceToday', 'Stored today: {{device}}', { device: 'Beijing HQ' }), value: n, unit: 'count' },
 *     ],
 *   }));
 *
 * Labels travel as keys (`system.<section>.<name>` in the renderer's `engine` namespace) with params and the English
 * text, so the clerk reads them in the UI language. Registered today: `cdrs`, `ledger`, `retention` (info-sections.ts)
 * and `rating`. A provider runs on every `system.info` call, so it must be cheap (indexed counts, cached figures); a
 * provider that throws shows its error in its section instead of failing the whole call.
 */
export type SystemInfoProvider = () => SystemInfoSection;

/**
 * The texts of one section: `text('total', 'CDRs kept')` is key `system.<section>.total`; the English text fills its
 * `{{placeholders}}` from params, as the UI does in the clerk's language.
 */
export function sectionTexts(section: string) {
  return (name: string, english: string, params?: Record<string, string | number>): SystemInfoText => {
    const text = params ? english.replace(/\{\{(\w+)\}\}/g, (all, p: string) => (p in params ? String(params[p]) : all)) : english;
    return params ? { key: `system.${section}.${name}`, params, text } : { key: `system.${section}.${name}`, text };
  };
}

export class SystemInfoRegistry {
  private readonly providers = new Map<string, SystemInfoProvider>();

  register(name: string, provider: SystemInfoProvider): () => void {
    if (this.providers.has(name)) throw new Error(`system info section "${name}" is registered twice`);
    this.providers.set(name, provider);
    return () => this.providers.delete(name);
  }

  collect(): SystemInfo['sections'] {
    const out: SystemInfo['sections'] = {};
    for (const [name, provider] of this.providers) {
      try {
        out[name] = provider();
      } catch (err) {
        // Its own title may be what failed: the section goes by its name, which the UI shows as is.
        out[name] = { title: { key: 'system.sectionFailed', params: { name }, text: name }, error: err instanceof Error ? err.message : String(err) };
      }
    }
    return out;
  }
}

interface CpuSample {
  at: number;
  process: NodeJS.CpuUsage;
  machineBusy: number;
  machineTotal: number;
}

function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    const all = t.user + t.nice + t.sys + t.idle + t.irq;
    total += all;
    busy += all - t.idle;
  }
  return { busy, total };
}

function sample(): CpuSample {
  const m = machineTimes();
  return { at: performance.now(), process: process.cpuUsage(), machineBusy: m.busy, machineTotal: m.total };
}

const fileSize = (file: string) => {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
};

const round1 = (n: number) => Math.round(n * 10) / 10;

/** What `system.info` reads: the database and its file, the data folder, the backups, the other domains' sections. */
export interface SystemInfoDeps {
  config: { dataDir: string; version: string; build: string };
  store: Pick<Store, 'file'>;
  db: Sqlite;
  backups: BackupService;
  systemInfo: SystemInfoRegistry;
  now(): number;
}

/** Reads the figures of `system.info`; CPU shares are measured between two calls (the first: since the engine started). */
export class SystemInfoReader {
  private last: CpuSample = sample();
  private readonly startedAt: number;

  constructor(private readonly s: SystemInfoDeps) {
    this.startedAt = s.now();
  }

  read(): SystemInfo {
    const s = this.s;
    const now = sample();
    const elapsedMs = Math.max(1, now.at - this.last.at);
    const processCpuMs = (now.process.user - this.last.process.user + now.process.system - this.last.process.system) / 1000;
    const machineTotal = now.machineTotal - this.last.machineTotal;
    const machineCpu = machineTotal > 0 ? ((now.machineBusy - this.last.machineBusy) / machineTotal) * 100 : 0;
    this.last = now;

    const dbFile = s.store.file;
    const walBytes = fileSize(dbFile + '-wal');
    const disk = fs.statfsSync(s.config.dataDir);
    const memory = process.memoryUsage();
    const countStarted = performance.now();
    const tables = tableRowCounts(s.db);
    const countedInMs = round1(performance.now() - countStarted);
    const last = s.backups.list().backups[0];
    const running = s.backups.progress;
    const next = s.backups.nextScheduledAt;
    return {
      software: {
        version: s.config.version,
        build: s.config.build,
        node: process.versions.node,
        ...(process.versions.electron ? { electron: process.versions.electron } : {}),
        platform: `${os.platform()} ${os.release()} ${os.arch()}`,
        startedAt: isoTime(this.startedAt),
        uptimeSeconds: Math.round((s.now() - this.startedAt) / 1000),
      },
      storage: {
        dataDir: s.config.dataDir,
        databaseFile: dbFile,
        databaseBytes: fileSize(dbFile) + walBytes + fileSize(dbFile + '-shm'),
        walBytes,
        diskFreeBytes: disk.bavail * disk.bsize,
        diskTotalBytes: disk.blocks * disk.bsize,
      },
      resources: {
        processCpuPercent: round1((processCpuMs / elapsedMs) * 100),
        processRssBytes: memory.rss,
        processHeapUsedBytes: memory.heapUsed,
        machineCpuPercent: round1(machineCpu),
        machineCpuCores: os.cpus().length,
        loadAverage: os.loadavg().map(round1),
        machineMemoryTotalBytes: os.totalmem(),
        machineMemoryFreeBytes: os.freemem(),
      },
      tables,
      countedInMs,
      backup: {
        folder: s.backups.folder,
        ...(last ? { last } : {}),
        ...(running ? { running: { ...running } } : {}),
        ...(next !== undefined ? { nextRunAt: isoTime(next) } : {}),
      },
      sections: s.systemInfo.collect(),
    };
  }
}
