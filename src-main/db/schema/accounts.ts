import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const accounts = sqliteTable('accounts', {
  id: integer('id').primaryKey(),
  kind: text('kind', { enum: ['enterprise', 'user', 'gateway'] }).notNull(),
  enterpriseId: integer('enterprise_id'),
  name: text('name').notNull(),
  code: text('code'),
  rateGroupId: integer('rate_group_id'),
  billingMode: text('billing_mode', { enum: ['prepaid', 'postpaid'] }).notNull(),
  ownBalance: integer('own_balance', { mode: 'boolean' }).notNull(),
  creditLimit: integer('credit_limit').notNull(),
  lowBalance: integer('low_balance'),
  freezeWhenExhausted: integer('freeze_when_exhausted', { mode: 'boolean' }).notNull(),
  status: text('status', { enum: ['active', 'frozen'] }).notNull(),
  balance: integer('balance').notNull(),
  alertState: text('alert_state', { enum: ['ok', 'low', 'exhausted'] }).notNull(),
  contact: text('contact').notNull(),
  phone: text('phone').notNull(),
  email: text('email').notNull(),
  notes: text('notes').notNull(),
  cardNumber: text('card_number'),
  pinHash: text('pin_hash'),
  deviceId: integer('device_id'),
  trunk: text('trunk'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const extensions = sqliteTable('extensions', {
  id: integer('id').primaryKey(),
  deviceId: integer('device_id').notNull(),
  number: text('number').notNull(),
  name: text('name').notNull(),
  userAccountId: integer('user_account_id'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const ledger = sqliteTable('ledger', {
  id: integer('id').primaryKey(),
  accountId: integer('account_id').notNull(),
  at: integer('at').notNull(),
  kind: text('kind', { enum: ['charge', 'recharge', 'refund', 'adjustment', 'rerate', 'freeze', 'unfreeze'] }).notNull(),
  amount: integer('amount').notNull(),
  balanceAfter: integer('balance_after').notNull(),
  cdrId: integer('cdr_id'),
  chargedAccountId: integer('charged_account_id'),
  operatorId: integer('operator_id'),
  operator: text('operator').notNull(),
  reason: text('reason').notNull(),
  method: text('method'),
  reference: text('reference'),
});
