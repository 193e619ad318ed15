/**
 * Rates (DESIGN §6). All money is integer 1/10000 units; all durations are whole seconds; instants are UTC epoch ms.
 */
import type { Money } from '../money';
import type { RatedCallType } from '../numbers/classify-call';

/** The part of a call from `start` (seconds) until the next interval's start, priced at `price` per `unit` seconds. */
export interface RateInterval {
  start: number;
  price: Money;
  unit: number;
  /** The interval's seconds are rounded up to whole increments, counted from `start`. */
  increment: number;
}

/** Days of week (ISO: 1 = Monday ... 7 = Sunday) and a device-local `[from, to)` time range "HH:MM". */
export interface TimeBand {
  days: number[];
  from: string;
  /** Exclusive; "24:00" is the end of the day; `to` <= `from` crosses midnight into the next day. */
  to: string;
}

/** What `rateCall` needs: the price structure of a rate. */
export interface Tariff {
  connectFee: Money;
  intervals: readonly RateInterval[];
  freeSeconds: number;
  minSeconds: number;
}

export interface Rate extends Tariff {
  id: number;
  name: string;
  callType: RatedCallType;
  /** Matched against the national form (local, domestic) or international form (international); "" = default. */
  prefix: string;
  /** Epoch ms from which the rate applies; null = always. */
  effectiveFrom: number | null;
  timeBand?: TimeBand | null;
}
