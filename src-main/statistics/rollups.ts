/**
 * Hot path: charging and rerating add every rated CDR here inside their own transactions, so the one upsert is
 * prepared once beside the buffer that feeds it (the other rollup statements are in rollup-repository.ts).
 *
 * Keeps `stats_daily` (see migration 0010) exact in the transactions that change what a rated CDR counts for:
 * charging (a CDR becomes rated), rerating (its cost, billed seconds or call type change) and charging unrated CDRs
 * again. Callers run inside their own transaction; `batch` gathers the changes of many CDRs in memory and writes each
 * touched row once at the end, still inside that transaction.
 */
import type { Sqlite } from '../db/connection';
import { readRollupState, type RollupState } from './rollup-repository';
import { calendarOf, type ZoneCalendar } from './zone-calendar';

/** What one rated CDR counts for. */
export interface RatedCall {
  startAt: number;
  enterpriseId: number;
  userAccountId: number | null;
  gatewayId: number | null;
  callType: string;
  billsec: number;
  billedSeconds: number;
  /** 1/10000 units */
  cost: number;
}

interface Counters {
  kind: 'enterprise' | 'user' | 'gateway';
  enterpriseId: number;
  day: number;
  accountId: number;
  callType: string;
  calls: number;
  answered: number;
  seconds: number;
  billedSeconds: number;
  amount: number;
}

export class StatsRollups {
  private readonly upsert;
  private state: RollupState;
  private calendar: ZoneCalendar | null;
  private rebuildCalendar: ZoneCalendar | null = null;
  private buffer: Map<string, Counters> | null = null;

  constructor(private readonly db: Sqlite) {
    this.upsert = db.prepare(
      `INSERT INTO stats_daily (kind, enterprise_id, day, account_id, call_type, calls, answered, seconds, billed_seconds, amount)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (kind, enterprise_id, day, account_id, call_type) DO UPDATE SET
         calls = calls + excluded.calls, answered = answered + excluded.answered, seconds = seconds + excluded.seconds,
         billed_seconds = billed_seconds + excluded.billed_seconds, amount = amount + excluded.amount`,
    );
    this.state = readRollupState(db);
    this.calendar = this.state.timeZone ? calendarOf(this.state.timeZone) : null;
    this.rebuildCalendar = this.state.rebuildZone ? calendarOf(this.state.rebuildZone) : null;
  }

  /** Re-reads stats_state (after a build, or a rebuild step, changed it). */
  reload(): void {
    this.state = readRollupState(this.db);
    this.calendar = this.state.timeZone ? calendarOf(this.state.timeZone) : null;
    this.rebuildCalendar = this.state.rebuildZone ? calendarOf(this.state.rebuildZone) : null;
  }

  get current(): Readonly<RollupState> {
    return this.state;
  }

  /** Counts a rated CDR (sign 1) or takes it back (sign -1). Inside the caller's transaction. */
  add(call: RatedCall, sign: 1 | -1 = 1): void {
    const day = this.dayOf(call.startAt);
    if (day === null) return;
    this.batch(() => {
      this.count('enterprise', call.enterpriseId, call, day, sign);
      if (call.userAccountId !== null) this.count('user', call.userAccountId, call, day, sign);
      if (call.gatewayId !== null) this.count('gateway', call.gatewayId, call, day, sign);
    });
  }

  /** Moves a CDR from what it counted for before to what it counts for now (rerating). */
  move(before: RatedCall, after: RatedCall): void {
    this.batch(() => {
      this.add(before, -1);
      this.add(after, 1);
    });
  }

  /** Runs `fn` with the changes gathered in memory and written once each at the end (same transaction). */
  batch<T>(fn: () => T): T {
    if (this.buffer !== null) return fn();
    this.buffer = new Map();
    try {
      const result = fn();
      this.flush();
      return result;
    } finally {
      this.buffer = null;
    }
  }

  /**
   * The day bucket of a call, or null when it is not counted now: before the first count (the build at start counts
   * every CDR from the table) and, during a rebuild for another zone, calls after the rebuild's progress point (the
   * rebuild counts them from the CDRs when it gets there).
   */
  private dayOf(startAt: number): number | null {
    if (this.rebuildCalendar) {
      return startAt < (this.state.rebuildUntil ?? 0) ? this.rebuildCalendar.dayOf(startAt) : null;
    }
    return this.calendar ? this.calendar.dayOf(startAt) : null;
  }

  private count(kind: Counters['kind'], accountId: number, call: RatedCall, day: number, sign: 1 | -1): void {
    // The enterprise is part of the row's key: a rerate may move calls of an account that changed enterprise.
    const key = `${kind}|${call.enterpriseId}|${accountId}|${day}|${call.callType}`;
    let c = this.buffer!.get(key);
    if (!c) {
      c = { kind, enterpriseId: call.enterpriseId, day, accountId, callType: call.callType, calls: 0, answered: 0, seconds: 0, billedSeconds: 0, amount: 0 };
      this.buffer!.set(key, c);
    }
    c.calls += sign;
    if (call.billsec > 0) c.answered += sign;
    c.seconds += sign * call.billsec;
    c.billedSeconds += sign * call.billedSeconds;
    c.amount += sign * call.cost;
  }

  private flush(): void {
    const buffer = this.buffer;
    if (!buffer) return;
    for (const c of buffer.values()) {
      if (c.calls === 0 && c.answered === 0 && c.seconds === 0 && c.billedSeconds === 0 && c.amount === 0) continue;
      this.upsert.run(c.kind, c.enterpriseId, c.day, c.accountId, c.callType, c.calls, c.answered, c.seconds, c.billedSeconds, c.amount);
    }
    buffer.clear();
  }
}
