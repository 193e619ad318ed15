import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, conflict, fieldDetails, invalid, notFound } from './errors';
import { keyed, problem, problemFromIssue, problemsByField, refinement } from './messages';

const issueOf = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected a failure');
  return r.error.issues[0]!;
};
const p = (schema: z.ZodType, input: unknown) => {
  const { text: _text, ...rest } = problemFromIssue(issueOf(schema, input));
  return rest;
};

describe('problemFromIssue', () => {
  it('too_small and too_big by origin, with their bounds', () => {
    expect(p(z.string().min(3), 'ab')).toEqual({ key: 'zod.too_small.string', params: { minimum: 3 } });
    expect(p(z.string().min(1), '')).toEqual({ key: 'zod.too_small.stringEmpty', params: { minimum: 1 } });
    expect(p(z.string().max(5), 'abcdefg')).toEqual({ key: 'zod.too_big.string', params: { maximum: 5 } });
    expect(p(z.number().min(2), 1)).toEqual({ key: 'zod.too_small.number', params: { minimum: 2 } });
    expect(p(z.number().gt(0), 0)).toEqual({ key: 'zod.too_small.numberExclusive', params: { minimum: 0 } });
    expect(p(z.number().lt(10), 10)).toEqual({ key: 'zod.too_big.numberExclusive', params: { maximum: 10 } });
    expect(p(z.int().max(7), 8)).toEqual({ key: 'zod.too_big.number', params: { maximum: 7 } });
    expect(p(z.array(z.number()).min(2), [1])).toEqual({ key: 'zod.too_small.array', params: { minimum: 2 } });
    expect(p(z.array(z.number()).min(1), [])).toEqual({ key: 'zod.too_small.arrayEmpty', params: { minimum: 1 } });
    expect(p(z.array(z.number()).max(1), [1, 2])).toEqual({ key: 'zod.too_big.array', params: { maximum: 1 } });
    expect(p(z.date().min(new Date(Date.UTC(2026, 0, 1))), new Date(Date.UTC(2025, 0, 1)))).toEqual({
      key: 'zod.too_small.date',
      params: { minimum: '2026-01-01T00:00:00.000Z' },
    });
  });

  it('invalid_type by expected type; a missing value is required', () => {
    expect(p(z.object({ a: z.string() }), {})).toEqual({ key: 'zod.required' });
    expect(p(z.number(), 'x')).toEqual({ key: 'zod.invalid_type.number' });
    expect(p(z.int(), 1.5)).toEqual({ key: 'zod.invalid_type.int' });
    expect(p(z.boolean(), 1)).toEqual({ key: 'zod.invalid_type.boolean' });
  });

  it('invalid_format by format', () => {
    expect(p(z.email(), 'not-an-email')).toEqual({ key: 'zod.invalid_format.email' });
    expect(p(z.string().regex(/^a$/), 'b')).toEqual({ key: 'zod.invalid_format.regex' });
    expect(p(z.string().startsWith('+'), '86')).toEqual({ key: 'zod.invalid_format.starts_with', params: { prefix: '+' } });
  });

  it('invalid_value, unrecognized_keys, not_multiple_of', () => {
    expect(p(z.enum(['a', 'b']), 'c')).toEqual({ key: 'zod.invalid_value.many', params: { values: 'a, b' } });
    expect(p(z.literal('x'), 'y')).toEqual({ key: 'zod.invalid_value.one', params: { values: 'x' } });
    expect(p(z.object({}).strict(), { zz: 1 })).toEqual({ key: 'zod.unrecognized_keys', params: { keys: 'zz' } });
    expect(p(z.number().multipleOf(5), 7)).toEqual({ key: 'zod.not_multiple_of', params: { divisor: 5 } });
  });

  it('custom issues keep their key and params; plain custom issues a generic key', () => {
    const s = z.string().refine(() => false, { message: 'English', params: { key: 'field.test.custom', n: 3 } });
    expect(problemFromIssue(issueOf(s, 'x'))).toEqual({ key: 'field.test.custom', params: { n: 3 }, text: 'English' });
    expect(p(z.string().refine(() => false, 'whatever'), 'x')).toEqual({ key: 'zod.custom' });
    const sup = z.object({ a: z.number() }).superRefine((_v, ctx) => ctx.addIssue({ code: 'custom', path: ['a'], message: 'no', params: { key: 'field.test.sup' } }));
    expect(problemFromIssue(issueOf(sup, { a: 1 }))).toEqual({ key: 'field.test.sup', text: 'no' });
  });

  it('a keyed text on a built-in check gives its key, with the check bounds and its own params', () => {
    const s = z.string().regex(/^\d{1,3}$/, keyed('field.test.digits', 'must be 1 to 3 test digits', { max: 3 }));
    expect(problemFromIssue(issueOf(s, 'abcd'))).toEqual({ key: 'field.test.digits', params: { max: 3 }, text: 'must be 1 to 3 test digits' });
    const m = z.string().min(3, keyed('field.test.why', 'say why (test)'));
    expect(problemFromIssue(issueOf(m, 'a'))).toEqual({ key: 'field.test.why', params: { minimum: 3 }, text: 'say why (test)' });
    const r = z.number().refine((v) => v > 0, refinement('field.test.positive', 'must be positive (test)'));
    expect(problemFromIssue(issueOf(r, 0))).toEqual({ key: 'field.test.positive', text: 'must be positive (test)' });
  });

  it('problemsByField groups by dotted path, the whole input as (input)', () => {
    const s = z.object({ rates: z.array(z.object({ start: z.number().min(0) })) });
    const r = s.safeParse({ rates: [{ start: 1 }, { start: -1 }] });
    expect(Object.keys(problemsByField(r.error!.issues))).toEqual(['rates.1.start']);
    const whole = z.number().safeParse('x');
    expect(Object.keys(problemsByField(whole.error!.issues))).toEqual(['(input)']);
  });
});

describe('ApiError', () => {
  it('round-trips its problem and field problems through the wire body', () => {
    const e = invalid('Invalid rate: name must not be empty', { name: problem('zod.too_small.stringEmpty', 'must not be empty', { minimum: 1 }) }, 'api.invalidField', { field: 'name' });
    const wire = JSON.parse(JSON.stringify(e.toBody()));
    expect(wire.details.fields).toEqual({ name: ['must not be empty'] });
    const back = ApiError.fromBody(wire);
    expect(back.message).toBe('Invalid rate: name must not be empty');
    expect(back.problem).toEqual({ key: 'api.invalidField', params: { field: 'name' }, text: 'Invalid rate: name must not be empty' });
    expect(back.fieldProblems).toEqual({ name: [{ key: 'zod.too_small.stringEmpty', params: { minimum: 1 }, text: 'must not be empty' }] });
  });

  it('keeps an older body without a problem readable, and drops a malformed one', () => {
    const back = ApiError.fromBody({ code: 'conflict', message: 'x', problem: { key: 1 } as never });
    expect(back.problem).toBeUndefined();
    expect(back.fieldProblems).toBeNull();
    expect(ApiError.fromBody({ code: 'nonsense' as never, message: 'm' }).code).toBe('internal');
  });

  it('notFound names the thing by key and keeps the English message', () => {
    const e = notFound('device', 12);
    expect(e.message).toBe('Device 12 does not exist');
    expect(e.problem).toEqual({ key: 'api.notFound', params: { thing: 'device', id: '12' }, text: 'Device 12 does not exist' });
  });

  it('invalid with English fields keeps them as before; conflict takes an optional key', () => {
    expect(invalid('bad', { a: ['is bad'] }).details).toEqual({ fields: { a: ['is bad'] } });
    expect(conflict('taken', undefined, 'api.test', { n: 1 }).problem).toEqual({ key: 'api.test', params: { n: 1 }, text: 'taken' });
    expect(fieldDetails({ a: [problem('k1', 't1'), problem('k2', 't2')] }).fields).toEqual({ a: ['t1', 't2'] });
  });
});
