import type { z } from 'zod';
import type { gatewayCreateInput, userAccountCreateInput } from '../../src-shared/api/accounts';
import { ApiError, fieldDetails, noSuch, takenField } from '../../src-shared/api/errors';
import { formatMoney } from '../../src-shared/domain/money';
import type { Handlers } from '../api/call-context';
import { hashPassword } from '../auth/passwords';
import { likePrefix } from '../db/paging';
import type { Services } from '../services';
import { checkRateGroup } from './enterprise-handlers';
import type { AccountWithEnterprise } from './repository';
import { problem } from '../../src-shared/api/messages';

type UserInput = z.output<typeof userAccountCreateInput>;
type GatewayInput = z.output<typeof gatewayCreateInput>;
type MemberKind = 'user' | 'gateway';

/** The parts of a user or gateway account stored the same way. */
interface MemberValues {
  enterpriseId: number;
  name: string;
  rateGroupId?: number | null;
  ownBalance: boolean;
  creditLimit: number;
  lowBalance?: number | null;
  freezeWhenExhausted: boolean;
  notes: string;
}

type MemberMethods =
  | 'userAccounts.list'
  | 'userAccounts.get'
  | 'userAccounts.create'
  | 'userAccounts.update'
  | 'gateways.list'
  | 'gateways.get'
  | 'gateways.create'
  | 'gateways.update';

/** The WHERE clauses of userAccounts.list / gateways.list (and their exports) for a filter. */
export function memberListWhere(q: { q?: string; status?: string; enterpriseId?: number; deviceId?: number }, kind: MemberKind) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.enterpriseId) where.push('a.enterprise_id = ?'), params.push(q.enterpriseId);
  if (q.status) where.push('a.status = ?'), params.push(q.status);
  if (q.deviceId) where.push('a.device_id = ?'), params.push(q.deviceId);
  if (q.q) {
    const contains = `%${likePrefix(q.q)}`;
    const ext = kind === 'user' ? " OR EXISTS (SELECT 1 FROM extensions x WHERE x.user_account_id = a.id AND x.number LIKE ? ESCAPE '\\')" : '';
    where.push(`(a.name LIKE ? ESCAPE '\\' OR a.code LIKE ? ESCAPE '\\' OR a.card_number LIKE ? ESCAPE '\\' OR a.trunk LIKE ? ESCAPE '\\'${ext})`);
    params.push(contains, likePrefix(q.q), likePrefix(q.q), contains, ...(ext ? [likePrefix(q.q)] : []));
  }
  return { where, params };
}

export function memberHandlers(s: Services): Handlers<MemberMethods> {
  const repo = s.accountRepo;

  const checkEnterprise = (id: number) => {
    const e = s.db.prepare("SELECT id FROM accounts WHERE id = ? AND kind = 'enterprise'").get(id);
    if (!e) throw ApiError.keyed('invalid_input', 'api.notFound', `There is no enterprise ${id}.`, { thing: 'enterprise', id }, fieldDetails({ enterpriseId: noSuch('enterprise') }));
  };
  const checkName = (kind: MemberKind, m: MemberValues, id?: number) => {
    const taken = s.db
      .prepare('SELECT id FROM accounts WHERE kind = ? AND enterprise_id = ? AND name = ? COLLATE NOCASE AND id IS NOT ?')
      .get(kind, m.enterpriseId, m.name, id ?? null);
    if (taken) throw ApiError.keyed('conflict', 'api.memberNameTaken', `"${m.name}" exists in this enterprise.`, { name: m.name }, fieldDetails({ name: takenField() }));
  };
  const checkBalanceSwitch = (row: AccountWithEnterprise, ownBalance: boolean, enterpriseId: number) => {
    // Switching where calls draw money from would strand the account's own balance: it must be 0 first.
    if (row.own_balance === 1 && !ownBalance && row.balance !== 0) {
      throw ApiError.keyed(
        'conflict',
        'api.ownBalanceNotZero',
        `${row.name} still holds ${formatMoney(row.balance)} on its own balance; refund or adjust it to 0 first.`,
        { name: row.name, amount: formatMoney(row.balance) },
        fieldDetails({ ownBalance: problem('field.ownBalanceNotZero', 'own balance is not 0') }),
      );
    }
    // Its own balance is money of its enterprise's books (statements): moving it to another enterprise without a
    // ledger entry would take the money out of one enterprise's statements and into another's.
    if (row.own_balance === 1 && enterpriseId !== row.enterprise_id && row.balance !== 0) {
      throw ApiError.keyed(
        'conflict',
        'api.ownBalanceMove',
        `${row.name} holds ${formatMoney(row.balance)} on its own balance; refund or adjust it to 0 before moving it to another enterprise.`,
        { name: row.name, amount: formatMoney(row.balance) },
        fieldDetails({ enterpriseId: problem('field.ownBalanceNotZero', 'own balance is not 0') }),
      );
    }
  };

  const writeMember = (kind: MemberKind, m: MemberValues, extra: Record<string, unknown>, id?: number): number => {
    checkEnterprise(m.enterpriseId);
    checkRateGroup(s, m.rateGroupId);
    checkName(kind, m, id);
    const common: Record<string, unknown> = {
      enterprise_id: m.enterpriseId,
      name: m.name,
      rate_group_id: m.rateGroupId ?? null,
      own_balance: m.ownBalance ? 1 : 0,
      billing_mode: 'prepaid',
      credit_limit: m.creditLimit,
      low_balance: m.lowBalance ?? null,
      freeze_when_exhausted: m.freezeWhenExhausted ? 1 : 0,
      notes: m.notes,
      updated_at: s.now(),
      ...extra,
    };
    const cols = Object.keys(common);
    if (id !== undefined) {
      s.db.prepare(`UPDATE accounts SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...Object.values(common), id);
      return id;
    }
    return Number(
      s.db
        .prepare(`INSERT INTO accounts (${cols.join(', ')}, kind, created_at) VALUES (${cols.map(() => '?').join(', ')}, ?, ?)`)
        .run(...Object.values(common), kind, s.now()).lastInsertRowid,
    );
  };

  /** Makes the user own exactly these extensions (creating unknown ones, taking them from another owner). */
  const setExtensions = (userId: number, extensions: UserInput['extensions']) => {
    const t = s.now();
    s.db.prepare('UPDATE extensions SET user_account_id = NULL, updated_at = ? WHERE user_account_id = ?').run(t, userId);
    const upsert = s.db.prepare(
      `INSERT INTO extensions (device_id, number, user_account_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (device_id, number) DO UPDATE SET user_account_id = excluded.user_account_id, updated_at = excluded.updated_at`,
    );
    extensions.forEach((e, i) => {
      if (!s.db.prepare('SELECT 1 FROM devices WHERE id = ?').get(e.deviceId)) {
        throw ApiError.keyed('invalid_input', 'api.notFound', `There is no device ${e.deviceId}.`, { thing: 'device', id: e.deviceId }, fieldDetails({ [`extensions.${i}.deviceId`]: noSuch('device') }));
      }
      upsert.run(e.deviceId, e.number, userId, t, t);
    });
  };

  const checkCard = (cardNumber: string | null | undefined, id?: number) => {
    if (!cardNumber) return;
    const taken = s.db.prepare('SELECT name FROM accounts WHERE card_number = ? AND id IS NOT ?').get(cardNumber, id ?? null) as
      | { name: string }
      | undefined;
    if (taken) throw ApiError.keyed('conflict', 'api.cardTaken', `Card number ${cardNumber} belongs to ${taken.name}.`, { card: cardNumber, name: taken.name }, fieldDetails({ cardNumber: takenField() }));
  };

  const changed = (id: number) => () => s.events.emit('data.changed', { domain: 'accounts', ids: [id] });

  const userValues = (row: AccountWithEnterprise): UserInput => ({
    enterpriseId: row.enterprise_id!,
    name: row.name,
    code: row.code,
    rateGroupId: row.rate_group_id,
    ownBalance: row.own_balance === 1,
    creditLimit: row.credit_limit,
    lowBalance: row.low_balance,
    freezeWhenExhausted: row.freeze_when_exhausted === 1,
    notes: row.notes,
    extensions: repo.userAccount(row).extensions,
    cardNumber: row.card_number,
  });

  const gatewayValues = (row: AccountWithEnterprise): GatewayInput => ({
    enterpriseId: row.enterprise_id!,
    name: row.name,
    rateGroupId: row.rate_group_id,
    ownBalance: row.own_balance === 1,
    creditLimit: row.credit_limit,
    lowBalance: row.low_balance,
    freezeWhenExhausted: row.freeze_when_exhausted === 1,
    notes: row.notes,
    deviceId: row.device_id!,
    trunk: row.trunk!,
  });

  const checkTrunk = (g: GatewayInput, id?: number) => {
    if (!s.db.prepare('SELECT 1 FROM devices WHERE id = ?').get(g.deviceId)) {
      throw ApiError.keyed('invalid_input', 'api.notFound', `There is no device ${g.deviceId}.`, { thing: 'device', id: g.deviceId }, fieldDetails({ deviceId: noSuch('device') }));
    }
    const taken = s.db
      .prepare("SELECT name FROM accounts WHERE kind = 'gateway' AND device_id = ? AND trunk = ? AND id IS NOT ?")
      .get(g.deviceId, g.trunk, id ?? null) as { name: string } | undefined;
    if (taken) throw ApiError.keyed('conflict', 'api.trunkTaken', `Trunk ${g.trunk} of this device is billed to ${taken.name}.`, { trunk: g.trunk, name: taken.name }, fieldDetails({ trunk: takenField() }));
  };

  return {
    'userAccounts.list': (q) => {
      const { where, params } = memberListWhere(q, 'user');
      const { rows, more } = repo.page('user', where, params, q.limit, q.cursor ? Number(q.cursor) : undefined);
      return { rows: rows.map((r) => repo.userAccount(r)), ...(more ? { nextCursor: String(rows.at(-1)!.id) } : {}) };
    },
    'userAccounts.get': ({ id }) => repo.userAccount(repo.row(id, 'user')),
    'userAccounts.create': async (input, ctx) => {
      const pinHash = input.pin ? await hashPassword(input.pin) : null;
      const after = s.db.transaction(() => {
        checkCard(input.cardNumber);
        const id = writeMember('user', input, { code: input.code ?? null, card_number: input.cardNumber ?? null, pin_hash: pinHash });
        setExtensions(id, input.extensions);
        return repo.userAccount(repo.row(id));
      })();
      ctx.audit({ target: `userAccount:${after.id}`, after });
      ctx.afterCommit(changed(after.id));
      return after;
    },
    'userAccounts.update': async (input, ctx) => {
      const pinHash = input.pin ? await hashPassword(input.pin) : input.pin === null ? null : undefined;
      const result = s.db.transaction(() => {
        const row = repo.row(input.id, 'user');
        const before = repo.userAccount(row);
        const { id, pin: _pin, ...patch } = input;
        const merged = { ...userValues(row), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as UserInput;
        checkBalanceSwitch(row, merged.ownBalance, merged.enterpriseId);
        checkCard(merged.cardNumber, id);
        writeMember('user', merged, {
          code: merged.code ?? null,
          card_number: merged.cardNumber ?? null,
          pin_hash: pinHash === undefined ? row.pin_hash : pinHash,
        }, id);
        if (input.extensions) setExtensions(id, merged.extensions);
        const announce = s.balanceAlerts.evaluate([id], s.now());
        return { before, after: repo.userAccount(repo.row(id)), announce };
      })();
      ctx.audit({ target: `userAccount:${input.id}`, before: result.before, after: result.after, pinChanged: pinHash !== undefined });
      ctx.afterCommit(() => {
        result.announce.forEach((a) => a());
        changed(input.id)();
      });
      return result.after;
    },
    'gateways.list': (q) => {
      const { where, params } = memberListWhere(q, 'gateway');
      const { rows, more } = repo.page('gateway', where, params, q.limit, q.cursor ? Number(q.cursor) : undefined);
      return { rows: rows.map((r) => repo.gateway(r)), ...(more ? { nextCursor: String(rows.at(-1)!.id) } : {}) };
    },
    'gateways.get': ({ id }) => repo.gateway(repo.row(id, 'gateway')),
    'gateways.create': (input, ctx) => {
      checkTrunk(input);
      const id = writeMember('gateway', input, { device_id: input.deviceId, trunk: input.trunk });
      const after = repo.gateway(repo.row(id));
      ctx.audit({ target: `gateway:${id}`, after });
      ctx.afterCommit(changed(id));
      return after;
    },
    'gateways.update': (input, ctx) => {
      const row = repo.row(input.id, 'gateway');
      const before = repo.gateway(row);
      const { id, ...patch } = input;
      const merged = { ...gatewayValues(row), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as GatewayInput;
      checkBalanceSwitch(row, merged.ownBalance, merged.enterpriseId);
      checkTrunk(merged, id);
      writeMember('gateway', merged, { device_id: merged.deviceId, trunk: merged.trunk }, id);
      const announce = s.balanceAlerts.evaluate([id], s.now());
      const after = repo.gateway(repo.row(id));
      ctx.audit({ target: `gateway:${id}`, before, after });
      ctx.afterCommit(() => {
        announce.forEach((a) => a());
        changed(id)();
      });
      return after;
    },
  };
}
