import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const systemAccounts = sqliteTable('system_accounts', {
  id: integer('id').primaryKey(),
  username: text('username').notNull(),
  displayName: text('display_name').notNull().default(''),
  role: text('role', { enum: ['admin', 'clerk', 'auditor', 'enterprise'] }).notNull(),
  passwordHash: text('password_hash').notNull(),
  mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
  disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  enterpriseId: integer('enterprise_id'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  lastLoginAt: integer('last_login_at'),
});

export const sessions = sqliteTable('sessions', {
  id: integer('id').primaryKey(),
  tokenHash: text('token_hash').notNull(),
  accountId: integer('account_id').notNull(),
  createdAt: integer('created_at').notNull(),
  lastSeenAt: integer('last_seen_at').notNull(),
  idleExpiresAt: integer('idle_expires_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  endedAt: integer('ended_at'),
  endReason: text('end_reason'),
  address: text('address').notNull(),
  userAgent: text('user_agent'),
});

export const loginLog = sqliteTable('login_log', {
  id: integer('id').primaryKey(),
  at: integer('at').notNull(),
  username: text('username').notNull(),
  accountId: integer('account_id'),
  ok: integer('ok', { mode: 'boolean' }).notNull(),
  reason: text('reason').notNull(),
  address: text('address').notNull(),
  userAgent: text('user_agent'),
});

export const operationLog = sqliteTable('operation_log', {
  id: integer('id').primaryKey(),
  at: integer('at').notNull(),
  accountId: integer('account_id'),
  username: text('username').notNull(),
  method: text('method').notNull(),
  target: text('target'),
  summary: text('summary'),
  address: text('address').notNull(),
  // 0014: who and what, as the UI names them at the time of the change; changes as JSON [{ field, before, after }]
  actorName: text('actor_name'),
  targetKind: text('target_kind'),
  targetId: text('target_id'),
  targetName: text('target_name'),
  changes: text('changes'),
});

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
