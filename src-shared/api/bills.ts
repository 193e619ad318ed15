/**
 * Bills (bill query, DESIGN §4.1): a monthly statement per enterprise computed from the ledger: opening balance,
 * charges by call type, user and gateway, recharges, refunds, adjustments, rerates, closing balance and, for postpaid
 * enterprises, the amount due. Months are calendar months of the statistics time zone. A month is closed once it is
 * over (or earlier by bills.close): its statement is stored and never changes; what the ledger records later (a
 * rerate, a correction) is dated when it was written and so belongs to the next statement.
 */
import { z } from 'zod';
import { method, READ, WRITE } from './contract';
import { id, type IsoTime } from './common';
import type { AccountKind, BillingMode, LedgerKind, MoneyText } from './accounts';
import type { DownloadTicket } from './downloads';

export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM, e.g. 2026-03');

/** Signed sums of the ledger entries of a period, by kind (charges and refunds are negative). */
export interface BillMovements {
  charges: MoneyText;
  recharges: MoneyText;
  refunds: MoneyText;
  adjustments: MoneyText;
  rerates: MoneyText;
}

export interface BillBalance extends BillMovements {
  /** An account holding a balance: the enterprise, or a user or gateway account with its own balance. */
  accountId: number;
  name: string;
  kind: AccountKind;
  opening: MoneyText;
  closing: MoneyText;
}

export interface BillChargeLine {
  calls: number;
  /** Talk time of the charged calls (billsec), seconds. */
  seconds: number;
  /** What was charged (positive). */
  amount: MoneyText;
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
  /** The ledger entries of the statement: at >= periodFrom and at < periodTo. */
  periodFrom: IsoTime;
  periodTo: IsoTime;
  state: 'open' | 'closed';
  closedAt?: IsoTime;
  closedBy?: string;
  /** Sum over the balances: opening + every movement = closing. */
  opening: MoneyText;
  closing: MoneyText;
  movements: BillMovements;
  /** Postpaid: what the customer owes at the end of the period (0 when in credit); null for prepaid. */
  amountDue: MoneyText | null;
  balances: BillBalance[];
  chargesByType: (BillChargeLine & { callType: string })[];
  chargesByUser: (BillChargeLine & { accountId: number; name: string })[];
  chargesByGateway: (BillChargeLine & { accountId: number; name: string })[];
  /** Calls charged to the enterprise itself (no user or gateway account). */
  chargesToEnterprise: BillChargeLine;
  /** Rerate entries of the period (signed: positive = money given back), by call type. */
  rerates: { entries: number; amount: MoneyText; byType: { callType: string; entries: number; amount: MoneyText }[] };
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
  /** What was charged in the period (positive), rerates included. */
  charged: MoneyText;
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
  totals: { opening: MoneyText; closing: MoneyText; charged: MoneyText; paid: MoneyText; adjustments: MoneyText; amountDue: MoneyText };
}

export interface BillCloseResult {
  /** Statements closed now, oldest month first. */
  closed: { enterpriseId: number; month: string }[];
}

export const billMethods = {
  'bills.list': method<BillList>()({
    input: z.object({ month, enterpriseId: id.optional() }),
    access: READ,
    mutation: false,
    summary: 'The monthly statements of a month: per enterprise opening, charged, paid, adjustments, closing and amount due.',
    returns: '{ month, timeZone, periodFrom, periodTo, rows: BillSummary[], totals }',
  }),
  'bills.get': method<BillStatement>()({
    input: z.object({ enterpriseId: id, month }),
    access: READ,
    mutation: false,
    summary: "One enterprise's monthly statement (stored as closed, or computed from the ledger while the month is open).",
    returns: 'BillStatement',
  }),
  'bills.close': method<BillCloseResult>()({
    input: z.object({ month, enterpriseId: id.optional() }),
    access: WRITE,
    mutation: true,
    summary:
      'Close a month now (and any earlier month still open): its statements are stored and never change; later ledger ' +
      'entries go to the next month. Months close by themselves once they are over.',
    returns: '{ closed: [{ enterpriseId, month }] }',
  }),
  'exports.bill': method<DownloadTicket>()({
    input: z.object({ enterpriseId: id, month, format: z.enum(['xlsx', 'csv']).default('xlsx'), language: z.enum(['en', 'zh-CN']).default('en') }),
    access: READ,
    mutation: false,
    async: true,
    summary: "One enterprise's monthly statement as a spreadsheet (.xlsx or .csv).",
    returns: 'DownloadTicket',
  }),
} as const;
