/**
 * `bills.verify`: a month's usage as the bills hold it equals the statistics of the month and the ledger of its calls.
 * Billed = the month's own statement (open, or as closed) plus the late usage from it on every statement after it
 * (closed ones as stored, and the first open one as computed now). Ledger = the charge and rerate entries of the CDRs
 * that started in the period (read through the CDRs, so while they are kept). All three per call type, to 1/10000.
 */
import type { BillCheck, BillCheckMismatch, BillStatement } from '../../src-shared/api/bills';
import { isoTime } from '../../src-shared/api/common';
import { formatMoney } from '../../src-shared/domain/money';
import type { Sqlite } from '../db/connection';
import { readRollupState } from '../statistics/rollup-repository';
import { ledgerUsageByType } from './repository';
import { addUsage, noUsage, periodUsage, usageOfLines, type UsageByType } from './usage';

const MAX_MISMATCHES = 100;

export interface VerifySource {
  db: Sqlite;
  now: number;
  /** The statement of a month as bills.get answers it. */
  statement: (enterpriseId: number, month: string) => BillStatement;
  /** Closed months of the enterprise after `month`, and the first open month (null when none has started). */
  laterMonths: (enterpriseId: number, month: string) => { closed: string[]; firstOpen: string | null };
}

function ledgerByType(db: Sqlite, enterpriseId: number, from: number, to: number): UsageByType {
  const rows = ledgerUsageByType(db, enterpriseId, from, to);
  return new Map(rows.map((r) => [r.callType, { calls: r.calls, seconds: r.seconds, amount: r.amount }]));
}

export function verifyBills(src: VerifySource, month: string, enterpriseIds: readonly number[]): BillCheck {
  const { db } = src;
  const countedFrom = readRollupState(db).countedFrom;
  const mismatches: BillCheckMismatch[] = [];
  let mismatchCount = 0;
  for (const id of enterpriseIds) {
    const own = src.statement(id, month);
    // A statement stored before bills were by call date billed by posting date: not comparable with the statistics.
    if (own.basis !== 'callDate') continue;
    const from = Date.parse(own.periodFrom);
    const to = Date.parse(own.periodTo);
    const billed = usageOfLines(own.chargesByType);
    const addLate = (s: BillStatement) => {
      for (const late of s.lateUsage.months) {
        if (late.month !== month) continue;
        for (const [type, f] of usageOfLines(late.byType)) {
          const into = billed.get(type) ?? noUsage();
          addUsage(into, f);
          billed.set(type, into);
        }
      }
    };
    if (own.state === 'closed') {
      const later = src.laterMonths(id, month);
      for (const m of later.closed) addLate(src.statement(id, m));
      if (later.firstOpen) addLate(src.statement(id, later.firstOpen));
    }
    const statistics = periodUsage(db, id, from, to, false).byType;
    const ledger = countedFrom !== null && countedFrom > from ? null : ledgerByType(db, id, from, to);
    for (const type of new Set([...statistics.keys(), ...billed.keys(), ...(ledger?.keys() ?? [])])) {
      const s = statistics.get(type) ?? noUsage();
      const b = billed.get(type) ?? noUsage();
      const l = ledger ? (ledger.get(type) ?? noUsage()) : null;
      const same = s.calls === b.calls && s.amount === b.amount && (l === null || (l.calls === s.calls && l.amount === s.amount));
      if (same) continue;
      mismatchCount++;
      if (mismatches.length < MAX_MISMATCHES) {
        mismatches.push({
          enterpriseId: id,
          enterpriseName: own.enterpriseName,
          month,
          callType: type,
          statistics: { calls: s.calls, amount: formatMoney(s.amount) },
          billed: { calls: b.calls, amount: formatMoney(b.amount) },
          ledger: l === null ? null : { calls: l.calls, amount: formatMoney(l.amount) },
        });
      }
    }
  }
  return { ok: mismatchCount === 0, month, enterprises: enterpriseIds.length, mismatchCount, mismatches, checkedAt: isoTime(src.now) };
}
