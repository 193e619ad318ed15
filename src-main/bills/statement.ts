/**
 * A monthly statement computed from the ledger: the enterprise's balances (the enterprise's own and those of its user
 * and gateway accounts that hold one), their opening balance, the entries of the period summed by kind, and the
 * closing balance = opening + entries. Opening balances continue the previous closed statement when there is one (its
 * closing balances), else they are the sum of every earlier entry (read from the ledger index alone).
 */
import type { BillBalance, BillChargeLine, BillEntry, BillStatement } from '../../src-shared/api/bills';
import type { AccountKind, BillingMode, LedgerKind } from '../../src-shared/api/accounts';
import { isoTime } from '../../src-shared/api/common';
import { formatMoney, parseMoney } from '../../src-shared/domain/money';
import type { Sqlite } from '../db/connection';

export interface BillPeriod {
  enterpriseId: number;
  month: string;
  timeZone: string;
  from: number;
  to: number;
}

interface AccountRow {
  id: number;
  name: string;
  kind: AccountKind;
  code: string | null;
  billing_mode: BillingMode;
}

export interface BalanceFigures {
  accountId: number;
  name: string;
  kind: AccountKind;
  opening: number;
  charges: number;
  recharges: number;
  refunds: number;
  adjustments: number;
  rerates: number;
  closing: number;
}

const MOVEMENT_OF: Partial<Record<LedgerKind, keyof BalanceFigures>> = {
  charge: 'charges',
  recharge: 'recharges',
  refund: 'refunds',
  adjustment: 'adjustments',
  rerate: 'rerates',
};

export function enterpriseAccounts(db: Sqlite, enterpriseId: number): AccountRow[] {
  return db
    .prepare('SELECT id, name, kind, code, billing_mode FROM accounts WHERE id = ? OR enterprise_id = ? ORDER BY kind <> \'enterprise\', kind, name, id')
    .all(enterpriseId, enterpriseId) as AccountRow[];
}

/**
 * Opening, movements and closing of every balance of the enterprise over the period. `previousClosing` holds the
 * closing balances of the previous closed statement (account id -> 1/10000 units).
 */
export function balancesOf(db: Sqlite, p: BillPeriod, previousClosing?: Map<number, number>): BalanceFigures[] {
  const sumBefore = db.prepare('SELECT IFNULL(SUM(amount), 0) FROM ledger WHERE account_id = ? AND at < ?').pluck();
  const sums = db.prepare('SELECT kind, SUM(amount) AS amount FROM ledger WHERE account_id = ? AND at >= ? AND at < ? GROUP BY kind');
  const out: BalanceFigures[] = [];
  for (const a of enterpriseAccounts(db, p.enterpriseId)) {
    const opening = previousClosing?.get(a.id) ?? (sumBefore.get(a.id, p.from) as number);
    const b: BalanceFigures = { accountId: a.id, name: a.name, kind: a.kind, opening, charges: 0, recharges: 0, refunds: 0, adjustments: 0, rerates: 0, closing: opening };
    let moved = false;
    for (const r of sums.all(a.id, p.from, p.to) as { kind: LedgerKind; amount: number }[]) {
      const field = MOVEMENT_OF[r.kind];
      if (field) (b[field] as number) += r.amount;
      b.closing += r.amount;
      moved = true;
    }
    if (a.kind === 'enterprise' || moved || opening !== 0) out.push(b);
  }
  return out;
}

interface ChargeRow {
  kind: 'charge' | 'rerate';
  charged: number | null;
  call_type: string | null;
  n: number;
  amount: number;
  seconds: number | null;
}

interface ChargeSum {
  calls: number;
  seconds: number;
  /** Charged, positive. */
  amount: number;
}

function addCharge<K>(map: Map<K, ChargeSum>, key: K, r: ChargeRow): void {
  const line = map.get(key) ?? { calls: 0, seconds: 0, amount: 0 };
  line.calls += r.n;
  line.seconds += r.seconds ?? 0;
  line.amount -= r.amount;
  map.set(key, line);
}

const chargeLine = (calls: number, seconds: number, amount: number): BillChargeLine => ({ calls, seconds, amount: formatMoney(amount) });

/** The statement of a period, computed now from the ledger (state `open`; closing it stores it as it is). */
export function computeStatement(db: Sqlite, p: BillPeriod, now: number, previousClosing?: Map<number, number>): BillStatement {
  const accounts = enterpriseAccounts(db, p.enterpriseId);
  const enterprise = accounts.find((a) => a.id === p.enterpriseId);
  if (!enterprise || enterprise.kind !== 'enterprise') throw new Error(`account ${p.enterpriseId} is not an enterprise`);
  const names = new Map(accounts.map((a) => [a.id, a]));
  // A user or gateway that has moved to another enterprise since is still named in this one's charges.
  const anyAccount = db.prepare('SELECT id, name, kind, code, billing_mode FROM accounts WHERE id = ?');
  const accountOf = (id: number): AccountRow | undefined => {
    if (!names.has(id)) {
      const row = anyAccount.get(id) as AccountRow | undefined;
      if (row) names.set(id, row);
    }
    return names.get(id);
  };
  const balances = balancesOf(db, p, previousClosing);

  const charges = db.prepare(
    `SELECT l.kind, l.charged_account_id AS charged, c.call_type, COUNT(*) AS n, SUM(l.amount) AS amount, SUM(c.billsec) AS seconds
     FROM ledger l LEFT JOIN cdrs c ON c.id = l.cdr_id
     WHERE l.account_id = ? AND l.at >= ? AND l.at < ? AND l.kind IN ('charge', 'rerate')
     GROUP BY l.kind, l.charged_account_id, c.call_type`,
  );
  const entries = db.prepare(
    `SELECT id, at, kind, amount, account_id, operator, reason, method, reference FROM ledger
     WHERE account_id = ? AND at >= ? AND at < ? AND kind NOT IN ('charge', 'rerate') ORDER BY at, id`,
  );
  const byType = new Map<string, ChargeSum>();
  const byAccount = new Map<number, ChargeSum>();
  const rerateByType = new Map<string, { entries: number; amount: number }>();
  let rerateEntries = 0;
  let rerateAmount = 0;
  const moneyEntries: BillEntry[] = [];
  for (const b of balances) {
    for (const r of charges.all(b.accountId, p.from, p.to) as ChargeRow[]) {
      // A CDR purged after its charge (retention) no longer says its call type.
      const type = r.call_type ?? 'unknown';
      if (r.kind === 'rerate') {
        rerateEntries += r.n;
        rerateAmount += r.amount;
        const t = rerateByType.get(type) ?? { entries: 0, amount: 0 };
        t.entries += r.n;
        t.amount += r.amount;
        rerateByType.set(type, t);
        continue;
      }
      addCharge(byType, type, r);
      addCharge(byAccount, r.charged ?? p.enterpriseId, r);
    }
    for (const e of entries.all(b.accountId, p.from, p.to) as { id: number; at: number; kind: LedgerKind; amount: number; account_id: number; operator: string; reason: string; method: string | null; reference: string | null }[]) {
      moneyEntries.push({
        id: e.id,
        at: isoTime(e.at),
        kind: e.kind,
        amount: formatMoney(e.amount),
        accountId: e.account_id,
        accountName: accountOf(e.account_id)?.name ?? `#${e.account_id}`,
        operator: e.operator,
        reason: e.reason,
        method: e.method,
        reference: e.reference,
      });
    }
  }
  moneyEntries.sort((x, y) => Date.parse(x.at) - Date.parse(y.at) || x.id - y.id);
  const accountLines = (kind: AccountKind) =>
    [...byAccount]
      .filter(([id]) => accountOf(id)?.kind === kind)
      .map(([id, l]) => ({ accountId: id, name: accountOf(id)!.name, ...chargeLine(l.calls, l.seconds, l.amount) }))
      .sort((x, y) => parseMoney(y.amount) - parseMoney(x.amount) || x.name.localeCompare(y.name));
  const toEnterprise = byAccount.get(p.enterpriseId) ?? { calls: 0, seconds: 0, amount: 0 };
  const total = (f: keyof BalanceFigures) => balances.reduce((sum, b) => sum + (b[f] as number), 0);
  const enterpriseClosing = balances.find((b) => b.accountId === p.enterpriseId)?.closing ?? 0;

  return {
    enterpriseId: p.enterpriseId,
    enterpriseName: enterprise.name,
    enterpriseCode: enterprise.code,
    billingMode: enterprise.billing_mode,
    month: p.month,
    timeZone: p.timeZone,
    periodFrom: isoTime(p.from),
    periodTo: isoTime(p.to),
    state: 'open',
    opening: formatMoney(total('opening')),
    closing: formatMoney(total('closing')),
    movements: {
      charges: formatMoney(total('charges')),
      recharges: formatMoney(total('recharges')),
      refunds: formatMoney(total('refunds')),
      adjustments: formatMoney(total('adjustments')),
      rerates: formatMoney(total('rerates')),
    },
    amountDue: enterprise.billing_mode === 'postpaid' ? formatMoney(Math.max(0, -enterpriseClosing)) : null,
    balances: balances.map(balanceForApi),
    chargesByType: [...byType]
      .map(([callType, l]) => ({ callType, ...chargeLine(l.calls, l.seconds, l.amount) }))
      .sort((x, y) => parseMoney(y.amount) - parseMoney(x.amount) || x.callType.localeCompare(y.callType)),
    chargesByUser: accountLines('user'),
    chargesByGateway: accountLines('gateway'),
    chargesToEnterprise: chargeLine(toEnterprise.calls, toEnterprise.seconds, toEnterprise.amount),
    rerates: {
      entries: rerateEntries,
      amount: formatMoney(rerateAmount),
      byType: [...rerateByType].map(([callType, r]) => ({ callType, entries: r.entries, amount: formatMoney(r.amount) })),
    },
    entries: moneyEntries,
    generatedAt: isoTime(now),
  };
}

function balanceForApi(b: BalanceFigures): BillBalance {
  return {
    accountId: b.accountId,
    name: b.name,
    kind: b.kind,
    opening: formatMoney(b.opening),
    charges: formatMoney(b.charges),
    recharges: formatMoney(b.recharges),
    refunds: formatMoney(b.refunds),
    adjustments: formatMoney(b.adjustments),
    rerates: formatMoney(b.rerates),
    closing: formatMoney(b.closing),
  };
}

/** Closing balance per account of a stored statement, for the next statement's opening. */
export function closingBalances(statement: BillStatement): Map<number, number> {
  return new Map(statement.balances.map((b) => [b.accountId, parseMoney(b.closing)]));
}
