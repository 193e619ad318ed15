/**
 * A monthly statement: the usage of the calls that started in the period (usage.ts, as the statistics count them),
 * late usage from closed months, and the money movements written in the period (recharges, refunds, adjustments,
 * freezes), with the statement's own opening and closing (closing = opening - usage - late usage + money). Beside it,
 * each balance of the enterprise (its own, and those of its user and gateway accounts that hold one) as the ledger
 * holds it by posting date: prepaid balances move when a call is charged, whatever month the call belongs to.
 */
import type { BillBalance, BillEntry, BillStatement } from '../../src-shared/api/bills';
import type { AccountKind, BillingMode, LedgerKind } from '../../src-shared/api/accounts';
import { isoTime } from '../../src-shared/api/common';
import { formatMoney, parseMoney } from '../../src-shared/domain/money';
import type { Sqlite } from '../db/connection';
import { chargeLine, noUsage, totalUsage, usageLines, type LateBucket, type UsageByType, type UsageFigures } from './usage';

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

/** Balances as posted at an instant: a closed statement's closing balances at its period's end (account id -> 1/10000). */
export interface BalanceBase {
  at: number;
  closing: Map<number, number>;
}

/**
 * Opening, movements and closing of every balance of the enterprise over the period, as posted in the ledger. With a
 * base (the last closed statement's closing balances; entries are written at the time they are posted, so none can
 * be dated before a close afterwards), an opening is the base plus the entries since, not the sum of every entry.
 */
export function balancesOf(db: Sqlite, p: BillPeriod, base?: BalanceBase): BalanceFigures[] {
  const sumBefore = db.prepare('SELECT IFNULL(SUM(amount), 0) FROM ledger WHERE account_id = ? AND at < ?').pluck();
  const sumBetween = db.prepare('SELECT IFNULL(SUM(amount), 0) FROM ledger WHERE account_id = ? AND at >= ? AND at < ?').pluck();
  const openingOf = (id: number): number => {
    const known = base && base.at <= p.from ? base.closing.get(id) : undefined;
    return known === undefined ? (sumBefore.get(id, p.from) as number) : known + (sumBetween.get(id, base!.at, p.from) as number);
  };
  const sums = db.prepare('SELECT kind, SUM(amount) AS amount FROM ledger WHERE account_id = ? AND at >= ? AND at < ? GROUP BY kind');
  const out: BalanceFigures[] = [];
  for (const a of enterpriseAccounts(db, p.enterpriseId)) {
    const opening = openingOf(a.id);
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

export interface MoneyMovements {
  recharges: number;
  refunds: number;
  adjustments: number;
}

/** Recharges, refunds and adjustments written at >= from and < to on the enterprise's balances (signed). */
export function moneyBetween(db: Sqlite, enterpriseId: number, from: number, to: number): MoneyMovements {
  const out: MoneyMovements = { recharges: 0, refunds: 0, adjustments: 0 };
  if (to <= from) return out;
  const rows = db
    .prepare(
      `SELECT kind, SUM(amount) AS amount FROM ledger
       WHERE account_id IN (SELECT id FROM accounts WHERE id = ? OR enterprise_id = ?) AND at >= ? AND at < ?
         AND kind IN ('recharge', 'refund', 'adjustment')
       GROUP BY kind`,
    )
    .all(enterpriseId, enterpriseId, from, to) as { kind: 'recharge' | 'refund' | 'adjustment'; amount: number }[];
  for (const r of rows) out[`${r.kind}s` as keyof MoneyMovements] += r.amount;
  return out;
}

export const moneyTotal = (m: MoneyMovements) => m.recharges + m.refunds + m.adjustments;

/** What the statement is computed from, besides its period. */
export interface StatementBasis {
  /** The statement's opening (1/10000): the previous closed statement's closing, or computed (service.ts). */
  opening: number;
  /** Usage of the period's calls (usage.ts periodUsage). */
  usage: { byType: UsageByType; byUser: Map<number, UsageFigures>; byGateway: Map<number, UsageFigures> };
  late: LateBucket[];
  /** The first statement: calls before its period counted in its opening. */
  priorUsage?: UsageByType;
  closableFrom: number;
  /** The last closed statement's closing balances, to read the openings from. */
  balanceBase?: BalanceBase;
}

/** The statement of a period, computed now (state `open`; closing it stores it as it is). */
export function computeStatement(db: Sqlite, p: BillPeriod, now: number, basis: StatementBasis): BillStatement {
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
  const entries = db.prepare(
    `SELECT id, at, kind, amount, account_id, operator, reason, method, reference FROM ledger
     WHERE account_id = ? AND at >= ? AND at < ? AND kind NOT IN ('charge', 'rerate') ORDER BY at, id`,
  );
  const balances = balancesOf(db, p, basis.balanceBase);
  const moneyEntries: BillEntry[] = [];
  for (const b of balances) {
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
  const money = moneyBetween(db, p.enterpriseId, p.from, p.to);

  const usage = totalUsage(basis.usage.byType);
  const toEnterprise = { ...usage };
  const accountLines = (map: Map<number, UsageFigures>) =>
    [...map]
      .map(([id, f]) => {
        toEnterprise.calls -= f.calls;
        toEnterprise.seconds -= f.seconds;
        toEnterprise.amount -= f.amount;
        return { accountId: id, name: accountOf(id)?.name ?? `#${id}`, ...chargeLine(f) };
      })
      .sort((x, y) => parseMoney(y.amount) - parseMoney(x.amount) || x.name.localeCompare(y.name));
  const byUser = accountLines(basis.usage.byUser);
  const byGateway = accountLines(basis.usage.byGateway);

  const lateTotal = noUsage();
  const lateMonths = basis.late.map((b) => {
    const total = totalUsage(b.byType);
    lateTotal.calls += total.calls;
    lateTotal.seconds += total.seconds;
    lateTotal.amount += total.amount;
    return { month: b.month, periodFrom: isoTime(b.from), periodTo: isoTime(b.to), byType: usageLines(b.byType), total: chargeLine(total) };
  });
  const closing = basis.opening - usage.amount - lateTotal.amount + moneyTotal(money);
  // What a postpaid customer owes is the enterprise's own part: the balances of user or gateway accounts holding
  // their own (prepaid cards) are their money, not the enterprise's debt or credit.
  const ownBalances = balances.filter((b) => b.accountId !== p.enterpriseId).reduce((sum, b) => sum + b.closing, 0);

  return {
    enterpriseId: p.enterpriseId,
    enterpriseName: enterprise.name,
    enterpriseCode: enterprise.code,
    billingMode: enterprise.billing_mode,
    month: p.month,
    timeZone: p.timeZone,
    basis: 'callDate',
    periodFrom: isoTime(p.from),
    periodTo: isoTime(p.to),
    state: 'open',
    closableFrom: isoTime(basis.closableFrom),
    opening: formatMoney(basis.opening),
    closing: formatMoney(closing),
    movements: {
      charges: formatMoney(-usage.amount),
      lateUsage: formatMoney(-lateTotal.amount),
      recharges: formatMoney(money.recharges),
      refunds: formatMoney(money.refunds),
      adjustments: formatMoney(money.adjustments),
    },
    amountDue: enterprise.billing_mode === 'postpaid' ? formatMoney(Math.max(0, -(closing - ownBalances))) : null,
    balances: balances.map(balanceForApi),
    usage: chargeLine(usage),
    chargesByType: usageLines(basis.usage.byType),
    chargesByUser: byUser,
    chargesByGateway: byGateway,
    chargesToEnterprise: chargeLine(toEnterprise),
    ...(basis.priorUsage ? { priorUsage: usageLines(basis.priorUsage) } : {}),
    lateUsage: { months: lateMonths, total: chargeLine(lateTotal) },
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

/**
 * A statement stored before usage was billed by call date, in today's shape: its charges were the charge entries
 * written in its period and it had no late usage. Only the answer is filled in; the stored text is never changed.
 */
export function asCurrentShape(s: BillStatement): BillStatement {
  if (s.basis) return s;
  const old = s as BillStatement & { movements: { rerates?: string } };
  const usage = s.chargesByType.reduce((f, c) => ({ calls: f.calls + c.calls, seconds: f.seconds + c.seconds, amount: f.amount + parseMoney(c.amount) }), noUsage());
  return {
    ...s,
    basis: 'postingDate',
    closableFrom: s.closedAt ?? s.periodTo,
    usage: chargeLine(usage),
    movements: { ...s.movements, charges: formatMoney(parseMoney(s.movements.charges) + parseMoney(old.movements.rerates ?? '0')), lateUsage: '0.0000' },
    lateUsage: { months: [], total: chargeLine(noUsage()) },
  };
}
