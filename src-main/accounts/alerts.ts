import type { AlertState } from '../../src-shared/api/accounts';
import { formatMoney } from '../../src-shared/domain/money';
import type { EventBus } from '../events';
import type { Ledger } from './ledger';
import type { AccountRepository, AccountRow } from './repository';
import { SYSTEM_LEDGER_REASONS } from '../../src-shared/api/accounts';

/** The alert state a balance account is in: only prepaid balances are watched. */
export function alertStateOf(a: Pick<AccountRow, 'billing_mode' | 'balance' | 'credit_limit' | 'low_balance' | 'own_balance'>): AlertState {
  if (a.billing_mode !== 'prepaid' || !a.own_balance) return 'ok';
  if (a.balance < -a.credit_limit) return 'exhausted';
  if (a.low_balance !== null && a.balance < a.low_balance) return 'low';
  return 'ok';
}


// The ledger keeps the reason as text; the UI knows these two and shows them in the clerk's language.
export const EXHAUSTED_FREEZE_REASON = SYSTEM_LEDGER_REASONS.exhausted;
export const RECHARGED_UNFREEZE_REASON = SYSTEM_LEDGER_REASONS.restored;

/**
 * Re-evaluates the alert state of balance accounts after money moved (inside the caller's transaction). A change of
 * state is stored and announced once (after commit); an exhausted account that asks for it is frozen, and unfrozen
 * again when a recharge restores it, if it was that automatic freeze that stopped it.
 */
/** What balance alerts use: the accounts (statements prepared once: this runs for every charged CDR), the ledger, events. */
export interface BalanceAlertDeps {
  accountRepo: AccountRepository;
  ledger: Ledger;
  events: EventBus;
}

export class BalanceAlerts {
  private readonly accounts: AccountRepository;
  private readonly ledger: Ledger;
  private readonly events: EventBus;
  /** The last announcement per account, so that one change is announced once. */
  private readonly lastAnnounced = new Map<number, string>();

  constructor(deps: BalanceAlertDeps) {
    this.accounts = deps.accountRepo;
    this.ledger = deps.ledger;
    this.events = deps.events;
  }

  /**
   * Announces a change once it is known to have been committed: callers announce after their transaction, but a
   * store transaction that rolled back (a group commit retried batch by batch) must not announce a state that never
   * was, and its retry must not announce it twice.
   */
  private announce(
    data: { accountId: number; name: string; state: AlertState; balance: string; frozen?: boolean; unfrozen?: boolean },
    status: 'frozen' | 'active' | null,
  ): void {
    const now = this.accounts.alertStateAndStatus(data.accountId);
    if (!now || now.alert_state !== data.state || (status !== null && now.status !== status)) return;
    const key = JSON.stringify(data);
    if (this.lastAnnounced.get(data.accountId) === key) return;
    this.lastAnnounced.set(data.accountId, key);
    this.events.emit('accounts.alert', data, { roles: ['admin', 'clerk', 'auditor'] });
  }

  /**
   * A person unfroze the account while it was exhausted: that holds until the balance recovers (the automatic freeze
   * would otherwise undo it in the same transaction, and at every call after it).
   */
  private unfrozenByHand(a: AccountRow): boolean {
    if (a.alert_state !== 'exhausted') return false;
    const last = this.accounts.lastFreezeEntry(a.id);
    return last?.kind === 'unfreeze' && last.operator !== 'system';
  }

  /** Returns the announcements to make after commit. */
  evaluate(accountIds: Iterable<number>, now: number): (() => void)[] {
    const after: (() => void)[] = [];
    for (const id of new Set(accountIds)) {
      const a = this.accounts.account(id);
      if (!a) continue;
      const state = alertStateOf(a);
      let frozen = false;
      let unfrozen = false;
      if (state === 'exhausted' && a.freeze_when_exhausted && a.status === 'active' && !this.unfrozenByHand(a)) {
        this.ledger.post({ accountId: id, kind: 'freeze', amount: 0, operator: 'system', reason: EXHAUSTED_FREEZE_REASON, at: now });
        this.accounts.setStatus(id, 'frozen', now);
        frozen = true;
      } else if (state !== 'exhausted' && a.status === 'frozen') {
        const last = this.accounts.lastFreezeEntry(id);
        if (last?.operator === 'system' && last.reason === EXHAUSTED_FREEZE_REASON) {
          this.ledger.post({ accountId: id, kind: 'unfreeze', amount: 0, operator: 'system', reason: RECHARGED_UNFREEZE_REASON, at: now });
          this.accounts.setStatus(id, 'active', now);
          unfrozen = true;
        }
      }
      if (state !== a.alert_state || frozen || unfrozen) {
        this.accounts.setAlertState(id, state);
        const data = { accountId: id, name: a.name, state, balance: formatMoney(a.balance), ...(frozen ? { frozen } : {}), ...(unfrozen ? { unfrozen } : {}) };
        const status = frozen ? 'frozen' : unfrozen ? 'active' : null;
        after.push(() => this.announce(data, status));
      }
    }
    return after;
  }
}
