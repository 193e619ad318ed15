import type { LedgerKind } from '../../src-shared/api/accounts';
import { ApiError, fieldDetails } from '../../src-shared/api/errors';
import { formatMoney, MAX_BALANCE, withinMoneyBound } from '../../src-shared/domain/money';
import type { DomainHandlers, CallContext } from '../api/call-context';
import { decodeCursor, encodeCursor } from '../db/paging';
import type { Services } from '../services';
import type { LedgerRow } from './ledger';
import { problem } from '../../src-shared/api/messages';

type MoneyMethods = 'accounts.recharge' | 'accounts.refund' | 'accounts.adjust' | 'accounts.freeze' | 'accounts.unfreeze';

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

export function moneyHandlers(s: Services): DomainHandlers<'accounts'> & Pick<DomainHandlers<'recharges'>, 'recharges.list'> {
  const repo = s.accountRepo;

  /** Posts one operator entry and re-evaluates alerts, in the mutation's transaction. */
  const postByOperator = (
    ctx: CallContext,
    accountId: number,
    kind: LedgerKind,
    amount: number,
    fields: { reason: string; method?: string; reference?: string },
  ) => {
    const t = s.now();
    // Operator entries keep the balance within ±MAX_BALANCE (docs/api.md, "Money and its bounds"); charges are never
    // refused for it (a CDR is not lost over a bound no real account reaches).
    const balance = repo.row(accountId).balance + amount;
    if (!withinMoneyBound(balance, MAX_BALANCE)) {
      const bound = formatMoney(MAX_BALANCE);
      const message = `would leave a balance of ${formatMoney(balance)}, beyond the largest balance (±${bound})`;
      const params = { balance: formatMoney(balance), max: bound };
      throw ApiError.keyed('invalid_input', 'api.invalidField', `amount ${message}`, { field: 'amount' }, fieldDetails({ amount: problem('field.balanceBeyond', message, params) }));
    }
    const row = s.ledger.post({
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
    const announce = s.balanceAlerts.evaluate([accountId], t);
    const entry = repo.entries([row])[0]!;
    ctx.audit({ target: `account:${accountId}`, entry });
    ctx.afterCommit(() => {
      announce.forEach((a) => a());
      s.events.emit('data.changed', { domain: 'accounts', ids: [accountId] });
    });
    return entry;
  };

  const setStatus = (ctx: CallContext, accountId: number, status: 'active' | 'frozen', reason: string) => {
    const a = repo.row(accountId);
    if (a.status === status) {
      throw ApiError.keyed('conflict', status === 'frozen' ? 'api.alreadyFrozen' : 'api.alreadyActive', `${a.name} is already ${status === 'frozen' ? 'frozen' : 'active'}.`, { name: a.name });
    }
    s.db.prepare('UPDATE accounts SET status = ?, updated_at = ? WHERE id = ?').run(status, s.now(), accountId);
    return postByOperator(ctx, accountId, status === 'frozen' ? 'freeze' : 'unfreeze', 0, { reason });
  };

  const moneyMethods: Pick<DomainHandlers<'accounts'>, MoneyMethods> = {
    'accounts.recharge': (i, ctx) => postByOperator(ctx, repo.balanceHolder(i.accountId).id, 'recharge', i.amount, i),
    'accounts.refund': (i, ctx) => postByOperator(ctx, repo.balanceHolder(i.accountId).id, 'refund', -i.amount, i),
    'accounts.adjust': (i, ctx) => postByOperator(ctx, repo.balanceHolder(i.accountId).id, 'adjustment', i.amount, i),
    'accounts.freeze': (i, ctx) => setStatus(ctx, i.accountId, 'frozen', i.reason),
    'accounts.unfreeze': (i, ctx) => setStatus(ctx, i.accountId, 'active', i.reason),
  };

  /** Latest-first keyset page of ledger rows (by id: entries are appended in time order). */
  const ledgerPage = (where: string[], params: unknown[], limit: number, cursor?: string) => {
    if (cursor) where.push('l.id < ?'), params.push(decodeCursor(cursor, 1)[0]);
    const rows = s.db
      .prepare(`SELECT l.* FROM ledger l ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.id DESC LIMIT ?`)
      .all(...params, limit + 1) as LedgerRow[];
    const kept = rows.slice(0, limit);
    return {
      rows: repo.entries(kept),
      ...(rows.length > limit ? { nextCursor: encodeCursor([kept.at(-1)!.id]) } : {}),
    };
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
      return ledgerPage(where, params, q.limit, q.cursor);
    },
    'accounts.verify': () => s.ledger.verify(s.now()),
    'recharges.list': (q) => {
      const { where, params } = rechargeListWhere(q);
      return ledgerPage(where, params, q.limit, q.cursor);
    },
  };
}
