import { describe, expect, it } from 'vitest';
import { isContactPhone } from './contact-phone';

describe('isContactPhone', () => {
  it('accepts mobile and fixed-line numbers of China and other countries as clerks write them', () => {
    for (const text of ['13812345678', '138 1234 5678', '+86 138-1234-5678', '010-65528888', '(010) 6552 8888', '021-12345678', '+44 20 7946 0958', '+1 (212) 555-0123']) {
      expect(isContactPhone(text), text).toBe(true);
    }
  });

  it('accepts an office extension after the number', () => {
    for (const text of ['010-65528888 转 8001', '010-65528888-8001', '010 6552 8888 ext. 8001', '+44 20 7946 0958 x12', '021-12345678分机123']) {
      expect(isContactPhone(text), text).toBe(true);
    }
  });

  it('refuses text, too few or too many digits, and service short numbers', () => {
    for (const text of ['abcdef', 'call me', '12345', '95588', '1381234567', '138123456789012', '010-65528888 转 abc', '+86 abc 1234 5678', '13812345678 or 13912345678']) {
      expect(isContactPhone(text), text).toBe(false);
    }
  });
});
