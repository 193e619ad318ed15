import type { z } from 'zod';
import type { enterpriseCreateInput } from '../../src-shared/api/accounts';
import { ApiError, fieldDetails, noSuch, takenField } from '../../src-shared/api/errors';
import type { DomainHandlers } from '../api/call-context';
import type { Services } from '../services';
import { likePrefix } from '../db/paging';

type EnterpriseInput = z.output<typeof enterpriseCreateInput>;

/** Field errors for references the schema cannot check. */
export function checkRateGroup(s: Services, rateGroupId: number | null | undefined, field = 'rateGroupId'): void {
  if (rateGroupId === null || rateGroupId === undefined) return;
  if (!s.db.prepare('SELECT 1 FROM rate_groups WHERE id = ?').get(rateGroupId)) {
    throw ApiError.keyed('invalid_input', 'api.notFound', `There is no rate group ${rateGroupId}.`, { thing: 'rateGroup', id: rateGroupId }, fieldDetails({ [field]: noSuch('rateGroup') }));
  }
}

export function enterpriseHandlers(s: Services): Pick<
  DomainHandlers<'enterprises'>,
  'enterprises.list' | 'enterprises.get' | 'enterprises.create' | 'enterprises.update'
> {
  const repo = s.accountRepo;
  const write = (e: EnterpriseInput, id?: number): number => {
    checkRateGroup(s, e.rateGroupId);
    const taken = s.db
      .prepare("SELECT id FROM accounts WHERE kind = 'enterprise' AND name = ? COLLATE NOCASE AND id IS NOT ?")
      .get(e.name, id ?? null);
    if (taken) throw ApiError.keyed('conflict', 'api.enterpriseNameTaken', `An enterprise named "${e.name}" exists.`, { name: e.name }, fieldDetails({ name: takenField() }));
    const values = [
      e.name,
      e.code ?? null,
      e.rateGroupId,
      e.billingMode,
      e.creditLimit,
      e.lowBalance ?? null,
      e.freezeWhenExhausted ? 1 : 0,
      e.contact,
      e.phone,
      e.email,
      e.notes,
      s.now(),
    ];
    if (id !== undefined) {
      s.db
        .prepare(
          `UPDATE accounts SET name = ?, code = ?, rate_group_id = ?, billing_mode = ?, credit_limit = ?, low_balance = ?,
             freeze_when_exhausted = ?, contact = ?, phone = ?, email = ?, notes = ?, updated_at = ? WHERE id = ?`,
        )
        .run(...values, id);
      return id;
    }
    return Number(
      s.db
        .prepare(
          `INSERT INTO accounts (name, code, rate_group_id, billing_mode, credit_limit, low_balance, freeze_when_exhausted,
             contact, phone, email, notes, updated_at, kind, own_balance, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'enterprise', 1, ?)`,
        )
        .run(...values, s.now()).lastInsertRowid,
    );
  };

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
    'enterprises.create': (input, ctx) => {
      const id = write(input);
      // A new prepaid account starts at 0, which may already be below its low-balance threshold.
      const announce = s.balanceAlerts.evaluate([id], s.now());
      const after = repo.enterprise(repo.row(id));
      ctx.audit({ target: `enterprise:${id}`, after });
      ctx.afterCommit(() => {
        announce.forEach((a) => a());
        s.events.emit('data.changed', { domain: 'accounts', ids: [id] });
      });
      return after;
    },
    'enterprises.update': (input, ctx) => {
      const row = repo.row(input.id, 'enterprise');
      const before = repo.enterprise(row);
      const { id, ...patch } = input;
      const merged: EnterpriseInput = {
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
      write(merged, id);
      // A new mode, limit or threshold can change the alert state (and an automatic freeze) at once.
      const announce = s.balanceAlerts.evaluate([id], s.now());
      const after = repo.enterprise(repo.row(id));
      ctx.audit({ target: `enterprise:${id}`, before, after });
      ctx.afterCommit(() => {
        announce.forEach((a) => a());
        s.events.emit('data.changed', { domain: 'accounts', ids: [id] });
      });
      return after;
    },
  };
}
