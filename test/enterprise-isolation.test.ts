/**
 * Proof of isolation (issue 15): every method of the contract, called as the login of enterprise Alpha while the
 * enterprises Beta and Gamma have CDRs, users, gateways, recharges and bills. Methods the enterprise role may not
 * call answer 403; the others, called with no filter, with the other enterprises' ids guessed, and as exports and
 * downloads, never return a row, total, file or event of another enterprise. The responses are searched for the
 * others' names, numbers, amounts and ids.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, methodNames, type InputOf, type MethodName } from '../src-shared/api';
import type { DownloadTicket } from '../src-shared/api/downloads';
import { ApiError } from '../src-shared/api/errors';
import { ENTERPRISE_SCOPES } from '../src-main/auth/enterprise-scope';
import { clockFrom } from './helpers/clock';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createStatsDataSet, importCalls, type StatsDataSet } from './helpers/stats-data';

let t: TestEngine;
let clerk: string;
let alpha: string;
let data: StatsDataSet;
const FIRST = Date.UTC(2026, 2, 2);
const MONTH = '2026-03';
const period = { from: FIRST - 86_400_000, to: FIRST + 5 * 86_400_000 };
/** Names, numbers and an amount only the other enterprises have. */
let otherNames: string[];
/** A Beta user's extension and a number only it dials (Beta's users also call out on Alpha's gateway: those calls are Alpha's). */
const OTHER_NUMBERS = ['8019', '902199990019'];
const OTHER_AMOUNT = '777.7777';
let otherAccounts: Set<number>;
let otherCdrs: Set<number>;
let alphaCdr: number;
let otherTicket: DownloadTicket;

beforeAll(async () => {
  // The calls are of March 2026: the engine lives in June 2026, whatever the date of the run (March's bill exists).
  t = await startTestEngine({ now: clockFrom('2026-06-15T10:00:00+08:00') });
  const admin = await t.loginAs('admin');
  clerk = await t.loginAs('clerk');
  data = await createStatsDataSet(t, admin, FIRST, 3, 240);
  const { a, b, c } = data.enterprises;
  await t.call('accounts.recharge', { accountId: b, amount: OTHER_AMOUNT, reason: 'Beta only' }, clerk);
  await t.call('userAccounts.create', { enterpriseId: b, name: 'Zhou Beta', extensions: [{ deviceId: data.deviceId, number: '8019' }] }, clerk);
  const betaOnly = [0, 1, 2, 3].map((i) => ({ caller: '8019', dialled: '902199990019', start: FIRST + i * 7_200_000, billsec: 30 + i, trunk: 'trunk-cn' }));
  expect((await importCalls(t, clerk, data.deviceId, betaOnly, 400_000, 'beta-only.csv')).stored).toBe(4);
  const created = await t.call('enterprises.createLogin', { id: a, username: 'alpha-portal', password: 'Alpha-first-1' }, clerk);
  expect(created.login).toMatchObject({ enterpriseId: a, mustChangePassword: true, disabled: false });
  const first = await t.login('alpha-portal', 'Alpha-first-1');
  expect(first.user).toMatchObject({ role: 'enterprise', enterpriseId: a, mustChangePassword: true });
  await t.call('auth.changePassword', { oldPassword: 'Alpha-first-1', newPassword: 'Alpha-portal-2' }, first.token);
  alpha = (await t.login('alpha-portal', 'Alpha-portal-2')).token;

  const names = t.services.db.prepare('SELECT id, name FROM accounts WHERE id IN (?, ?) OR enterprise_id IN (?, ?)').all(b, c, b, c) as { id: number; name: string }[];
  otherAccounts = new Set(names.map((n) => n.id));
  otherNames = names.map((n) => n.name);
  expect(otherNames).toEqual(expect.arrayContaining([`Beta ${FIRST}`, `Gamma ${FIRST}`, 'Chen Jie', 'Liu Yang', 'Beta trunk', 'Zhou Beta']));
  // The markers are really only the others': none of Alpha's CDRs has them.
  expect(t.services.db.prepare("SELECT COUNT(*) FROM cdrs WHERE enterprise_id = ? AND (caller = '8019' OR callee = '902199990019')").pluck().get(a)).toBe(0);
  expect(t.services.db.prepare("SELECT COUNT(*) FROM cdrs WHERE enterprise_id = ? AND caller = '8019'").pluck().get(b)).toBe(4);
  const cdrs = t.services.db.prepare('SELECT id, enterprise_id AS e FROM cdrs WHERE enterprise_id IS NOT NULL').all() as { id: number; e: number }[];
  otherCdrs = new Set(cdrs.filter((r) => r.e !== a).map((r) => r.id));
  alphaCdr = cdrs.find((r) => r.e === a)!.id;
  expect(otherCdrs.size).toBeGreaterThan(20);
  otherTicket = await t.call('exports.cdrs', { enterpriseId: b, format: 'csv' }, clerk);
}, 120_000);
afterAll(() => t?.dispose());

const ID_KEYS = new Set(['enterpriseId', 'accountId', 'userAccountId', 'gatewayId', 'chargedAccountId']);

/** Everything of another enterprise found in a value: names, numbers, the amount, account and CDR ids. */
function leaks(value: unknown, path = '$', out: string[] = []): string[] {
  if (typeof value === 'string') {
    for (const n of otherNames) if (value.includes(n)) out.push(`${path}: name "${n}"`);
    if (OTHER_NUMBERS.includes(value)) out.push(`${path}: number ${value}`);
    if (value.includes(OTHER_AMOUNT)) out.push(`${path}: amount ${OTHER_AMOUNT}`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => leaks(v, `${path}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    // A CDR row (or a leg of one) of another enterprise.
    if ('caller' in o && typeof o.id === 'number' && otherCdrs.has(o.id)) out.push(`${path}: CDR ${o.id}`);
    for (const [k, v] of Object.entries(o)) {
      if (ID_KEYS.has(k) && typeof v === 'number' && otherAccounts.has(v)) out.push(`${path}.${k}: account ${v}`);
      leaks(v, `${path}.${k}`, out);
    }
  }
  return out;
}

/** The cells of a file (csv or every sheet of an xlsx) as text, for the same search. */
async function fileCells(ticket: DownloadTicket): Promise<string[]> {
  const parts: Buffer[] = [];
  for (let offset = 0; ; ) {
    const chunk = await t.call('downloads.read', { token: ticket.token, offset }, alpha);
    const bytes = Buffer.from(chunk.base64, 'base64');
    parts.push(bytes);
    offset += bytes.length;
    if (chunk.done) break;
  }
  const bytes = Buffer.concat(parts);
  if (!ticket.fileName.endsWith('.xlsx')) return bytes.toString('utf8').split(/[\r\n,;]+/).map((c) => c.replace(/^"|"$/g, '').trim());
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const cells: string[] = [];
  for (const sheet of workbook.worksheets) sheet.eachRow((row) => row.eachCell((c) => cells.push(String(c.text ?? ''))));
  return cells;
}

type Probe = { input: Record<string, unknown>; expect?: 'not_found' | 'invalid_input' };
const csv = { format: 'csv' };

/** For each method the enterprise role may call: no filter, the others' ids guessed, and the exports. */
function probes(): Record<string, Probe[]> {
  const { a, b, c } = data.enterprises;
  const bUser = data.users['8011']!;
  const bGateway = data.gateways.b;
  const bCdr = [...otherCdrs][0]!;
  const nf = (input: Record<string, unknown>): Probe => ({ input, expect: 'not_found' });
  const tables = [{ input: period }, nf({ ...period, enterpriseId: b }), nf({ ...period, enterpriseId: c })];
  return {
    'auth.me': [{ input: {} }],
    'auth.changePassword': [{ input: { oldPassword: 'wrong-guess-1', newPassword: 'Another-pass-9' }, expect: 'invalid_input' }],
    'auth.logout': [], // called last (it ends the session): see the events test
    'system.ping': [{ input: {} }],
    'downloads.read': [nf({ token: otherTicket.token })],
    'exports.cancel': [nf({ exportId: 'beta-export' })],
    'stats.settings': [{ input: {} }],
    'enterprises.get': [{ input: {} }, { input: { id: a } }, nf({ id: b }), nf({ id: c }), nf({ id: 999_999 })],
    'enterprises.dashboard': [{ input: {} }, nf({ enterpriseId: b })],
    'userAccounts.list': [{ input: {} }, { input: { q: 'Chen' } }, { input: { limit: 1000 } }, nf({ enterpriseId: b }), nf({ enterpriseId: c })],
    'userAccounts.get': [{ input: { id: data.users['8001']! } }, nf({ id: bUser }), nf({ id: data.users['8012']! }), nf({ id: b }), nf({ id: a })],
    'gateways.list': [{ input: {} }, { input: { deviceId: data.deviceId } }, nf({ enterpriseId: b })],
    'gateways.get': [{ input: { id: data.gateways.a } }, nf({ id: bGateway }), nf({ id: a })],
    'cdrs.search': [
      { input: { count: true, limit: 1000 } },
      { input: { caller: '8011', count: true } },
      { input: { deviceId: data.deviceId, limit: 1000 } },
      { input: { order: 'asc', limit: 1000 } },
      nf({ enterpriseId: b }),
      nf({ userAccountId: bUser }),
      nf({ gatewayId: bGateway }),
    ],
    'cdrs.get': [{ input: { id: alphaCdr } }, nf({ id: bCdr }), ...[...otherCdrs].slice(1, 6).map((id) => nf({ id }))],
    'exports.cdrs': [{ input: csv }, { input: { format: 'xlsx' } }, nf({ ...csv, enterpriseId: b }), nf({ ...csv, userAccountId: bUser }), nf({ ...csv, gatewayId: bGateway })],
    'stats.enterprise': tables,
    'stats.user': tables,
    'stats.gateway': tables,
    'stats.series': [{ input: period }, { input: { ...period, kind: 'user' } }, nf({ ...period, kind: 'user', accountId: bUser }), nf({ ...period, enterpriseId: b })],
    'exports.stats': [
      ...(['enterprise', 'user', 'gateway'] as const).map((kind) => ({ input: { ...period, kind, ...csv } })),
      { input: { ...period, kind: 'user', format: 'xlsx' } },
      nf({ ...period, kind: 'user', ...csv, enterpriseId: b }),
    ],
    'bills.list': [{ input: { month: MONTH } }, nf({ month: MONTH, enterpriseId: b })],
    'bills.get': [{ input: { month: MONTH } }, nf({ month: MONTH, enterpriseId: b }), nf({ month: MONTH, enterpriseId: c })],
    'exports.bill': [{ input: { month: MONTH, ...csv } }, { input: { month: MONTH, format: 'xlsx' } }, nf({ month: MONTH, enterpriseId: b })],
    'recharges.list': [{ input: {} }, { input: { kinds: ['recharge', 'refund', 'adjustment'] } }, nf({ enterpriseId: b }), nf({ accountId: b })],
    'recharges.export': [{ input: csv }, nf({ ...csv, accountId: b }), nf({ ...csv, enterpriseId: c })],
  };
}

const isPublic = (m: MethodName) => api[m].access === 'public';
const allowed = (m: MethodName) => {
  const access = api[m].access;
  return access === 'session' || (Array.isArray(access) && access.includes('enterprise'));
};

describe('the enterprise role, method by method', () => {
  it('is allowed exactly the methods the engine knows how to scope', () => {
    const scoped = Object.keys(ENTERPRISE_SCOPES).sort();
    expect(methodNames.filter(allowed).sort()).toEqual(scoped);
    expect(Object.keys(probes()).sort()).toEqual(scoped);
  });

  it('covers every method of the contract', () => {
    const forbidden = methodNames.filter((m) => !allowed(m) && !isPublic(m));
    expect(forbidden.length + methodNames.filter(allowed).length + methodNames.filter(isPublic).length).toBe(methodNames.length);
    expect(methodNames.filter(isPublic)).toEqual(['auth.login']);
  });

  it('auth.login (public) gives the login its own account only', async () => {
    const r = await t.call('auth.login', { username: 'alpha-portal', password: 'Alpha-portal-2' });
    expect(r.user).toMatchObject({ role: 'enterprise', enterpriseId: data.enterprises.a });
    expect(leaks(r)).toEqual([]);
    await t.call('auth.logout', {}, r.token);
  });

  it.each(methodNames.filter((m) => !allowed(m) && !isPublic(m)))('%s answers 403 to the enterprise role', async (m) => {
    const err = await t.call(m, {} as never, alpha).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('forbidden');
  });

  it.each(methodNames.filter(allowed))('%s returns nothing of another enterprise', async (m) => {
    for (const probe of probes()[m]!) {
      const what = `${m} ${JSON.stringify(probe.input)}`;
      const outcome = await t.call(m, probe.input as InputOf<typeof m>, alpha).then(
        (r) => ({ ok: true as const, r }),
        (e: unknown) => ({ ok: false as const, e }),
      );
      if (!outcome.ok) {
        expect(outcome.e, what).toBeInstanceOf(ApiError);
        expect((outcome.e as ApiError).code, what).toBe(probe.expect);
        expect(leaks((outcome.e as ApiError).message), what).toEqual([]);
        continue;
      }
      expect(probe.expect, `${what} answered`).toBeUndefined();
      expect(leaks(outcome.r), what).toEqual([]);
      const ticket = outcome.r as DownloadTicket;
      if (typeof ticket?.token === 'string' && typeof ticket.url === 'string') {
        const cells = await fileCells(ticket);
        expect(cells.length, what).toBeGreaterThan(3);
        expect(leaks(cells), what).toEqual([]);
      }
    }
  });
});

describe('what the enterprise role sees is its own, whole', () => {
  it('its CDRs, statistics, bill and recharges equal what a clerk sees for it', async () => {
    const a = data.enterprises.a;
    const own = await t.call('cdrs.search', { count: true, limit: 1000 }, alpha);
    const staff = await t.call('cdrs.search', { enterpriseId: a, count: true, limit: 1000 }, clerk);
    expect(own.total).toBeGreaterThan(10);
    expect(own.total).toBe(staff.total);
    expect(own.rows.map((r) => r.id)).toEqual(staff.rows.map((r) => r.id));

    const ownStats = await t.call('stats.user', period, alpha);
    expect(ownStats.totals).toEqual((await t.call('stats.user', { ...period, enterpriseId: a }, clerk)).totals);
    expect(ownStats.rows.map((r) => r.name).sort()).toEqual(['Li Wei', 'Wang Fang', 'Zhang Min']);
    expect((await t.call('bills.get', { month: MONTH } as InputOf<'bills.get'>, alpha)).closing).toBe((await t.call('bills.get', { enterpriseId: a, month: MONTH }, clerk)).closing);
    const bills = await t.call('bills.list', { month: MONTH }, alpha);
    expect(bills.rows.map((r) => r.enterpriseId)).toEqual([a]);
    expect(bills.totals.closing).toBe(bills.rows[0]!.closing);
    const recharges = await t.call('recharges.list', {}, alpha);
    expect(recharges.rows.length).toBeGreaterThan(0);
    expect(recharges.rows.every((r) => r.enterpriseId === a)).toBe(true);

    const dash = await t.call('enterprises.dashboard', {}, alpha);
    expect(dash.enterprise.id).toBe(a);
    expect(dash.enterprise.balance).toBe((await t.call('enterprises.get', { id: a }, clerk)).balance);
  });

  it('cannot fetch a file another account exported, by API or by URL', async () => {
    const ticket = await t.call('exports.cdrs', { enterpriseId: data.enterprises.a, format: 'csv' }, clerk);
    await expect(t.call('downloads.read', { token: ticket.token }, alpha)).rejects.toMatchObject({ code: 'not_found' });
    const res = await fetch(`${t.http!.url}/${ticket.url}`, { headers: { Authorization: `Bearer ${alpha}` } });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('Alpha');
  });
});

describe('over HTTP', () => {
  it('answers the same: 403 for staff methods, 404 for another enterprise\'s CDR, only its own rows', async () => {
    const post = (method: string, body: unknown) =>
      fetch(`${t.http!.url}/api/${method}`, { method: 'POST', headers: { Authorization: `Bearer ${alpha}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('stats.dashboard', {})).status).toBe(403);
    expect((await post('enterprises.list', {})).status).toBe(403);
    const other = await post('cdrs.get', { id: [...otherCdrs][0] });
    expect(other.status).toBe(404);
    const text = await (await post('cdrs.search', { enterpriseId: data.enterprises.b })).text();
    expect(text).toContain('not_found');
    const own = (await (await post('cdrs.search', { limit: 1000 })).json()) as { rows: { enterpriseId: number }[] };
    expect(own.rows.length).toBeGreaterThan(0);
    expect(own.rows.every((r) => r.enterpriseId === data.enterprises.a)).toBe(true);
    expect(leaks(own)).toEqual([]);
  });
});

describe('events', () => {
  it('carry nothing of another enterprise to an enterprise session while that enterprise is busy', async () => {
    const base = t.http!.url;
    const session = (await t.login('alpha-portal', 'Alpha-portal-2')).token;
    const read = async (token: string) => {
      const res = await fetch(`${base}/api/events`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      return async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return text;
          text += decoder.decode(value);
        }
      };
    };
    const alphaEvents = await read(session);
    const staffSession = await t.loginAs('clerk');
    const staffEvents = await read(staffSession);

    // The other enterprises at work: money, accounts, calls, an export and a closed bill.
    const { b } = data.enterprises;
    await t.call('accounts.recharge', { accountId: b, amount: OTHER_AMOUNT, reason: 'Beta again' }, clerk);
    await t.call('accounts.adjust', { accountId: data.users['8011']!, amount: '-1', reason: 'Beta user' }, clerk).catch(() => undefined);
    await t.call('userAccounts.create', { enterpriseId: b, name: 'Beta newcomer', extensions: [{ deviceId: data.deviceId, number: '8013' }] }, clerk);
    otherNames.push('Beta newcomer');
    await t.call('gateways.update', { id: data.gateways.b, name: 'Beta trunk' }, clerk);
    await importCalls(t, clerk, data.deviceId, [{ caller: '8011', dialled: '902150001234', start: FIRST + 3_600_000, billsec: 61, trunk: 'trunk-b' }], 500_000, 'beta.csv');
    await t.call('exports.cdrs', { enterpriseId: b, format: 'csv', exportId: 'beta-export' }, staffSession);
    await t.call('bills.close', { month: MONTH, enterpriseId: b }, clerk);
    // And Alpha's own export, whose progress it must hear.
    await t.call('exports.cdrs', { format: 'csv', exportId: 'alpha-export' }, session);

    await t.call('auth.logout', {}, session);
    await t.call('auth.logout', {}, staffSession);
    const [alphaText, staffText] = await Promise.all([alphaEvents(), staffEvents()]);
    expect(staffText).toContain(`"ids":[${b}]`);
    expect(staffText).toContain('beta-export');
    expect(alphaText).toContain('alpha-export');
    expect(alphaText).toContain('event: session.ended');
    expect(alphaText).not.toContain('beta-export');
    expect(alphaText).not.toContain('"ids"');
    const payloads = alphaText
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)) as unknown);
    expect(payloads.length).toBeGreaterThan(1);
    expect(leaks(payloads)).toEqual([]);
  }, 60_000);
});
