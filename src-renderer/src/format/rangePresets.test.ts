import { describe, expect, it } from 'vitest';
import { rangePresets } from '../format/rangePresets';

describe('rangePresets', () => {
  // 00:30 on 2 March 2026 in Shanghai is still 1 March in UTC: the clerk's zone decides what "today" is.
  const at = new Date('2026-03-01T16:30:00Z');
  const presets = (zone: string) => Object.fromEntries(rangePresets(zone, (key: string) => key, at).map((p) => [p.label, p.value]));

  it('offers today, yesterday, this and last month, this and last year, counted in the zone', () => {
    expect(presets('Asia/Shanghai')).toEqual({
      today: ['2026-03-02', '2026-03-02'],
      yesterday: ['2026-03-01', '2026-03-01'],
      last7Days: ['2026-02-24', '2026-03-02'],
      last30Days: ['2026-02-01', '2026-03-02'],
      thisMonth: ['2026-03-01', '2026-03-02'],
      lastMonth: ['2026-02-01', '2026-02-28'],
      thisYear: ['2026-01-01', '2026-03-02'],
      lastYear: ['2025-01-01', '2025-12-31'],
    });
  });

  it('moves with the zone', () => {
    expect(presets('UTC')['today']).toEqual(['2026-03-01', '2026-03-01']);
    expect(presets('UTC')['yesterday']).toEqual(['2026-02-28', '2026-02-28']);
    expect(presets('UTC')['thisMonth']).toEqual(['2026-03-01', '2026-03-01']);
  });
});
