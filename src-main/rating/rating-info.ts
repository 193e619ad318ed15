import type { Clock } from '../clock';
import { isoTime } from '../../src-shared/api/common';
import type { SystemInfoSection } from '../../src-shared/api/system';
import type { RatingService } from './rating-service';

/** The rating section of `system.info`: whether attribution data is usable, what it holds, and the configuration. */
export function ratingInfoSection(rating: RatingService, now: Clock): SystemInfoSection {
  const db = rating.rateStore;
  const state = rating.attributionState;
  const latest = rating.attributionStore.versions(1)[0];
  const countries = rating.attributionStore.countries();
  const groups = db.groups();
  const status = state === 'failed' ? 'error' : state === 'loading' ? 'warning' : 'ok';
  return {
    title: 'Rating',
    status,
    items: [
      {
        key: 'attributionState',
        label: 'Number attribution data',
        value: state === 'ready' ? 'ready' : state === 'loading' ? 'loading the default data' : `failed: ${rating.defaultAttribution.message ?? ''}`,
        unit: 'text',
        status,
      },
      ...countries.map((c) => ({ key: `attribution:${c.countryCode}`, label: `Attribution rows, +${c.countryCode}`, value: c.rows, unit: 'count' as const })),
      ...(latest ? [{ key: 'attributionVersion', label: `Attribution version ${latest.id} (${latest.source})`, value: latest.at, unit: 'time' as const }] : []),
      { key: 'rateGroups', label: 'Rate groups', value: groups.length, unit: 'count' },
      { key: 'rates', label: 'Rates', value: groups.reduce((n, g) => n + g.rateCount, 0), unit: 'count' },
      { key: 'configurationVersion', label: 'Rating configuration changes since start', value: rating.configurationVersion, unit: 'count' },
      { key: 'checkedAt', label: 'Checked at', value: isoTime(now()), unit: 'time' },
    ],
  };
}
