import type { AlertState } from '../../src-shared/api/accounts';
import { formatMoney } from '../../src-shared/domain/money';
import type { Sqlite } from '../db/connection';
import type { EventBus } from '../events';
import type { Ledger } from './ledger';
import type { AccountRow } from './repository';

/** The alert state a balance account is in: only prepaid balances are watched. */
export function alertStateOf(a: Pick<AccountRow, 'billing_mode' | 'balance' | 'credit_limit' | 'low_balance' | 'own_balance'>): AlertState {
  if (a.billing_mode !== 'prepaid' || !a.own_balance) return 'ok';
  if (a.balance < -a.credit_limit) return 'exhausted';
  if (a.low_balance !== null && a.balance < a.low_balance) return 'low';
  return 'ok';
}

export const EXHAUSTED_FREEZE_REASON = 'prepaid balance exhausted';
export const RECHARGED_UNFREEZE_REASON = 'balance restored after being exhausted';

/**
 * Re-evaluates the alert state of balance accounts after money moved (inside the caller's transaction). A change of
 * state is stored and announced once (after commit); an exhausted account that asks for it is frozen, and unfrozen
 * again when a recharge restores it, if it was that automatic freeze that stopped it.
 */
export class BalanceAlerts {
  private readonly stmt;

  constructor(
    db: Sqlite,
    private readonly ledger: Ledger,
    private readonly events: EventBus,
  ) {
    this.stmt = {
      account: db.prepare('SELECT * FROM accounts WHERE id = ?'),
      setState: db.prepare('UPDATE accounts SET alert_state = ? WHERE id = ?'),
      setStatus: db.prepare('UPDATE accounts SET status = ?, updated_at = ? WHERE id = ?'),
      lastFreeze: db
        .prepare("SELECT kind, operator, reason FROM ledger WHERE account_id = ? AND kind IN ('freeze', 'unfreeze') ORDER BY id DESC LIMIT 1"),
    };
  }

  /**
   * A person unfroze the account while it was exhausted: that holds until the balance recovers (the automatic freeze
   * would otherwise undo it in the same transaction, and at every call after it).
   */
  private unfrozenByHand(a: AccountRow): boolean {
    if (a.alert_state !== 'exhausted') return false;
    const last = this.stmt.lastFreeze.get(a.id) as { kind?: string; operator: string } | undefined;
    return last?.kind === 'unfreeze' && last.operator !== 'system';
  }

  /** Returns the announcements to make after commit. */
  evaluate(accountIds: Iterable<number>, now: number): (() => void)[] {
    const after: (() => void)[] = [];
    for (const id of new Set(accountIds)) {
      const a = this.stmt.account.get(id) as AccountRow | undefined;
      if (!a) continue;
      const state = alertStateOf(a);
      let frozen = false;
      let unfrozen = false;
      if (state === 'exhausted' && a.freeze_when_exhausted && a.status === 'active' && !this.unfrozenByHand(a)) {
        this.ledger.post({ accountId: id, kind: 'freeze', amount: 0, operator: 'system', reason: EXHAUSTED_FREEZE_REASON, at: now });
        this.stmt.setStatus.run('frozen', now, id);
        frozen = true;
      } else if (state !== 'exhausted' && a.status === 'frozen') {
        const last = this.stmt.lastFreeze.get(id) as { operator: string; reason: string } | undefined;
        if (last?.operator === 'system' && last.reason === EXHAUSTED_FREEZE_REASON) {
          this.ledger.post({ accountId: id, kind: 'unfreeze', amount: 0, operator: 'system', reason: RECHARGED_UNFREEZE_REASON, at: now });
          this.stmt.setStatus.run('active', now, id);
          unfrozen = true;
        }
      }
      if (state !== a.alert_state || frozen || unfrozen) {
        this.stmt.setState.run(state, id);
        const data = { accountId: id, name: a.name, state, balance: formatMoney(a.balance), ...(frozen ? { frozen } : {}), ...(unfrozen ? { unfrozen } : {}) };
        after.push(() => this.events.emit('accounts.alert', data, { roles: ['admin', 'clerk', 'auditor'] }));
      }
    }
    return after;
  }
}
