/**
 * Monthly statements: computed from the ledger while a month is open, stored in `bills` when it closes (once it is
 * over, by a background job at start and every hour, or earlier by bills.close) and read back from there ever after.
 * Statements of an enterprise follow each other without gap or overlap: a statement starts where the previous closed
 * one ended (period_to), so an entry written after a month was closed, whatever its date, lands in the next one.
 */
import type { BillCloseResult, BillList, BillStatement, BillSummary } from '../../src-shared/api/bills';
import { ApiError } from '../../src-shared/api/errors';
import { isoTime } from '../../src-shared/api/common';
import { formatMoney, parseMoney } from '../../src-shared/domain/money';
import type { Sqlite } from '../db/connection';
import type { Logger } from '../log';
import { calendarOf, nextMonth, previousMonth } from '../statistics/zone-calendar';
import { balancesOf, closingBalances, computeStatement, type BillPeriod } from './statement';

const CLOSE_EVERY_MS = 3_600_000;

interface StoredBill {
  enterprise_id: number;
  month: string;
  time_zone: string;
  period_from: number;
  period_to: number;
  statement: string;
}

export interface BillingDeps {
  db: Sqlite;
  log: Logger;
  now: () => number;
  /** The statistics time zone (months of open statements). */
  timeZone: () => string;
}

export class BillingService {
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<number> | null = null;
  private stopped = false;

  constructor(private readonly deps: BillingDeps) {}

  private stored(enterpriseId: number, month: string): StoredBill | undefined {
    return this.deps.db
      .prepare('SELECT enterprise_id, month, time_zone, period_from, period_to, statement FROM bills WHERE enterprise_id = ? AND month = ?')
      .get(enterpriseId, month) as StoredBill | undefined;
  }

  /** The period of an open month: from the end of the previous closed statement (or the month's start) to its end. */
  private openPeriod(enterpriseId: number, month: string): { period: BillPeriod; previousClosing?: Map<number, number> } {
    const timeZone = this.deps.timeZone();
    const range = calendarOf(timeZone).monthRange(month);
    const previous = this.stored(enterpriseId, previousMonth(month));
    const from = previous ? previous.period_to : range.from;
    return {
      period: { enterpriseId, month, timeZone, from, to: Math.max(from, range.to) },
      ...(previous ? { previousClosing: closingBalances(JSON.parse(previous.statement) as BillStatement) } : {}),
    };
  }

  private checkMonth(month: string): void {
    const zone = this.deps.timeZone();
    if (calendarOf(zone).monthRange(month).from > this.deps.now()) {
      throw new ApiError('invalid_input', `${month} has not started yet.`, { fields: { month: ['must not be in the future'] } });
    }
  }

  private enterpriseIds(enterpriseId?: number): number[] {
    if (enterpriseId !== undefined) {
      const kind = this.deps.db.prepare('SELECT kind FROM accounts WHERE id = ?').pluck().get(enterpriseId);
      if (kind !== 'enterprise') throw new ApiError('not_found', `There is no enterprise ${enterpriseId}.`);
      return [enterpriseId];
    }
    return this.deps.db.prepare("SELECT id FROM accounts WHERE kind = 'enterprise' ORDER BY name, id").pluck().all() as number[];
  }

  get(enterpriseId: number, month: string): BillStatement {
    this.enterpriseIds(enterpriseId);
    const stored = this.stored(enterpriseId, month);
    if (stored) return JSON.parse(stored.statement) as BillStatement;
    this.checkMonth(month);
    const { period, previousClosing } = this.openPeriod(enterpriseId, month);
    return computeStatement(this.deps.db, period, this.deps.now(), previousClosing);
  }

  list(month: string, enterpriseId?: number): BillList {
    this.checkMonth(month);
    const rows: BillSummary[] = [];
    let periodFrom: number | null = null;
    let periodTo: number | null = null;
    const names = this.deps.db.prepare('SELECT name, billing_mode FROM accounts WHERE id = ?');
    for (const id of this.enterpriseIds(enterpriseId)) {
      const stored = this.stored(id, month);
      if (stored) {
        const s = JSON.parse(stored.statement) as BillStatement;
        rows.push(summaryOf(s));
        periodFrom ??= stored.period_from;
        periodTo ??= stored.period_to;
        continue;
      }
      const { period, previousClosing } = this.openPeriod(id, month);
      periodFrom ??= period.from;
      periodTo ??= period.to;
      const balances = balancesOf(this.deps.db, period, previousClosing);
      const e = names.get(id) as { name: string; billing_mode: 'prepaid' | 'postpaid' };
      const sum = (f: 'opening' | 'closing' | 'charges' | 'rerates' | 'recharges' | 'refunds' | 'adjustments') => balances.reduce((t, b) => t + b[f], 0);
      const enterpriseClosing = balances.find((b) => b.accountId === id)?.closing ?? 0;
      rows.push({
        enterpriseId: id,
        enterpriseName: e.name,
        billingMode: e.billing_mode,
        month,
        state: 'open',
        opening: formatMoney(sum('opening')),
        closing: formatMoney(sum('closing')),
        charged: formatMoney(-(sum('charges') + sum('rerates'))),
        paid: formatMoney(sum('recharges') + sum('refunds')),
        adjustments: formatMoney(sum('adjustments')),
        amountDue: e.billing_mode === 'postpaid' ? formatMoney(Math.max(0, -enterpriseClosing)) : null,
      });
    }
    const total = (f: 'opening' | 'closing' | 'charged' | 'paid' | 'adjustments' | 'amountDue') =>
      formatMoney(rows.reduce((t, r) => t + (r[f] === null ? 0 : parseMoney(r[f]!)), 0));
    const range = calendarOf(this.deps.timeZone()).monthRange(month);
    return {
      month,
      timeZone: this.deps.timeZone(),
      periodFrom: isoTime(periodFrom ?? range.from),
      periodTo: isoTime(periodTo ?? range.to),
      rows,
      totals: { opening: total('opening'), closing: total('closing'), charged: total('charged'), paid: total('paid'), adjustments: total('adjustments'), amountDue: total('amountDue') },
    };
  }

  /**
   * Closes `month` (and every earlier month still open) of one or all enterprises, in the caller's transaction. A
   * month that is not over yet ends now. Returns what was closed.
   */
  close(month: string, enterpriseId: number | undefined, closedBy: string): BillCloseResult {
    this.checkMonth(month);
    const now = this.deps.now();
    const closed: BillCloseResult['closed'] = [];
    for (const id of this.enterpriseIds(enterpriseId)) {
      for (const m of this.monthsToClose(id, month)) {
        this.closeOne(id, m, closedBy, now);
        closed.push({ enterpriseId: id, month: m });
      }
    }
    return { closed };
  }

  /** Months of an enterprise from the first without a statement (or the month it was created) through `through`. */
  private monthsToClose(enterpriseId: number, through: string): string[] {
    const calendar = calendarOf(this.deps.timeZone());
    const last = this.deps.db.prepare('SELECT MAX(month) FROM bills WHERE enterprise_id = ?').pluck().get(enterpriseId) as string | null;
    const createdAt = this.deps.db.prepare('SELECT created_at FROM accounts WHERE id = ?').pluck().get(enterpriseId) as number;
    const firstEntry = this.deps.db.prepare('SELECT MIN(at) FROM ledger WHERE account_id = ?').pluck().get(enterpriseId) as number | null;
    let month = last ? nextMonth(last) : calendar.monthOf(Math.min(createdAt, firstEntry ?? createdAt));
    const months: string[] = [];
    while (month <= through) {
      months.push(month);
      month = nextMonth(month);
    }
    return months;
  }

  private closeOne(enterpriseId: number, month: string, closedBy: string, now: number): void {
    const { period, previousClosing } = this.openPeriod(enterpriseId, month);
    period.to = Math.max(period.from, Math.min(period.to, now));
    const statement: BillStatement = { ...computeStatement(this.deps.db, period, now, previousClosing), state: 'closed', closedAt: isoTime(now), closedBy };
    this.deps.db
      .prepare(
        `INSERT INTO bills (enterprise_id, month, time_zone, period_from, period_to, opening, closing, amount_due, statement, closed_at, closed_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        enterpriseId, month, period.timeZone, period.from, period.to, parseMoney(statement.opening), parseMoney(statement.closing),
        statement.amountDue === null ? null : parseMoney(statement.amountDue), JSON.stringify(statement), now, closedBy,
      );
  }

  /** Closes every month that is over, one statement per transaction with a pause between them. */
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
      const calendar = calendarOf(this.deps.timeZone());
      const lastOver = previousMonth(calendar.monthOf(this.deps.now()));
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
    charged: formatMoney(-(parseMoney(m.charges) + parseMoney(m.rerates))),
    paid: formatMoney(parseMoney(m.recharges) + parseMoney(m.refunds)),
    adjustments: m.adjustments,
    amountDue: s.amountDue,
  };
}
