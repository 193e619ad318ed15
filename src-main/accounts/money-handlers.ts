import type { LedgerKind } from '../../src-shared/api/accounts';
import { ApiError, fieldDetails } from '../../src-shared/api/errors';
import { formatMoney, MAX_BALANCE, withinMoneyBound } from '../../src-shared/domain/money';
import type { DomainHandlers, CallContext } from '../api/call-context';
import { decodeCursor, encodeCursor } from '../db/paging';
import type { EventBus } from '../events';
import { problem } from '../../src-shared/api/messages';
import type { BalanceAlerts } from './alerts';
import type { Ledger } from './ledger';
import type { AccountRepository } from './repository';

type MoneyMethods = 'accounts.recharge' | 'accounts.refund' | 'accounts.adjust' | 'accounts.freeze' | 'accounts.unfreeze';

/** What the money handlers (recharges, refunds, adjustments, freezing, the ledger) use. */
export interface MoneyHandlerDeps {
  accountRepo: AccountRepository;
  ledger: Ledger;
  balanceAlerts: BalanceAlerts;
  events: EventBus;
  now(): number;
}

function timeAndKinds(q: { from?: number; to?: number; kinds?: string[] }, where: string[], params: unknown[]): void {
  if (q.from !== undefined) where.push('l.at >= ?'), params.push(q.from);
  if (q.to !== undefined) where.push('l.at < ?'), params.push(q.to);
  if (q.kinds?.length) where.push(`l.kind IN (${q.kinds.map(() => '?').join(',')})`), params.push(...q.kinds);
}

/** The WHERE clauses of recharges.list (and its export) over the ledger `l`: recharges, refunds and adjustments. */
export function rechargeListWhere(q: { from?: number; to?: number; kinds?: string[]; accountId?: number; enterpriseId?: number; operator?: string }) {
  const where: string[] = [];
  const params: unknown[] = [];
  timeAndKinds({ ...q, kinds: q.kinds?.length ? q.kinds : ['recharge', 'refund', 'adjustment'] }, where, params);
  if (q.accountId) where.push('l.account_id = ?'), params.push(q.accountId);
  if (q.enterpriseId) {
    where.push('l.account_id IN (SELECT id FROM accounts WHERE id = ? OR enterprise_id = ?)'), params.push(q.enterpriseId, q.enterpriseId);
  }
  if (q.operator) where.push('l.operator = ? COLLATE NOCASE'), params.push(q.operator);
  return { where, params };
}

/**
 * Operator entries keep the balance within ±MAX_BALANCE (docs/api.md, "Money and its bounds"); charges are never
 * refused for it (a CDR is not lost over a bound no real account reaches).
 */
function checkBalanceBound(balance: number): void {
  if (withinMoneyBound(balance, MAX_BALANCE)) return;
  const bound = formatMoney(MAX_BALANCE);
  const message = `would leave a balance of ${formatMoney(balance)}, beyond the largest balance (±${bound})`;
  const params = { balance: formatMoney(balance), max: bound };
  throw ApiError.keyed('invalid_input', 'api.invalidField', `amount ${message}`, { field: 'amount' }, fieldDetails({ amount: problem('field.balanceBeyond', message, params) }));
}

/** Posts one operator entry and re-evaluates alerts, in the mutation's transaction. */
function postByOperator(
  deps: MoneyHandlerDeps,
  ctx: CallContext,
  accountId: number,
  kind: LedgerKind,
  amount: number,
  fields: { reason: string; method?: string; reference?: string },
) {
  const t = deps.now();
  checkBalanceBound(deps.accountRepo.row(accountId).balance + amount);
  const row = deps.ledger.post({
    accountId,
    kind,
    amount,
    operatorId: ctx.user!.id,
    operator: ctx.user!.username,
    reason: fields.reason,
    method: fields.method ?? null,
    reference: fields.reference ?? null,
    at: t,
  });
  const announce = deps.balanceAlerts.evaluate([accountId], t);
  const entry = deps.accountRepo.entries([row])[0]!;
  ctx.audit({ target: `account:${accountId}`, entry });
  ctx.afterCommit(() => {
    announce.forEach((a) => a());
    deps.events.emit('data.changed', { domain: 'accounts', ids: [accountId] });
  });
  return entry;
}

/** Freezes or unfreezes by hand, with its ledger entry. */
function setStatus(deps: MoneyHandlerDeps, ctx: CallContext, accountId: number, status: 'active' | 'frozen', reason: string) {
  const a = deps.accountRepo.row(accountId);
  if (a.status === status) {
    throw ApiError.keyed('conflict', status === 'frozen' ? 'api.alreadyFrozen' : 'api.alreadyActive', `${a.name} is already ${status === 'frozen' ? 'frozen' : 'active'}.`, { name: a.name });
  }
  deps.accountRepo.setStatus(accountId, status, deps.now());
  return postByOperator(deps, ctx, accountId, status === 'frozen' ? 'freeze' : 'unfreeze', 0, { reason });
}

/** Latest-first keyset page of ledger entries. */
function ledgerPage(repo: AccountRepository, where: string[], params: unknown[], limit: number, cursor?: string) {
  const { rows, more } = repo.ledgerPage(where, params, limit, cursor ? decodeCursor(cursor, 1)[0] : undefined);
  return {
    rows: repo.entries(rows),
    ...(more ? { nextCursor: encodeCursor([rows.at(-1)!.id]) } : {}),
  };
}

export function moneyHandlers(deps: MoneyHandlerDeps): DomainHandlers<'accounts'> & Pick<DomainHandlers<'recharges'>, 'recharges.list'> {
  const repo = deps.accountRepo;
  const moneyMethods: Pick<DomainHandlers<'accounts'>, MoneyMethods> = {
    'accounts.recharge': (i, ctx) => postByOperator(deps, ctx, repo.balanceHolder(i.accountId).id, 'recharge', i.amount, i),
    'accounts.refund': (i, ctx) => postByOperator(deps, ctx, repo.balanceHolder(i.accountId).id, 'refund', -i.amount, i),
    'accounts.adjust': (i, ctx) => postByOperator(deps, ctx, repo.balanceHolder(i.accountId).id, 'adjustment', i.amount, i),
    'accounts.freeze': (i, ctx) => setStatus(deps, ctx, i.accountId, 'frozen', i.reason),
    'accounts.unfreeze': (i, ctx) => setStatus(deps, ctx, i.accountId, 'active', i.reason),
  };

  return {
    ...moneyMethods,
    'accounts.ledger': (q) => {
      const a = repo.row(q.accountId);
      const where: string[] = [];
      const params: unknown[] = [];
      if (a.own_balance) where.push('l.account_id = ?'), params.push(a.id);
      // A member drawing on its enterprise: the entries of its calls, and its own freeze/unfreeze entries.
      else where.push('(l.charged_account_id = ? OR l.account_id = ?)'), params.push(a.id, a.id);
      timeAndKinds(q, where, params);
      return ledgerPage(repo, where, params, q.limit, q.cursor);
    },
    'accounts.verify': () => deps.ledger.verify(deps.now()),
    'recharges.list': (q) => {
      const { where, params } = rechargeListWhere(q);
      return ledgerPage(repo, where, params, q.limit, q.cursor);
    },
  };
}
