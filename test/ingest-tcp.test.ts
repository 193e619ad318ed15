import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../src-shared/api/devices';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';
import { fixture, fixtureLines, freePort, TcpSender, waitFor } from './ingest-helpers';

let t: TestEngine;
let admin: string;
let asterisk: Device;
let yeastar: Device;
let threeCx: Device;
let port: number;

const count = (sql: string, ...args: unknown[]) => t.services.db.prepare(sql).pluck().get(...args) as number;
const cdrCount = (deviceId: number) => count('SELECT COUNT(*) FROM cdrs WHERE device_id = ?', deviceId);
const rejectCount = (deviceId: number) => count('SELECT COUNT(*) FROM cdr_rejects WHERE device_id = ?', deviceId);

beforeAll(async () => {
  t = await startTestEngine({ http: false, cdrListener: { host: '127.0.0.1', port: 0 } });
  admin = await t.loginAs('admin');
  asterisk = await t.call('devices.create', beijingDevice({ name: 'Asterisk', addresses: ['127.0.0.2'] }), admin);
  yeastar = await t.call('devices.create', beijingDevice({ name: 'Yeastar', format: 'yeastar', addresses: ['127.0.0.3'] }), admin);
  threeCx = await t.call('devices.create', beijingDevice({ name: '3CX', format: '3cx', addresses: ['127.0.0.8/30'] }), admin);
  port = t.services.cdrListener!.address!.port;
});
afterAll(() => t.dispose());

describe('TCP billing interface', () => {
  it('reads several devices at once, each by its address (CIDR too), in its own format', async () => {
    const senders = [new TcpSender(port, '127.0.0.2'), new TcpSender(port, '127.0.0.3'), new TcpSender(port, '127.0.0.9')];
    await Promise.all([
      senders[0]!.write(fixture('asterisk-master.csv')),
      senders[1]!.write(fixture('yeastar-newcdr.jsonl')),
      senders[2]!.write(fixture('3cx-cdr.csv')),
    ]);
    await waitFor('all records', () => cdrCount(asterisk.id) === 7 && cdrCount(yeastar.id) === 4 && cdrCount(threeCx.id) === 2);
    expect(rejectCount(asterisk.id)).toBe(1);
    const status = (await t.call('ingest.status', {}, admin)).devices;
    expect(status.find((d) => d.deviceId === asterisk.id)!.connections).toHaveLength(1);
    expect(status.find((d) => d.deviceId === threeCx.id)!.connections[0]!.remote).toMatch(/^127\.0\.0\.9:\d+$/);
    await Promise.all(senders.map((s) => s.end()));
    await waitFor('connections closed', () => t.services.cdrListener!.openConnections === 0);
    const source = t.services.db.prepare('SELECT source_kind, source_name, source_line FROM cdrs WHERE device_id = ? ORDER BY id').all(yeastar.id);
    expect(source[3]).toMatchObject({ source_kind: 'tcp', source_line: 4, source_name: expect.stringMatching(/^tcp#\d+ 127\.0\.0\.3:\d+$/) });
  });

  it('refuses a connection from an address no device allows, saying why', async () => {
    const sender = await new TcpSender(port, '127.0.0.99').ready();
    await sender.waitForReply(/^ERROR 127\.0\.0\.99 is not an allowed address of any device\n$/);
    await sender.waitClosed();
  });

  it('refuses a bad login with a line saying why, and accepts a good one', async () => {
    await t.call('settings.update', { billingInterface: { account: 'pbx', password: 'Cdr-Secret-123' } }, admin);
    const bad = new TcpSender(port, '127.0.0.2');
    await bad.write('LOGIN pbx wrong-password\n' + fixtureLines('asterisk-master.csv')[0] + '\n');
    expect(await bad.waitForReply(/\n/)).toBe('ERROR login refused: wrong account or password\n');
    await bad.waitClosed();

    const good = new TcpSender(port, '127.0.0.2');
    await good.write('LOGIN pbx Cdr-Secret-123\r\n');
    expect(await good.waitForReply(/\n/)).toBe('OK Asterisk\n');
    const line = fixtureLines('asterisk-master-uniqueid.csv')[0]!;
    await good.write(`${line}\n`);
    await waitFor('the record', () => count('SELECT COUNT(*) FROM cdrs WHERE raw = ?', line) === 1);
    expect(count('SELECT source_line FROM cdrs WHERE raw = ?', line)).toBe(2);
    await good.end();
  });

  it('stores the good lines around garbage lines and keeps the garbage as rejects with their line', async () => {
    const lines = fixtureLines('yeastar-newcdr.jsonl');
    const before = cdrCount(yeastar.id);
    const sender = new TcpSender(port, '127.0.0.3');
    await sender.write([lines[0]!.replace('1772414102.77', '9.1'), 'garbage {', lines[1]!.replace('1772414400.80', '9.2'), ''].join('\n'));
    await waitFor('two records', () => cdrCount(yeastar.id) === before + 2);
    const reject = t.services.db.prepare("SELECT * FROM cdr_rejects WHERE raw = 'garbage {'").get() as Record<string, unknown>;
    expect(reject).toMatchObject({ device_id: yeastar.id, source_kind: 'tcp', source_line: 2, status: 'open' });
    await sender.end();
  });

  it('rejects a line longer than 64 KiB and goes on reading the connection', async () => {
    const [a, b, c] = fixtureLines('asterisk-master.csv').map((l) => l.replace('2026-03-02', '2026-04-02'));
    const before = cdrCount(asterisk.id);
    const sender = new TcpSender(port, '127.0.0.2');
    await sender.write(`${a}\n"${'x'.repeat(70_000)}",${b}\n${b}\n`);
    await waitFor('the lines around the long one', () => cdrCount(asterisk.id) === before + 2);
    const reject = t.services.db.prepare('SELECT * FROM cdr_rejects WHERE reason LIKE ?').get('%70%bytes long%') as Record<string, unknown>;
    expect(reject).toMatchObject({ source_line: 2, raw_complete: 0 });
    expect(String(reject.raw).length).toBeLessThanOrEqual(64 * 1024);
    await sender.write(`${c}\n`);
    await waitFor('the line after', () => cdrCount(asterisk.id) === before + 3);
    expect(sender.closed).toBe(false);
    await sender.end();
  });

  it('loses no complete line when the connection drops in the middle of a line', async () => {
    const lines = fixtureLines('asterisk-master.csv').map((l) => l.replace('2026-03-02', '2026-05-02'));
    const before = cdrCount(asterisk.id);
    const sender = new TcpSender(port, '127.0.0.2');
    const cut = lines[3]!.slice(0, 60);
    await sender.write(`${lines[0]}\n${lines[1]}\n${lines[2]}\n${cut}`);
    await waitFor('three complete lines', () => cdrCount(asterisk.id) === before + 3);
    sender.socket.resetAndDestroy();
    await waitFor('the cut line kept as a reject', () => count('SELECT COUNT(*) FROM cdr_rejects WHERE raw = ?', cut) === 1);
    expect(cdrCount(asterisk.id)).toBe(before + 3);
    expect(String(t.services.db.prepare('SELECT reason FROM cdr_rejects WHERE raw = ?').pluck().get(cut))).toMatch(
      /^line 4: the connection closed in the middle of this line/,
    );
  });

  it('stores a stream exactly once when the device re-sends everything after losing its connection', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => {
      const s = String(i % 60).padStart(2, '0');
      const m = String(Math.floor(i / 60) % 60).padStart(2, '0');
      return `"","8001","9${13800000000 + i}","from-internal","<8001>","PJSIP/8001-1","PJSIP/trunk-2","Dial","","2026-06-01 10:${m}:${s}","2026-06-01 10:${m}:${s}","2026-06-01 10:${m}:${s}",0,0,"ANSWERED","DOCUMENTATION","1780000000.${i}",""`;
    });
    const before = cdrCount(asterisk.id);
    const first = new TcpSender(port, '127.0.0.2');
    await first.write(lines.slice(0, 1800).join('\n') + '\n' + lines[1800]!.slice(0, 40));
    await waitFor('the first part', () => cdrCount(asterisk.id) >= before + 1800);
    first.socket.resetAndDestroy();
    const again = new TcpSender(port, '127.0.0.2');
    await again.write(lines.join('\n') + '\n');
    await waitFor('the whole stream', () => cdrCount(asterisk.id) === before + 3000);
    await again.end();
    const keys = t.services.db
      .prepare("SELECT native_id FROM cdrs WHERE device_id = ? AND native_id LIKE '1780000000.%'")
      .pluck()
      .all(asterisk.id) as string[];
    expect(new Set(keys).size).toBe(3000);
    expect(keys).toHaveLength(3000);
  });

  it('lets a DEVICE line choose among devices that share an address', async () => {
    const second = await t.call('devices.create', beijingDevice({ name: 'Asterisk 2', addresses: ['127.0.0.2'] }), admin);
    const ambiguous = new TcpSender(port, '127.0.0.2');
    await ambiguous.write(`${fixtureLines('asterisk-master.csv')[0]}\n`);
    expect(await ambiguous.waitForReply(/\n/)).toMatch(/^ERROR 2 devices accept CDRs from 127\.0\.0\.2 \(Asterisk, Asterisk 2\): name one with a line "DEVICE <id or name>" first\n$/);
    const named = new TcpSender(port, '127.0.0.2');
    await named.write(`DEVICE asterisk 2\n${fixtureLines('asterisk-master.csv')[1]}\n`);
    expect(await named.waitForReply(/\n/)).toBe('OK Asterisk 2\n');
    await waitFor('the record of the named device', () => cdrCount(second.id) === 1);
    const other = new TcpSender(port, '127.0.0.3');
    await other.write('DEVICE Asterisk 2\n');
    expect(await other.waitForReply(/\n/)).toBe('ERROR device "Asterisk 2" does not accept CDRs from 127.0.0.3\n');
    await named.end();
    await t.call('devices.delete', { id: second.id }, admin).catch(() => t.call('devices.update', { id: second.id, enabled: false }, admin));
  });

  it('closes a connection whose address is taken off its device', async () => {
    const sender = new TcpSender(port, '127.0.0.9');
    await sender.write(`${fixtureLines('3cx-cdr.csv')[0]}\n`);
    await waitFor('the connection to belong to the 3CX device', () =>
      t.services.ingestStatus.snapshot().devices.some((d) => d.deviceId === threeCx.id && d.connections.length === 1),
    );
    await t.call('devices.update', { id: threeCx.id, addresses: ['127.0.0.12'] }, admin);
    expect(await sender.waitForReply(/\n/)).toBe('ERROR device "3CX" does not accept CDRs from 127.0.0.9\n');
    await sender.waitClosed();
  });

  it('closes its connections and stops listening when turned off, and listens again when turned on', async () => {
    const sender = new TcpSender(port, '127.0.0.3');
    const line = fixtureLines('yeastar-newcdr.jsonl')[3]!.replace('1772424000.99', '9.4');
    await sender.write(`${line}\n`);
    await waitFor('the record', () => count('SELECT COUNT(*) FROM cdrs WHERE raw = ?', line) === 1);
    await t.call('settings.update', { billingInterface: { enabled: false } }, admin);
    expect(await sender.waitForReply(/\n/)).toBe('ERROR the billing interface was turned off\n');
    await sender.waitClosed();
    await waitFor('the listener to stop', () => t.services.cdrListener!.address === null);
    expect(t.services.ingestStatus.listenerState.state).toBe('disabled');
    await t.call('settings.update', { billingInterface: { enabled: true, host: '127.0.0.1', cdrPort: await freePort() } }, admin);
    await waitFor('the listener to start again', () => t.services.cdrListener!.address !== null);
    port = t.services.cdrListener!.address!.port;
  });

  it('moves to a new port when the settings change it, without a restart', async () => {
    const next = await freePort();
    const old = port;
    await t.call('settings.update', { billingInterface: { cdrPort: next } }, admin);
    await waitFor('the listener to move', () => t.services.cdrListener!.address?.port === next);
    expect(t.services.ingestStatus.listenerState).toMatchObject({ state: 'listening', port: next });
    const sender = new TcpSender(next, '127.0.0.3');
    const line = fixtureLines('yeastar-newcdr.jsonl')[2]!.replace('1772416800.91', '9.3');
    await sender.write(`${line}\n`);
    await waitFor('a record on the new port', () => count('SELECT COUNT(*) FROM cdrs WHERE raw = ?', line) === 1);
    await sender.end();
    const refused = new TcpSender(old, '127.0.0.3');
    await expect(refused.ready()).rejects.toThrow(/ECONNREFUSED/);
    port = next;
  });
});
