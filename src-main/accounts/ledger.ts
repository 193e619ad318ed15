/**
 * Hot path: charging posts a ledger entry for every rated CDR, inside the batch's store transaction, so the two
 * statements of `post` are prepared once beside it; the read-only check of the books (`verify`) stays with the writer
 * whose rules it proves.
 */
import type { LedgerCheck, LedgerKind } from '../../src-shared/api/accounts';
import { isoTime } from '../../src-shared/api/common';
import { formatMoney, type Money } from '../../src-shared/domain/money';
import type { Sqlite } from '../db/connection';
import type { LedgerRow as LedgerTableRow } from '../db/rows';

export interface LedgerPosting {
  accountId: number;
  kind: LedgerKind;
  /** Signed, 1/10000 units: charges and refunds negative, recharges positive, freeze/unfreeze 0. */
  amount: Money;
  cdrId?: number | null;
  chargedAccountId?: number | null;
  operatorId?: number | null;
  operator: string;
  reason?: string;
  method?: string | null;
  reference?: string | null;
  at: number;
}

/** A ledger row, its kind narrowed to the kinds the schema allows. */
export type LedgerRow = Omit<LedgerTableRow, 'kind'> & { kind: LedgerKind };

/**
 * The only writer of money. An entry states the balance it leaves; the database refuses an entry whose
 * balance_after does not follow, moves the balance itself (trigger), and refuses any other balance write.
 * Callers run `post` inside their transaction, so the CDR, its charge and the balance commit together.
 */
export class Ledger {
  private readonly stmt;

  constructor(private readonly db: Sqlite) {
    this.stmt = {
      balance: db.prepare('SELECT balance FROM accounts WHERE id = ?').pluck(),
      insert: db.prepare(
        `INSERT INTO ledger (account_id, at, kind, amount, balance_after, cdr_id, charged_account_id, operator_id, operator,
           reason, method, reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  post(p: LedgerPosting): LedgerRow {
    const balance = this.stmt.balance.get(p.accountId) as number | undefined;
    if (balance === undefined) throw new Error(`account ${p.accountId} does not exist`);
    const balanceAfter = balance + p.amount;
    if (!Number.isSafeInteger(balanceAfter)) throw new RangeError(`balance of account ${p.accountId} would overflow`);
    const r = this.stmt.insert.run(
      p.accountId,
      p.at,
      p.kind,
      p.amount,
      balanceAfter,
      p.cdrId ?? null,
      p.chargedAccountId ?? null,
      p.operatorId ?? null,
      p.operator,
      p.reason ?? '',
      p.method ?? null,
      p.reference ?? null,
    );
    return {
      id: Number(r.lastInsertRowid),
      account_id: p.accountId,
      at: p.at,
      kind: p.kind,
      amount: p.amount,
      balance_after: balanceAfter,
      cdr_id: p.cdrId ?? null,
      charged_account_id: p.chargedAccountId ?? null,
      operator_id: p.operatorId ?? null,
      operator: p.operator,
      reason: p.reason ?? '',
      method: p.method ?? null,
      reference: p.reference ?? null,
    };
  }

  /**
   * Proves the books: every balance equals the sum of its entries, every rated CDR has exactly one charge entry and
   * no unrated CDR has one, and each CDR's charge plus rerates equal minus its current cost. Read-only; run it in a
   * read transaction so the figures belong to one instant.
   */
  verify(now: number): LedgerCheck {
    return this.db.transaction(() => {
      const mismatches = this.db
        .prepare(
          `SELECT a.id AS accountId, a.balance AS balance, IFNULL(s.total, 0) AS total
           FROM accounts a LEFT JOIN (SELECT account_id, SUM(amount) AS total FROM ledger GROUP BY account_id) s
             ON s.account_id = a.id
           WHERE a.balance <> IFNULL(s.total, 0)`,
        )
        .all() as { accountId: number; balance: number; total: number }[];
      const counts = this.db
        .prepare('SELECT (SELECT COUNT(*) FROM accounts) AS accounts, (SELECT COUNT(*) FROM ledger) AS entries')
        .get() as { accounts: number; entries: number };
      const ratedWithoutCharge = this.db
        .prepare(
          `SELECT COUNT(*) FROM cdrs c WHERE c.status = 'rated'
             AND (SELECT COUNT(*) FROM ledger l WHERE l.cdr_id = c.id AND l.kind = 'charge') <> 1`,
        )
        .pluck()
        .get() as number;
      const chargesOfUnrated = this.db
        .prepare(
          `SELECT COUNT(*) FROM ledger l JOIN cdrs c ON c.id = l.cdr_id
           WHERE l.kind = 'charge' AND c.status <> 'rated'`,
        )
        .pluck()
        .get() as number;
      const costMismatches = this.db
        .prepare(
          `SELECT COUNT(*) FROM (
             SELECT c.id FROM cdrs c JOIN ledger l ON l.cdr_id = c.id AND l.kind IN ('charge', 'rerate')
             WHERE c.status = 'rated' GROUP BY c.id HAVING SUM(l.amount) <> -MAX(c.cost))`,
        )
        .pluck()
        .get() as number;
      return {
        ok: mismatches.length === 0 && ratedWithoutCharge === 0 && chargesOfUnrated === 0 && costMismatches === 0,
        accounts: counts.accounts,
        entries: counts.entries,
        balanceMismatches: mismatches.map((m) => ({
          accountId: m.accountId,
          balance: formatMoney(m.balance),
          sumOfEntries: formatMoney(m.total),
        })),
        ratedWithoutCharge,
        chargesOfUnratedCdrs: chargesOfUnrated,
        costMismatches,
        checkedAt: isoTime(now),
      };
    }).deferred();
  }
}
