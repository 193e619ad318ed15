/**
 * Semantic checks on rates, beyond the shape the API's zod schemas enforce: what makes a rate impossible to apply
 * or ambiguous within its group. Errors are `{ path, message }` with dotted paths ("2.intervals.1.start").
 */
import { RATED_CALL_TYPES } from '../numbers/classify-call';
import { MAX_PREFIX_LENGTH } from '../numbers/prefix-table';
import { parseClockTime } from './local-time';
import type { Rate, TimeBand } from './rate';
import type { ProblemParams } from '../../api/messages';

export interface RateValidationError {
  path: string;
  message: string;
  /** The message's key in the engine catalogue (`field.*`), with its params. */
  key: string;
  params?: ProblemParams;
}

/** A rate as entered: its id is not known before it is stored. */
export type RateDraft = Omit<Rate, 'id'> & { id?: number };

const DIGITS_OR_EMPTY = /^\d*$/;

function isWholeNonNegative(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

export function validateRate(rate: RateDraft, path = ''): RateValidationError[] {
  const errors: RateValidationError[] = [];
  const at = (field: string) => (path ? `${path}.${field}` : field);
  const fail = (field: string, message: string, key: string, params?: ProblemParams) =>
    errors.push(params ? { path: at(field), message, key, params } : { path: at(field), message, key });

  if (!rate.name?.trim()) fail('name', 'must not be empty', 'zod.too_small.stringEmpty');
  if (!(RATED_CALL_TYPES as readonly string[]).includes(rate.callType)) {
    fail('callType', `must be one of ${RATED_CALL_TYPES.join(', ')}`, 'zod.invalid_value.many', { values: RATED_CALL_TYPES.join(', ') });
  }
  if (typeof rate.prefix !== 'string' || !DIGITS_OR_EMPTY.test(rate.prefix)) fail('prefix', 'must be digits only ("" for the default rate)', 'field.ratePrefix');
  else if (rate.prefix.length > MAX_PREFIX_LENGTH) fail('prefix', `must have at most ${MAX_PREFIX_LENGTH} digits`, 'field.maxDigits', { max: MAX_PREFIX_LENGTH });
  if (!isWholeNonNegative(rate.connectFee)) fail('connectFee', 'must be an amount of zero or more', 'field.amountNotNegative');
  if (!isWholeNonNegative(rate.freeSeconds)) fail('freeSeconds', 'must be a whole number of seconds, zero or more', 'field.secondsNotNegative');
  if (!isWholeNonNegative(rate.minSeconds)) fail('minSeconds', 'must be a whole number of seconds, zero or more', 'field.secondsNotNegative');
  if (rate.effectiveFrom !== null && !Number.isSafeInteger(rate.effectiveFrom)) fail('effectiveFrom', 'must be an instant or empty', 'field.instantOrEmpty');

  if (!rate.intervals?.length) {
    fail('intervals', 'needs at least one interval (a free rate is one interval with price 0)', 'field.intervalsNeeded');
  } else {
    rate.intervals.forEach((interval, i) => {
      const field = (name: string) => `intervals.${i}.${name}`;
      if (i === 0 && interval.start !== 0) fail(field('start'), 'the first interval must start at 0', 'field.firstIntervalStart');
      if (!isWholeNonNegative(interval.start)) fail(field('start'), 'must be a whole number of seconds', 'field.wholeSeconds');
      else if (i > 0 && !(interval.start > rate.intervals[i - 1]!.start)) {
        fail(field('start'), `must be after the previous interval's start (${rate.intervals[i - 1]!.start})`, 'field.afterPreviousStart', { previous: rate.intervals[i - 1]!.start });
      }
      if (!isWholeNonNegative(interval.price)) fail(field('price'), 'must be an amount of zero or more', 'field.amountNotNegative');
      if (!(Number.isSafeInteger(interval.unit) && interval.unit > 0)) fail(field('unit'), 'must be a whole number of seconds above 0', 'field.secondsPositive');
      if (!(Number.isSafeInteger(interval.increment) && interval.increment > 0)) {
        fail(field('increment'), 'must be a whole number of seconds above 0', 'field.secondsPositive');
      }
    });
  }
  if (rate.timeBand) errors.push(...validateTimeBand(rate.timeBand, at('timeBand')));
  return errors;
}

export function validateTimeBand(band: TimeBand, path: string): RateValidationError[] {
  const errors: RateValidationError[] = [];
  if (!Array.isArray(band.days) || band.days.length === 0) {
    errors.push({ path: `${path}.days`, message: 'must list at least one day (1 = Monday ... 7 = Sunday)', key: 'field.daysNeeded' });
  } else {
    band.days.forEach((d, i) => {
      if (!(Number.isInteger(d) && d >= 1 && d <= 7)) errors.push({ path: `${path}.days.${i}`, message: 'must be a day 1 (Monday) to 7 (Sunday)', key: 'field.dayOfWeek' });
    });
    if (new Set(band.days).size !== band.days.length) errors.push({ path: `${path}.days`, message: 'lists a day twice', key: 'field.dayTwice' });
  }
  const from = parseClockTime(band.from);
  const to = parseClockTime(band.to);
  if (Number.isNaN(from) || from === 1440) errors.push({ path: `${path}.from`, message: 'must be a time HH:MM from 00:00 to 23:59', key: 'field.bandFrom' });
  if (Number.isNaN(to)) errors.push({ path: `${path}.to`, message: 'must be a time HH:MM from 00:00 to 24:00', key: 'field.bandTo' });
  if (!Number.isNaN(from) && from === to) {
    errors.push({ path: `${path}.to`, message: 'must differ from "from" (a whole day is 00:00 to 24:00)', key: 'field.bandSame' });
  }
  return errors;
}

/** Identity of a rate within its group: two rates may not share it (DESIGN §12: unique group, type, prefix, band, date). */
export function rateIdentityKey(rate: Pick<Rate, 'callType' | 'prefix' | 'timeBand' | 'effectiveFrom'>): string {
  const band = rate.timeBand ? `${[...rate.timeBand.days].sort((a, b) => a - b).join(',')} ${rate.timeBand.from}-${rate.timeBand.to}` : 'none';
  return `${rate.callType}|${rate.prefix}|${band}|${rate.effectiveFrom ?? 'always'}`;
}

/** Every rate of a group checked, plus conflicts between rates; paths start with the rate's position in `rates`. */
export function validateRateGroup(rates: readonly RateDraft[]): RateValidationError[] {
  const errors: RateValidationError[] = [];
  const seen = new Map<string, number>();
  rates.forEach((rate, i) => {
    errors.push(...validateRate(rate, String(i)));
    const key = rateIdentityKey(rate);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else {
      errors.push({
        path: String(i),
        message: `has the same call type, prefix, time band and effective date as rate ${first} ("${rates[first]!.name}")`,
        key: 'field.rateDuplicate',
        params: { name: rates[first]!.name },
      });
    }
  });
  return errors;
}
