import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { enterpriseCreateInput } from '../../../src-shared/api/accounts';
import { actionReason } from '../../../src-shared/api/common';
import { deviceCreateInput } from '../../../src-shared/api/devices';
import { ApiError } from '../../../src-shared/api/errors';
import { apiErrorsOnFields, apiFieldProblems, chosenId, contractProblems, fieldsByPrefix, maxLengthOf, orNull } from './contractForm';

const englishOf = (issue: { message: string }) => issue.message;

describe('apiFieldProblems', () => {
  it('joins the messages of each field', () => {
    const error = new ApiError('invalid_input', 'Invalid input', {
      fields: { username: ['is taken'], 'intervals.0.price': ['must be an amount', 'is required'] },
    });
    expect(apiFieldProblems(error)).toEqual({ username: 'is taken', 'intervals.0.price': 'must be an amount; is required' });
  });

  it('is null for errors without field details', () => {
    expect(apiFieldProblems(new ApiError('conflict', 'Last admin'))).toBeNull();
    expect(apiFieldProblems(new ApiError('throttled', 'Wait', { retryAfterSeconds: 30 }))).toBeNull();
    expect(apiFieldProblems(new Error('plain'))).toBeNull();
  });

  it("translates the engine's Problems when it sends them, in place of the English", () => {
    const error = new ApiError('invalid_input', 'Invalid input', {
      fields: { name: ['Too big: expected string to have <=100 characters'] },
      problems: { name: [{ key: 'zod.too_big.string', params: { maximum: 100 }, text: 'Too big' }] },
    });
    expect(apiFieldProblems(error, (p) => `${p.key}:${p.params?.['maximum']}`)).toEqual({ name: 'zod.too_big.string:100' });
    expect(apiFieldProblems(error)).toEqual({ name: 'Too big: expected string to have <=100 characters' });
  });
});

describe('apiErrorsOnFields', () => {
  it('puts list items and nested paths on the field that shows them, and leaves out paths no field shows', () => {
    const error = new ApiError('invalid_input', 'Invalid', {
      fields: { 'extensions.2.number': ['digits only'], 'extensions.4.number': ['taken'], name: ['is taken'], 'ghost.path': ['?'] },
    });
    expect(apiErrorsOnFields(error, fieldsByPrefix(['name', 'extensions']))).toEqual({ name: 'is taken', extensions: 'digits only; taken' });
  });
});

describe('contractProblems', () => {
  const fields = fieldsByPrefix(Object.keys(enterpriseCreateInput.shape));

  it('refuses what the engine refuses, on the field, with the contract limit', () => {
    const { fields: problems, other } = contractProblems(
      enterpriseCreateInput,
      { name: 'x'.repeat(101), rateGroupId: chosenId(''), billingMode: 'prepaid', phone: 'abcdef', email: 'not-an-email', notes: 'n'.repeat(2001) },
      fields,
      englishOf,
    );
    expect(Object.keys(problems).sort()).toEqual(['email', 'name', 'notes', 'phone', 'rateGroupId']);
    expect(problems.name).toMatch(/100/);
    expect(problems.notes).toMatch(/2000/);
    expect(other).toEqual([]);
  });

  it('passes what the engine accepts, text at the limit included', () => {
    const input = { name: 'x'.repeat(100), code: orNull(''), rateGroupId: chosenId('3'), billingMode: 'prepaid', phone: '010-6552 8888 转 8001', email: 'wu@example.com' };
    expect(contractProblems(enterpriseCreateInput, input, fields, englishOf)).toEqual({ fields: {}, other: [] });
    expect(enterpriseCreateInput.parse(input).name).toHaveLength(100);
  });

  it('says problems of paths no field shows apart, so a refused form is never silent', () => {
    const schema = z.object({ a: z.string().max(2), b: z.object({ c: z.number() }) });
    const result = contractProblems(schema, { a: 'abc', b: { c: 'x' } }, fieldsByPrefix(['a']), englishOf);
    expect(Object.keys(result.fields)).toEqual(['a']);
    expect(result.other).toHaveLength(1);
    expect(result.other[0]).toMatch(/^b\.c: /);
  });
});

describe('maxLengthOf', () => {
  it('reads the limit of a text field through optional, nullable, default and refinements', () => {
    const s = enterpriseCreateInput.shape;
    expect([maxLengthOf(s.name), maxLengthOf(s.code), maxLengthOf(s.phone), maxLengthOf(s.email), maxLengthOf(s.notes)]).toEqual([100, 50, 50, 200, 2000]);
    expect(maxLengthOf(deviceCreateInput.shape.name)).toBe(100);
    expect(maxLengthOf(actionReason)).toBe(500);
  });

  it('is null for fields that are not limited text (numbers, lists, money)', () => {
    expect(maxLengthOf(enterpriseCreateInput.shape.rateGroupId)).toBeNull();
    expect(maxLengthOf(enterpriseCreateInput.shape.creditLimit)).toBeNull();
    expect(maxLengthOf(deviceCreateInput.shape.localNumberLengths)).toBeNull();
    expect(maxLengthOf(z.string())).toBeNull();
  });
});
