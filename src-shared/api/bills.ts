/**
 * Bills (bill query, DESIGN §4.1, §9): a monthly statement per enterprise. Usage is by call date: the calls that
 * started in the month (in the billing time zone, today the statistics zone), as the statistics count them (rerates
 * included: a rerated call's new cost belongs to its own month). Money movements (recharges, refunds, adjustments,
 * freezes) are by the date they were written. Months are calendar months of that zone.
 *
 * A month can be closed from a grace day of the next month (settings `bills.closeFromDay`, default 5): by the hourly
 * job once that day has begun, or by bills.close (earlier only with `force`, never before the month is over). A
 * closed statement is stored and never changes. Calls of a closed month that arrive (or are rerated) later are billed
 * on the next open statement as late usage from that month, listed apart by month and call type.
 *
 * The statement's identity (its own accounting, in 1/10000 units):
 *   closing = opening + movements.charges + movements.lateUsage + movements.recharges + movements.refunds + movements.adjustments
 * where opening is the previous closed statement's closing (or, for the first statement, every recharge, refund and
 * adjustment before the period minus the usage of every call that started before it). Charges and late usage are
 * negative (what the calls cost); a rerate that lowered a closed month's calls makes its late usage positive.
 * Prepaid balances move when a call is charged: `balances` shows each account as the ledger holds it (by posting
 * date), which differs from the statement's own figures only by calls charged in one period that started in another.
 */
import { z } from 'zod';
import { method, READ, READ_OWN, WRITE } from './contract';
import { id, type IsoTime } from './common';
import type { AccountKind, BillingMode, LedgerKind, MoneyText } from './accounts';
import type { DownloadTicket } from './downloads';
import { keyed } from './messages';

export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, keyed('field.month', 'must be a month YYYY-MM, e.g. 2026-03'));

/** The statement's own movements (signed; usage is negative). See the identity above. */
export interface BillMovements {
  /** The month's usage: calls that started in the period, at their cost now (open) or when closed. */
  charges: MoneyText;
  /** Late usage from closed months (see `lateUsage`). */
  lateUsage: MoneyText;
  recharges: MoneyText;
  refunds: MoneyText;
  adjustments: MoneyText;
}

/** Signed sums of an account's ledger entries of the period by posting date, by kind. */
export interface BillPostedMovements {
  charges: MoneyText;
  recharges: MoneyText;
  refunds: MoneyText;
  adjustments: MoneyText;
  rerates: MoneyText;
}

export interface BillBalance extends BillPostedMovements {
  /** An account holding a balance: the enterprise, or a user or gateway account with its own balance. */
  accountId: number;
  name: string;
  kind: AccountKind;
  /** The account's ledger balance at periodFrom and at periodTo (or now, for a month not over yet). */
  opening: MoneyText;
  closing: MoneyText;
}

export interface BillChargeLine {
  calls: number;
  /** Talk time of the calls (billsec), seconds. */
  seconds: number;
  /** What the calls cost (positive; late usage may be negative when a rerate gave money back). */
  amount: MoneyText;
}

export interface BillUsageLine extends BillChargeLine {
  callType: string;
}

/**
 * Late usage from one closed month: what the statistics count for that month now minus what was billed for it
 * (its own statement and the late usage of statements closed since), by call type. Calls may be negative in one type
 * and positive in another when a rerate changed a call's type. Months before the retention cut (CDRs purged) are final.
 */
export interface BillLateMonth {
  month: string;
  /** The closed month's period (calls that started in it). */
  periodFrom: IsoTime;
  periodTo: IsoTime;
  byType: BillUsageLine[];
  total: BillChargeLine;
}

export interface BillLateUsage {
  months: BillLateMonth[];
  total: BillChargeLine;
}

export interface BillEntry {
  id: number;
  at: IsoTime;
  kind: LedgerKind;
  amount: MoneyText;
  accountId: number;
  accountName: string;
  operator: string;
  reason: string;
  method: string | null;
  reference: string | null;
}

export interface BillStatement {
  enterpriseId: number;
  enterpriseName: string;
  enterpriseCode: string | null;
  billingMode: BillingMode;
  month: string;
  timeZone: string;
  /**
   * 'callDate': usage by call date, late usage apart (statements since issue 15). 'postingDate': a statement closed
   * before, read back as it was stored (usage = charge entries written in the period; no late usage).
   */
  basis: 'callDate' | 'postingDate';
  /** Calls that started at >= periodFrom and < periodTo; money movements written in it. */
  periodFrom: IsoTime;
  periodTo: IsoTime;
  state: 'open' | 'closed';
  closedAt?: IsoTime;
  closedBy?: string;
  /** The first instant bills.close closes this month without `force` (and the closing job closes it). */
  closableFrom: IsoTime;
  /** The statement's own accounting: closing = opening + every movement (see the file's doc comment). */
  opening: MoneyText;
  closing: MoneyText;
  movements: BillMovements;
  /**
   * Postpaid: what the customer owes by this statement, max(0, -(closing - the closing balances of user and gateway
   * accounts holding their own balance, as posted)); null for prepaid.
   */
  amountDue: MoneyText | null;
  /** Every balance of the enterprise as the ledger holds it (posting date). */
  balances: BillBalance[];
  /** The month's usage (calls that started in the period), in total and by call type, user and gateway. */
  usage: BillChargeLine;
  chargesByType: BillUsageLine[];
  chargesByUser: (BillChargeLine & { accountId: number; name: string })[];
  chargesByGateway: (BillChargeLine & { accountId: number; name: string })[];
  /** Calls charged to the enterprise itself (no user or gateway account). */
  chargesToEnterprise: BillChargeLine;
  /**
   * The first call-date statement of an enterprise (no closed one before it): the calls before its period, by call
   * type, that its opening balance counts; calls before it that arrive later are late usage from the month before it.
   */
  priorUsage?: BillUsageLine[];
  /** Calls of closed months not billed before, by month (oldest first) and call type. */
  lateUsage: BillLateUsage;
  /** Recharges, refunds, adjustments, freezes and unfreezes of the period, in order. */
  entries: BillEntry[];
  generatedAt: IsoTime;
}

export interface BillSummary {
  enterpriseId: number;
  enterpriseName: string;
  billingMode: BillingMode;
  month: string;
  state: 'open' | 'closed';
  opening: MoneyText;
  closing: MoneyText;
  /** Usage of the month's calls plus late usage (positive). */
  charged: MoneyText;
  /** Of `charged`: late usage from closed months. */
  lateUsage: MoneyText;
  /** Recharges minus refunds. */
  paid: MoneyText;
  adjustments: MoneyText;
  amountDue: MoneyText | null;
}

export interface BillList {
  month: string;
  timeZone: string;
  /** The period of an open month, or of the first closed statement. */
  periodFrom: IsoTime;
  periodTo: IsoTime;
  rows: BillSummary[];
  totals: { opening: MoneyText; closing: MoneyText; charged: MoneyText; lateUsage: MoneyText; paid: MoneyText; adjustments: MoneyText; amountDue: MoneyText };
}

export interface BillCloseResult {
  /** Statements closed now, oldest month first. */
  closed: { enterpriseId: number; month: string }[];
}

/** One enterprise and month where the bills and the statistics (or the ledger by call date) do not agree. */
export interface BillCheckMismatch {
  enterpriseId: number;
  enterpriseName: string;
  month: string;
  callType: string;
  /** What the statistics count for the month now. */
  statistics: { calls: number; amount: MoneyText };
  /** What the statements bill for it: its own usage (open or closed) plus late usage on later statements. */
  billed: { calls: number; amount: MoneyText };
  /** The charge and rerate entries of the month's calls (CDRs still kept); null when CDRs of the month were purged. */
  ledger: { calls: number; amount: MoneyText } | null;
}

export interface BillCheck {
  ok: boolean;
  month: string;
  enterprises: number;
  mismatchCount: number;
  mismatches: BillCheckMismatch[];
  checkedAt: IsoTime;
}

export const billMethods = {
  'bills.list': method<BillList>()({
    input: z.object({ month, enterpriseId: id.optional() }),
    access: READ_OWN,
    mutation: false,
    summary: 'The monthly statements of a month: per enterprise opening, charged, paid, adjustments, closing and amount due.',
    returns: '{ month, timeZone, periodFrom, periodTo, rows: BillSummary[], totals }',
  }),
  'bills.get': method<BillStatement>()({
    input: z.object({ enterpriseId: id, month }),
    access: READ_OWN,
    mutation: false,
    summary: "One enterprise's monthly statement: usage by call date, late usage, money movements (stored as closed, or computed while open).",
    returns: 'BillStatement',
  }),
  'bills.close': method<BillCloseResult>()({
    input: z.object({
      month,
      enterpriseId: id.optional(),
      /** Close before the grace day (settings bills.closeFromDay); a month that is not over is never closed. */
      force: z.boolean().default(false),
    }),
    access: WRITE,
    mutation: true,
    summary:
      'Close a month (and any earlier month still open): its statements are stored and never change; calls of it that ' +
      'arrive later are billed as late usage on the next open statement. Refused before the grace day of the next month ' +
      'unless force; months close by themselves once the grace day has begun.',
    returns: '{ closed: [{ enterpriseId, month }] }',
  }),
  'bills.verify': method<BillCheck>()({
    input: z.object({ month, enterpriseId: id.optional() }),
    access: READ,
    mutation: false,
    summary:
      "Bills check: for every enterprise, a month's usage by call type as billed (its statement plus late usage on " +
      'later ones) equals the statistics of the month and the ledger entries of its calls, to 1/10000.',
    returns: '{ ok, month, enterprises, mismatchCount, mismatches, checkedAt }',
  }),
  'exports.bill': method<DownloadTicket>()({
    input: z.object({ enterpriseId: id, month, format: z.enum(['xlsx', 'csv', 'pdf']).default('xlsx'), language: z.enum(['en', 'zh-CN']).default('en') }),
    access: READ_OWN,
    mutation: false,
    async: true,
    summary:
      "One enterprise's monthly statement as a file: a spreadsheet (.xlsx or .csv), or a PDF to print or send (A4, " +
      'labels in the language given, money with 2 decimals and the currency symbol of the settings).',
    returns: 'DownloadTicket',
  }),
} as const;
