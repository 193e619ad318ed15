import type { z } from 'zod';
import type { gatewayCreateInput, userAccountCreateInput } from '../../src-shared/api/accounts';
import { ApiError, fieldDetails, takenField } from '../../src-shared/api/errors';
import { formatMoney } from '../../src-shared/domain/money';
import type { Handlers } from '../api/call-context';
import { hashPassword } from '../auth/passwords';
import type { Sqlite } from '../db/connection';
import { likePrefix } from '../db/paging';
import type { EventBus } from '../events';
import { problem } from '../../src-shared/api/messages';
import type { BalanceAlerts } from './alerts';
import { ExtensionRepository } from './extension-repository';
import { checkDevice, checkEnterprise, checkRateGroup } from './references';
import type { AccountRepository, AccountWithEnterprise, MemberColumns } from './repository';

type UserInput = z.output<typeof userAccountCreateInput>;
type GatewayInput = z.output<typeof gatewayCreateInput>;
type MemberKind = 'user' | 'gateway';

/** What the user-account and gateway handlers use. */
export interface MemberHandlerDeps {
  db: Sqlite;
  accountRepo: AccountRepository;
  balanceAlerts: BalanceAlerts;
  events: EventBus;
  now(): number;
}

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

type UserMethods = 'userAccounts.list' | 'userAccounts.get' | 'userAccounts.create' | 'userAccounts.update';
type GatewayMethods = 'gateways.list' | 'gateways.get' | 'gateways.create' | 'gateways.update';

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

/** The fields an update gives, without those it omits (they keep their stored value). */
const givenFields = (patch: object) => Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));

function checkBalanceSwitch(row: AccountWithEnterprise, ownBalance: boolean, enterpriseId: number): void {
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
}

/** Checks and stores the shared parts of a user or gateway with those of its kind (`extra`): a new one, or `id`. */
function writeMember(deps: MemberHandlerDeps, kind: MemberKind, m: MemberValues, extra: Partial<MemberColumns>, id?: number): number {
  const repo = deps.accountRepo;
  checkEnterprise(repo, m.enterpriseId);
  checkRateGroup(repo, m.rateGroupId);
  if (repo.memberNameTaken(kind, m.enterpriseId, m.name, id)) {
    throw ApiError.keyed('conflict', 'api.memberNameTaken', `"${m.name}" exists in this enterprise.`, { name: m.name }, fieldDetails({ name: takenField() }));
  }
  const columns: MemberColumns = {
    enterprise_id: m.enterpriseId,
    name: m.name,
    rate_group_id: m.rateGroupId ?? null,
    own_balance: m.ownBalance ? 1 : 0,
    billing_mode: 'prepaid',
    credit_limit: m.creditLimit,
    low_balance: m.lowBalance ?? null,
    freeze_when_exhausted: m.freezeWhenExhausted ? 1 : 0,
    notes: m.notes,
    updated_at: deps.now(),
    ...extra,
  };
  if (id !== undefined) {
    repo.updateMember(id, columns);
    return id;
  }
  return repo.insertMember(kind, columns, deps.now());
}

function checkCard(repo: AccountRepository, cardNumber: string | null | undefined, id?: number): void {
  if (!cardNumber) return;
  const holder = repo.cardHolder(cardNumber, id);
  if (holder !== undefined) {
    throw ApiError.keyed('conflict', 'api.cardTaken', `Card number ${cardNumber} belongs to ${holder}.`, { card: cardNumber, name: holder }, fieldDetails({ cardNumber: takenField() }));
  }
}

function checkTrunk(repo: AccountRepository, g: GatewayInput, id?: number): void {
  checkDevice(repo, g.deviceId);
  const holder = repo.trunkHolder(g.deviceId, g.trunk, id);
  if (holder !== undefined) {
    throw ApiError.keyed('conflict', 'api.trunkTaken', `Trunk ${g.trunk} of this device is billed to ${holder}.`, { trunk: g.trunk, name: holder }, fieldDetails({ trunk: takenField() }));
  }
}

const changed = (deps: MemberHandlerDeps, id: number) => () => deps.events.emit('data.changed', { domain: 'accounts', ids: [id] });

/** Makes the user own exactly these extensions (creating unknown ones, taking them from another owner). */
function setExtensions(deps: MemberHandlerDeps, extensions: ExtensionRepository, userId: number, list: UserInput['extensions']): void {
  const t = deps.now();
  list.forEach((e, i) => checkDevice(deps.accountRepo, e.deviceId, `extensions.${i}.deviceId`));
  extensions.assignToUser(userId, list, t);
}

/** The fields users and gateways share, as stored. */
const memberValues = (row: AccountWithEnterprise) => ({
  enterpriseId: row.enterprise_id!,
  name: row.name,
  rateGroupId: row.rate_group_id,
  ownBalance: row.own_balance === 1,
  creditLimit: row.credit_limit,
  lowBalance: row.low_balance,
  freezeWhenExhausted: row.freeze_when_exhausted === 1,
  notes: row.notes,
});

const userValues = (repo: AccountRepository, row: AccountWithEnterprise): UserInput => ({
  ...memberValues(row),
  code: row.code,
  extensions: repo.userAccount(row).extensions,
  cardNumber: row.card_number,
});

const gatewayValues = (row: AccountWithEnterprise): GatewayInput => ({
  ...memberValues(row),
  deviceId: row.device_id!,
  trunk: row.trunk!,
});

function userAccountHandlers(deps: MemberHandlerDeps): Handlers<UserMethods> {
  const repo = deps.accountRepo;
  const extensions = new ExtensionRepository(deps.db);
  return {
    'userAccounts.list': (q) => {
      const { where, params } = memberListWhere(q, 'user');
      const { rows, more } = repo.page('user', where, params, q.limit, q.cursor ? Number(q.cursor) : undefined);
      return { rows: rows.map((r) => repo.userAccount(r)), ...(more ? { nextCursor: String(rows.at(-1)!.id) } : {}) };
    },
    'userAccounts.get': ({ id }) => repo.userAccount(repo.row(id, 'user')),
    'userAccounts.create': async (input, ctx) => {
      const pinHash = input.pin ? await hashPassword(input.pin) : null;
      const after = deps.db.transaction(() => {
        checkCard(repo, input.cardNumber);
        const id = writeMember(deps, 'user', input, { code: input.code ?? null, card_number: input.cardNumber ?? null, pin_hash: pinHash });
        setExtensions(deps, extensions, id, input.extensions);
        return repo.userAccount(repo.row(id));
      })();
      ctx.audit({ target: `userAccount:${after.id}`, after });
      ctx.afterCommit(changed(deps, after.id));
      return after;
    },
    'userAccounts.update': async (input, ctx) => {
      const pinHash = input.pin ? await hashPassword(input.pin) : input.pin === null ? null : undefined;
      const result = deps.db.transaction(() => {
        const row = repo.row(input.id, 'user');
        const before = repo.userAccount(row);
        const { id, pin: _pin, ...patch } = input;
        const merged = { ...userValues(repo, row), ...givenFields(patch) } as UserInput;
        checkBalanceSwitch(row, merged.ownBalance, merged.enterpriseId);
        checkCard(repo, merged.cardNumber, id);
        writeMember(deps, 'user', merged, {
          code: merged.code ?? null,
          card_number: merged.cardNumber ?? null,
          pin_hash: pinHash === undefined ? row.pin_hash : pinHash,
        }, id);
        if (input.extensions) setExtensions(deps, extensions, id, merged.extensions);
        const announce = deps.balanceAlerts.evaluate([id], deps.now());
        return { before, after: repo.userAccount(repo.row(id)), announce };
      })();
      ctx.audit({ target: `userAccount:${input.id}`, before: result.before, after: result.after, pinChanged: pinHash !== undefined });
      ctx.afterCommit(() => {
        result.announce.forEach((a) => a());
        changed(deps, input.id)();
      });
      return result.after;
    },
  };
}

function gatewayHandlers(deps: MemberHandlerDeps): Handlers<GatewayMethods> {
  const repo = deps.accountRepo;
  return {
    'gateways.list': (q) => {
      const { where, params } = memberListWhere(q, 'gateway');
      const { rows, more } = repo.page('gateway', where, params, q.limit, q.cursor ? Number(q.cursor) : undefined);
      return { rows: rows.map((r) => repo.gateway(r)), ...(more ? { nextCursor: String(rows.at(-1)!.id) } : {}) };
    },
    'gateways.get': ({ id }) => repo.gateway(repo.row(id, 'gateway')),
    'gateways.create': (input, ctx) => {
      checkTrunk(repo, input);
      const id = writeMember(deps, 'gateway', input, { device_id: input.deviceId, trunk: input.trunk });
      const after = repo.gateway(repo.row(id));
      ctx.audit({ target: `gateway:${id}`, after });
      ctx.afterCommit(changed(deps, id));
      return after;
    },
    'gateways.update': (input, ctx) => {
      const row = repo.row(input.id, 'gateway');
      const before = repo.gateway(row);
      const { id, ...patch } = input;
      const merged = { ...gatewayValues(row), ...givenFields(patch) } as GatewayInput;
      checkBalanceSwitch(row, merged.ownBalance, merged.enterpriseId);
      checkTrunk(repo, merged, id);
      writeMember(deps, 'gateway', merged, { device_id: merged.deviceId, trunk: merged.trunk }, id);
      const announce = deps.balanceAlerts.evaluate([id], deps.now());
      const after = repo.gateway(repo.row(id));
      ctx.audit({ target: `gateway:${id}`, before, after });
      ctx.afterCommit(() => {
        announce.forEach((a) => a());
        changed(deps, id)();
      });
      return after;
    },
  };
}

export function memberHandlers(deps: MemberHandlerDeps): Handlers<UserMethods | GatewayMethods> {
  return { ...userAccountHandlers(deps), ...gatewayHandlers(deps) };
}
