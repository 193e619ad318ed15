import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src-shared/api/errors';
import { fieldErrorsOf } from './useFormFields';

describe('fieldErrorsOf', () => {
  it('joins the messages of each field', () => {
    const error = new ApiError('invalid_input', 'Invalid input', {
      fields: { username: ['is taken'], 'intervals.0.price': ['must be an amount', 'is required'] },
    });
    expect(fieldErrorsOf(error)).toEqual({ username: 'is taken', 'intervals.0.price': 'must be an amount; is required' });
  });

  it('is null for errors without field details', () => {
    expect(fieldErrorsOf(new ApiError('conflict', 'Last admin'))).toBeNull();
    expect(fieldErrorsOf(new ApiError('throttled', 'Wait', { retryAfterSeconds: 30 }))).toBeNull();
    expect(fieldErrorsOf(new Error('plain'))).toBeNull();
  });
});
