import { describe, expect, it } from 'vitest';
import { monthOfRange, monthRange } from './monthRange';

describe('statistics month stepping', () => {
  const today = '2026-03-02';
  it('knows a whole month, and the current month up to today', () => {
    expect(monthOfRange('2026-02-01', '2026-02-28', today)).toBe('2026-02');
    expect(monthOfRange('2026-03-01', '2026-03-02', today)).toBe('2026-03');
    expect(monthOfRange('2024-02-01', '2024-02-29', today)).toBe('2024-02');
    expect(monthOfRange('2026-02-01', '2026-02-27', today)).toBeNull();
    expect(monthOfRange('2026-02-02', '2026-02-28', today)).toBeNull();
    expect(monthOfRange('2026-01-01', '2026-02-28', today)).toBeNull();
  });

  it('gives a month its days, the current one up to today', () => {
    expect(monthRange('2026-02', today)).toEqual(['2026-02-01', '2026-02-28']);
    expect(monthRange('2025-12', today)).toEqual(['2025-12-01', '2025-12-31']);
    expect(monthRange('2026-03', today)).toEqual(['2026-03-01', '2026-03-02']);
  });
});
