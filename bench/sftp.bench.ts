import fs from 'node:fs';
import { Readable } from 'node:stream';
import path from 'node:path';
import { startEngine } from '../src-main/engine';
import { createCdrParser } from '../src-main/ingest/adapters/registry';
import { parseCdrStream } from '../src-main/ingest/parse-stream';
import { SftpTestServer } from '../test/helpers/sftp-server';
import { asteriskLines } from '../test/helpers/sftp-asterisk-lines';
import { defineBench } from './harness';

const RECORDS = 200_000;
const APPENDED = 20_000;

/**
 * SFTP polling end to end on this machine: a real SFTP server on 127.0.0.1 (the test server) serving an Asterisk
 * Master.csv, read by a device's poller (download stream, parse, store, progress row per batch), then the same file
 * grown by an append and read on from its offset.
 */
export default defineBench('sftp', async (ctx) => {
  const server = await SftpTestServer.start({ users: [{ username: 'cdr', password: 'Bench-sftp-1' }] });
  const dataDir = ctx.tmpDir();
  const engine = await startEngine({
    dataDir,
    http: false,
    adminPassword: 'Bench-password-1',
    consoleLogLevel: 'silent',
    resourcesDir: path.resolve('resources'),
    sftpPolling: { settleMs: 200 },
  });
  try {
    // The first start loads the default attribution data in the background: measure after it, not beside it.
    await engine.services.rating.ready();
    const content = asteriskLines(0, RECORDS);
    server.writeFile('/cdr/Master.csv', content);
    const db = engine.services.db;
    const token = ((await engine.dispatcher.call('auth.login', { username: 'admin', password: 'Bench-password-1' }, { transport: 'internal', address: 'bench' })) as { token: string }).token;
    const caller = { transport: 'internal' as const, address: 'bench', token };
    // Baseline: the same records parsed and stored (with charging) from memory, without SFTP, in this process.
    const device = (name: string, sftp: Record<string, unknown> | null) =>
      engine.dispatcher.call(
        'devices.create',
        { name, format: 'asterisk-csv', timeZone: 'Asia/Shanghai', countryCode: '86', areaCode: '10', nationalPrefix: '0', internationalPrefix: '00', sftp },
        caller,
      ) as Promise<{ id: number }>;
    const baseline = (await device('Bench baseline', null)).id;
    const parser = createCdrParser('asterisk-csv', { deviceId: String(baseline), timeZone: 'Asia/Shanghai' });
    const baselineStarted = process.hrtime.bigint();
    for await (const batch of parseCdrStream(Readable.from([Buffer.from(content)]), parser)) {
      db.transaction(() => engine.services.cdrStore.storeBatch(baseline, { kind: 'import', name: 'baseline' }, batch))();
    }
    const baselineRate = Math.round(RECORDS / (Number(process.hrtime.bigint() - baselineStarted) / 1e9));
    ctx.record({ name: `Same file parsed and stored from memory (no SFTP), ${RECORDS.toLocaleString('en-US')} records`, value: baselineRate, unit: 'records/s', notes: 'baseline for the poll below: store and charging are the same' });

    ctx.resetPeakRss();
    const started = process.hrtime.bigint();
    const polled = await device('Bench Asterisk', { host: server.host, port: server.port, username: 'cdr', password: 'Bench-sftp-1', folder: '/cdr', pattern: 'Master*.csv', intervalSeconds: 3600 });
    const count = () => db.prepare('SELECT COUNT(*) FROM cdrs WHERE device_id = ?').pluck().get(polled.id) as number;
    while (count() < RECORDS) await new Promise((r) => setTimeout(r, 50));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const mb = fs.statSync(server.localPath('/cdr/Master.csv')).size / 1024 / 1024;
    ctx.record({
      name: `SFTP poll of a new Master.csv, ${RECORDS.toLocaleString('en-US')} records (${mb.toFixed(0)} MB), download + parse + store`,
      value: Math.round(RECORDS / seconds),
      unit: 'records/s',
      notes: 'loopback SFTP server (ssh2) in the same process, so its encryption shares the core; includes connect, two listings 200 ms apart, store and charging of each batch',
    });
    ctx.record({ name: 'SFTP poll: peak RSS', value: Math.round(ctx.peakRssMb()), unit: 'MB' });

    server.appendFile('/cdr/Master.csv', asteriskLines(RECORDS, APPENDED));
    const again = process.hrtime.bigint();
    const summary = (await engine.dispatcher.call('devices.pollNow', { id: polled.id }, caller)) as { counts: { stored: number } };
    const appendSeconds = Number(process.hrtime.bigint() - again) / 1e9;
    ctx.record({
      name: `SFTP poll of ${APPENDED.toLocaleString('en-US')} lines appended to that file (read on from its offset)`,
      value: Math.round(appendSeconds * 1000),
      unit: 'ms',
      notes: `${summary.counts.stored} new records; the ${RECORDS.toLocaleString('en-US')} already read are not downloaded again`,
    });
  } finally {
    await engine.stop();
    await server.close();
  }
});
