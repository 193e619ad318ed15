import type { z } from 'zod';
import type { Enterprise, enterpriseCreateInput } from '../../src-shared/api/accounts';
import { ApiError, fieldDetails, takenField } from '../../src-shared/api/errors';
import type { CallContext, DomainHandlers } from '../api/call-context';
import { likePrefix } from '../db/paging';
import type { EventBus } from '../events';
import type { BalanceAlerts } from './alerts';
import { checkRateGroup } from './references';
import type { AccountRepository, AccountWithEnterprise } from './repository';

type EnterpriseInput = z.output<typeof enterpriseCreateInput>;

/** What the enterprise handlers use. */
export interface EnterpriseHandlerDeps {
  accountRepo: AccountRepository;
  balanceAlerts: BalanceAlerts;
  events: EventBus;
  now(): number;
}

/** Checks and stores an enterprise form: a new enterprise, or the one with `id`. */
function writeEnterprise(deps: EnterpriseHandlerDeps, e: EnterpriseInput, id?: number): number {
  const repo = deps.accountRepo;
  checkRateGroup(repo, e.rateGroupId);
  if (repo.enterpriseNameTaken(e.name, id)) {
    throw ApiError.keyed('conflict', 'api.enterpriseNameTaken', `An enterprise named "${e.name}" exists.`, { name: e.name }, fieldDetails({ name: takenField() }));
  }
  const columns = {
    name: e.name,
    code: e.code ?? null,
    rate_group_id: e.rateGroupId,
    billing_mode: e.billingMode,
    credit_limit: e.creditLimit,
    low_balance: e.lowBalance ?? null,
    freeze_when_exhausted: e.freezeWhenExhausted ? 1 : 0,
    contact: e.contact,
    phone: e.phone,
    email: e.email,
    notes: e.notes,
    updated_at: deps.now(),
  };
  if (id !== undefined) {
    repo.updateEnterprise(id, columns);
    return id;
  }
  return repo.insertEnterprise(columns, deps.now());
}

/** The stored enterprise with the fields an update gives (omitted ones keep their value). */
function mergedEnterprise(row: AccountWithEnterprise, patch: Partial<EnterpriseInput>): EnterpriseInput {
  return {
    name: row.name,
    code: row.code,
    rateGroupId: row.rate_group_id!,
    billingMode: row.billing_mode,
    creditLimit: row.credit_limit,
    lowBalance: row.low_balance,
    freezeWhenExhausted: row.freeze_when_exhausted === 1,
    contact: row.contact,
    phone: row.phone,
    email: row.email,
    notes: row.notes,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
  };
}

/**
 * Re-evaluates the enterprise's alert state after a write, audits it and announces it after commit: a new prepaid
 * account starts at 0, which may already be below its low-balance threshold, and a new mode, limit or threshold can
 * change the alert state (and an automatic freeze) at once.
 */
function afterWrite(deps: EnterpriseHandlerDeps, ctx: CallContext, id: number, before?: Enterprise): Enterprise {
  const announce = deps.balanceAlerts.evaluate([id], deps.now());
  const after = deps.accountRepo.enterprise(deps.accountRepo.row(id));
  ctx.audit({ target: `enterprise:${id}`, ...(before ? { before } : {}), after });
  ctx.afterCommit(() => {
    announce.forEach((a) => a());
    deps.events.emit('data.changed', { domain: 'accounts', ids: [id] });
  });
  return after;
}

export function enterpriseHandlers(deps: EnterpriseHandlerDeps): Pick<
  DomainHandlers<'enterprises'>,
  'enterprises.list' | 'enterprises.get' | 'enterprises.create' | 'enterprises.update'
> {
  const repo = deps.accountRepo;
  return {
    'enterprises.list': (q) => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (q.q) where.push("(a.name LIKE ? ESCAPE '\\' OR a.code LIKE ? ESCAPE '\\')"), params.push(`%${likePrefix(q.q)}`, likePrefix(q.q));
      if (q.status) where.push('a.status = ?'), params.push(q.status);
      if (q.billingMode) where.push('a.billing_mode = ?'), params.push(q.billingMode);
      if (q.alertState) where.push('a.alert_state = ?'), params.push(q.alertState);
      const { rows, more } = repo.page('enterprise', where, params, q.limit, q.cursor ? Number(q.cursor) : undefined);
      return { rows: rows.map((r) => repo.enterprise(r)), ...(more ? { nextCursor: String(rows.at(-1)!.id) } : {}) };
    },
    'enterprises.get': ({ id }) => repo.enterprise(repo.row(id, 'enterprise')),
    'enterprises.create': (input, ctx) => afterWrite(deps, ctx, writeEnterprise(deps, input)),
    'enterprises.update': (input, ctx) => {
      const row = repo.row(input.id, 'enterprise');
      const before = repo.enterprise(row);
      const { id, ...patch } = input;
      writeEnterprise(deps, mergedEnterprise(row, patch), id);
      return afterWrite(deps, ctx, id, before);
    },
  };
}
