import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src-shared/api/errors';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';

let t: TestEngine;
let clerk: string;
let auditor: string;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk');
  auditor = await t.loginAs('auditor');
});
afterAll(() => t.dispose());

async function fieldErrors(p: Promise<unknown>): Promise<Record<string, string[]>> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe('invalid_input');
  return ((err as ApiError).details as { fields: Record<string, string[]> }).fields;
}

describe('devices', () => {
  it('creates a device with its numbering plan and defaults', async () => {
    const d = await t.call('devices.create', beijingDevice(), clerk);
    expect(d).toMatchObject({
      name: 'Beijing HQ',
      format: 'asterisk-csv',
      timeZone: 'Asia/Shanghai',
      areaCode: '10',
      extensionPattern: '8\\d{3}',
      addresses: ['127.0.0.1'],
      sftp: null,
      enabled: true,
      localNumberLengths: [],
    });
    expect(await t.call('devices.get', { id: d.id }, auditor)).toEqual(d);
    expect((await t.call('devices.list', {}, auditor)).map((x) => x.id)).toContain(d.id);
  });

  it('stores SFTP secrets encrypted, never returns them, keeps them on update unless replaced or cleared', async () => {
    const d = await t.call(
      'devices.create',
      beijingDevice({
        name: 'Shanghai branch',
        sftp: { host: '127.0.0.1', username: 'cdr', password: 'sftp-Secret-42', folder: '/var/log/asterisk/cdr-csv', pattern: 'Master*.csv' },
      }),
      clerk,
    );
    expect(d.sftp).toMatchObject({ host: '127.0.0.1', port: 22, hasPassword: true, hasPrivateKey: false, afterFetch: 'keep', intervalSeconds: 60 });
    expect(JSON.stringify(d)).not.toContain('sftp-Secret-42');
    const stored = t.services.db.prepare('SELECT sftp, sftp_secret FROM devices WHERE id = ?').get(d.id) as { sftp: string; sftp_secret: string };
    expect(stored.sftp + stored.sftp_secret).not.toContain('sftp-Secret-42');
    expect(t.services.devices.sftpSecret(t.services.devices.row(d.id)).password).toBe('sftp-Secret-42');

    // Changing something else keeps the password.
    const renamed = await t.call('devices.update', { id: d.id, name: 'Shanghai office' }, clerk);
    expect(renamed.sftp?.hasPassword).toBe(true);
    // A new SFTP block for the same server and user without a password keeps the stored one too.
    const edited = await t.call('devices.update', { id: d.id, sftp: { host: '127.0.0.1', username: 'cdr', folder: '/cdr' } }, clerk);
    expect(edited.sftp).toMatchObject({ folder: '/cdr', hasPassword: true });
    // Another server needs the password again: the stored one is not sent elsewhere.
    await expect(t.call('devices.update', { id: d.id, sftp: { host: '127.0.0.2', username: 'cdr' } }, clerk)).rejects.toMatchObject({ code: 'invalid_input' });
    const moved = await t.call('devices.update', { id: d.id, sftp: { host: '127.0.0.2', username: 'cdr', password: 'sftp-Secret-42' } }, clerk);
    expect(moved.sftp).toMatchObject({ host: '127.0.0.2', hasPassword: true });
    // "" clears it.
    const cleared = await t.call('devices.update', { id: d.id, sftp: { host: '127.0.0.2', username: 'cdr', password: '' } }, clerk);
    expect(cleared.sftp?.hasPassword).toBe(false);

    const log = t.services.db.prepare("SELECT summary FROM operation_log WHERE method LIKE 'devices.%'").pluck().all().join('\n');
    expect(log).toContain('Shanghai');
    expect(log).not.toContain('sftp-Secret-42');
  });

  it('rejects bad settings with the field that is wrong', async () => {
    const fields = await fieldErrors(
      t.call(
        'devices.create',
        beijingDevice({
          name: 'Bad',
          timeZone: 'Mars/Olympus',
          areaCode: '0A',
          extensionPattern: '8(\\d',
          addresses: ['300.1.1.1', '10.0.0.0/40'],
        }),
        clerk,
      ),
    );
    expect(Object.keys(fields).sort()).toEqual(['addresses.0', 'addresses.1', 'areaCode', 'extensionPattern', 'timeZone']);
  });

  it('checks the generic-csv column map and the move target of SFTP', async () => {
    const fields = await fieldErrors(
      t.call(
        'devices.create',
        beijingDevice({
          name: 'Generic',
          format: 'generic-csv',
          formatOptions: { columns: { caller: 0 } },
          sftp: { host: 'h', username: 'u', afterFetch: 'move' },
        }),
        clerk,
      ),
    );
    expect(Object.keys(fields)).toEqual(expect.arrayContaining(['formatOptions.columns', 'sftp.moveTo']));
    const ok = await t.call(
      'devices.create',
      beijingDevice({
        name: 'Generic ok',
        format: 'generic-csv',
        formatOptions: { columns: { start: 'Start', caller: 'From', callee: 'To' }, delimiter: ';' },
      }),
      clerk,
    );
    expect(ok.formatOptions).toMatchObject({ delimiter: ';' });
  });

  it('refuses a second device with the same name (409) and deletes one', async () => {
    const d = await t.call('devices.create', beijingDevice({ name: 'Temp' }), clerk);
    await expect(t.call('devices.create', beijingDevice({ name: 'temp' }), clerk)).rejects.toMatchObject({ code: 'conflict' });
    await t.call('devices.delete', { id: d.id }, clerk);
    await expect(t.call('devices.get', { id: d.id }, clerk)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('takes an existing enterprise as the default payer, and refuses an unknown one', async () => {
    const fields = await fieldErrors(t.call('devices.create', beijingDevice({ name: 'No such payer', defaultEnterpriseId: 999_999 }), clerk));
    expect(fields).toEqual({ defaultEnterpriseId: ['no enterprise has the id 999999'] });
    const group = await t.call('rateGroups.create', { name: 'Default payer group' }, clerk);
    const enterprise = await t.call('enterprises.create', { name: 'Acme', rateGroupId: group.id, billingMode: 'postpaid' }, clerk);
    const d = await t.call('devices.create', beijingDevice({ name: 'With payer', defaultEnterpriseId: enterprise.id }), clerk);
    expect(d.defaultEnterpriseId).toBe(enterprise.id);
  });

  it('lets auditors read but not change devices', async () => {
    await expect(t.call('devices.create', beijingDevice({ name: 'Nope' }), auditor)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('device updates', () => {
  it('keep every field the update leaves out (no defaults applied on update)', async () => {
    const d = await t.call('devices.create', beijingDevice({ name: 'Keeps fields', localNumberLengths: [8], notes: 'rack 2' }), clerk);
    const after = await t.call('devices.update', { id: d.id, name: 'Keeps fields too' }, clerk);
    expect({ ...after, name: d.name, updatedAt: d.updatedAt }).toEqual(d);
  });
});
