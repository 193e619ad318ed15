import fs from 'node:fs';
import path from 'node:path';
import { ApiError, fieldDetails } from '../../../src-shared/api/errors';
import { problem, type Problem } from '../../../src-shared/api/messages';
import { parseMoney } from '../../../src-shared/domain/money';
import type { Rate } from '../../../src-shared/domain/rating/rate';
import { rateIdentityKey, validateRateGroup } from '../../../src-shared/domain/rating/rate-validation';
import type { CallContext, DomainHandlers } from '../../api/call-context';
import type { EventBus } from '../../events';
import type { SettingsService } from '../../settings/service';
import type { RatingService } from '../rating-service';
import { rateOfRow, rateRecordOf, type RateInput, type RateRow } from './rate-repository';

export const SEED_RATES_FILE = 'seed-rates.json';

interface SeedRate {
  name: string;
  /** The name in each UI language; `name` when the creator gave no language. */
  names?: Partial<Record<'zh-CN' | 'en', string>>;
  callType: Rate['callType'];
  prefix: string;
  connectFee: string;
  intervals: { start: number; price: string; unit: number; increment: number }[];
  freeSeconds: number;
  minSeconds: number;
}

/**
 * The rates a new group starts with (`local` and `inter`), from resources/seed-rates.json, named in the creating
 * clerk's language when it is given (a Chinese clerk gets 本地通话 and 内部通话).
 */
function seedRates(resourcesDir: string, language?: 'zh-CN' | 'en'): RateInput[] {
  const file = path.join(resourcesDir, SEED_RATES_FILE);
  const seed = JSON.parse(fs.readFileSync(file, 'utf8')) as { rates: SeedRate[] };
  return seed.rates.map((r) => ({
    name: (language && r.names?.[language]) || r.name,
    callType: r.callType,
    prefix: r.prefix,
    connectFee: parseMoney(r.connectFee),
    intervals: r.intervals.map((i) => ({ start: i.start, price: parseMoney(i.price), unit: i.unit, increment: i.increment })),
    freeSeconds: r.freeSeconds,
    minSeconds: r.minSeconds,
    effectiveFrom: null,
    timeBand: null,
    notes: '',
  }));
}

/**
 * The rating core's checks for one rate among the others of its group, as field errors of the input: intervals
 * ascending from 0, positive unit and increment, valid band, and no second rate with the same identity.
 */
export function checkRate(rate: RateInput, others: readonly Rate[]): void {
  const candidate = String(others.length);
  const fields: Record<string, Problem[]> = {};
  for (const error of validateRateGroup([...others, rate])) {
    if (error.path === candidate) {
      const key = rateIdentityKey(rate);
      const same = others.find((o) => rateIdentityKey(o) === key);
      (fields.prefix ??= []).push(
        problem(
          'field.rateDuplicate',
          `another rate of this group${same ? `, "${same.name}" (#${same.id}),` : ''} has the same call type, prefix, time band and effective date`,
          { name: same?.name ?? '' },
        ),
      );
    } else if (error.path.startsWith(`${candidate}.`)) {
      (fields[error.path.slice(candidate.length + 1)] ??= []).push(problem(error.key, error.message, error.params));
    }
  }
  const first = Object.entries(fields)[0];
  if (first) throw ApiError.keyed('invalid_input', 'api.invalidField', `Invalid rate: ${first[0]} ${first[1][0]!.text}`, { field: first[0] }, fieldDetails(fields));
}

function inputOf(row: RateRow): RateInput {
  const { id: _id, ...rate } = rateOfRow(row);
  return { ...rate, timeBand: rate.timeBand ?? null, notes: row.notes };
}

/** What the rate group and rate handlers use. */
export interface RateHandlerDeps {
  /** The rates, and the snapshots a change makes stale. */
  rating: Pick<RatingService, 'rateRepo' | 'ratesChanged'>;
  events: EventBus;
  /** The currency of a new group that names none. */
  settings: Pick<SettingsService, 'get'>;
  /** Where a new group's seed rates are (resources/seed-rates.json). */
  config: { resourcesDir: string };
  now(): number;
}

/** After the commit: the group's snapshot is rebuilt on next use, and screens hear of the change. */
function afterRateChange(s: RateHandlerDeps, ctx: CallContext, domain: 'rateGroups' | 'rates', groupId: number, ids: number[]): void {
  ctx.afterCommit(() => {
    s.rating.ratesChanged(groupId);
    s.events.emit('data.changed', { domain, ids });
  });
}

function rateGroupHandlers(s: RateHandlerDeps): DomainHandlers<'rateGroups'> {
  const repo = s.rating.rateRepo;
  return {
    'rateGroups.list': () => repo.groups(),
    'rateGroups.create': (input, ctx) => {
      const currency = input.currency ?? s.settings.get('currency').code;
      const seeds = seedRates(s.config.resourcesDir, input.language);
      const id = repo.insertGroup({ name: input.name, currency, notes: input.notes }, s.now());
      for (const rate of seeds) repo.insertRate(id, rate, s.now());
      const after = repo.group(id);
      ctx.audit({ target: `rateGroup:${id}`, after });
      afterRateChange(s, ctx, 'rateGroups', id, [id]);
      return after;
    },
    'rateGroups.update': (input, ctx) => {
      const before = repo.group(input.id);
      repo.updateGroup(
        input.id,
        { name: input.name ?? before.name, currency: input.currency ?? before.currency, notes: input.notes ?? before.notes },
        s.now(),
      );
      const after = repo.group(input.id);
      ctx.audit({ target: `rateGroup:${input.id}`, before, after });
      afterRateChange(s, ctx, 'rateGroups', input.id, [input.id]);
      return after;
    },
    'rateGroups.delete': ({ id }, ctx) => {
      const before = repo.group(id);
      repo.deleteGroup(id);
      ctx.audit({ target: `rateGroup:${id}`, before });
      afterRateChange(s, ctx, 'rateGroups', id, [id]);
      return { ok: true };
    },
  };
}

function rateMethodHandlers(s: RateHandlerDeps): DomainHandlers<'rates'> {
  const repo = s.rating.rateRepo;
  const othersOf = (groupId: number, exceptId?: number) =>
    repo.rateRows(groupId).filter((r) => r.id !== exceptId).map(rateOfRow);
  return {
    'rates.list': ({ rateGroupId, callType }) => {
      repo.group(rateGroupId);
      return repo.rateRows(rateGroupId, callType).map(rateRecordOf);
    },
    'rates.create': (input, ctx) => {
      const { rateGroupId, ...fields } = input;
      repo.group(rateGroupId);
      checkRate(fields, othersOf(rateGroupId));
      const id = repo.insertRate(rateGroupId, fields, s.now());
      const after = rateRecordOf(repo.rateRow(id));
      ctx.audit({ target: `rate:${id}`, after });
      afterRateChange(s, ctx, 'rates', rateGroupId, [id]);
      return after;
    },
    'rates.update': (input, ctx) => {
      const row = repo.rateRow(input.id);
      const { id, ...patch } = input;
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const merged = { ...inputOf(row), ...defined } as RateInput;
      checkRate(merged, othersOf(row.rate_group_id, id));
      repo.updateRate(id, merged, s.now());
      const after = rateRecordOf(repo.rateRow(id));
      ctx.audit({ target: `rate:${id}`, before: rateRecordOf(row), after });
      afterRateChange(s, ctx, 'rates', row.rate_group_id, [id]);
      return after;
    },
    'rates.delete': ({ id }, ctx) => {
      const row = repo.rateRow(id);
      repo.deleteRate(id);
      ctx.audit({ target: `rate:${id}`, before: rateRecordOf(row) });
      afterRateChange(s, ctx, 'rates', row.rate_group_id, [id]);
      return { ok: true };
    },
  };
}

export function rateHandlers(s: RateHandlerDeps): DomainHandlers<'rateGroups'> & DomainHandlers<'rates'> {
  return { ...rateGroupHandlers(s), ...rateMethodHandlers(s) };
}
