import type { InputOf } from '../../../../../src-shared/api';
import type { RateRecord } from '../../../../../src-shared/api/rating';
import { isMoneyText, MAX_RATE_PRICE, parseMoney, withinMoneyBound } from '../../../../../src-shared/domain/money';
import { exceedsMoneyBound } from '../../../format/money';
import type { RatedCallType } from '../../../../../src-shared/domain/numbers/classify-call';
import type { Tariff } from '../../../../../src-shared/domain/rating/rate';
import { dayjs } from '../../../format/time';

export interface IntervalRow {
  start: number | string;
  price: string;
  unit: number | string;
  increment: number | string;
}

/** The rate form as the inputs hold it (texts and numbers as typed). */
export interface RateFormValues {
  name: string;
  callType: RatedCallType;
  prefix: string;
  connectFee: string;
  freeSeconds: number | string;
  minSeconds: number | string;
  /** Wall-clock "YYYY-MM-DD HH:mm:ss" in the chosen time zone, or null for "always". */
  effectiveFrom: string | null;
  bandEnabled: boolean;
  bandDays: string[];
  bandFrom: string;
  bandTo: string;
  notes: string;
  intervals: IntervalRow[];
}

export const SAMPLE_DURATIONS = [0, 30, 60, 61, 125, 190, 380];

export function emptyRate(callType: RatedCallType = 'domestic'): RateFormValues {
  return {
    name: '',
    callType,
    prefix: '',
    connectFee: '0',
    freeSeconds: 0,
    minSeconds: 0,
    effectiveFrom: null,
    bandEnabled: false,
    bandDays: ['1', '2', '3', '4', '5'],
    bandFrom: '08:00',
    bandTo: '18:00',
    notes: '',
    intervals: [{ start: 0, price: '0.30', unit: 60, increment: 60 }],
  };
}

/** Drops the trailing zeros of the API's 4-place amounts for editing ("0.3000" -> "0.30"). */
function editableMoney(text: string): string {
  return text.replace(/(\.\d\d?)0+$/, '$1');
}

export function formValuesOf(rate: RateRecord, timeZone: string): RateFormValues {
  return {
    name: rate.name,
    callType: rate.callType,
    prefix: rate.prefix,
    connectFee: editableMoney(rate.connectFee),
    freeSeconds: rate.freeSeconds,
    minSeconds: rate.minSeconds,
    effectiveFrom: rate.effectiveFrom ? dayjs(rate.effectiveFrom).tz(timeZone).format('YYYY-MM-DD HH:mm:ss') : null,
    bandEnabled: rate.timeBand !== null,
    bandDays: (rate.timeBand?.days ?? [1, 2, 3, 4, 5]).map(String),
    bandFrom: rate.timeBand?.from ?? '08:00',
    bandTo: rate.timeBand?.to ?? '18:00',
    notes: rate.notes,
    intervals: rate.intervals.map((i) => ({ ...i, price: editableMoney(i.price) })),
  };
}

const whole = (v: number | string) => (typeof v === 'number' ? v : v.trim() === '' ? Number.NaN : Number(v));

/** The contract's input (the server validates it again with the rating core). */
export function rateInputOf(v: RateFormValues, timeZone: string): Omit<InputOf<'rates.create'>, 'rateGroupId'> {
  return {
    name: v.name.trim(),
    callType: v.callType,
    prefix: v.prefix.trim(),
    connectFee: v.connectFee.trim() || '0',
    freeSeconds: whole(v.freeSeconds) || 0,
    minSeconds: whole(v.minSeconds) || 0,
    effectiveFrom: v.effectiveFrom ? dayjs.tz(v.effectiveFrom, timeZone).toISOString().replace('.000Z', 'Z') : null,
    timeBand: v.bandEnabled ? { days: v.bandDays.map(Number).sort((a, b) => a - b), from: v.bandFrom.trim(), to: v.bandTo.trim() } : null,
    notes: v.notes,
    intervals: v.intervals.map((i) => ({ start: whole(i.start), price: i.price.trim(), unit: whole(i.unit), increment: whole(i.increment) })),
  };
}

/** The price structure for the preview, or null while an amount or a number is not valid yet. */
export function tariffOf(v: RateFormValues): Tariff | null {
  const amounts = [v.connectFee || '0', ...v.intervals.map((i) => i.price)];
  // Beyond the contract's bound the preview would price amounts the engine refuses (and products past the exact
  // integers): no preview; the field says why.
  if (!amounts.every((a) => isMoneyText(a) && withinMoneyBound(parseMoney(a), MAX_RATE_PRICE))) return null;
  const intervals = v.intervals.map((i) => ({ start: whole(i.start), price: parseMoney(i.price), unit: whole(i.unit), increment: whole(i.increment) }));
  if (!intervals.length || intervals.some((i) => !Number.isInteger(i.start) || !(i.unit > 0) || !(i.increment > 0))) return null;
  if (intervals[0]!.start !== 0 || intervals.some((i, n) => n > 0 && i.start <= intervals[n - 1]!.start)) return null;
  return { connectFee: parseMoney(v.connectFee || '0'), intervals, freeSeconds: whole(v.freeSeconds) || 0, minSeconds: whole(v.minSeconds) || 0 };
}

/** Fields whose amount lies beyond the contract's MAX_RATE_PRICE: "connectFee", "intervals.N.price". */
export function ratePricesBeyondBound(v: RateFormValues): string[] {
  return [
    ...(exceedsMoneyBound(v.connectFee, MAX_RATE_PRICE) ? ['connectFee'] : []),
    ...v.intervals.flatMap((i, n) => (exceedsMoneyBound(i.price, MAX_RATE_PRICE) ? [`intervals.${n}.price`] : [])),
  ];
}
