import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { csvFile, downloadBytes, refusalOf, xlsxFile, xlsxRows } from './helpers/account-files';
import { beijingDevice } from './helpers/fixtures';
import { sampleBase64 } from './helpers/sample-billing';

let t: TestEngine;
let clerk: string;
let auditor: string;
let deviceId: number;
let branchId: number;
let liWei: number;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk');
  auditor = await t.loginAs('auditor');
  const groupId = (await t.call('rateGroups.create', { name: 'Standard' }, clerk)).id;
  deviceId = (await t.call('devices.create', beijingDevice(), clerk)).id;
  branchId = (await t.call('devices.create', beijingDevice({ name: 'Branch', extensionPattern: '' }), clerk)).id;
  const acme = await t.call('enterprises.create', { name: 'Acme', code: 'AC', rateGroupId: groupId, billingMode: 'prepaid' }, clerk);
  const beta = await t.call('enterprises.create', { name: 'Beta', rateGroupId: groupId, billingMode: 'prepaid' }, clerk);
  liWei = (await t.call('userAccounts.create', { enterpriseId: acme.id, name: 'Li Wei' }, clerk)).id;
  await t.call('userAccounts.create', { enterpriseId: acme.id, name: 'Twin' }, clerk);
  await t.call('userAccounts.create', { enterpriseId: beta.id, name: 'Twin' }, clerk);
});
afterAll(() => t.dispose());

const extensionCount = () => t.services.db.prepare('SELECT COUNT(*) FROM extensions').pluck().get() as number;

describe('extensions.import', () => {
  it('creates extensions of several devices with owners, then updates them by device and number', async () => {
    const result = await t.call(
      'extensions.import',
      {
        fileName: 'extensions.csv',
        content: csvFile(['Device,Number,Name,User,Enterprise', 'Beijing HQ,8001,Reception,Li Wei,', `${branchId},301,Branch desk,Twin,Beta`, 'beijing hq,8002,,,']),
      },
      clerk,
    );
    expect(result).toMatchObject({ rows: 3, created: 3, updated: 0 });
    const hq = (await t.call('extensions.list', { deviceId, limit: 50 }, auditor)).rows;
    expect(hq.map((x) => [x.number, x.name, x.userAccountName])).toEqual([
      ['8001', 'Reception', 'Li Wei'],
      ['8002', '', null],
    ]);
    const branch = (await t.call('extensions.list', { deviceId: branchId, limit: 50 }, auditor)).rows;
    expect(branch[0]).toMatchObject({ number: '301', name: 'Branch desk', userAccountName: 'Twin' });

    // A file without a Device column, for the device the import names; no User column keeps the owners.
    const again = await t.call('extensions.import', { fileName: 'names.xlsx', deviceId, content: await xlsxFile([['分机号', '名称'], [8001, '前台'], [8003, '会议室']]) }, clerk);
    expect(again).toMatchObject({ created: 1, updated: 1 });
    const after = (await t.call('extensions.list', { deviceId, limit: 50 }, auditor)).rows;
    expect(after.map((x) => [x.number, x.name, x.userAccountId])).toEqual([
      ['8001', '前台', liWei],
      ['8002', '', null],
      ['8003', '会议室', null],
    ]);
  });

  describe('refuses a file with problems and applies nothing', () => {
    const cases: [string, string[], { row: number | null; column: string | null; problem: RegExp; key: string }[]][] = [
      ['a bad number', ['Device,Number', 'Beijing HQ,80-01', 'Beijing HQ,'], [
        { row: 2, column: 'Number', problem: /"80-01" is not an extension number/, key: 'import.extension.invalid' },
        { row: 3, column: 'Number', problem: /^is empty$/, key: 'import.cell.empty' },
      ]],
      ['an unknown device', ['Device,Number', 'Shanghai,8001'], [{ row: 2, column: 'Device', problem: /there is no device "Shanghai"/, key: 'import.device.unknown' }]],
      ['a missing device with several devices', ['Number', '8009'], [{ row: 2, column: 'Device', problem: /is empty: name the device/, key: 'import.device.empty' }]],
      ['an unknown user, and a user whose name two enterprises have', ['Device,Number,User', 'Beijing HQ,8010,Nobody', 'Beijing HQ,8011,Twin'], [
        { row: 2, column: 'User', problem: /there is no user account "Nobody"/, key: 'import.user.unknown' },
        { row: 3, column: 'User', problem: /2 enterprises have a user "Twin" \(Acme, Beta\): add an Enterprise column/, key: 'import.user.ambiguous' },
      ]],
      ['a number twice for one device', ['Device,Number', 'Beijing HQ,8020', '1,8020'], [{ row: 3, column: 'Number', problem: /extension 8020 of Beijing HQ appears again; it is first in row 2/, key: 'import.extension.repeated' }]],
      ['wrong column names', ['Device,Number,Owner name', 'Beijing HQ,8030,x'], [{ row: 1, column: 'Owner name', problem: /is not a column of this import/, key: 'import.heading.unknown' }]],
      ['an empty file', [], [{ row: null, column: null, problem: /^the file is empty$/, key: 'import.file.empty' }]],
    ];
    it.each(cases)('%s', async (_name, lines, expected) => {
      const before = extensionCount();
      const refusal = await refusalOf(t.call('extensions.import', { fileName: 'bad.csv', content: lines.length ? csvFile(lines) : '' }, clerk));
      expect(refusal.problems).toEqual(expected.map((p) => expect.objectContaining({ row: p.row, column: p.column, problem: expect.stringMatching(p.problem), key: p.key })));
      expect(extensionCount()).toBe(before);
    });

    it('answers 404 for an unknown device of the import', async () => {
      const err = await t.call('extensions.import', { fileName: 'x.csv', deviceId: 999, content: csvFile(['Number', '1']) }, clerk).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'not_found' });
    });
  });

  it('exports the filter, and the export imports back unchanged', async () => {
    for (const format of ['xlsx', 'csv'] as const) {
      const ticket = await t.call('extensions.export', { deviceId, format, timeZone: 'UTC' }, auditor);
      expect(ticket.rows).toBe(3);
      const bytes = await downloadBytes(t, auditor, ticket);
      if (format === 'xlsx') {
        const rows = await xlsxRows(bytes);
        expect(rows.find((r) => r[0] === 'Filters')?.[1]).toBe('device Beijing HQ');
        expect(rows.find((r) => r[2] === '8001')).toEqual([expect.any(String), 'Beijing HQ', '8001', '前台', 'Li Wei', 'Acme']);
      }
      const before = (await t.call('extensions.list', { limit: 100 }, auditor)).rows;
      const result = await t.call('extensions.import', { fileName: ticket.fileName, content: bytes.toString('base64') }, clerk);
      expect(result).toMatchObject({ created: 0, updated: 3 });
      const after = (await t.call('extensions.list', { limit: 100 }, auditor)).rows;
      expect(after.map(({ updatedAt: _u, ...x }) => x)).toEqual(before.map(({ updatedAt: _u, ...x }) => x));
    }
  });

  it('gives a template that explains its columns', async () => {
    const ticket = await t.call('extensions.template', { format: 'csv' }, auditor);
    const text = (await downloadBytes(t, auditor, ticket)).toString('utf8');
    expect(text).toContain('Column: Number,"required: the extension number: digits, * # +"');
    expect(text.trim().split(/\r?\n/).at(-1)).toBe('Device,Number,Name,User,Enterprise');
  });
});

describe('extensions.unknown', () => {
  it("lists callers of a device's CDRs that look like extensions but are not configured, and forgets adopted ones", async () => {
    const device = await t.call('devices.create', beijingDevice({ name: 'Sample PBX' }), clerk);
    await t.call('extensions.create', { deviceId: device.id, number: '8003' }, clerk);
    await t.call('cdrs.import', { deviceId: device.id, fileName: 'asterisk-master.csv', content: sampleBase64('asterisk-master.csv') }, clerk);

    const unknown = await t.call('extensions.unknown', { deviceId: device.id }, auditor);
    expect(unknown).toMatchObject({ total: 2, pattern: '8\\d{3}', patternFromDevice: true });
    expect(unknown.rows).toEqual([
      { deviceId: device.id, number: '8001', calls: 3, firstSeen: '2026-03-02T01:15:02.000Z', lastSeen: '2026-03-02T05:00:00.000Z' },
      { deviceId: device.id, number: '8002', calls: 2, firstSeen: '2026-03-02T01:20:00.000Z', lastSeen: '2026-03-02T04:00:00.000Z' },
    ]);
    expect((await t.call('extensions.unknown', { deviceId: device.id, q: '8002' }, auditor)).rows.map((r) => r.number)).toEqual(['8002']);

    // Re-sent records are duplicates: they are not counted again.
    await t.call('cdrs.import', { deviceId: device.id, fileName: 'again.csv', content: sampleBase64('asterisk-master.csv') }, clerk);
    expect((await t.call('extensions.unknown', { deviceId: device.id }, auditor)).rows[0]!.calls).toBe(3);

    // Adopting 8001 for Li Wei: it is configured now, and its next calls are his.
    await t.call('extensions.create', { deviceId: device.id, number: '8001', userAccountId: liWei }, clerk);
    expect((await t.call('extensions.unknown', { deviceId: device.id }, auditor)).rows.map((r) => r.number)).toEqual(['8002']);
  });

  it('matches callers against the default pattern (2 to 6 digits) when the device has none', async () => {
    const device = await t.call('devices.create', beijingDevice({ name: 'No pattern', extensionPattern: '' }), clerk);
    await t.call('cdrs.import', { deviceId: device.id, fileName: 'asterisk-master.csv', content: sampleBase64('asterisk-master.csv') }, clerk);
    const unknown = await t.call('extensions.unknown', { deviceId: device.id }, auditor);
    expect(unknown).toMatchObject({ total: 3, pattern: '\\d{2,6}', patternFromDevice: false });
  });
});
