/**
 * A small billing set-up with generated CDRs stored through the real store (so charging rates them): two devices,
 * two enterprises with users (extensions) and a gateway account, calls of every type, disposition and status over
 * several days. Used by the CDR search and export tests, which compare the API with a brute-force reading.
 */
import type { NormalizedCdr } from '../../src-shared/domain/cdr';
import type { TestEngine } from './engine';
import { createSampleDevice, createSampleRateGroup } from './sample-billing';
import { seededRandom } from './seeded-random';
export { seededRandom };

export interface CdrWorld {
  token: string;
  devices: { beijing: number; shanghai: number };
  enterprises: { alpha: number; beta: number };
  users: Record<string, number>;
  gatewayId: number;
  rateGroupId: number;
}

export async function createCdrWorld(t: TestEngine): Promise<CdrWorld> {
  const token = await t.loginAs('clerk');
  await t.services.rating.ready();
  const rateGroupId = await createSampleRateGroup(t, token, `Rates ${Math.random().toString(36).slice(2, 8)}`);
  const beijing = await createSampleDevice(t, token, { name: 'Beijing PBX' });
  const shanghai = await createSampleDevice(t, token, { name: 'Shanghai PBX', areaCode: '21', addresses: ['127.0.0.2'] });
  const alpha = (await t.call('enterprises.create', { name: 'Alpha Trading', rateGroupId, billingMode: 'postpaid' }, token)).id;
  const beta = (await t.call('enterprises.create', { name: 'Beta Logistics', rateGroupId, billingMode: 'postpaid' }, token)).id;
  const users: Record<string, number> = {};
  const member = async (enterpriseId: number, name: string, deviceId: number, number: string) => {
    users[`${deviceId}:${number}`] = (await t.call('userAccounts.create', { enterpriseId, name, extensions: [{ deviceId, number }] }, token)).id;
  };
  await member(alpha, 'Li Wei', beijing, '8001');
  await member(alpha, 'Zhang Min', beijing, '8002');
  await member(beta, 'Wang Fang', beijing, '8003');
  await member(beta, 'Zhao Lei', shanghai, '8001');
  const gatewayId = (await t.call('gateways.create', { enterpriseId: beta, name: 'Trunk SH-1', deviceId: shanghai, trunk: 'sh-trunk-1' }, token)).id;
  return { token, devices: { beijing, shanghai }, enterprises: { alpha, beta }, users, gatewayId, rateGroupId };
}

// Dialled numbers (route prefix 9 is stripped): domestic, mobile local/domestic, international, internal, special,
// and a short number no rule classifies (unrated).
const CALLEES = ['902150001234', '913800138000', '913912345678', '90044207946000', '8002', '9110', '962345678', '12'];
const CALLERS = ['8001', '8002', '8003', '8009', '8001'];
const DISPOSITIONS: NormalizedCdr['disposition'][] = ['answered', 'answered', 'answered', 'no_answer', 'busy', 'failed'];

let sequence = 0;

/** `count` generated calls of a device, starting at `fromMs`, spread over `spanMs`. */
export function generatedCdrs(deviceId: number, count: number, fromMs: number, spanMs: number, random: () => number): NormalizedCdr[] {
  const out: NormalizedCdr[] = [];
  for (let i = 0; i < count; i++) {
    const start = fromMs + Math.floor(random() * spanMs / 1000) * 1000;
    const disposition = DISPOSITIONS[Math.floor(random() * DISPOSITIONS.length)]!;
    const billsec = disposition === 'answered' ? 1 + Math.floor(random() * 400) : 0;
    const caller = CALLERS[Math.floor(random() * CALLERS.length)]!;
    const callee = CALLEES[Math.floor(random() * CALLEES.length)]!;
    const viaTrunk = random() < 0.2;
    const n = ++sequence;
    out.push({
      deviceId: String(deviceId),
      format: 'asterisk-csv',
      nativeId: `gen-${n}`,
      dedupKey: `gen-${n}-${start}`,
      startMs: start,
      answerMs: billsec ? start + 4000 : null,
      endMs: start + 4000 + billsec * 1000,
      duration: 4 + billsec,
      billsec,
      caller,
      callerName: `Ext ${caller}`,
      callee,
      direction: callee.length <= 4 && callee.startsWith('8') ? 'internal' : 'outbound',
      ...(viaTrunk ? { trunkOut: 'sh-trunk-1' } : {}),
      disposition,
      raw: `"gen","${caller}","${callee}",${start},${billsec}`,
      position: { line: n },
    });
  }
  return out;
}

/** Stores calls through the engine's store (charging runs in the same transaction, as for any ingest). */
export function storeCdrs(t: TestEngine, deviceId: number, cdrs: NormalizedCdr[]): number[] {
  const result = t.services.cdrStore.storeBatch(deviceId, { kind: 'import', name: 'generated.csv' }, { cdrs, rejects: [], skipped: [] });
  return result.newIds;
}

export interface StoredCdr {
  id: number;
  device_id: number;
  start_at: number;
  caller: string;
  callee: string;
  call_type: string | null;
  disposition: string;
  status: string;
  cost: number | null;
  billsec: number;
  duration: number;
  enterprise_id: number | null;
  user_account_id: number | null;
  gateway_id: number | null;
}

/** Every CDR, latest first: what a brute-force search filters. */
export function allCdrs(t: TestEngine): StoredCdr[] {
  return t.services.db
    .prepare(
      `SELECT id, device_id, start_at, caller, callee, call_type, disposition, status, cost, billsec, duration, enterprise_id,
         user_account_id, gateway_id FROM cdrs ORDER BY start_at DESC, id DESC`,
    )
    .all() as StoredCdr[];
}
