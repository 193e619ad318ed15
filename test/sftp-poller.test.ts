import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asteriskLines, startSftpPollFixture, waitFor, type SftpPollFixture } from './helpers/sftp-poll';

let f: SftpPollFixture;
beforeAll(async () => {
  f = await startSftpPollFixture();
});
afterAll(() => f.dispose());

const fixture = (name: string) => fs.readFileSync(path.resolve('test/fixtures/cdr', name), 'utf8');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const daily = (id: number) =>
  f.t.services.db.prepare('SELECT SUM(received) AS received, SUM(duplicates) AS duplicates FROM ingest_daily WHERE device_id = ?').get(id) as {
    received: number | null;
    duplicates: number | null;
  };

describe('SFTP poller: which files, and how far', () => {
  it('stores new files matching the pattern and records each with size, time, offset, lines and sha-256', async () => {
    const a = asteriskLines(0, 3);
    f.server.writeFile('/new/a.csv', a);
    f.server.writeFile('/new/b.csv', asteriskLines(3, 2));
    f.server.writeFile('/new/notes.txt', 'not a CDR file\n');
    const id = await f.createDevice('New files', { folder: '/new', pattern: '*.csv' });
    await f.poll(id);
    expect(f.cdrCount(id)).toBe(5);
    const mtime = Math.floor(fs.statSync(f.server.localPath('/new/a.csv')).mtimeMs / 1000) * 1000;
    expect(f.progress(id, '/new/a.csv')).toMatchObject({
      size: a.length,
      mtime,
      offset: a.length,
      line: 3,
      sha256: sha256(a),
      status: 'done',
      records: 3,
    });
    expect(f.progress(id, '/new/notes.txt')).toBeUndefined();

    const again = await f.poll(id);
    expect(again).toMatchObject({ ok: true, listed: 2, read: [], counts: { received: 0 } });
    expect(daily(id)).toEqual({ received: 5, duplicates: 0 });
  });

  it('reads the complete lines of a file that grows on every listing, poll after poll (a busy PBX)', async () => {
    f.server.writeFile('/growing/Master.csv', asteriskLines(10, 2));
    let next = 12;
    f.server.onList = (folder) => {
      if (folder === '/growing') f.server.appendFile('/growing/Master.csv', asteriskLines(next++, 1));
    };
    try {
      const id = await f.createDevice('Still writing', { folder: '/growing' });
      await waitFor(() => f.cdrCount(id) > 0, 'the first poll');
      for (let round = 0; round < 3; round++) {
        const before = f.cdrCount(id);
        const summary = await f.poll(id);
        // Grew since the last listing: read on all the same, only complete lines.
        expect(summary.read).toEqual(['/growing/Master.csv']);
        expect(f.cdrCount(id)).toBeGreaterThan(before);
        expect(f.rejectCount(id)).toBe(0);
      }
      f.server.onList = null;
      await f.poll(id);
      expect(f.cdrCount(id)).toBe(next - 10);
    } finally {
      f.server.onList = null;
    }
  });

  it('waits for a growing file to settle when fetched files are deleted, so no line is deleted unread', async () => {
    f.server.writeFile('/growing-del/Master.csv', asteriskLines(40, 2));
    let next = 42;
    f.server.onList = (folder) => {
      if (folder === '/growing-del') f.server.appendFile('/growing-del/Master.csv', asteriskLines(next++, 1));
    };
    try {
      const id = await f.createDevice('Deleted once read', { folder: '/growing-del', afterFetch: 'delete' });
      const summary = await f.poll(id);
      expect(summary.waiting).toEqual([{ path: '/growing-del/Master.csv', reason: 'growing' }]);
      expect(fs.existsSync(f.server.localPath('/growing-del/Master.csv'))).toBe(true);
      f.server.onList = null;
      await f.poll(id);
      await f.poll(id);
      expect(f.cdrCount(id)).toBe(next - 40);
      expect(fs.existsSync(f.server.localPath('/growing-del/Master.csv'))).toBe(false);
    } finally {
      f.server.onList = null;
    }
  });

  it('refuses a matching file without line ends instead of holding it in memory, and reads the other files', async () => {
    // 34 MiB with CR-only line ends, older than the good file (files are read oldest first).
    const cr = asteriskLines(60, 2).replace(/\n/g, '\r');
    f.server.writeFile('/nolf/old.csv', Buffer.alloc(34 * 1024 * 1024, cr));
    const old = new Date(Date.now() - 3_600_000);
    fs.utimesSync(f.server.localPath('/nolf/old.csv'), old, old);
    f.server.writeFile('/nolf/Master.csv', asteriskLines(70, 2));
    const id = await f.createDevice('No line ends', { folder: '/nolf', pattern: '*.csv', intervalSeconds: 3600 });
    const summary = await f.poll(id);
    expect(summary.ok).toBe(false);
    expect(summary.error).toMatch(/^\/nolf\/old\.csv: more than 32 MiB without the end of a batch of records \(no LF line ends\?\)/);
    // The good file is read (by the first poll at start, or this one) all the same.
    expect(f.cdrCount(id)).toBe(2);
    expect(f.progress(id, '/nolf/old.csv')).toBeUndefined();
  }, 60_000);

  it('leaves a file complete once named (CUCM) while it grows, so its cut last line is never read as a record', async () => {
    const name = 'cdr_Cluster1_01_202603020915_000001';
    const path = `/cucm-growing/${name}`;
    const content = fixture(`cucm-${name}`);
    let written = content.length - 120;
    f.server.writeFile(path, content.slice(0, written));
    f.server.onList = (folder) => {
      if (folder !== '/cucm-growing' || written >= content.length - 10) return;
      f.server.appendFile(path, content.slice(written, written + 5));
      written += 5;
    };
    try {
      const id = await f.createDevice('CUCM, still writing', { folder: '/cucm-growing', pattern: '*cdr_*' }, { format: 'cucm' });
      const summary = await f.poll(id);
      expect(summary.waiting).toEqual([{ path, reason: 'growing' }]);
      expect(f.cdrCount(id) + f.rejectCount(id)).toBe(0);
      f.server.onList = null;
      f.server.appendFile(path, content.slice(written));
      await f.poll(id);
      expect(f.cdrCount(id)).toBe(3);
      expect(f.rejectCount(id)).toBe(0);
    } finally {
      f.server.onList = null;
    }
  });

  it('leaves a whole-document file whose size changes between two listings for a later poll', async () => {
    const xml = fixture('freeswitch-xml-cdr.xml');
    f.server.writeFile('/growing-xml/cdr.xml', xml.slice(0, 200));
    f.server.onList = (folder) => {
      if (folder === '/growing-xml') f.server.appendFile('/growing-xml/cdr.xml', ' ');
    };
    try {
      const id = await f.createDevice('Document being written', { folder: '/growing-xml', pattern: '*.xml' }, { format: 'freeswitch-xml' });
      const summary = await f.poll(id);
      expect(summary.waiting).toEqual([{ path: '/growing-xml/cdr.xml', reason: 'growing' }]);
      expect(summary.read).toEqual([]);
      expect(f.cdrCount(id) + f.rejectCount(id)).toBe(0);
      f.server.onList = null;
      f.server.writeFile('/growing-xml/cdr.xml', xml);
      await f.poll(id);
      const settled = await f.poll(id);
      expect(settled.ok).toBe(true);
      expect(f.cdrCount(id)).toBe(1);
    } finally {
      f.server.onList = null;
    }
  });

  it('reads a growing Master.csv incrementally; a cut last line waits and is never rejected', async () => {
    const first = asteriskLines(20, 3);
    f.server.writeFile('/asterisk/Master.csv', first);
    const id = await f.createDevice('Asterisk', { folder: '/asterisk', pattern: 'Master*.csv' });
    await f.poll(id);
    expect(f.cdrCount(id)).toBe(3);

    const line25 = asteriskLines(25, 1);
    f.server.appendFile('/asterisk/Master.csv', asteriskLines(23, 2) + line25.slice(0, 40));
    const second = await f.poll(id);
    expect(second.counts).toMatchObject({ received: 2, stored: 2, duplicates: 0, rejected: 0 });
    expect(second.waiting).toEqual([{ path: '/asterisk/Master.csv', reason: 'last-line' }]);
    const upToCut = first.length + asteriskLines(23, 2).length;
    expect(f.progress(id, '/asterisk/Master.csv')).toMatchObject({ offset: upToCut, line: 5, status: 'growing', sha256: sha256(first + asteriskLines(23, 2)) });

    // A poll while nothing changed leaves the cut line waiting.
    expect((await f.poll(id)).counts.received).toBe(0);

    f.server.appendFile('/asterisk/Master.csv', line25.slice(40) + asteriskLines(26, 1));
    const third = await f.poll(id);
    expect(third.counts).toMatchObject({ received: 2, stored: 2, duplicates: 0, rejected: 0 });
    expect(f.cdrCount(id)).toBe(7);
    expect(f.rejectCount(id)).toBe(0);
    const whole = fs.readFileSync(f.server.localPath('/asterisk/Master.csv'), 'utf8');
    expect(f.progress(id, '/asterisk/Master.csv')).toMatchObject({ offset: whole.length, line: 7, status: 'done', sha256: sha256(whole) });
    expect(daily(id)).toEqual({ received: 7, duplicates: 0 });
  });

  it('reads a rotated or rewritten file again from the start, storing every record once', async () => {
    f.server.writeFile('/rotate/Master.csv', asteriskLines(100, 4));
    const id = await f.createDevice('Rotating', { folder: '/rotate' });
    await f.poll(id);
    expect(f.cdrCount(id)).toBe(4);

    // Rotated: a new, smaller file.
    f.server.writeFile('/rotate/Master.csv', asteriskLines(104, 2));
    expect((await f.poll(id)).counts).toMatchObject({ received: 2, stored: 2 });
    // Replaced by a larger file with another beginning: not read on from the old offset, but from the start.
    f.server.writeFile('/rotate/Master.csv', asteriskLines(106, 5));
    expect((await f.poll(id)).counts).toMatchObject({ received: 5, stored: 5, duplicates: 0, rejected: 0 });
    // An old file copied back with one more call: its known records are duplicates, the new one is stored.
    f.server.writeFile('/rotate/Master.csv', asteriskLines(104, 2) + asteriskLines(111, 1));
    expect((await f.poll(id)).counts).toMatchObject({ received: 3, stored: 1, duplicates: 2, rejected: 0 });
    expect(f.cdrCount(id)).toBe(12);
    expect(f.rejectCount(id)).toBe(0);
  });

  it('changes nothing when a file re-appears with the same content', async () => {
    const content = asteriskLines(400, 3);
    f.server.writeFile('/again/day.csv', content);
    const id = await f.createDevice('Re-appearing', { folder: '/again' });
    await f.poll(id);
    const before = f.progress(id, '/again/day.csv')!;
    fs.rmSync(f.server.localPath('/again/day.csv'));
    await f.poll(id);
    f.server.writeFile('/again/day.csv', content);
    fs.utimesSync(f.server.localPath('/again/day.csv'), new Date(), new Date(Date.now() + 5000));
    const summary = await f.poll(id);
    expect(summary).toMatchObject({ ok: true, read: [], counts: { received: 0 } });
    expect(f.cdrCount(id)).toBe(3);
    expect(daily(id)).toEqual({ received: 3, duplicates: 0 });
    const after = f.progress(id, '/again/day.csv')!;
    expect(after.mtime).not.toBe(before.mtime);
    expect(after).toMatchObject({ offset: before.offset, sha256: before.sha256, records: 3 });
  });

  it('leaves a CUCM file named with a leading _ until it is renamed', async () => {
    const name = 'cdr_Cluster1_01_202603020915_000001';
    f.server.writeFile(`/cucm/_${name}`, fixture(`cucm-${name}`));
    const id = await f.createDevice('CUCM', { folder: '/cucm', pattern: '*cdr_*' }, { format: 'cucm' });
    const summary = await f.poll(id);
    expect(summary.waiting).toEqual([{ path: `/cucm/_${name}`, reason: 'in-progress-name' }]);
    expect(f.cdrCount(id)).toBe(0);
    fs.renameSync(f.server.localPath(`/cucm/_${name}`), f.server.localPath(`/cucm/${name}`));
    await f.poll(id);
    expect(f.cdrCount(id)).toBe(3);
    expect(f.rejectCount(id)).toBe(0);
    expect(f.progress(id, `/cucm/_${name}`)).toBeUndefined();
  });

  it('resumes a file with a header line mid-file with its columns (3CX)', async () => {
    const [header, one, two] = fixture('3cx-cdr.csv').split('\n');
    f.server.writeFile('/3cx/cdr.log', `${header}\n${one}\n`);
    const id = await f.createDevice('3CX', { folder: '/3cx' }, { format: '3cx' });
    await f.poll(id);
    expect(f.cdrCount(id)).toBe(1);
    f.server.appendFile('/3cx/cdr.log', `${two}\n`);
    const summary = await f.poll(id);
    expect(summary.counts).toMatchObject({ received: 1, stored: 1, rejected: 0, skipped: 0 });
    expect(f.cdrCount(id)).toBe(2);
  });

  it('resumes a generic delimited file mid-file with its header line, and rejects a bad record with it as context', async () => {
    const [header, ...rows] = fixture('generic-semicolon.csv').trim().split('\n');
    f.server.writeFile('/generic/export.csv', `${header}\n${rows[0]}\n`);
    const formatOptions = {
      delimiter: ';',
      columns: { start: 'Datum', caller: 'Von', callerName: 'Name', callee: 'Nach', billsec: 'Dauer', disposition: 'Status', nativeId: 'ID' },
      dateFormat: 'DD.MM.YYYY HH:mm:ss',
      durationUnit: 'hms' as const,
    };
    const id = await f.createDevice('Generic', { folder: '/generic' }, { format: 'generic-csv', formatOptions });
    await f.poll(id);
    expect(f.cdrCount(id)).toBe(1);
    f.server.appendFile('/generic/export.csv', `${rows.slice(1).join('\n')}\n`);
    expect((await f.poll(id)).counts).toMatchObject({ received: 3, stored: 2, rejected: 1, skipped: 0 });
    const reject = f.t.services.db.prepare('SELECT source_line, context, reason FROM cdr_rejects WHERE device_id = ?').get(id);
    expect(reject).toMatchObject({ source_line: 5, context: header });
  });

  it('reads a whole-document file (FreeSWITCH XML) in one piece, and again whole when it changes', async () => {
    const xml = fixture('freeswitch-xml-cdr.xml');
    f.server.writeFile('/fsxml/a.xml', xml);
    const id = await f.createDevice('FreeSWITCH XML', { folder: '/fsxml' }, { format: 'freeswitch-xml' });
    await f.poll(id);
    expect(f.cdrCount(id)).toBe(1);
    expect(f.progress(id, '/fsxml/a.xml')).toMatchObject({ offset: Buffer.byteLength(xml), status: 'done', sha256: sha256(xml) });
    f.server.writeFile('/fsxml/a.xml', `${xml}\n`);
    expect((await f.poll(id)).counts).toMatchObject({ received: 1, stored: 0, duplicates: 1 });
    expect(f.cdrCount(id)).toBe(1);
  });

  it('logs in with a private key', async () => {
    f.server.writeFile('/keyed/a.csv', asteriskLines(500, 2));
    const id = await f.createDevice('Keyed', { folder: '/keyed', username: 'keyed', password: '', privateKey: f.keys.privateKey });
    const summary = await f.poll(id);
    expect(summary.ok).toBe(true);
    expect(f.cdrCount(id)).toBe(2);
  });

  // Last: it moves the engine's clock, which ends the sessions the other tests use.
  it('reads a last line without newline as complete once the file has stayed unchanged long enough', async () => {
    const lines = asteriskLines(600, 3);
    f.server.writeFile('/quiet/Master.csv', lines.slice(0, -1));
    const id = await f.createDevice('Quiet file', { folder: '/quiet' });
    await f.t.services.sftpPollers.pollNow(id);
    expect(f.cdrCount(id)).toBe(2);
    expect(f.progress(id, '/quiet/Master.csv')).toMatchObject({ status: 'growing' });
    f.t.advance(61 * 60_000);
    const summary = await f.t.services.sftpPollers.pollNow(id);
    expect(summary.counts).toMatchObject({ received: 1, stored: 1, rejected: 0 });
    expect(f.progress(id, '/quiet/Master.csv')).toMatchObject({ status: 'done', offset: lines.length - 1, line: 3 });
  });
});
