import { z } from 'zod';
import { method, READ, WRITE, READ_OWN } from './contract';
import { actionReason, id, instant, money, page, positiveMoney, rechargeMoney, type IsoTime, type Page } from './common';
import { withoutDefaults } from './partial-input';
import { isContactPhone } from '../domain/numbers/contact-phone';
import { keyed } from './messages';

/** Money as it leaves the API: a decimal string with 4 places, e.g. "12.3400". */
export type MoneyText = string;

export type AccountKind = 'enterprise' | 'user' | 'gateway';
export type AccountStatus = 'active' | 'frozen';
export type BillingMode = 'prepaid' | 'postpaid';
export type AlertState = 'ok' | 'low' | 'exhausted';
export type LedgerKind = 'charge' | 'recharge' | 'refund' | 'adjustment' | 'rerate' | 'freeze' | 'unfreeze';

/** What every account shows about its money. */
interface BalanceView {
  /** The account's own balance, or (users and gateways drawing on the enterprise) the enterprise's. */
  balance: MoneyText;
  /** True when the account holds its own balance (always for enterprises). */
  ownBalance: boolean;
  /** The account whose balance its calls draw on (itself, or its enterprise). */
  balanceAccountId: number;
  status: AccountStatus;
  alertState: AlertState;
}

export interface Enterprise extends BalanceView {
  id: number;
  name: string;
  code: string | null;
  rateGroupId: number;
  billingMode: BillingMode;
  creditLimit: MoneyText;
  lowBalance: MoneyText | null;
  freezeWhenExhausted: boolean;
  /** balance + credit limit: what prepaid calls may still spend. */
  available: MoneyText;
  contact: string;
  phone: string;
  email: string;
  notes: string;
  users: number;
  gateways: number;
  createdAt: IsoTime;
  updatedAt: IsoTime;
}

export interface UserAccount extends BalanceView {
  id: number;
  enterpriseId: number;
  enterpriseName: string;
  name: string;
  code: string | null;
  /** Extensions owned by the user: `{ deviceId, number }`. */
  extensions: { deviceId: number; number: string }[];
  cardNumber: string | null;
  hasPin: boolean;
  /** Own rate group, else the enterprise's. */
  rateGroupId: number | null;
  creditLimit: MoneyText;
  lowBalance: MoneyText | null;
  /** Own prepaid balance only: the account freezes itself when the balance is exhausted. */
  freezeWhenExhausted: boolean;
  notes: string;
  createdAt: IsoTime;
  updatedAt: IsoTime;
}

export interface GatewayAccount extends BalanceView {
  id: number;
  enterpriseId: number;
  enterpriseName: string;
  name: string;
  deviceId: number;
  trunk: string;
  rateGroupId: number | null;
  creditLimit: MoneyText;
  lowBalance: MoneyText | null;
  /** Own prepaid balance only: the account freezes itself when the balance is exhausted. */
  freezeWhenExhausted: boolean;
  notes: string;
  createdAt: IsoTime;
  updatedAt: IsoTime;
}

export interface LedgerEntry {
  id: number;
  accountId: number;
  accountName: string;
  accountKind: AccountKind;
  enterpriseId: number;
  at: IsoTime;
  kind: LedgerKind;
  amount: MoneyText;
  balanceAfter: MoneyText;
  cdrId: number | null;
  chargedAccountId: number | null;
  operator: string;
  reason: string;
  method: string | null;
  reference: string | null;
}

export interface Extension {
  id: number;
  deviceId: number;
  number: string;
  name: string;
  userAccountId: number | null;
  userAccountName: string | null;
  createdAt: IsoTime;
  updatedAt: IsoTime;
}

/** A caller number seen in a device's CDRs that looks like an extension (the device's pattern) but is not configured. */
export interface UnknownExtension {
  deviceId: number;
  number: string;
  /** Calls from the number (outgoing and internal) since it was first seen. */
  calls: number;
  firstSeen: IsoTime;
  lastSeen: IsoTime;
}

export interface UnknownExtensionList {
  rows: UnknownExtension[];
  /** All matches (rows holds the first `limit`, latest seen first). */
  total: number;
  /** The pattern callers were matched with: the device's extension pattern, or a default of 2 to 6 digits. */
  pattern: string;
  patternFromDevice: boolean;
}

export interface LedgerCheck {
  ok: boolean;
  accounts: number;
  entries: number;
  /** Accounts whose balance differs from the sum of their entries. */
  balanceMismatches: { accountId: number; balance: MoneyText; sumOfEntries: MoneyText }[];
  /** Rated CDRs without exactly one charge entry. */
  ratedWithoutCharge: number;
  chargesOfUnratedCdrs: number;
  /** Charge + rerate entries of a CDR that do not add up to minus its current cost. */
  costMismatches: number;
  checkedAt: IsoTime;
}

const text = (max: number) => z.string().trim().max(max);
const cardNumber = z.string().trim().regex(/^[0-9A-Za-z]{4,32}$/, '4 to 32 letters or digits');
const pin = z.string().regex(/^\d{4,12}$/, '4 to 12 digits');

const enterpriseFields = {
  name: text(100).min(1),
  code: text(50).nullable().optional(),
  rateGroupId: id,
  billingMode: z.enum(['prepaid', 'postpaid']),
  creditLimit: money.refine((v) => v >= 0, keyed('field.notNegative', 'must not be negative')).default(0),
  lowBalance: money.nullable().optional(),
  freezeWhenExhausted: z.boolean().default(false),
  contact: text(100).default(''),
  phone: text(50)
    .refine((v) => v === '' || isContactPhone(v), {
      message: keyed('field.phone', 'must be a telephone number, e.g. 010-6552 8888, 138 1234 5678 or +44 20 7946 0958 (an extension may follow, e.g. ext. 8001)'),
      params: { key: 'field.phone' },
    })
    .default(''),
  email: text(200)
    .refine((v) => v === '' || z.email().safeParse(v).success, { message: 'must be an e-mail address, e.g. name@example.com', params: { key: 'field.email' } })
    .default(''),
  notes: text(2000).default(''),
};

const memberFields = {
  enterpriseId: id,
  name: text(100).min(1),
  rateGroupId: id.nullable().optional(),
  ownBalance: z.boolean().default(false),
  creditLimit: money.refine((v) => v >= 0, keyed('field.notNegative', 'must not be negative')).default(0),
  lowBalance: money.nullable().optional(),
  freezeWhenExhausted: z.boolean().default(false),
  notes: text(2000).default(''),
};

const userFields = {
  ...memberFields,
  code: text(50).nullable().optional(),
  /** Replaces the user's extensions: each `{ deviceId, number }` (created if unknown, re-assigned if owned by another). */
  extensions: z.array(z.object({ deviceId: id, number: z.string().trim().regex(/^[0-9*#+]{1,20}$/, keyed('field.extensionNumber', 'digits only')) })).max(500).default([]),
  cardNumber: cardNumber.nullable().optional(),
  /** Omit to keep the stored PIN; null to remove it. */
  pin: pin.nullable().optional(),
};

const gatewayFields = {
  ...memberFields,
  deviceId: id,
  trunk: text(100).min(1),
};

// Omitted fields keep their stored value: no defaults on update (zod would apply them even inside optional()).
const partial = <T extends Record<string, z.ZodType>>(fields: T) => z.object(withoutDefaults(fields));

export const enterpriseCreateInput = z.object(enterpriseFields);
export const userAccountCreateInput = z.object(userFields);
export const gatewayCreateInput = z.object(gatewayFields);

const listFilter = {
  q: text(100).optional(),
  status: z.enum(['active', 'frozen']).optional(),
  ...page,
};

const moneyAction = {
  accountId: id,
  reason: actionReason,
};

export const accountMethods = {
  'enterprises.list': method<Page<Enterprise>>()({
    input: z.object({ ...listFilter, billingMode: z.enum(['prepaid', 'postpaid']).optional(), alertState: z.enum(['ok', 'low', 'exhausted']).optional() }),
    access: READ,
    mutation: false,
    summary: 'Enterprise accounts with balance, mode, status and rate group; search by name or code.',
    returns: '{ rows: Enterprise[], nextCursor? }',
  }),
  'enterprises.get': method<Enterprise>()({
    input: z.object({ id }),
    access: READ_OWN,
    mutation: false,
    summary: 'One enterprise account.',
    returns: 'Enterprise',
  }),
  'enterprises.create': method<Enterprise>()({
    input: enterpriseCreateInput,
    access: WRITE,
    mutation: true,
    summary: 'Add an enterprise with its rate group and billing mode (prepaid or postpaid). The balance starts at 0.',
    returns: 'Enterprise',
  }),
  'enterprises.update': method<Enterprise>()({
    input: partial(enterpriseFields).extend({ id }),
    access: WRITE,
    mutation: true,
    summary: 'Change an enterprise; omitted fields keep their value. The balance changes only through the ledger.',
    returns: 'Enterprise',
  }),
  'userAccounts.list': method<Page<UserAccount>>()({
    input: z.object({ ...listFilter, enterpriseId: id.optional() }),
    access: READ_OWN,
    mutation: false,
    summary: 'User accounts, optionally of one enterprise; search by name, code, card number or extension.',
    returns: '{ rows: UserAccount[], nextCursor? }',
  }),
  'userAccounts.get': method<UserAccount>()({
    input: z.object({ id }),
    access: READ_OWN,
    mutation: false,
    summary: 'One user account.',
    returns: 'UserAccount',
  }),
  'userAccounts.create': method<UserAccount>()({
    input: userAccountCreateInput,
    access: WRITE,
    mutation: true,
    async: true,
    summary: 'Add a user account to an enterprise: extensions, optional card number + PIN, shared or own balance.',
    returns: 'UserAccount',
  }),
  'userAccounts.update': method<UserAccount>()({
    input: partial(userFields).extend({ id }),
    access: WRITE,
    mutation: true,
    async: true,
    summary: 'Change a user account; omitted fields keep their value (an omitted PIN keeps the stored one).',
    returns: 'UserAccount',
  }),
  'gateways.list': method<Page<GatewayAccount>>()({
    input: z.object({ ...listFilter, enterpriseId: id.optional(), deviceId: id.optional() }),
    access: READ_OWN,
    mutation: false,
    summary: 'Gateway accounts (one per device trunk).',
    returns: '{ rows: GatewayAccount[], nextCursor? }',
  }),
  'gateways.get': method<GatewayAccount>()({
    input: z.object({ id }),
    access: READ_OWN,
    mutation: false,
    summary: 'One gateway account.',
    returns: 'GatewayAccount',
  }),
  'gateways.create': method<GatewayAccount>()({
    input: gatewayCreateInput,
    access: WRITE,
    mutation: true,
    summary: 'Add a gateway account bound to a device trunk: calls through that trunk are charged to it.',
    returns: 'GatewayAccount',
  }),
  'gateways.update': method<GatewayAccount>()({
    input: partial(gatewayFields).extend({ id }),
    access: WRITE,
    mutation: true,
    summary: 'Change a gateway account.',
    returns: 'GatewayAccount',
  }),
  'accounts.recharge': method<LedgerEntry>()({
    input: z.object({ ...moneyAction, amount: positiveMoney, method: text(50).optional(), reference: text(100).optional() }),
    access: WRITE,
    mutation: true,
    summary: 'Add money to an account that holds its own balance (a recharge entry); unfreezes nothing by itself.',
    returns: 'LedgerEntry',
  }),
  'accounts.refund': method<LedgerEntry>()({
    input: z.object({ ...moneyAction, amount: positiveMoney, method: text(50).optional(), reference: text(100).optional() }),
    access: WRITE,
    mutation: true,
    summary: 'Pay money back to the customer (a refund entry of -amount).',
    returns: 'LedgerEntry',
  }),
  'accounts.adjust': method<LedgerEntry>()({
    input: z.object({ ...moneyAction, amount: rechargeMoney.refine((v) => v !== 0, keyed('field.notZero', 'must not be 0')) }),
    access: WRITE,
    mutation: true,
    summary: 'Correct a balance by a signed amount (an adjustment entry), with the reason.',
    returns: 'LedgerEntry',
  }),
  'accounts.freeze': method<LedgerEntry>()({
    input: z.object(moneyAction),
    access: WRITE,
    mutation: true,
    summary: 'Freeze an account: its calls are still recorded, rated and charged; the authorization endpoint refuses them.',
    returns: 'LedgerEntry',
  }),
  'accounts.unfreeze': method<LedgerEntry>()({
    input: z.object(moneyAction),
    access: WRITE,
    mutation: true,
    summary: 'Unfreeze an account.',
    returns: 'LedgerEntry',
  }),
  'accounts.ledger': method<Page<LedgerEntry>>()({
    input: z.object({
      accountId: id,
      from: instant.optional(),
      to: instant.optional(),
      kinds: z.array(z.enum(['charge', 'recharge', 'refund', 'adjustment', 'rerate', 'freeze', 'unfreeze'])).optional(),
      ...page,
    }),
    access: READ,
    mutation: false,
    summary: "An account's ledger entries, latest first (a user or gateway without own balance: the entries of its calls).",
    returns: '{ rows: LedgerEntry[], nextCursor? }',
  }),
  'accounts.verify': method<LedgerCheck>()({
    input: z.object({}),
    access: READ,
    mutation: false,
    summary: 'Ledger check: every balance equals the sum of its entries; every rated CDR has exactly one charge entry.',
    returns: 'LedgerCheck',
  }),
  'recharges.list': method<Page<LedgerEntry>>()({
    input: z.object({
      from: instant.optional(),
      to: instant.optional(),
      accountId: id.optional(),
      enterpriseId: id.optional(),
      kinds: z.array(z.enum(['recharge', 'refund', 'adjustment'])).optional(),
      operator: text(64).optional(),
      ...page,
    }),
    access: READ_OWN,
    mutation: false,
    summary: 'Recharges, refunds and adjustments of all accounts, latest first, with operator and reason.',
    returns: '{ rows: LedgerEntry[], nextCursor? }',
  }),
  'extensions.list': method<Page<Extension>>()({
    input: z.object({ deviceId: id.optional(), userAccountId: id.optional(), q: text(50).optional(), unassigned: z.boolean().optional(), ...page }),
    access: READ,
    mutation: false,
    summary: 'Extensions per device with their owner.',
    returns: '{ rows: Extension[], nextCursor? }',
  }),
  'extensions.create': method<Extension>()({
    input: z.object({ deviceId: id, number: z.string().trim().regex(/^[0-9*#+]{1,20}$/, keyed('field.extensionNumber', 'digits only')), name: text(100).default(''), userAccountId: id.nullable().optional() }),
    access: WRITE,
    mutation: true,
    summary: 'Add an extension to a device, optionally owned by a user account.',
    returns: 'Extension',
  }),
  'extensions.update': method<Extension>()({
    input: z.object({ id, name: text(100).optional(), userAccountId: id.nullable().optional() }),
    access: WRITE,
    mutation: true,
    summary: "Rename an extension or change its owner.",
    returns: 'Extension',
  }),
  'extensions.delete': method<{ ok: true }>()({
    input: z.object({ id }),
    access: WRITE,
    mutation: true,
    summary: 'Remove an extension (its past CDRs keep their accounts).',
    returns: '{ ok: true }',
  }),
  'extensions.unknown': method<UnknownExtensionList>()({
    input: z.object({
      deviceId: id,
      /** Numbers starting with this. */
      q: z.string().trim().regex(/^[0-9*#+]{0,20}$/, keyed('field.extensionNumber', 'digits only')).optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    access: READ,
    mutation: false,
    summary:
      "Caller numbers in a device's CDRs that match its extension pattern but no configured extension, with call counts " +
      'and when they were last seen: adopt one with extensions.create (optionally owned by a user).',
    returns: '{ rows: [{ deviceId, number, calls, firstSeen, lastSeen }], total, pattern, patternFromDevice }',
  }),
} as const;

/** Ledger entries the engine itself writes (operator `system`) and their reasons, as stored. */
export const SYSTEM_OPERATOR = 'system';
export const SYSTEM_LEDGER_REASONS = {
  exhausted: 'prepaid balance exhausted',
  restored: 'balance restored after being exhausted',
} as const;
