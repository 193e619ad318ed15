import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { readArchiveBack } from '../src-main/system/retention/archive';
import { archiveFile } from '../src-main/system/retention/archive-list';
import { isoTime } from '../src-shared/api/common';
import type { SystemInfoSection } from '../src-shared/api/system';
import { clockFrom } from './helpers/clock';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createSampleDevice, createSampleRateGroup } from './helpers/sample-billing';

let t: TestEngine;
let admin: string;
let clerk: string;
let enterpriseId: number;
let deviceId: number;

/** Asterisk Master.csv lines: `perMonth` domestic 61 s calls on each day `day` of months Jan..Nov 2026 (Beijing time). */
function callsAcrossMonths(perMonth: number): string {
  let out = '';
  let n = 0;
  for (let month = 1; month <= 11; month++) {
    for (let i = 0; i < perMonth; i++) {
      const start = Date.UTC(2026, month - 1, 3 + (i % 20), 2, i % 60, 0);
      const local = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
      const callee = `9021${String(60000000 + n++).padStart(8, '0')}`;
      out +=
        `"ent-a","8001","${callee}","from-internal","""Li Wei"" <8001>","PJSIP/8001-${n}","PJSIP/trunk-${n}","Dial",` +
        `"PJSIP/${callee}@trunk-cn,60","${local(start)}","${local(start + 4000)}","${local(start + 65_000)}",65,61,"ANSWERED","DOCUMENTATION"\n`;
    }
  }
  return out;
}

/** The calls fill January to November 2026; the engine lives in late November, so 6 months kept = May onwards. */
const NOW = '2026-11-20T10:00:00+08:00';

beforeAll(async () => {
  t = await startTestEngine({ http: false, now: clockFrom(NOW) });
  admin = await t.loginAs('admin');
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
  const groupId = await createSampleRateGroup(t, clerk);
  enterpriseId = (await t.call('enterprises.create', { name: 'Kept Books', rateGroupId: groupId, billingMode: 'prepaid' }, clerk)).id;
  await t.call('accounts.recharge', { accountId: enterpriseId, amount: '1000', reason: 'opening' }, clerk);
  deviceId = await createSampleDevice(t, clerk, { defaultEnterpriseId: enterpriseId });
  const file = Buffer.from(callsAcrossMonths(15)).toString('base64');
  const imported = await t.call('cdrs.import', { deviceId, fileName: 'year.csv', content: file }, clerk);
  expect(imported).toMatchObject({ stored: 165, rated: 165 });
});
afterAll(() => t.dispose());

describe('retention', () => {
  it('archives whole months older than the period, deletes exactly what it archived, and keeps balances and statistics', async () => {
    const period = (from: string, to: string) => ({ from, to, timeZone: 'Asia/Shanghai', enterpriseId });
    const early = period('2026-01-01T00:00:00+08:00', '2026-04-30T00:00:00+08:00');
    const year = period('2026-01-01T00:00:00+08:00', '2026-12-01T00:00:00+08:00');
    const before = {
      balance: (await t.call('enterprises.get', { id: enterpriseId }, clerk)).balance,
      early: await t.call('stats.enterprise', early, clerk),
      year: await t.call('stats.enterprise', year, clerk),
    };
    expect(before.year.totals.total.calls).toBe(165);

    const result = await t.call('system.purge', {}, admin);
    const cutoff = Date.parse(result.cutoff);
    const db = t.services.db;
    const kept = db.prepare('SELECT COUNT(*) FROM cdrs').pluck().get() as number;
    expect(result.months.map((m) => m.month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    expect(result.months.every((m) => m.archived === m.deleted && m.deleted === 15)).toBe(true);
    expect(result.deleted).toBe(60);
    expect(kept).toBe(105);
    expect(db.prepare('SELECT COUNT(*) FROM cdrs WHERE start_at < ?').pluck().get(cutoff)).toBe(0);

    // Each archive reads back with its rows and checksum.
    for (const m of result.months) {
      const file = path.join(t.services.retention.archiveFolder, m.file);
      const back = await readArchiveBack(file);
      expect(back).toMatchObject({ rows: m.archived, sha256: m.sha256 });
      expect(fs.readFileSync(`${file}.sha256`, 'utf8')).toContain(m.sha256);
    }
    expect((await t.call('system.archives', {}, clerk)).archives.map((a) => a.fileName).sort()).toEqual(result.months.map((m) => m.file).sort());

    // Money and past statistics are untouched.
    expect((await t.call('enterprises.get', { id: enterpriseId }, clerk)).balance).toBe(before.balance);
    const afterEarly = await t.call('stats.enterprise', early, clerk);
    const afterYear = await t.call('stats.enterprise', year, clerk);
    expect(afterEarly.totals).toEqual(before.early.totals);
    expect(afterYear.totals).toEqual(before.year.totals);
    expect((await t.call('accounts.verify', {}, clerk)).ok).toBe(true);
    expect((await t.call('stats.verify', {}, clerk)).ok).toBe(true);

    // The run is in the operation log with its counts; a second run finds nothing.
    const log = db.prepare("SELECT username, summary FROM operation_log WHERE method = 'system.purge'").all() as { username: string; summary: string }[];
    expect(log).toHaveLength(1);
    expect(JSON.parse(log[0]!.summary)).toMatchObject({ deleted: 60, archived: 60 });
    const again = await t.call('system.purge', {}, admin);
    expect(again).toMatchObject({ deleted: 0, months: [] });

    // The same file sent again: the purged months come back as rejects with the reason, never as calls charged twice.
    const resent = await t.call('cdrs.import', { deviceId, fileName: 'year.csv', content: Buffer.from(callsAcrossMonths(15)).toString('base64') }, clerk);
    expect(resent).toMatchObject({ stored: 0, duplicates: 105, rejected: 60 });
    expect((await t.call('enterprises.get', { id: enterpriseId }, clerk)).balance).toBe(before.balance);
    const rejects = await t.call('cdrs.rejects', { deviceId, limit: 5 }, clerk);
    expect(rejects.rows[0]!.reason).toMatch(/archived and purged \(retention\)/);
  });

  it('keeps a reject of a purged month open when it is reprocessed: the call is neither stored again nor a duplicate', async () => {
    const open = await t.call('cdrs.rejects', { deviceId, status: 'open', limit: 5 }, clerk);
    const purged = open.rows.find((r) => /archived and purged \(retention\)/.test(r.reason))!;
    const result = await t.call('cdrs.reprocess', { ids: [purged.id] }, clerk);
    expect(result).toMatchObject({ total: 1, stored: 0, duplicates: 0, stillRejected: 1 });
    const row = t.services.db.prepare('SELECT status, reason, cdr_id FROM cdr_rejects WHERE id = ?').get(purged.id) as { status: string; reason: string; cdr_id: number | null };
    expect(row).toMatchObject({ status: 'open', cdr_id: null, reason: expect.stringMatching(/archived and purged \(retention\)/) });
  });

  it('is an admin job', async () => {
    await expect(t.call('system.purge', {}, clerk)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('archives', () => {
  /** A file through its download ticket, as the desktop window reads it (downloads.read, chunk by chunk). */
  async function fetchTicket(fileName: string, session: string): Promise<Buffer> {
    const ticket = await t.call('system.archiveDownload', { fileName }, session);
    expect(ticket.fileName).toBe(fileName);
    const parts: Buffer[] = [];
    for (let offset = 0; ; ) {
      const chunk = await t.call('downloads.read', { token: ticket.token, offset }, session);
      const bytes = Buffer.from(chunk.base64, 'base64');
      parts.push(bytes);
      offset += bytes.length;
      if (chunk.done) break;
    }
    return Buffer.concat(parts);
  }

  it('lists each archive with its month, size, checksum and CDR count, and the job\'s period, zone, cut-off and next run', async () => {
    const list = await t.call('system.archives', {}, clerk);
    expect(list).toMatchObject({ retentionMonths: 6, timeZone: t.services.settings.get('statistics').timeZone, timeOfDay: '03:30', running: null });
    expect(list.folder).toBe(t.services.retention.archiveFolder);
    expect(list.cutoff).toBe(isoTime(t.services.retention.cutoff(t.services.now())));
    // The engine's clock is in late November 2026: the next daily run is after it, within a day.
    const next = Date.parse(list.nextRunAt!) - t.services.now();
    expect(next).toBeGreaterThan(0);
    expect(next).toBeLessThanOrEqual(86_400_000);
    expect(list.lastRun).toMatchObject({ deleted: 0 });
    expect(list.archives.map((a) => a.month).sort()).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    for (const a of list.archives) {
      const file = path.join(list.folder, a.fileName);
      expect(a).toMatchObject({ bytes: fs.statSync(file).size, cdrs: 15, sha256File: `${a.fileName}.sha256` });
      expect(a.sha256).toBe(createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
    }
  });

  it('downloads an archive and its .sha256 to an auditor: the bytes match the checksum and hold the month\'s CDRs', async () => {
    const auditor = await t.loginAs('auditor');
    const archive = (await t.call('system.archives', {}, auditor)).archives.find((a) => a.month === '2026-02')!;
    const bytes = await fetchTicket(archive.fileName, auditor);
    expect(bytes.length).toBe(archive.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(archive.sha256);
    const sum = (await fetchTicket(archive.sha256File!, auditor)).toString('utf8');
    expect(sum).toBe(`${archive.sha256}  ${archive.fileName}\n`);
    // The CSV inside: a header and the 15 calls of February, each with its raw record.
    const lines = zlib.gunzipSync(bytes).toString('utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^id,/);
    expect(lines).toHaveLength(16);
    // The download was a link or copy: the archive stays in its folder.
    expect(fs.existsSync(path.join(t.services.retention.archiveFolder, archive.fileName))).toBe(true);
  });

  it('refuses any name that is not an archive of the folder listing: no ../, no absolute path, no other file', async () => {
    const archive = (await t.call('system.archives', {}, clerk)).archives[0]!;
    const tricks = [
      '../billing.db',
      `../cdr-archives/${archive.fileName}`,
      `${archive.fileName}/../../../billing.db`,
      '/etc/passwd',
      '..\\..\\billing.db',
      `cdrs-2026-01-x.csv.gz%2F..%2F..%2Fbilling.db`,
    ];
    for (const fileName of tricks) {
      await expect(t.call('system.archiveDownload', { fileName }, clerk), fileName).rejects.toMatchObject({ code: 'invalid_input' });
    }
    // A name of the right shape that the folder does not hold.
    await expect(t.call('system.archiveDownload', { fileName: 'cdrs-2025-12-20251201T000000Z.csv.gz' }, clerk)).rejects.toMatchObject({
      code: 'not_found',
    });
    // The folder check stands on its own, without the contract's pattern in front of it.
    const dir = t.services.retention.archiveFolder;
    fs.writeFileSync(path.join(dir, '..', 'cdrs-2026-01-outside.csv.gz'), 'not an archive');
    for (const name of ['../cdrs-2026-01-outside.csv.gz', '../billing.db', path.join(dir, archive.fileName), 'cdrs-2026-01-outside.csv.gz']) {
      expect(() => archiveFile(dir, name), name).toThrow(/no CDR archive named/);
    }
    expect(archiveFile(dir, archive.fileName)).toBe(path.join(dir, archive.fileName));
  });

  it('is not for an enterprise login, and running the job is for admins only', async () => {
    await expect(t.call('system.purge', {}, clerk)).rejects.toMatchObject({ code: 'forbidden' });
    const archive = (await t.call('system.archives', {}, clerk)).archives[0]!;
    const { password } = await t.call('enterprises.createLogin', { id: enterpriseId, username: 'kept-books' }, clerk);
    const first = await t.login('kept-books', password);
    await t.call('auth.changePassword', { oldPassword: password, newPassword: 'Kept-books-2026' }, first.token);
    const session = (await t.login('kept-books', 'Kept-books-2026')).token;
    await expect(t.call('system.archives', {}, session)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(t.call('system.archiveDownload', { fileName: archive.fileName }, session)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('system information', () => {
  it('shows CDR counts, the ledger check and retention', async () => {
    const first = await t.call('system.info', {}, clerk);
    const item = (section: unknown, key: string) => (section as SystemInfoSection).items.find((i) => i.key === key)?.value;
    expect(item(first.sections.cdrs, 'total')).toBe(105);
    expect(item(first.sections.retention, 'months')).toBe(6);
    expect(item(first.sections.retention, 'archives')).toBe(4);
    expect(item(first.sections.retention, 'cutoff')).toBe((await t.call('system.archives', {}, clerk)).cutoff);
    expect(item(first.sections.retention, 'nextRun')).toBe((await t.call('system.archives', {}, clerk)).nextRunAt);
    // The ledger check runs in the background on the first look, then shows its result.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await t.call('system.info', {}, clerk);
    expect(second.sections.ledger).toMatchObject({ status: 'ok' });
  });

  it('names every section, row and word by a key both catalogues translate (the English only as its text)', async () => {
    await t.services.rating.ready();
    const { sections } = await t.call('system.info', {}, clerk);
    const texts = Object.values(sections).flatMap((section) => [
      section.title,
      ...('items' in section ? section.items.flatMap((i) => (i.valueText ? [i.label, i.valueText] : [i.label])) : []),
    ]);
    expect(texts.length).toBeGreaterThan(25);
    for (const locale of ['en', 'zh-CN']) {
      const catalogue = JSON.parse(fs.readFileSync(`src-renderer/i18n/locales/${locale}/engine.json`, 'utf8')) as Record<string, unknown>;
      const lookup = (key: string) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogue);
      for (const text of texts) {
        const translated = lookup(text.key);
        expect(typeof translated, `${locale}: ${text.key}`).toBe('string');
        // Every placeholder of the catalogue's sentence comes with the engine's params.
        for (const [, name] of (translated as string).matchAll(/\{\{(\w+)\}\}/g)) expect(text.params, `${locale}: ${text.key}`).toHaveProperty(name!);
      }
    }
  });
});

describe('the statistics check beside a purge', () => {
  it('compares only the days kept when a purge deletes between two of its weeks', async () => {
    const db = t.services.db;
    // What a purge batch does, between the check's first week (May, compared at once) and the next ones.
    const cut = Date.parse('2026-08-01T00:00:00+08:00');
    const check = t.services.statistics.verify();
    const removed = db.transaction(() => {
      t.services.statistics.markCdrsPurgedBefore(cut);
      return db.prepare('DELETE FROM cdrs WHERE start_at < ?').run(cut).changes;
    })();
    expect(removed).toBe(45);
    const result = await check;
    // The rollups' zone is the host's: the cut's day there is part-purged, the check starts on the next one.
    const rollupTimeZone = (await t.call('stats.settings', {}, clerk)).rollupTimeZone!;
    const nextDay = new Intl.DateTimeFormat('en-CA', { timeZone: rollupTimeZone }).format(cut + 86_400_000);
    expect(result).toMatchObject({ ok: true, mismatchCount: 0, fromDay: nextDay });
    // The rollups of the deleted days are kept: the statistics of those months still count their calls.
    const months = await t.call('stats.enterprise', { from: '2026-05-01T00:00:00Z', to: '2026-07-31T00:00:00Z', timeZone: rollupTimeZone, enterpriseId }, clerk);
    expect(months.totals.total.calls).toBe(45);
  });
});
