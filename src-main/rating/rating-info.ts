import type { Clock } from '../clock';
import { isoTime } from '../../src-shared/api/common';
import type { SystemInfoSection } from '../../src-shared/api/system';
import type { RatingService } from './rating-service';
import { sectionTexts } from '../system/system-info';

const text = sectionTexts('rating');

/** The rating section of `system.info`: whether attribution data is usable, what it holds, and the configuration. */
export function ratingInfoSection(rating: RatingService, now: Clock): SystemInfoSection {
  const db = rating.rateRepo;
  const state = rating.attributionState;
  const latest = rating.attributionRepo.versions(1)[0];
  const countries = rating.attributionRepo.countries();
  const groups = db.groups();
  const status = state === 'failed' ? 'error' : state === 'loading' ? 'warning' : 'ok';
  return {
    title: text('title', 'Rating'),
    status,
    items: [
      {
        key: 'attributionState',
        label: text('attributionState', 'Number attribution data'),
        value: state === 'ready' ? 'ready' : state === 'loading' ? 'loading the default data' : `failed: ${rating.defaultAttribution.message ?? ''}`,
        valueText:
          state === 'ready'
            ? text('ready', 'ready')
            : state === 'loading'
              ? text('loading', 'loading the default data')
              : text('failed', 'failed: {{message}}', { message: rating.defaultAttribution.message ?? '' }),
        unit: 'text',
        status,
      },
      ...countries.map((c) => ({
        key: `attribution:${c.countryCode}`,
        label: text('attributionRows', 'Attribution rows, +{{countryCode}}', { countryCode: c.countryCode }),
        value: c.rows,
        unit: 'count' as const,
      })),
      ...(latest
        ? [
            {
              key: 'attributionVersion',
              // The source is a word of the engine ('default' data shipped, or an 'import'): one text per source.
              label:
                latest.source === 'default'
                  ? text('attributionVersionDefault', 'Attribution version {{id}} (default data)', { id: latest.id })
                  : text('attributionVersionImport', 'Attribution version {{id}} (imported)', { id: latest.id }),
              value: latest.at,
              unit: 'time' as const,
            },
          ]
        : []),
      { key: 'rateGroups', label: text('rateGroups', 'Rate groups'), value: groups.length, unit: 'count' },
      { key: 'rates', label: text('rates', 'Rates'), value: groups.reduce((n, g) => n + g.rateCount, 0), unit: 'count' },
      { key: 'configurationVersion', label: text('configurationVersion', 'Rating configuration changes since start'), value: rating.configurationVersion, unit: 'count' },
      { key: 'checkedAt', label: text('checkedAt', 'Checked at'), value: isoTime(now()), unit: 'time' },
    ],
  };
}
