/**
 * The rows of the benches' generated data set (see generate-cdrs.ts): accounts, devices and rates, then the calls of
 * each day with their ledger entries and rollups.
 */
import type Database from 'better-sqlite3';
import type { StatsRollups } from '../src-main/statistics/rollups';
import { calendarOf } from '../src-main/statistics/zone-calendar';
import type { CdrDatasetOptions } from './generate-cdrs';
import { seededRandom as random } from '../test/helpers/seeded-random';

const CALL_TYPES = ['internal', 'local', 'domestic', 'international', 'special'] as const;
/** Share of calls per type (the rest, 0.5%, cannot be rated). */
const TYPE_SHARE = [0.25, 0.35, 0.27, 0.05, 0.075];
/** Price per started unit (1/10000) and unit/increment seconds, like the sample rates. */
const PRICING: Record<(typeof CALL_TYPES)[number], { price: number; unit: number; increment: number }> = {
  internal: { price: 0, unit: 60, increment: 60 },
  local: { price: 1100, unit: 60, increment: 60 },
  domestic: { price: 3000, unit: 60, increment: 6 },
  international: { price: 12000, unit: 60, increment: 60 },
  special: { price: 0, unit: 60, increment: 60 },
};

export interface Ids {
  rateGroup: number;
  rates: Record<string, number>;
  devices: number[];
  enterprises: number[];
  firstUsers: number[];
  /** Gateway of an enterprise (by index), if it has one. */
  gateways: { id: number; enterpriseIndex: number; trunk: string }[];
  usersPerEnterprise: number;
}

export function setUpAccounts(db: Database.Database, o: CdrDatasetOptions, at: number): Ids {
  const rateGroup = Number(
    db.prepare("INSERT INTO rate_groups (name, currency, created_at, updated_at) VALUES ('Standard', 'CNY', ?, ?)").run(at, at).lastInsertRowid,
  );
  const rates: Record<string, number> = {};
  for (const type of CALL_TYPES) {
    const p = PRICING[type];
    const name = type === 'internal' ? 'inter' : type;
    rates[type] = Number(
      db
        .prepare('INSERT INTO rates (rate_group_id, name, call_type, intervals, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(rateGroup, name, type, JSON.stringify([{ start: 0, price: p.price, unit: p.unit, increment: p.increment }]), at, at).lastInsertRowid,
    );
  }
  const devices: number[] = [];
  for (let d = 0; d < o.devices; d++) {
    devices.push(
      Number(
        db
          .prepare(
            `INSERT INTO devices (name, format, time_zone, country_code, area_code, national_prefix, international_prefix,
               extension_pattern, addresses, created_at, updated_at)
             VALUES (?, 'asterisk-csv', ?, '86', '10', '0', '00', '^\\d{4}$', ?, ?, ?)`,
          )
          .run(`PBX ${String(d + 1).padStart(2, '0')}`, o.timeZone, JSON.stringify([`10.0.${d}.10`]), at, at).lastInsertRowid,
      ),
    );
  }
  const account = db.prepare(
    `INSERT INTO accounts (kind, enterprise_id, name, rate_group_id, billing_mode, own_balance, credit_limit, device_id, trunk, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const extension = db.prepare('INSERT INTO extensions (device_id, number, name, user_account_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  const usersPerEnterprise = Math.max(1, Math.floor(o.users / o.enterprises));
  const enterprises: number[] = [];
  const firstUsers: number[] = [];
  for (let e = 0; e < o.enterprises; e++) {
    const mode = e % 4 === 3 ? 'postpaid' : 'prepaid';
    const id = Number(account.run('enterprise', null, `Enterprise ${String(e + 1).padStart(3, '0')}`, rateGroup, mode, 1, mode === 'postpaid' ? 100_000_000 : 0, null, null, at, at).lastInsertRowid);
    enterprises.push(id);
    const device = devices[e % devices.length]!;
    const slot = Math.floor(e / devices.length);
    for (let u = 0; u < usersPerEnterprise; u++) {
      const user = Number(account.run('user', id, `User ${e + 1}-${u + 1}`, null, 'prepaid', 0, 0, null, null, at, at).lastInsertRowid);
      if (u === 0) firstUsers.push(user);
      extension.run(device, extensionNumber(slot, u, usersPerEnterprise), '', user, at, at);
    }
  }
  const gateways: Ids['gateways'] = [];
  for (let g = 0; g < Math.min(o.gateways, o.enterprises); g++) {
    const trunk = `trunk-${g + 1}`;
    const id = Number(account.run('gateway', enterprises[g]!, `Gateway ${g + 1}`, null, 'prepaid', 0, 0, devices[g % devices.length]!, trunk, at, at).lastInsertRowid);
    gateways.push({ id, enterpriseIndex: g, trunk });
  }
  for (let d = 0; d < devices.length; d++) db.prepare('UPDATE devices SET default_enterprise_id = ? WHERE id = ?').run(enterprises[d]!, devices[d]!);
  return { rateGroup, rates, devices, enterprises, firstUsers, gateways, usersPerEnterprise };
}

function extensionNumber(slot: number, user: number, perEnterprise: number): string {
  return String(8000 + slot * perEnterprise + user);
}

export interface Period {
  from: number;
  to: number;
  months: string[];
}

export function writeCalls(db: Database.Database, o: CdrDatasetOptions, ids: Ids, rollups: StatsRollups, period: Period, log: (m: string) => void) {
  const rnd = random(o.seed);
  const calendar = calendarOf(o.timeZone);
  const insertCdr = db.prepare(
    `INSERT INTO cdrs (id, device_id, dedup_key, native_id, format, start_at, answer_at, end_at, duration, billsec, caller, caller_name,
       callee, direction, trunk_out, disposition, raw, source_kind, source_name, source_line, received_at, status, status_reason,
       call_type, normalized, rating_number, area_code, rate_id, rate_group_id, billed_seconds, cost, account_id, enterprise_id,
       user_account_id, gateway_id, rated_at)
     VALUES (?, ?, ?, ?, 'asterisk-csv', ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, 'sftp', 'Master.csv', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertLedger = db.prepare(
    `INSERT INTO ledger (account_id, at, kind, amount, balance_after, cdr_id, charged_account_id, operator, reason, method)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const daily = db.prepare(
    'INSERT INTO ingest_daily (device_id, day, received, stored, last_received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET received = received + excluded.received, stored = stored + excluded.stored, last_received_at = MAX(last_received_at, excluded.last_received_at)',
  );
  const balances = new Map<number, number>();
  const post = (account: number, at: number, kind: string, amount: number, cdrId: number | null, charged: number | null, reason: string, method: string | null) => {
    const after = (balances.get(account) ?? 0) + amount;
    balances.set(account, after);
    insertLedger.run(account, at, kind, amount, after, cdrId, charged, kind === 'charge' ? 'system' : 'admin', reason, method);
  };
  // Bigger and smaller enterprises: weight 1 / (1 + rank / 20).
  const weights = ids.enterprises.map((_, i) => 1 / (1 + i / 20));
  const cumulative: number[] = [];
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const totalWeight = cumulative[cumulative.length - 1]!;
  const pickEnterprise = () => {
    const x = rnd() * totalWeight;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const gatewayOf = new Map(ids.gateways.map((g) => [g.enterpriseIndex, g]));
  const firstDay = calendar.dayOf(period.from);
  const days = calendar.dayOf(period.to - 1) - firstDay + 1;
  const perDay = Math.floor(o.cdrs / days);
  let id = 0;
  let received = 0;
  let rated = 0;
  let unrated = 0;
  let ledger = 0;
  let monthIndex = -1;
  for (let d = 0; d < days; d++) {
    const dayStart = calendar.startOfDay(firstDay + d);
    const dayLength = calendar.startOfDay(firstDay + d + 1) - dayStart;
    const n = d === days - 1 ? o.cdrs - id : perDay;
    db.transaction(() => {
      const month = calendar.monthOf(dayStart);
      if (period.months.indexOf(month) !== monthIndex) {
        monthIndex = period.months.indexOf(month);
        for (const e of ids.enterprises) post(e, dayStart + 3_600_000, 'recharge', 5_000_000_000, null, null, `Monthly payment ${month}`, 'transfer');
        ledger += ids.enterprises.length;
      }
      // Office hours: most calls between 08:00 and 18:00 local time.
      const starts = Array.from({ length: n }, () =>
        dayStart + Math.floor((rnd() < 0.8 ? (8 + rnd() * 10) / 24 : rnd()) * dayLength),
      ).sort((a, b) => a - b);
      const perDevice = new Map<number, { n: number; last: number }>();
      rollups.batch(() => {
        for (const start of starts) {
          id++;
          const e = pickEnterprise();
          const enterpriseId = ids.enterprises[e]!;
          const deviceId = ids.devices[e % ids.devices.length]!;
          const slot = Math.floor(e / ids.devices.length);
          const u = Math.floor(rnd() * ids.usersPerEnterprise);
          const userId = ids.firstUsers[e]! + u;
          const caller = extensionNumber(slot, u, ids.usersPerEnterprise);
          const r = rnd();
          const payer = r < 0.9 ? 'user' : r < 0.97 && gatewayOf.has(e) ? 'gateway' : 'enterprise';
          const gateway = payer === 'gateway' ? gatewayOf.get(e)! : null;
          let x = rnd();
          let typeIndex = -1;
          for (let t = 0; t < TYPE_SHARE.length; t++) if (typeIndex < 0 && (x -= TYPE_SHARE[t]!) < 0) typeIndex = t;
          const type = typeIndex < 0 ? null : CALL_TYPES[typeIndex]!;
          const disposition = rnd() < 0.85 ? 'answered' : rnd() < 0.6 ? 'no_answer' : 'busy';
          const billsec = disposition === 'answered' ? Math.max(1, Math.round(Math.exp(3 + rnd() * 4.5))) : 0;
          const ring = 3 + Math.floor(rnd() * 15);
          const end = start + (ring + billsec) * 1000;
          received = Math.max(received, end + 1000);
          const { dialled, normalized, area } = calleeOf(type, rnd, slot, ids.usersPerEnterprise);
          const pricing = type ? PRICING[type] : null;
          const billed = pricing && billsec > 0 ? Math.ceil(billsec / pricing.increment) * pricing.increment : 0;
          const cost = pricing ? Math.round((billed * pricing.price) / pricing.unit) : 0;
          const raw = `"ent${e + 1}","${caller}","${dialled}","from-internal","","PJSIP/${caller}","PJSIP/${gateway?.trunk ?? 'trunk-cn'}","Dial","","${new Date(start).toISOString()}",${billsec + ring},${billsec},"${disposition.toUpperCase()}","DOCUMENTATION","${Math.floor(start / 1000)}.${id}"`;
          const status = type ? 'rated' : 'unrated';
          const reason = type ? null : '{"key":"number.unrecognized","params":{}}';
          const chargedUser = payer === 'user' ? userId : null;
          insertCdr.run(
            id, deviceId, `gen:${String(id).padStart(9, '0')}`, `${Math.floor(start / 1000)}.${id}`, start, billsec > 0 ? start + ring * 1000 : null, end,
            ring + billsec, billsec, caller, dialled, type === 'internal' ? 'internal' : 'outbound', gateway?.trunk ?? null, disposition, raw, id,
            received, status, reason, type ?? 'unknown', normalized, normalized, area, type ? ids.rates[type]! : null, ids.rateGroup,
            type ? billed : null, type ? cost : null, enterpriseId, enterpriseId, chargedUser, gateway?.id ?? null, received,
          );
          const pd = perDevice.get(deviceId) ?? { n: 0, last: 0 };
          pd.n++;
          pd.last = received;
          perDevice.set(deviceId, pd);
          if (!type) {
            unrated++;
            continue;
          }
          rated++;
          post(enterpriseId, received, 'charge', -cost, id, chargedUser ?? gateway?.id ?? enterpriseId, '', null);
          ledger++;
          rollups.add({ startAt: start, enterpriseId, userAccountId: chargedUser, gatewayId: gateway?.id ?? null, callType: type, billsec, billedSeconds: billed, cost });
        }
      });
      const dayName = calendar.isoDate(firstDay + d);
      for (const [device, c] of perDevice) daily.run(device, dayName, c.n, c.n, c.last);
    })();
    if (d % 30 === 29) log(`  ${id.toLocaleString('en-US')} CDRs`);
  }
  return { cdrs: id, rated, unrated, ledger, balances };
}

function calleeOf(type: (typeof CALL_TYPES)[number] | null, rnd: () => number, slot: number, perEnterprise: number) {
  const digits = (n: number) => String(Math.floor(rnd() * 10 ** n)).padStart(n, '0');
  switch (type) {
    case 'internal': {
      const n = extensionNumber(slot, Math.floor(rnd() * perEnterprise), perEnterprise);
      return { dialled: n, normalized: n, area: null };
    }
    case 'local': {
      const n = rnd() < 0.5 ? `6${digits(7)}` : `13${digits(9)}`;
      return { dialled: `9${n}`, normalized: n, area: '10' };
    }
    case 'domestic': {
      const area = ['21', '20', '755', '571', '28'][Math.floor(rnd() * 5)]!;
      const n = `0${area}${digits(8)}`;
      return { dialled: `9${n}`, normalized: n, area };
    }
    case 'international': {
      const n = `00${['44', '1', '81', '49', '65'][Math.floor(rnd() * 5)]}${digits(9)}`;
      return { dialled: `9${n}`, normalized: n, area: null };
    }
    case 'special': {
      const n = ['110', '120', '95588', '4008123123'][Math.floor(rnd() * 4)]!;
      return { dialled: `9${n}`, normalized: n, area: null };
    }
    default: {
      const n = `#${digits(3)}`;
      return { dialled: n, normalized: null, area: null };
    }
  }
}
