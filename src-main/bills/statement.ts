/**
 * A monthly statement: the usage of the calls that started in the period (usage.ts, as the statistics count them),
 * late usage from closed months, and the money movements written in the period (recharges, refunds, adjustments,
 * freezes), with the statement's own opening and closing (closing = opening - usage - late usage + money). Beside it,
 * each balance of the enterprise (its own, and those of its user and gateway accounts that hold one) as the ledger
 * holds it by posting date: prepaid balances move when a call is charged, whatever month the call belongs to.
 */
import type { BillBalance, BillChargeLine, BillEntry, BillStatement } from '../../src-shared/api/bills';
import type { AccountKind, LedgerKind } from '../../src-shared/api/accounts';
import { isoTime } from '../../src-shared/api/common';
import { formatMoney, parseMoney } from '../../src-shared/domain/money';
import type { Sqlite } from '../db/connection';
import { accountByIdReader, enterpriseAccounts, ledgerSums, moneyEntriesReader, moneyMovementSums, type AccountRow } from './repository';
import { chargeLine, noUsage, totalUsage, usageLines, type LateBucket, type UsageByType, type UsageFigures } from './usage';

export interface BillPeriod {
  enterpriseId: number;
  month: string;
  timeZone: string;
  from: number;
  to: number;
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
  const sums = ledgerSums(db);
  const openingOf = (id: number): number => {
    const known = base && base.at <= p.from ? base.closing.get(id) : undefined;
    return known === undefined ? sums.before(id, p.from) : known + sums.between(id, base!.at, p.from);
  };
  const out: BalanceFigures[] = [];
  for (const a of enterpriseAccounts(db, p.enterpriseId)) {
    const opening = openingOf(a.id);
    const b: BalanceFigures = { accountId: a.id, name: a.name, kind: a.kind, opening, charges: 0, recharges: 0, refunds: 0, adjustments: 0, rerates: 0, closing: opening };
    let moved = false;
    for (const r of sums.byKind(a.id, p.from, p.to)) {
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
  for (const r of moneyMovementSums(db, enterpriseId, from, to)) out[`${r.kind}s` as keyof MoneyMovements] += r.amount;
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

/** Names the accounts of a statement: the enterprise's own, and any other it has charges of. */
type AccountLookup = (id: number) => AccountRow | undefined;

function accountLookup(db: Sqlite, accounts: AccountRow[]): AccountLookup {
  const names = new Map(accounts.map((a) => [a.id, a]));
  // A user or gateway that has moved to another enterprise since is still named in this one's charges.
  const anyAccount = accountByIdReader(db);
  return (id) => {
    if (!names.has(id)) {
      const row = anyAccount(id);
      if (row) names.set(id, row);
    }
    return names.get(id);
  };
}

/** The money entries (recharges, refunds, adjustments, freezes) written on the balances in the period, in order. */
function moneyEntriesOf(db: Sqlite, p: BillPeriod, balances: BalanceFigures[], accountOf: AccountLookup): BillEntry[] {
  const entries = moneyEntriesReader(db);
  const moneyEntries: BillEntry[] = [];
  for (const b of balances) {
    for (const e of entries(b.accountId, p.from, p.to)) {
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
  return moneyEntries;
}

interface AccountCharges {
  byUser: (BillChargeLine & { accountId: number; name: string })[];
  byGateway: (BillChargeLine & { accountId: number; name: string })[];
  /** The period's usage that no user or gateway account was charged for. */
  toEnterprise: UsageFigures;
}

/** The period's usage per user and gateway account (most charged first), and the part left to the enterprise. */
function chargesByAccount(usage: StatementBasis['usage'], total: UsageFigures, accountOf: AccountLookup): AccountCharges {
  const toEnterprise = { ...total };
  const accountLines = (map: Map<number, UsageFigures>) =>
    [...map]
      .map(([id, f]) => {
        toEnterprise.calls -= f.calls;
        toEnterprise.seconds -= f.seconds;
        toEnterprise.amount -= f.amount;
        return { accountId: id, name: accountOf(id)?.name ?? `#${id}`, ...chargeLine(f) };
      })
      .sort((x, y) => parseMoney(y.amount) - parseMoney(x.amount) || x.name.localeCompare(y.name));
  const byUser = accountLines(usage.byUser);
  const byGateway = accountLines(usage.byGateway);
  return { byUser, byGateway, toEnterprise };
}

/** Late usage from the closed months, per month and in all. */
function lateUsageLines(late: LateBucket[]): { months: BillStatement['lateUsage']['months']; total: UsageFigures } {
  const total = noUsage();
  const months = late.map((b) => {
    const t = totalUsage(b.byType);
    total.calls += t.calls;
    total.seconds += t.seconds;
    total.amount += t.amount;
    return { month: b.month, periodFrom: isoTime(b.from), periodTo: isoTime(b.to), byType: usageLines(b.byType), total: chargeLine(t) };
  });
  return { months, total };
}

/** The statement of a period, computed now (state `open`; closing it stores it as it is). */
export function computeStatement(db: Sqlite, p: BillPeriod, now: number, basis: StatementBasis): BillStatement {
  const accounts = enterpriseAccounts(db, p.enterpriseId);
  const enterprise = accounts.find((a) => a.id === p.enterpriseId);
  if (!enterprise || enterprise.kind !== 'enterprise') throw new Error(`account ${p.enterpriseId} is not an enterprise`);
  const accountOf = accountLookup(db, accounts);
  const balances = balancesOf(db, p, basis.balanceBase);
  const moneyEntries = moneyEntriesOf(db, p, balances, accountOf);
  const money = moneyBetween(db, p.enterpriseId, p.from, p.to);

  const usage = totalUsage(basis.usage.byType);
  const charges = chargesByAccount(basis.usage, usage, accountOf);
  const late = lateUsageLines(basis.late);
  const closing = basis.opening - usage.amount - late.total.amount + moneyTotal(money);
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
      lateUsage: formatMoney(-late.total.amount),
      recharges: formatMoney(money.recharges),
      refunds: formatMoney(money.refunds),
      adjustments: formatMoney(money.adjustments),
    },
    amountDue: enterprise.billing_mode === 'postpaid' ? formatMoney(Math.max(0, -(closing - ownBalances))) : null,
    balances: balances.map(balanceForApi),
    usage: chargeLine(usage),
    chargesByType: usageLines(basis.usage.byType),
    chargesByUser: charges.byUser,
    chargesByGateway: charges.byGateway,
    chargesToEnterprise: chargeLine(charges.toEnterprise),
    ...(basis.priorUsage ? { priorUsage: usageLines(basis.priorUsage) } : {}),
    lateUsage: { months: late.months, total: chargeLine(late.total) },
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
