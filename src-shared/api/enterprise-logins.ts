/**
 * The enterprise's own login (DESIGN §4 roles): a system account of role `enterprise` bound to one enterprise, which
 * a clerk creates and resets from the enterprise page, and the enterprise's dashboard that login starts on.
 */
import { z } from 'zod';
import { method, READ, READ_OWN, WRITE } from './contract';
import { id, timeZone, type IsoTime } from './common';
import type { Enterprise } from './accounts';
import type { DashboardAccountAlert, StatsByType, StatsFigures } from './statistics';
import { newPassword, username } from './auth';

export interface EnterpriseLogin {
  id: number;
  username: string;
  enterpriseId: number;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: IsoTime;
  lastLoginAt?: IsoTime;
}

export interface EnterpriseLoginView {
  enterpriseId: number;
  /** Null while the enterprise has no login. */
  login: EnterpriseLogin | null;
}

export interface EnterpriseLoginPassword {
  login: EnterpriseLogin;
  /** The password to hand over, shown once: the one given, or a generated one. It must be changed at first login. */
  password: string;
}

export interface EnterpriseDashboard {
  at: IsoTime;
  timeZone: string;
  /** The enterprise with its balance, available amount and status. */
  enterprise: Enterprise;
  today: { date: string; total: StatsFigures };
  month: { month: string; byType: StatsByType; total: StatsFigures };
  /** The enterprise's accounts holding a balance that is low or exhausted, or that are frozen. */
  alerts: DashboardAccountAlert[];
}

export const enterpriseLoginMethods = {
  'enterprises.login': method<EnterpriseLoginView>()({
    input: z.object({ id }),
    access: READ,
    mutation: false,
    summary: "The enterprise's own login (user name, disabled, last login), or null when it has none.",
    returns: '{ enterpriseId, login: { id, username, enterpriseId, disabled, mustChangePassword, createdAt, lastLoginAt? } | null }',
  }),
  'enterprises.createLogin': method<EnterpriseLoginPassword>()({
    input: z.object({ id, username, password: newPassword.optional() }),
    access: WRITE,
    mutation: true,
    async: true,
    summary:
      'Create the login of an enterprise (role enterprise, one per enterprise): it sees only its own dashboard, CDRs, ' +
      'statistics, bills and recharges. Without `password` one is generated; either must be changed at first login.',
    returns: '{ login, password }',
  }),
  'enterprises.resetLoginPassword': method<EnterpriseLoginPassword>()({
    input: z.object({ id, password: newPassword.optional() }),
    access: WRITE,
    mutation: true,
    async: true,
    summary: "Reset the enterprise login's password (generated without `password`); its sessions end, and it must change it at next login.",
    returns: '{ login, password }',
  }),
  'enterprises.disableLogin': method<EnterpriseLogin>()({
    input: z.object({ id, disabled: z.boolean().default(true) }),
    access: WRITE,
    mutation: true,
    summary: "Disable (or re-enable) the enterprise's login; its sessions end at once.",
    returns: 'EnterpriseLogin',
  }),
  'enterprises.dashboard': method<EnterpriseDashboard>()({
    input: z.object({ enterpriseId: id.optional(), timeZone: timeZone.optional() }),
    access: READ_OWN,
    mutation: false,
    summary:
      "One enterprise's dashboard: balance and status, today's and this month's calls and amount (by call type), and " +
      'its accounts with a low or exhausted balance or frozen. The enterprise role gets its own (enterpriseId may be omitted).',
    returns: '{ at, timeZone, enterprise, today, month, alerts }',
  }),
} as const;
