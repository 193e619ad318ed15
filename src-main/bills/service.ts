/**
 * Monthly statements: computed while a month is open, stored in `bills` when it closes and read back from there ever
 * after. Usage is by call date (usage.ts), money movements by the date they were written (statement.ts). A month can
 * be closed from the grace day of the next month (settings `bills.closeFromDay`): by the background job (at start and
 * every hour) once that day has begun, or by bills.close (earlier with `force`, never before the month is over).
 * Statements of an enterprise follow each other without gap or overlap: a statement starts where the previous closed
 * one ended (period_to), and the first open statement bills the calls of closed months that were not billed yet as
 * late usage. Later open months continue from it: their opening is the first open statement's closing carried on.
 */
import type { BillCheck, BillCloseResult, BillList, BillStatement, BillSummary } from '../../src-shared/api/bills';
import { ApiError, fieldDetails } from '../../src-shared/api/errors';
import { isoTime } from '../../src-shared/api/common';
import { formatMoney, parseMoney } from '../../src-shared/domain/money';
import type { Sqlite } from '../db/connection';
import type { Logger } from '../log';
import { calendarOf, nextMonth, previousMonth } from '../statistics/zone-calendar';
import { asCurrentShape, computeStatement, moneyBetween, moneyTotal, type BalanceBase, type BillPeriod } from './statement';
import {
  accountCreatedAt,
  accountKind,
  closedMonthsAfter,
  enterpriseIdsByName,
  firstEnterpriseCallDay,
  firstLedgerEntryAt,
  insertBill,
  lastClosedMonth,
  storedBill,
  storedBills,
} from './repository';
import { verifyBills } from './verify';
import { lateUsageOf, periodUsage, totalUsage, usageBefore, type ClosedBill } from './usage';
import { problem } from '../../src-shared/api/messages';

const CLOSE_EVERY_MS = 3_600_000;

export interface BillingDeps {
  db: Sqlite;
  log: Logger;
  now: () => number;
  /** The billing time zone (today the statistics zone): months of open statements. */
  timeZone: () => string;
  /** Settings `bills.closeFromDay`: a month can be closed from this day of the next month (default the 5th). */
  closeFromDay?: () => number;
}

export class BillingService {
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<number> | null = null;
  private stopped = false;

  constructor(private readonly deps: BillingDeps) {}

  private closeFromDay(): number {
    return this.deps.closeFromDay?.() ?? 5;
  }

  /** The first instant a month can be closed: the start of day `closeFromDay` of the next month, in the bill zone. */
  closableFrom(month: string): number {
    const calendar = calendarOf(this.deps.timeZone());
    const nextStart = calendar.monthRange(nextMonth(month)).from;
    return calendar.startOfDay(calendar.dayOf(nextStart) + this.closeFromDay() - 1);
  }

  /**
   * An open month's statement: its period (from the end of the previous closed statement, or the month's start), its
   * opening (the last closed statement's closing carried through the open months before it, or for an enterprise
   * without one: money before the period minus the usage of the calls before it) and, on the first open month only,
   * the late usage of the closed months.
   */
  private computeOpen(enterpriseId: number, month: string): BillStatement {
    const { db, now } = this.deps;
    const timeZone = this.deps.timeZone();
    const range = calendarOf(timeZone).monthRange(month);
    const chain = storedBills(db, enterpriseId);
    const previous = chain.find((b) => b.month === previousMonth(month));
    const from = previous ? previous.period_to : range.from;
    const period: BillPeriod = { enterpriseId, month, timeZone, from, to: Math.max(from, range.to) };
    const last = [...chain].reverse().find((b) => b.month < month);
    const closed: ClosedBill[] = chain
      .filter((b) => b.month < month)
      .map((b) => ({ month: b.month, periodFrom: b.period_from, periodTo: b.period_to, statement: asCurrentShape(JSON.parse(b.statement) as BillStatement) }));
    let opening: number;
    let late: ReturnType<typeof lateUsageOf> = [];
    let priorUsage: ReturnType<typeof usageBefore> | undefined;
    let balanceBase: BalanceBase | undefined;
    if (last) {
      const lastStatement = closed[closed.length - 1]!.statement;
      const lastClosing = parseMoney(lastStatement.closing);
      balanceBase = { at: last.period_to, closing: new Map(lastStatement.balances.map((b) => [b.accountId, parseMoney(b.closing)])) };
      const firstOpen = nextMonth(last.month);
      const lateNow = lateUsageOf(db, enterpriseId, closed);
      if (firstOpen === month) {
        opening = lastClosing;
        late = lateNow;
      } else {
        // Later open months: the first open statement's late usage, and the calls and money between, carried on.
        const lateAmount = lateNow.reduce((t, b) => t + totalUsage(b.byType).amount, 0);
        const between = totalUsage(periodUsage(db, enterpriseId, last.period_to, from, false).byType).amount;
        opening = lastClosing - lateAmount - between + moneyTotal(moneyBetween(db, enterpriseId, last.period_to, from));
      }
    } else {
      priorUsage = usageBefore(db, enterpriseId, from);
      opening = moneyTotal(moneyBetween(db, enterpriseId, 0, from)) - totalUsage(priorUsage).amount;
    }
    return computeStatement(db, period, now(), {
      opening,
      usage: periodUsage(db, enterpriseId, period.from, period.to),
      late,
      ...(priorUsage ? { priorUsage } : {}),
      ...(balanceBase ? { balanceBase } : {}),
      closableFrom: this.closableFrom(month),
    });
  }

  private checkMonth(month: string): void {
    const zone = this.deps.timeZone();
    if (calendarOf(zone).monthRange(month).from > this.deps.now()) {
      throw ApiError.keyed('invalid_input', 'api.monthNotStarted', `${month} has not started yet.`, { month }, fieldDetails({ month: problem('field.monthFuture', 'must not be in the future') }));
    }
  }

  private enterpriseIds(enterpriseId?: number): number[] {
    if (enterpriseId !== undefined) {
      const kind = accountKind(this.deps.db, enterpriseId);
      if (kind !== 'enterprise') throw ApiError.keyed('not_found', 'api.notFound', `There is no enterprise ${enterpriseId}.`, { thing: 'enterprise', id: enterpriseId });
      return [enterpriseId];
    }
    return enterpriseIdsByName(this.deps.db);
  }

  get(enterpriseId: number, month: string): BillStatement {
    this.enterpriseIds(enterpriseId);
    const stored = storedBill(this.deps.db, enterpriseId, month);
    if (stored) return asCurrentShape(JSON.parse(stored.statement) as BillStatement);
    this.checkMonth(month);
    return this.computeOpen(enterpriseId, month);
  }

  list(month: string, enterpriseId?: number): BillList {
    this.checkMonth(month);
    const rows: BillSummary[] = [];
    let periodFrom: string | null = null;
    let periodTo: string | null = null;
    for (const id of this.enterpriseIds(enterpriseId)) {
      const s = this.get(id, month);
      rows.push(summaryOf(s));
      periodFrom ??= s.periodFrom;
      periodTo ??= s.periodTo;
    }
    const total = (f: 'opening' | 'closing' | 'charged' | 'lateUsage' | 'paid' | 'adjustments' | 'amountDue') =>
      formatMoney(rows.reduce((t, r) => t + (r[f] === null ? 0 : parseMoney(r[f]!)), 0));
    const range = calendarOf(this.deps.timeZone()).monthRange(month);
    return {
      month,
      timeZone: this.deps.timeZone(),
      periodFrom: periodFrom ?? isoTime(range.from),
      periodTo: periodTo ?? isoTime(range.to),
      rows,
      totals: {
        opening: total('opening'),
        closing: total('closing'),
        charged: total('charged'),
        lateUsage: total('lateUsage'),
        paid: total('paid'),
        adjustments: total('adjustments'),
        amountDue: total('amountDue'),
      },
    };
  }

  /**
   * Closes `month` (and every earlier month still open) of one or all enterprises, in the caller's transaction.
   * Refused while the month is not over, and before its grace day unless `force`. Returns what was closed.
   */
  close(month: string, enterpriseId: number | undefined, closedBy: string, force = false): BillCloseResult {
    this.checkMonth(month);
    const now = this.deps.now();
    const calendar = calendarOf(this.deps.timeZone());
    if (calendar.monthRange(month).to > now) {
      throw ApiError.keyed('invalid_input', 'api.monthNotOver', `${month} is not over yet: a month is closed once its calls are in.`, { month }, fieldDetails({ month: problem('field.monthNotOver', 'must be over') }));
    }
    const closableFrom = this.closableFrom(month);
    if (!force && now < closableFrom) {
      throw ApiError.keyed(
        'conflict',
        'api.monthClosableFrom',
        `${month} can be closed from ${calendar.isoDate(calendar.dayOf(closableFrom))} (day ${this.closeFromDay()} of the next month, settings bills.closeFromDay); calls of it may still arrive. Send force to close it now.`,
        { month, date: calendar.isoDate(calendar.dayOf(closableFrom)) },
        { closableFrom: isoTime(closableFrom) },
      );
    }
    const closed: BillCloseResult['closed'] = [];
    for (const id of this.enterpriseIds(enterpriseId)) {
      for (const m of this.monthsToClose(id, month)) {
        this.closeOne(id, m, closedBy, now);
        closed.push({ enterpriseId: id, month: m });
      }
    }
    return { closed };
  }

  /**
   * Months of an enterprise from the first without a statement through `through`. An enterprise's first month is the
   * earliest of its creation, its first ledger entry and its first counted call (calls imported from before it
   * existed have a month of their own).
   */
  private monthsToClose(enterpriseId: number, through: string): string[] {
    const { db } = this.deps;
    const calendar = calendarOf(this.deps.timeZone());
    const last = lastClosedMonth(db, enterpriseId);
    let month: string;
    if (last) month = nextMonth(last);
    else {
      const createdAt = accountCreatedAt(db, enterpriseId);
      const firstEntry = firstLedgerEntryAt(db, enterpriseId);
      const firstCall = firstCallAt(db, enterpriseId);
      month = calendar.monthOf(Math.min(createdAt, firstEntry ?? createdAt, firstCall ?? createdAt));
    }
    const months: string[] = [];
    while (month <= through) {
      months.push(month);
      month = nextMonth(month);
    }
    return months;
  }

  private closeOne(enterpriseId: number, month: string, closedBy: string, now: number): void {
    const open = this.computeOpen(enterpriseId, month);
    const statement: BillStatement = { ...open, state: 'closed', closedAt: isoTime(now), closedBy };
    insertBill(this.deps.db, {
      enterpriseId,
      month,
      timeZone: statement.timeZone,
      periodFrom: Date.parse(statement.periodFrom),
      periodTo: Date.parse(statement.periodTo),
      opening: parseMoney(statement.opening),
      closing: parseMoney(statement.closing),
      amountDue: statement.amountDue === null ? null : parseMoney(statement.amountDue),
      statement: JSON.stringify(statement),
      closedAt: now,
      closedBy,
    });
  }

  /** bills.verify: the month's usage as billed against the statistics and the ledger of its calls (verify.ts). */
  verify(month: string, enterpriseId?: number): BillCheck {
    this.checkMonth(month);
    return verifyBills(
      {
        db: this.deps.db,
        now: this.deps.now(),
        statement: (id, m) => this.get(id, m),
        laterMonths: (id, m) => {
          const closed = closedMonthsAfter(this.deps.db, id, m);
          const firstOpen = nextMonth(closed[closed.length - 1] ?? m);
          const started = calendarOf(this.deps.timeZone()).monthRange(firstOpen).from <= this.deps.now();
          return { closed, firstOpen: started ? firstOpen : null };
        },
      },
      month,
      this.enterpriseIds(enterpriseId),
    );
  }

  /** The last month whose grace day has begun. */
  private lastClosable(): string {
    const calendar = calendarOf(this.deps.timeZone());
    let month = previousMonth(calendar.monthOf(this.deps.now()));
    while (this.closableFrom(month) > this.deps.now()) month = previousMonth(month);
    return month;
  }

  /** Closes every month whose grace day has begun, one statement per transaction with a pause between them. */
  closeDue(): Promise<number> {
    if (!this.closing) {
      this.closing = this.closeMonthsOver().finally(() => {
        this.closing = null;
      });
    }
    return this.closing;
  }

  private async closeMonthsOver(): Promise<number> {
    let count = 0;
    try {
      const lastOver = this.lastClosable();
      for (const id of this.enterpriseIds()) {
        // The next month to close is read again in each transaction: bills.close may have closed it during the pause.
        const closeNext = this.deps.db.transaction((): boolean => {
          const m = this.monthsToClose(id, lastOver)[0];
          if (m === undefined) return false;
          this.closeOne(id, m, 'system', this.deps.now());
          return true;
        });
        while (!this.stopped && closeNext()) {
          count++;
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (this.stopped) return count;
      }
      if (count > 0) this.deps.log.info('Monthly statements closed', { count });
    } catch (err) {
      this.deps.log.error('Closing monthly statements failed; retried within the hour', { error: err });
    }
    return count;
  }

  start(): void {
    void this.closeDue();
    this.timer = setInterval(() => void this.closeDue(), CLOSE_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.closing;
  }
}

/** When the enterprise's first counted call started (the statistics rollups' first day), or null. */
function firstCallAt(db: Sqlite, enterpriseId: number): number | null {
  const first = firstEnterpriseCallDay(db, enterpriseId);
  return first === null || first.day === null ? null : calendarOf(first.timeZone).startOfDay(first.day);
}

export function summaryOf(s: BillStatement): BillSummary {
  const m = s.movements;
  return {
    enterpriseId: s.enterpriseId,
    enterpriseName: s.enterpriseName,
    billingMode: s.billingMode,
    month: s.month,
    state: s.state,
    opening: s.opening,
    closing: s.closing,
    charged: formatMoney(-(parseMoney(m.charges) + parseMoney(m.lateUsage))),
    lateUsage: formatMoney(-parseMoney(m.lateUsage)),
    paid: formatMoney(parseMoney(m.recharges) + parseMoney(m.refunds)),
    adjustments: m.adjustments,
    amountDue: s.amountDue,
  };
}
