/**
 * A generated billing data set for the statistics and bill tests, imported through the real path (cdrs.import:
 * parse, classify, rate, charge): three enterprises (one reached only as the device's default), users, two gateways,
 * every call type, calls over several days on both sides of midnight in Shanghai and in UTC, and a second device
 * whose unknown callers stay unrated until they get an account. Plus the brute-force recount the tests compare with.
 */
import type { TestEngine } from './engine';
import { createSampleDevice, createSampleRateGroup } from './sample-billing';
import { seededRandom as random } from './seeded-random';

export interface StatsDataSet {
  groupId: number;
  deviceId: number;
  /** The device whose callers have no account (its CDRs stay unrated). */
  orphanDeviceId: number;
  enterprises: { a: number; b: number; c: number };
  users: Record<string, number>;
  gateways: { a: number; b: number };
  /** First and last call start. */
  from: number;
  to: number;
}

/** Numbers dialled (with the 9 for an outside line) per call type on the Beijing device. */
const DIALLED: Record<string, string[]> = {
  local: ['962345678', '913800138000', '965001234'],
  domestic: ['902150001234', '913912345678', '907558888123'],
  international: ['90044207946000', '90012125550100'],
  internal: ['8001', '8002', '8004', '8101'],
  special: ['9110', '995588'],
};

const pad = (n: number) => String(n).padStart(2, '0');
/** Wall clock in Shanghai (UTC+8, no DST) of an instant, as Asterisk writes it. */
function shanghai(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export interface CallLine {
  caller: string;
  dialled: string;
  start: number;
  billsec: number;
  /** Outgoing trunk (a gateway's trunk, or the plain one). */
  trunk: string;
}

export function asteriskLine(c: CallLine, n: number): string {
  const ring = 4;
  const answered = c.billsec > 0;
  const out = `PJSIP/${c.trunk}-${n.toString(16).padStart(8, '0')}`;
  return [
    '"ent"', `"${c.caller}"`, `"${c.dialled}"`, '"from-internal"', `"""Caller"" <${c.caller}>"`, `"PJSIP/${c.caller}-${n.toString(16).padStart(8, '0')}"`,
    `"${c.dialled.length <= 4 ? `PJSIP/${c.dialled}-${(n + 1).toString(16).padStart(8, '0')}` : out}"`, '"Dial"', '""',
    `"${shanghai(c.start)}"`, answered ? `"${shanghai(c.start + ring * 1000)}"` : '', `"${shanghai(c.start + (ring + c.billsec) * 1000)}"`,
    String(ring + c.billsec), String(c.billsec), answered ? '"ANSWERED"' : '"NO ANSWER"', '"DOCUMENTATION"', `"gen-${n}"`, '""',
  ].join(',');
}

/** `count` calls from `first` over `days` days, spread over every hour (so both zones' midnights are crossed). */
export function generateCalls(seed: number, first: number, days: number, count: number, callers: string[], trunks: string[]): CallLine[] {
  const rnd = random(seed);
  const types = Object.keys(DIALLED);
  const calls: CallLine[] = [];
  for (let i = 0; i < count; i++) {
    const type = types[Math.floor(rnd() * types.length)]!;
    const numbers = DIALLED[type]!;
    calls.push({
      caller: callers[Math.floor(rnd() * callers.length)]!,
      dialled: numbers[Math.floor(rnd() * numbers.length)]!,
      start: first + Math.floor(rnd() * days * 86_400) * 1000,
      billsec: rnd() < 0.15 ? 0 : 1 + Math.floor(rnd() * 900),
      trunk: trunks[Math.floor(rnd() * trunks.length)]!,
    });
  }
  return calls.sort((x, y) => x.start - y.start);
}

export async function importCalls(t: TestEngine, token: string, deviceId: number, calls: CallLine[], offset: number, fileName = 'Master.csv') {
  const content = Buffer.from(calls.map((c, i) => asteriskLine(c, offset + i)).join('\n') + '\n').toString('base64');
  return t.call('cdrs.import', { deviceId, fileName, content }, token);
}

/** The billing set-up and `count` calls over `days` days from `first` (UTC ms). */
export async function createStatsDataSet(t: TestEngine, token: string, first: number, days: number, count: number): Promise<StatsDataSet> {
  const groupId = await createSampleRateGroup(t, token, `Stats rates ${first}`);
  const deviceId = await createSampleDevice(t, token, { name: `Stats PBX ${first}` });
  const orphanDeviceId = await createSampleDevice(t, token, { name: `Orphan PBX ${first}`, addresses: ['127.0.0.2'] });
  const enterprise = async (name: string, billingMode: 'prepaid' | 'postpaid') => {
    const e = await t.call('enterprises.create', { name: `${name} ${first}`, rateGroupId: groupId, billingMode, creditLimit: '100000' }, token);
    await t.call('accounts.recharge', { accountId: e.id, amount: '5000', reason: 'opening balance' }, token);
    return e.id;
  };
  const enterprises = { a: await enterprise('Alpha', 'prepaid'), b: await enterprise('Beta', 'postpaid'), c: await enterprise('Gamma', 'prepaid') };
  await t.call('devices.update', { id: deviceId, defaultEnterpriseId: enterprises.c }, token);
  const users: Record<string, number> = {};
  for (const [ext, e, name] of [['8001', 'a', 'Li Wei'], ['8002', 'a', 'Zhang Min'], ['8003', 'a', 'Wang Fang'], ['8011', 'b', 'Chen Jie'], ['8012', 'b', 'Liu Yang']] as const) {
    users[ext] = (await t.call('userAccounts.create', { enterpriseId: enterprises[e], name, extensions: [{ deviceId, number: ext }] }, token)).id;
  }
  const gateways = {
    a: (await t.call('gateways.create', { enterpriseId: enterprises.a, name: 'Alpha trunk', deviceId, trunk: 'trunk-a' }, token)).id,
    b: (await t.call('gateways.create', { enterpriseId: enterprises.b, name: 'Beta trunk', deviceId, trunk: 'trunk-b' }, token)).id,
  };
  const calls = generateCalls(first % 1000, first, days, count, ['8001', '8002', '8003', '8011', '8012', '8050'], ['trunk-cn', 'trunk-cn', 'trunk-a', 'trunk-b']);
  await importCalls(t, token, deviceId, calls, 0);
  const orphanCalls = generateCalls(first % 1000 + 1, first, days, Math.ceil(count / 10), ['8070'], ['trunk-cn']);
  await importCalls(t, token, orphanDeviceId, orphanCalls, 100_000);
  return { groupId, deviceId, orphanDeviceId, enterprises, users, gateways, from: first, to: first + days * 86_400_000 };
}

export interface RecountFigures {
  calls: number;
  answered: number;
  seconds: number;
  billedSeconds: number;
  amount: number;
}

interface CdrForRecount {
  start_at: number;
  enterprise_id: number;
  user_account_id: number | null;
  gateway_id: number | null;
  call_type: string;
  billsec: number;
  billed_seconds: number;
  cost: number;
}

/** Brute force: every rated CDR of [from, to) read one by one and added up per account and call type. */
export function recountFromCdrs(t: TestEngine, kind: 'enterprise' | 'user' | 'gateway', from: number, to: number): Map<number, Map<string, RecountFigures>> {
  const rows = t.services.db
    .prepare("SELECT start_at, enterprise_id, user_account_id, gateway_id, call_type, billsec, billed_seconds, cost FROM cdrs WHERE status = 'rated'")
    .all() as CdrForRecount[];
  const out = new Map<number, Map<string, RecountFigures>>();
  for (const r of rows) {
    if (r.start_at < from || r.start_at >= to) continue;
    const account = kind === 'enterprise' ? r.enterprise_id : kind === 'user' ? r.user_account_id : r.gateway_id;
    if (account === null) continue;
    let byType = out.get(account);
    if (!byType) out.set(account, (byType = new Map()));
    const f = byType.get(r.call_type) ?? { calls: 0, answered: 0, seconds: 0, billedSeconds: 0, amount: 0 };
    f.calls++;
    if (r.billsec > 0) f.answered++;
    f.seconds += r.billsec;
    f.billedSeconds += r.billed_seconds;
    f.amount += r.cost;
    byType.set(r.call_type, f);
  }
  return out;
}
