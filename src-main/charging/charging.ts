/**
 * Hot path: the pipeline runs its statements for every stored CDR, inside the transaction that stored it, so they are
 * prepared once here beside the loop that runs them rather than behind a repository call per CDR.
 *
 * The charging pipeline (DESIGN §8): for each stored CDR, find who pays, rate it with the right rate group, and write
 * the rated CDR, its charge entry and the balance change in the transaction that stored it. A CDR that cannot be
 * charged (no paying account, no rate, unknown call type) is marked unrated with its reason, to be charged again
 * after a fix. A CDR is charged at most once: the ledger's unique index on charge entries per CDR guarantees it.
 * A call the PBX reports in several records (legs, see ingest/call-legs.ts) is charged through one of them only.
 * The statistics rollups count each rated CDR in the same transaction (statistics/rollups.ts).
 */
import { ApiError } from '../../src-shared/api/errors';
import { explainStep, type ExplainStep } from '../../src-shared/domain/numbers/explain-step';
import type { NormalizedCdr } from '../../src-shared/domain/cdr';
import type { CallQuote } from '../../src-shared/domain/rating/quote';
import type { Sqlite } from '../db/connection';
import type { AccountsRow, CdrsRow } from '../db/rows';
import type { Logger } from '../log';
import type { RatingService } from '../rating/rating-service';
import type { StatsRollups } from '../statistics/rollups';
import type { BalanceAlerts } from '../accounts/alerts';
import type { Ledger } from '../accounts/ledger';
import { RATED_COLUMNS, type PricedCdr } from '../ingest/store';

/** The fields of a stored CDR that decide who pays and what it costs. */
export type ChargeableCdr = Pick<
  CdrsRow,
  'id' | 'device_id' | 'start_at' | 'billsec' | 'caller' | 'callee' | 'account_code' | 'pin' | 'trunk_in' | 'trunk_out'
>;

/** A paying account as PAYER_SELECT reads it: its kind narrowed, with its enterprise's rate group. */
interface PayerRow extends Pick<AccountsRow, 'id' | 'enterprise_id' | 'own_balance' | 'rate_group_id'> {
  kind: 'enterprise' | 'user' | 'gateway';
  ent_rate_group_id: number;
}

/** Who pays for a call: the account it is charged to, the balance it draws on, and why it was chosen. */
export interface Payer {
  chargedAccountId: number;
  kind: PayerRow['kind'];
  enterpriseId: number;
  userAccountId: number | null;
  gatewayId: number | null;
  balanceAccountId: number;
  rateGroupId: number;
  why: ExplainStep;
}

export interface ChargeOutcome {
  status: 'rated' | 'unrated';
  payer: Payer | null;
  quote: CallQuote | null;
  reason: ExplainStep | null;
}

const PAYER_SELECT = `SELECT a.id, a.kind, a.enterprise_id, a.own_balance, a.rate_group_id, e.rate_group_id AS ent_rate_group_id
  FROM accounts a JOIN accounts e ON e.id = IFNULL(a.enterprise_id, a.id)`;

/** The fields that decide who pays, read from a CDR not yet stored (its id comes with the insert). */
function chargeableOf(deviceId: number, cdr: NormalizedCdr): ChargeableCdr {
  return {
    id: 0,
    device_id: deviceId,
    start_at: cdr.startMs,
    billsec: cdr.billsec,
    caller: cdr.caller,
    callee: cdr.callee,
    account_code: cdr.accountCode ?? null,
    pin: cdr.pin ?? null,
    trunk_in: cdr.trunkIn ?? null,
    trunk_out: cdr.trunkOut ?? null,
  };
}

/**
 * The values of RATED_COLUMNS for an outcome: a rated call's price and payer, or an unrated one's reason with what is
 * known of it (its payer and classification when they were found).
 */
function ratedValues(o: ChargeOutcome, at: number): unknown[] {
  const q = o.quote;
  const p = o.payer;
  const rated = o.status === 'rated';
  return [
    o.status, rated ? null : JSON.stringify(o.reason), q?.callType ?? null, q?.normalized ?? null, q?.ratingNumber ?? null,
    q?.area ?? null, q?.region ?? null, q?.country ?? null, rated ? q!.rate!.id : null, p?.rateGroupId ?? null,
    rated ? q!.billedSeconds : null, rated ? q!.cost : null, p?.balanceAccountId ?? null, p?.enterpriseId ?? null,
    p?.userAccountId ?? null, p?.gatewayId ?? null, at,
  ];
}

/** The extension numbers configured for a device, for classification (an internal call is one to a known extension). */
export function knownExtensionsOf(db: Sqlite): (deviceId: number) => ReadonlySet<string> {
  const numbers = db.prepare('SELECT number FROM extensions WHERE device_id = ?').pluck();
  return (deviceId) => new Set(numbers.all(deviceId) as string[]);
}

/** What the charging pipeline uses (the engine's service names, so the engine can hand over its services). */
export interface ChargingDeps {
  db: Sqlite;
  rating: RatingService;
  /** The only writer of money: one charge entry per CDR. */
  ledger: Ledger;
  balanceAlerts: BalanceAlerts;
  log: Logger;
  /** The daily statistics rollups a rated CDR is counted in, in the same transaction. */
  rollups: StatsRollups;
  now(): number;
  /** Whether charging may run yet, besides the rating data being loaded (the writer thread waits for the engine's word). */
  chargingAllowed?(): boolean;
}

export class ChargingPipeline {
  private readonly stmt;
  private readonly db: Sqlite;
  private readonly rating: RatingService;
  private readonly ledger: Ledger;
  private readonly alerts: BalanceAlerts;
  private readonly log: Logger;
  private readonly rollups: StatsRollups;
  private readonly now: () => number;
  private readonly allowed: (() => boolean) | undefined;
  private pendingAnnouncements: (() => void)[] = [];
  private announceScheduled = false;

  constructor(deps: ChargingDeps) {
    const db = deps.db;
    this.db = db;
    this.rating = deps.rating;
    this.ledger = deps.ledger;
    this.alerts = deps.balanceAlerts;
    this.log = deps.log;
    this.rollups = deps.rollups;
    this.now = () => deps.now();
    this.allowed = deps.chargingAllowed ? () => deps.chargingAllowed!() : undefined;
    this.stmt = {
      cdr: db.prepare(
        `SELECT id, device_id, start_at, billsec, caller, callee, account_code, pin, trunk_in, trunk_out
         FROM cdrs WHERE id = ? AND status <> 'rated' AND leg_billed IS NOT 0`,
      ),
      byCard: db.prepare(`${PAYER_SELECT} WHERE a.card_number = ? AND a.kind = 'user'`),
      byTrunk: db.prepare(`${PAYER_SELECT} WHERE a.kind = 'gateway' AND a.device_id = ? AND a.trunk = ?`),
      byExtension: db.prepare(
        `${PAYER_SELECT} JOIN extensions x ON x.user_account_id = a.id WHERE x.device_id = ? AND x.number = ?`,
      ),
      byDeviceDefault: db.prepare(
        `${PAYER_SELECT} JOIN devices d ON d.default_enterprise_id = a.id WHERE d.id = ? AND a.kind = 'enterprise'`,
      ),
      rate: db.prepare(
        `UPDATE cdrs SET ${RATED_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`,
      ),
      // A linked leg of a call charged through another record (leg_billed = 0) stays pending and is never charged.
      pendingIds: db
        .prepare("SELECT id FROM cdrs WHERE status = 'pending' AND leg_billed IS NOT 0 AND id > ? ORDER BY id LIMIT ?")
        .pluck(),
    };
  }

  /** True when calls can be rated now (the attribution data of a first start has loaded). */
  get ready(): boolean {
    return this.rating.attributionState !== 'loading' && (this.allowed?.() ?? true);
  }

  /**
   * Charges, by id, CDRs stored pending: the legs a batch just stored and linked (the store calls it in the batch's
   * transaction) and those stored while the rating data was loading (`drainPending`). Not ready: they stay pending.
   */
  process(ids: readonly number[], at = this.now()): void {
    if (!this.ready || ids.length === 0) return;
    this.chargeEach(ids, at);
  }

  /** Charges each CDR not yet rated (caller's transaction), then queues the balance alerts of the accounts it drew on. */
  private chargeEach(ids: readonly number[], at: number): { rated: number; unrated: number } {
    let rated = 0;
    let unrated = 0;
    const touched = new Set<number>();
    this.rollups.batch(() => {
      for (const id of ids) {
        const cdr = this.stmt.cdr.get(id) as ChargeableCdr | undefined;
        if (!cdr) continue;
        if (this.charge(cdr, at, touched).status === 'rated') rated++;
        else unrated++;
      }
    });
    if (touched.size) this.queueAnnouncements(this.alerts.evaluate(touched, at));
    return { rated, unrated };
  }

  /** Finds the paying account: card number, then gateway trunk, then the calling extension's user, then the device's default. */
  resolvePayer(cdr: ChargeableCdr): Payer | null {
    const toPayer = (row: PayerRow, why: ExplainStep): Payer => ({
      chargedAccountId: row.id,
      kind: row.kind,
      enterpriseId: row.enterprise_id ?? row.id,
      userAccountId: row.kind === 'user' ? row.id : null,
      gatewayId: row.kind === 'gateway' ? row.id : null,
      balanceAccountId: row.own_balance ? row.id : row.enterprise_id!,
      rateGroupId: row.rate_group_id ?? row.ent_rate_group_id,
      why,
    });
    for (const card of [cdr.pin, cdr.account_code]) {
      if (!card) continue;
      const row = this.stmt.byCard.get(card) as PayerRow | undefined;
      if (row) return toPayer(row, explainStep('charging.payerCard', { card }));
    }
    for (const trunk of [cdr.trunk_out, cdr.trunk_in]) {
      if (!trunk) continue;
      const row = this.stmt.byTrunk.get(cdr.device_id, trunk) as PayerRow | undefined;
      if (row) return toPayer(row, explainStep('charging.payerTrunk', { trunk }));
    }
    if (cdr.caller) {
      const row = this.stmt.byExtension.get(cdr.device_id, cdr.caller) as PayerRow | undefined;
      if (row) return toPayer(row, explainStep('charging.payerExtension', { extension: cdr.caller }));
    }
    const row = this.stmt.byDeviceDefault.get(cdr.device_id) as PayerRow | undefined;
    if (row) return toPayer(row, explainStep('charging.payerDeviceDefault', {}));
    return null;
  }

  /**
   * The payer of a call of a batch being priced: calls with the same card numbers, trunks, caller and device have the
   * same payer, and nothing of the batch's transaction changes accounts before its end (balance alerts run after its
   * last call), so each combination is looked up once per batch.
   */
  private payerOfBatch(cdr: ChargeableCdr, payers: Map<string, Payer | null>): Payer | null {
    const key = `${cdr.device_id}\u0000${cdr.pin ?? ''}\u0000${cdr.account_code ?? ''}\u0000${cdr.trunk_out ?? ''}\u0000${cdr.trunk_in ?? ''}\u0000${cdr.caller}`;
    let payer = payers.get(key);
    if (payer === undefined) {
      payer = this.resolvePayer(cdr);
      payers.set(key, payer);
    }
    return payer;
  }

  /** Rates one call for a payer without writing anything (charging, rerating previews, the CDR detail view). */
  quote(cdr: ChargeableCdr, payer: Payer): CallQuote {
    return this.rating.quote(cdr.device_id, payer.rateGroupId, { callee: cdr.callee, start: cdr.start_at, billsec: cdr.billsec });
  }

  /**
   * Decides how one call is charged, writing nothing: who pays, its price, or why it stays unrated. Throws only for a
   * failure that is not the call's own (the batch is then rolled back and retried, nothing is half-charged).
   */
  decide(cdr: ChargeableCdr, payers?: Map<string, Payer | null>): ChargeOutcome {
    const payer = payers ? this.payerOfBatch(cdr, payers) : this.resolvePayer(cdr);
    if (!payer) return { status: 'unrated', payer: null, quote: null, reason: explainStep('charging.noPayer', {}) };
    let quote: CallQuote;
    try {
      quote = this.quote(cdr, payer);
    } catch (err) {
      // A rate group or device that vanished is a configuration problem of this call, not a reason to lose the batch.
      if (!(err instanceof ApiError) || err.code !== 'not_found') throw err;
      return { status: 'unrated', payer, quote: null, reason: explainStep('charging.configurationMissing', { message: err.message }) };
    }
    if (!quote.rated || !quote.rate) {
      return { status: 'unrated', payer, quote, reason: quote.reason ?? explainStep('charging.noRate', { callType: quote.callType }) };
    }
    return { status: 'rated', payer, quote, reason: null };
  }

  /**
   * Rates and charges one CDR stored before it could be rated (a linked leg, a CDR stored while the rating data
   * loaded, one charged again after a fix): its rated columns are updated, then booked (caller's transaction).
   */
  charge(cdr: ChargeableCdr, at: number, touched?: Set<number>): ChargeOutcome {
    const outcome = this.decide(cdr);
    this.stmt.rate.run(...ratedValues(outcome, at), cdr.id);
    this.book(cdr, outcome, at, touched);
    return outcome;
  }

  /**
   * Prices the new CDRs of a batch before they are stored, so that each is inserted once with its rated columns
   * (CdrStore): `fn` gets a pricing function and books each priced CDR once it has its id. Runs in the store's
   * transaction; the rollups of the batch are written once at its end, and the balance alerts of the accounts it drew
   * on are queued. While the rating data is loading, the pricing function returns null: the CDRs are stored pending and
   * charged by `drainPending`.
   */
  priceBatch<T>(at: number, fn: (price: (deviceId: number, cdr: NormalizedCdr) => PricedCdr | null) => T): T {
    if (!this.ready) return fn(() => null);
    const touched = new Set<number>();
    const payers = new Map<string, Payer | null>();
    const result = this.rollups.batch(() =>
      fn((deviceId, cdr) => {
        const call = chargeableOf(deviceId, cdr);
        const outcome = this.decide(call, payers);
        return {
          values: ratedValues(outcome, at),
          rated: outcome.status === 'rated',
          book: (id) => this.book({ ...call, id }, outcome, at, touched),
        };
      }),
    );
    if (touched.size) this.queueAnnouncements(this.alerts.evaluate(touched, at));
    return result;
  }

  /** Posts the charge of a rated CDR and counts it in the statistics rollups (caller's transaction). */
  private book(cdr: ChargeableCdr, outcome: ChargeOutcome, at: number, touched?: Set<number>): void {
    if (outcome.status !== 'rated') return;
    const payer = outcome.payer!;
    const quote = outcome.quote!;
    this.ledger.post({
      accountId: payer.balanceAccountId,
      kind: 'charge',
      amount: -quote.cost,
      cdrId: cdr.id,
      chargedAccountId: payer.chargedAccountId,
      operator: 'system',
      at,
    });
    this.rollups.add({
      startAt: cdr.start_at,
      enterpriseId: payer.enterpriseId,
      userAccountId: payer.userAccountId,
      gatewayId: payer.gatewayId,
      callType: quote.callType,
      billsec: cdr.billsec,
      billedSeconds: quote.billedSeconds,
      cost: quote.cost,
    });
    touched?.add(payer.balanceAccountId);
  }

  /**
   * Charges CDRs that were stored while rating could not run (or before charging existed), in small transactions with
   * a turn of the event loop between them, so ingestion is never blocked for long. Resolves with how many it charged.
   */
  async drainPending(batchSize = 1000): Promise<number> {
    if (!this.ready) return 0;
    let after = 0;
    let done = 0;
    for (;;) {
      const ids = this.stmt.pendingIds.all(after, batchSize) as number[];
      if (ids.length === 0) return done;
      this.db.transaction(() => this.process(ids))();
      after = ids[ids.length - 1]!;
      done += ids.length;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Charges the given CDRs again (after a fix of accounts, rates or numbering): rated ones are left as they are. */
  chargeAgain(ids: readonly number[]): { rated: number; unrated: number } {
    return this.db.transaction(() => this.chargeEach(ids, this.now()))();
  }

  /**
   * Balance alerts computed inside a store transaction are announced once it has ended: on the next turn of the event
   * loop (the synchronous transaction has committed or rolled back by then). Each announcement checks that the state
   * it tells of was committed, and is made once (BalanceAlerts.announce).
   */
  private queueAnnouncements(announce: (() => void)[]): void {
    if (announce.length === 0) return;
    this.pendingAnnouncements.push(...announce);
    if (this.announceScheduled) return;
    this.announceScheduled = true;
    setImmediate(() => {
      const list = this.pendingAnnouncements;
      this.pendingAnnouncements = [];
      this.announceScheduled = false;
      for (const a of list) {
        try {
          a();
        } catch (err) {
          this.log.error('balance alert failed', { error: err });
        }
      }
    });
  }
}
