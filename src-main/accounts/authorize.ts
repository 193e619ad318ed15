/**
 * Call authorization (DESIGN §8): before a call, a device asks whether its payer may make it and for how long. The
 * payer is found and the call priced exactly as charging will do it (ChargingPipeline.resolvePayer and quote); the
 * answer refuses a frozen payer or balance, an exhausted prepaid balance, a wrong PIN, and otherwise gives the longest
 * call the available balance (balance + credit limit) covers at the matched rate. Nothing is written.
 */
import { formatMoney } from '../../src-shared/domain/money';
import { explainText } from '../../src-shared/domain/rating/explain';
import { verifyPassword } from '../auth/passwords';
import type { ChargeableCdr, ChargingPipeline, Payer } from '../charging/charging';
import type { RatingService } from '../rating/rating-service';
import type { AccountRepository, AccountRow } from './repository';

/** The longest call an answer allows: a day. A balance that covers more answers this. */
export const MAX_AUTHORIZED_SECONDS = 86_400;
/** Wrong PINs of one card before it is refused without checking, and for how long. */
const MAX_WRONG_PINS = 5;
const WRONG_PIN_WINDOW_MS = 15 * 60_000;

export type AuthorizationReason =
  | 'prepaid'
  | 'postpaid'
  | 'freeRate'
  | 'frozen'
  | 'exhausted'
  | 'insufficientBalance'
  | 'notRated'
  | 'noPayer'
  | 'unknownCard'
  | 'wrongPin'
  | 'pinLocked';

export interface AuthorizationAnswer {
  allowed: boolean;
  reason: AuthorizationReason;
  /** The reason in a sentence (English), for logs and people. */
  message: string;
  /** The longest call in seconds the balance covers; absent when the call is not limited (`unlimited`). */
  maxSeconds?: number;
  unlimited?: true;
  callType: string;
  normalized?: string;
  rate?: { id: number; name: string; prefix: string };
  payer?: {
    accountId: number;
    kind: Payer['kind'];
    name: string;
    enterpriseId: number;
    /** How the payer was found: card, trunk, extension or deviceDefault. */
    via: 'card' | 'trunk' | 'extension' | 'deviceDefault';
    balanceAccountId: number;
    billingMode: 'prepaid' | 'postpaid';
    balance: string;
    /** balance + credit limit: what prepaid calls may still spend. */
    available: string;
  };
}

export interface AuthorizationRequest {
  deviceId: number;
  caller: string;
  callee: string;
  card?: string;
  pin?: string;
  trunk?: string;
}

const VIA: Record<string, NonNullable<AuthorizationAnswer['payer']>['via']> = {
  'charging.payerCard': 'card',
  'charging.payerTrunk': 'trunk',
  'charging.payerExtension': 'extension',
  'charging.payerDeviceDefault': 'deviceDefault',
};

/** What call authorization uses: the payer and price as charging finds them, the accounts, the clock. */
export interface CallAuthorizerDeps {
  accountRepo: AccountRepository;
  charging: ChargingPipeline;
  rating: RatingService;
  now(): number;
}

export class CallAuthorizer {
  private readonly wrongPins = new Map<string, { count: number; since: number }>();

  constructor(private readonly s: CallAuthorizerDeps) {}

  async authorize(req: AuthorizationRequest): Promise<AuthorizationAnswer> {
    const s = this.s;
    const at = s.now();
    const call: ChargeableCdr = {
      id: 0,
      device_id: req.deviceId,
      start_at: at,
      billsec: 0,
      caller: req.caller,
      callee: req.callee,
      account_code: null,
      pin: req.card ?? null,
      trunk_in: null,
      trunk_out: req.trunk ?? null,
    };
    const classified = () => s.rating.classify(req.deviceId, req.callee);
    const refuse = (reason: AuthorizationReason, message: string, extra: Partial<AuthorizationAnswer> = {}): AuthorizationAnswer => ({
      allowed: false,
      reason,
      message,
      callType: extra.callType ?? classified().callType,
      ...extra,
    });

    const payer = s.charging.resolvePayer(call);
    if (req.card && payer?.why.key !== 'charging.payerCard') return refuse('unknownCard', `No user account has the card number ${req.card}.`);
    if (!payer) return refuse('noPayer', explainText({ key: 'charging.noPayer', params: {} }));
    const charged = s.accountRepo.account(payer.chargedAccountId) as AccountRow;
    const holder = s.accountRepo.account(payer.balanceAccountId) as AccountRow;
    if (req.card) {
      const pinProblem = await this.checkPin(req.card, req.pin, charged.pin_hash, at);
      if (pinProblem) return refuse(pinProblem.reason, pinProblem.message);
    }

    const priced = (billsec: number) => s.charging.quote({ ...call, billsec }, payer);
    const probe = priced(60);
    const answer = {
      callType: probe.callType,
      normalized: probe.normalized,
      ...(probe.rate ? { rate: { id: probe.rate.id, name: probe.rate.name, prefix: probe.rate.prefix } } : {}),
      payer: {
        accountId: charged.id,
        kind: payer.kind,
        name: charged.name,
        enterpriseId: payer.enterpriseId,
        via: VIA[payer.why.key] ?? 'extension',
        balanceAccountId: holder.id,
        billingMode: holder.billing_mode,
        balance: formatMoney(holder.balance),
        available: formatMoney(holder.balance + holder.credit_limit),
      },
    };
    if (charged.status === 'frozen' || holder.status === 'frozen') {
      const who = charged.status === 'frozen' ? charged.name : `${holder.name}, whose balance it draws on,`;
      return refuse('frozen', `${who} is frozen.`, answer);
    }
    if (holder.billing_mode === 'postpaid') {
      return { allowed: true, reason: 'postpaid', message: `${holder.name} is postpaid: calls are not limited.`, unlimited: true, ...answer };
    }
    const available = holder.balance + holder.credit_limit;
    if (available < 0) {
      return refuse('exhausted', `The prepaid balance of ${holder.name} is exhausted (${formatMoney(holder.balance)}, credit limit ${formatMoney(holder.credit_limit)}).`, answer);
    }
    if (!probe.rated) {
      const why = probe.reason ? explainText(probe.reason) : 'no rate applies';
      return refuse('notRated', `The call cannot be priced, so a prepaid balance cannot cover it: ${why}.`, answer);
    }
    if (priced(MAX_AUTHORIZED_SECONDS).cost === 0) {
      return { allowed: true, reason: 'freeRate', message: `Rate "${probe.rate!.name}" is free: calls are not limited.`, unlimited: true, ...answer };
    }
    const maxSeconds = longestCovered((billsec) => priced(billsec).cost, available);
    if (maxSeconds === 0) {
      return refuse('insufficientBalance', `${formatMoney(available)} available does not cover the first second at rate "${probe.rate!.name}".`, answer);
    }
    return { allowed: true, reason: 'prepaid', message: `${formatMoney(available)} available covers ${maxSeconds} s at rate "${probe.rate!.name}".`, maxSeconds, ...answer };
  }

  /** A card with a PIN needs it: wrong or missing PINs count towards a lock of the card for a while. */
  private async checkPin(card: string, pin: string | undefined, pinHash: string | null, at: number): Promise<{ reason: AuthorizationReason; message: string } | null> {
    if (!pinHash) return null;
    const seen = this.wrongPins.get(card);
    if (seen && at - seen.since > WRONG_PIN_WINDOW_MS) this.wrongPins.delete(card);
    const recent = this.wrongPins.get(card);
    if (recent && recent.count >= MAX_WRONG_PINS) {
      return { reason: 'pinLocked', message: `Too many wrong PINs for card ${card}; try again in ${Math.ceil((recent.since + WRONG_PIN_WINDOW_MS - at) / 60_000)} minutes.` };
    }
    // The attempt counts before the (asynchronous) check: parallel guesses must not all pass the lock above.
    const entry = recent ?? { count: 0, since: at };
    entry.count++;
    this.wrongPins.set(card, entry);
    if (pin && (await verifyPassword(pin, pinHash))) {
      this.wrongPins.delete(card);
      return null;
    }
    return { reason: 'wrongPin', message: pin ? `Wrong PIN for card ${card}.` : `Card ${card} needs its PIN (pin=).` };
  }
}

/**
 * The longest call (whole seconds, at most MAX_AUTHORIZED_SECONDS) whose cost stays within `available`. A call's cost
 * never falls as it gets longer, so a binary search over the seconds finds it with the rating core itself.
 */
export function longestCovered(costOf: (billsec: number) => number, available: number): number {
  if (costOf(MAX_AUTHORIZED_SECONDS) <= available) return MAX_AUTHORIZED_SECONDS;
  let covered = 0;
  let over = MAX_AUTHORIZED_SECONDS;
  while (over - covered > 1) {
    const mid = Math.floor((covered + over) / 2);
    if (costOf(mid) <= available) covered = mid;
    else over = mid;
  }
  return covered;
}
