import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserAccount } from '../src-shared/api/accounts';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { csvFile, downloadBytes, refusalOf, xlsxFile, xlsxRows } from './helpers/account-files';
import { beijingDevice } from './helpers/fixtures';

let t: TestEngine;
let clerk: string;
let auditor: string;
let groupId: number;
let deviceId: number;
let acmeId: number;

beforeAll(async () => {
  t = await startTestEngine({ http: false });
  clerk = await t.loginAs('clerk');
  auditor = await t.loginAs('auditor');
  groupId = (await t.call('rateGroups.create', { name: 'Standard' }, clerk)).id;
  await t.call('rateGroups.create', { name: 'VIP' }, clerk);
  deviceId = (await t.call('devices.create', beijingDevice(), clerk)).id;
  acmeId = (await t.call('enterprises.create', { name: 'Acme', code: 'AC-1', rateGroupId: groupId, billingMode: 'prepaid' }, clerk)).id;
  await t.call('enterprises.create', { name: 'Beta Ltd', rateGroupId: groupId, billingMode: 'postpaid' }, clerk);
});
afterAll(() => t.dispose());

const HEADINGS = 'Enterprise,Name,Code,Extensions,Card number,PIN,Own balance,Rate group,Credit limit,Low balance,Freeze when exhausted,Notes';

const counts = () =>
  t.services.db
    .prepare("SELECT (SELECT COUNT(*) FROM accounts WHERE kind = 'user') AS users, (SELECT COUNT(*) FROM extensions) AS extensions")
    .get() as { users: number; extensions: number };

async function usersOf(enterpriseId: number): Promise<UserAccount[]> {
  return (await t.call('userAccounts.list', { enterpriseId, limit: 1000 }, auditor)).rows;
}

describe('userAccounts.import', () => {
  it('creates users from a .csv: extensions, card numbers, hashed PINs, own balances, rate groups', async () => {
    const result = await t.call(
      'userAccounts.import',
      {
        fileName: 'users.csv',
        content: csvFile([
          HEADINGS,
          'Acme,Li Wei,E-01,8001; 8002,700100,1234,no,,,,,sales',
          'AC-1,Zhang Min,,8003,,,yes,VIP,50,20.5,yes,',
          '"Beta Ltd","Wang, Fang",,,700200,,no,,,,,"quoted, with comma"',
        ]),
      },
      clerk,
    );
    expect(result).toMatchObject({ fileName: 'users.csv', rows: 3, created: 3, updated: 0, extensionsAssigned: 3, pinsSet: 1 });
    const acme = await usersOf(acmeId);
    const li = acme.find((u) => u.name === 'Li Wei')!;
    expect(li).toMatchObject({ code: 'E-01', cardNumber: '700100', hasPin: true, ownBalance: false, notes: 'sales', rateGroupId: null });
    expect(li.extensions).toEqual([{ deviceId, number: '8001' }, { deviceId, number: '8002' }]);
    const zhang = acme.find((u) => u.name === 'Zhang Min')!;
    expect(zhang).toMatchObject({ ownBalance: true, creditLimit: '50.0000', lowBalance: '20.5000', hasPin: false, alertState: 'low' });
    expect(zhang.rateGroupId).not.toBeNull();
    const pinHash = t.services.db.prepare('SELECT pin_hash FROM accounts WHERE id = ?').pluck().get(li.id) as string;
    expect(pinHash).toMatch(/^scrypt\$/);
    expect(pinHash).not.toContain('1234');
  });

  it('reads an .xlsx with Chinese headings, numbers as numbers and a title block above the headings', async () => {
    const result = await t.call(
      'userAccounts.import',
      {
        fileName: '用户.xlsx',
        content: await xlsxFile([
          ['用户导入'],
          [],
          ['企业', '用户名', '分机号', '卡号', '密码', '独立余额', '信用额度', '备注'],
          ['Acme', '陈静', 8010, 700300, 98765, '是', 12.5, '财务部'],
          ['Acme', 'Zhou Jie', '8011;8012', null, null, '否', null, null],
        ]),
      },
      clerk,
    );
    expect(result).toMatchObject({ rows: 2, created: 2, extensionsAssigned: 3, pinsSet: 1 });
    const chen = (await usersOf(acmeId)).find((u) => u.name === '陈静')!;
    expect(chen).toMatchObject({ cardNumber: '700300', hasPin: true, ownBalance: true, creditLimit: '12.5000', notes: '财务部' });
    expect(chen.extensions).toEqual([{ deviceId, number: '8010' }]);
  });

  it('updates the users a file names; columns the file lacks keep their values, an empty PIN keeps the PIN', async () => {
    const before = (await usersOf(acmeId)).find((u) => u.name === 'Li Wei')!;
    const result = await t.call(
      'userAccounts.import',
      { fileName: 'changes.csv', content: csvFile(['Enterprise,Name,Card number,PIN,Notes', 'acme,li wei,700101,,moved to support']) },
      clerk,
    );
    expect(result).toMatchObject({ created: 0, updated: 1, pinsSet: 0 });
    const after = await t.call('userAccounts.get', { id: before.id }, clerk);
    expect(after).toMatchObject({ name: 'li wei', cardNumber: '700101', hasPin: true, code: 'E-01', notes: 'moved to support', extensions: before.extensions });
    // The card number it gave up is free again.
    await t.call('userAccounts.import', { fileName: 'reuse.csv', content: csvFile(['Enterprise,Name,Card number', 'Acme,Card reuser,700100']) }, clerk);
    expect((await t.call('userAccounts.list', { q: '700100', limit: 5 }, clerk)).rows.map((u) => u.name)).toEqual(['Card reuser']);
  });

  describe('refuses a file with problems, by row and column, and applies nothing', () => {
    const cases: [string, () => Promise<{ fileName: string; content: string }>, { row: number | null; column: string | null; problem: RegExp; key: string | RegExp }[]][] = [
      [
        'a bad extension number, PIN, amount and yes/no (every problem of every row)',
        async () => ({
          fileName: 'bad.csv',
          content: csvFile([HEADINGS, 'Acme,Good Row,,8020,,,,,,,,', 'Acme,Bad Row,,80a1,,12,maybe,,-5,,,']),
        }),
        [
          { row: 3, column: 'Extensions', problem: /"80a1" is not an extension number/, key: 'import.extension.invalid' },
          { row: 3, column: 'PIN', problem: /4 to 12 digits/, key: /^(zod|field)\./ },
          { row: 3, column: 'Own balance', problem: /must be yes or no, got "maybe"/, key: 'import.cell.yesNo' },
          { row: 3, column: 'Credit limit', problem: /must not be negative, got "-5"/, key: /^(zod|field)\./ },
        ],
      ],
      [
        'an unknown enterprise (by name or code)',
        async () => ({ fileName: 'ent.csv', content: csvFile(['Enterprise,Name', 'Acme,Fine', 'Nowhere Inc,Lost']) }),
        [{ row: 3, column: 'Enterprise', problem: /there is no enterprise named or coded "Nowhere Inc"/, key: 'import.enterprise.unknown' }],
      ],
      [
        'an unknown device and an unknown rate group',
        async () => ({ fileName: 'dev.csv', content: csvFile(['Enterprise,Name,Device,Extensions,Rate group', 'Acme,Dev user,Shanghai PBX,8030,Gold']) }),
        [
          { row: 2, column: 'Rate group', problem: /there is no rate group "Gold"/, key: 'import.rateGroup.unknown' },
          { row: 2, column: 'Device', problem: /there is no device "Shanghai PBX"/, key: 'import.device.unknown' },
        ],
      ],
      [
        'a card number twice in the file',
        async () => ({ fileName: 'cards.csv', content: csvFile(['Enterprise,Name,Card number', 'Acme,Card A,800001', 'Acme,Card B,800001']) }),
        [{ row: 3, column: 'Card number', problem: /card number 800001 appears again; it is first in row 2/, key: 'import.card.repeated' }],
      ],
      [
        'a card number another account holds in the database',
        async () => ({ fileName: 'taken.csv', content: csvFile(['Enterprise,Name,Card number', 'Beta Ltd,Card thief,700300']) }),
        [{ row: 2, column: 'Card number', problem: /card number 700300 belongs to 陈静/, key: 'import.card.taken' }],
      ],
      [
        'a user twice in the file, and an extension given to two rows',
        async () => ({ fileName: 'twice.csv', content: csvFile(['Enterprise,Name,Extensions', 'Acme,Twin,8040', 'acme,TWIN,8041', 'Acme,Other,8040']) }),
        [
          { row: 3, column: 'Name', problem: /user "TWIN" of enterprise "acme" appears again; it is first in row 2/, key: 'import.user.repeated' },
          { row: 4, column: 'Extensions', problem: /extension 8040 is also given in row 2/, key: 'import.extension.alsoInRow' },
        ],
      ],
      [
        'a user twice in the file, once under the enterprise\'s name and once under its code',
        async () => ({ fileName: 'twice-coded.csv', content: csvFile(['Enterprise,Name', 'Acme,Coded Twin', 'AC-1,Coded Twin']) }),
        [{ row: 3, column: 'Name', problem: /user "Coded Twin" of enterprise "AC-1" appears again; it is first in row 2/, key: 'import.user.repeated' }],
      ],
      [
        'wrong column names',
        async () => ({ fileName: 'columns.csv', content: csvFile(['Enterprise,Name,Phone,Extension no', 'Acme,Someone,123,8001']) }),
        [
          { row: 1, column: 'Phone', problem: /is not a column of this import/, key: 'import.heading.unknown' },
          { row: 1, column: 'Extension no', problem: /is not a column of this import/, key: 'import.heading.unknown' },
        ],
      ],
      [
        'no heading row at all',
        async () => ({ fileName: 'nohead.csv', content: csvFile(['Firm,Person', 'Acme,Someone']) }),
        [{ row: null, column: null, problem: /no heading row found: expected the columns Enterprise, Name .*the first row holds "Firm", "Person"/, key: 'import.heading.notFound' }],
      ],
      ['an empty file', async () => ({ fileName: 'empty.csv', content: '' }), [{ row: null, column: null, problem: /^the file is empty$/, key: 'import.file.empty' }]],
      [
        'headings without rows',
        async () => ({ fileName: 'headings.xlsx', content: await xlsxFile([['Enterprise', 'Name']]) }),
        [{ row: null, column: null, problem: /^the file has headings but no data rows$/, key: 'import.file.noRows' }],
      ],
      [
        'not a spreadsheet (a PNG named .xlsx)',
        async () => ({ fileName: 'photo.xlsx', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString('base64') }),
        [{ row: null, column: null, problem: /"photo.xlsx" is not an .xlsx workbook/, key: 'import.file.notXlsx' }],
      ],
      [
        'not a spreadsheet (an old .xls)',
        async () => ({ fileName: 'old.xls', content: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).toString('base64') }),
        [{ row: null, column: null, problem: /old-style .xls workbooks cannot be read/, key: 'import.file.xls' }],
      ],
    ];

    it.each(cases)('%s', async (_name, file, expected) => {
      const before = counts();
      const users = await usersOf(acmeId);
      const refusal = await refusalOf(t.call('userAccounts.import', await file(), clerk));
      expect(refusal.problemCount).toBe(expected.length);
      // Each problem in English (for support) and as a key of the engine catalogue the UI translates.
      expect(refusal.problems).toEqual(expected.map((p) => expect.objectContaining({ row: p.row, column: p.column, problem: expect.stringMatching(p.problem), key: typeof p.key === 'string' ? p.key : expect.stringMatching(p.key) })));
      expect(counts()).toEqual(before);
      expect(await usersOf(acmeId)).toEqual(users);
    });

    it('applies nothing of a good first half when a later row is bad', async () => {
      const before = counts();
      const lines = [HEADINGS, ...Array.from({ length: 50 }, (_, i) => `Acme,Batch ${i},,${8100 + i},,,,,,,,`), 'Acme,Batch bad,,,,,,oops,,,,'];
      const refusal = await refusalOf(t.call('userAccounts.import', { fileName: 'half.csv', content: csvFile(lines) }, clerk));
      expect(refusal.problems).toEqual([{ row: 52, column: 'Rate group', problem: 'there is no rate group "oops"', key: 'import.rateGroup.unknown', params: { value: 'oops' } }]);
      expect(counts()).toEqual(before);
    });

    it('refuses content that is not base64 as a field error, and auditors may not import', async () => {
      const notBase64 = await t.call('userAccounts.import', { fileName: 'x.csv', content: '%%%' }, clerk).catch((e: unknown) => e);
      expect(notBase64).toMatchObject({ code: 'invalid_input', details: { fields: { content: ['must be base64'] } } });
      const forbidden = await t.call('userAccounts.import', { fileName: 'x.csv', content: csvFile([HEADINGS]) }, auditor).catch((e: unknown) => e);
      expect(forbidden).toMatchObject({ code: 'forbidden' });
    });
  });
});

describe('userAccounts.export and template', () => {
  it('exports the filter in the layout the import reads; re-imported into another engine it gives the same accounts', async () => {
    for (const format of ['xlsx', 'csv'] as const) {
      const ticket = await t.call('userAccounts.export', { enterpriseId: acmeId, format, timeZone: 'Asia/Shanghai' }, auditor);
      expect(ticket.rows).toBe((await usersOf(acmeId)).length);
      const bytes = await downloadBytes(t, auditor, ticket);
      // Re-imported here, the file changes nothing.
      const same = await t.call('userAccounts.import', { fileName: ticket.fileName, content: bytes.toString('base64') }, clerk);
      expect(same).toMatchObject({ created: 0, updated: ticket.rows, pinsSet: 0 });

      const other = await startTestEngine({ http: false });
      try {
        const otherClerk = await other.loginAs('clerk');
        await other.call('rateGroups.create', { name: 'Standard' }, otherClerk);
        const vip = await other.call('rateGroups.create', { name: 'VIP' }, otherClerk);
        const otherDevice = await other.call('devices.create', beijingDevice(), otherClerk);
        const acme = await other.call('enterprises.create', { name: 'Acme', rateGroupId: vip.id, billingMode: 'prepaid' }, otherClerk);
        const result = await other.call('userAccounts.import', { fileName: ticket.fileName, content: bytes.toString('base64') }, otherClerk);
        expect(result.created).toBe(ticket.rows);
        const shape = (u: UserAccount, device: number, group: (id: number | null) => string | null) => ({
          name: u.name,
          code: u.code,
          cardNumber: u.cardNumber,
          ownBalance: u.ownBalance,
          creditLimit: u.creditLimit,
          lowBalance: u.lowBalance,
          notes: u.notes,
          rateGroup: group(u.rateGroupId),
          extensions: u.extensions.map((x) => ({ ...x, deviceId: x.deviceId === device ? 'the device' : x.deviceId })),
        });
        const groupName = (list: { id: number; name: string }[]) => (id: number | null) => (id === null ? null : (list.find((g) => g.id === id)?.name ?? '?'));
        const here = (await usersOf(acmeId)).map((u) => shape(u, deviceId, groupName(t.services.db.prepare('SELECT id, name FROM rate_groups').all() as never)));
        const there = (await other.call('userAccounts.list', { enterpriseId: acme.id, limit: 1000 }, otherClerk)).rows.map((u) =>
          shape(u, otherDevice.id, groupName(other.services.db.prepare('SELECT id, name FROM rate_groups').all() as never)),
        );
        expect(there).toEqual(here);
        // PINs never leave the system: the imported users have none.
        expect((await other.call('userAccounts.list', { enterpriseId: acme.id, limit: 1000 }, otherClerk)).rows.some((u) => u.hasPin)).toBe(false);
      } finally {
        await other.dispose();
      }
    }
  });

  it('writes the title block, the filter and the headings, and never a PIN', async () => {
    const ticket = await t.call('userAccounts.export', { q: 'Li', format: 'xlsx', timeZone: 'UTC' }, auditor);
    const rows = await xlsxRows(await downloadBytes(t, auditor, ticket));
    expect(rows[0]![0]).toBe('User accounts');
    expect(rows.find((r) => r[0] === 'Filters')?.[1]).toBe('search "Li"');
    const headings = rows.find((r) => r.includes('Card number'))!;
    expect(headings).toEqual(['ID', 'Enterprise', 'Name', 'Code', 'Device', 'Extensions', 'Card number', 'PIN', 'Own balance', 'Rate group', 'Credit limit', 'Low balance', 'Freeze when exhausted', 'Balance', 'Status', 'Notes']);
    const li = rows.find((r) => r[2] === 'li wei')!;
    expect(li).toEqual(expect.arrayContaining(['Acme', 'Beijing HQ', '8001; 8002', '700101', 'no']));
    expect(li[headings.indexOf('PIN')]).toBe('');
  });

  it('gives an empty template that explains its columns and imports as "no data rows"', async () => {
    const ticket = await t.call('userAccounts.template', { format: 'xlsx' }, auditor);
    expect(ticket.rows).toBe(0);
    const bytes = await downloadBytes(t, auditor, ticket);
    const rows = await xlsxRows(bytes);
    expect(rows.find((r) => r[0] === 'Column: Enterprise')?.[1]).toBe('required: name or code of an existing enterprise');
    expect(rows.at(-1)).toEqual(['Enterprise', 'Name', 'Code', 'Device', 'Extensions', 'Card number', 'PIN', 'Own balance', 'Rate group', 'Credit limit', 'Low balance', 'Freeze when exhausted', 'Notes']);
    const refusal = await refusalOf(t.call('userAccounts.import', { fileName: ticket.fileName, content: bytes.toString('base64') }, clerk));
    expect(refusal.problems).toEqual([{ row: null, column: null, problem: 'the file has headings but no data rows', key: 'import.file.noRows' }]);
  });
});
