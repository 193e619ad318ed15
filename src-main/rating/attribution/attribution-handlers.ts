import path from 'node:path';
import type { AttributionLookup } from '../../../src-shared/api/attribution';
import { ApiError, fieldDetails } from '../../../src-shared/api/errors';
import { destinationCountry } from '../../../src-shared/domain/numbers/destination-country';
import { cleanDialledNumber } from '../../../src-shared/domain/numbers/route-prefix';
import type { DomainHandlers } from '../../api/call-context';
import type { EventBus } from '../../events';
import type { RatingService } from '../rating-service';
import { exportAttribution, type AttributionExportDeps } from './attribution-export';
import { AttributionImportRefused, importAttribution, type AttributionImportDeps } from './attribution-import';
import { collectGarbage } from './collect-garbage';
import { problem } from '../../../src-shared/api/messages';

/** "+86 138..." / "0086138..." / "0138..." / "138..." -> country code and national number. */
export function nationalNumberOf(number: string, countryCode: string): { countryCode: string; nationalNumber: string } {
  const digits = cleanDialledNumber(number);
  let international: string | null = null;
  if (digits.startsWith('+')) international = digits.slice(1);
  else if (digits.startsWith('00')) international = digits.slice(2);
  if (international !== null) {
    if (international.startsWith(countryCode)) return { countryCode, nationalNumber: international.slice(countryCode.length) };
    const destination = destinationCountry(international);
    if (destination) return { countryCode: destination.callingCode, nationalNumber: international.slice(destination.callingCode.length) };
    return { countryCode, nationalNumber: international };
  }
  // The trunk prefix 0 as most countries (China among them) dial it.
  return { countryCode, nationalNumber: digits.startsWith('0') ? digits.slice(1) : digits };
}

const base64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** What the attribution handlers use (an import's staging file goes under `config.dataDir`). */
export interface AttributionHandlerDeps extends AttributionImportDeps, AttributionExportDeps {
  rating: Pick<RatingService, 'attributionRepo' | 'ready' | 'attributionIndex' | 'attributionState' | 'attributionChanged' | 'defaultAttribution'>;
  config: { dataDir: string };
  events: EventBus;
}

export function attributionHandlers(s: AttributionHandlerDeps): DomainHandlers<'attribution'> {
  const repo = s.rating.attributionRepo;
  return {
    'attribution.list': ({ limit, cursor, ...filter }) => repo.search(filter, limit, cursor),
    'attribution.lookup': async ({ number, countryCode }): Promise<AttributionLookup> => {
      await s.rating.ready();
      const target = nationalNumberOf(number, countryCode);
      const index = s.rating.attributionIndex(target.countryCode);
      const entry = (row: { prefix: string } | null) => (row ? repo.entry(target.countryCode, row.prefix) : null);
      return {
        ...target,
        match: entry(index.lookup(target.nationalNumber)),
        mobile: entry(index.findMobile(target.nationalNumber)),
        fixed: entry(index.findAreaCode(target.nationalNumber)),
        state: s.rating.attributionState,
      };
    },
    'attribution.import': async (input, ctx) => {
      // Checked and decoded as it came (line breaks allowed): a copy of a 50 MB text would cost 50 MB more.
      const content = input.content;
      if (!base64.test(content)) {
        throw ApiError.keyed('invalid_input', 'api.invalidField', 'Invalid input: content must be the file as base64', { field: 'content' }, fieldDetails({ content: problem('field.base64', 'must be base64') }));
      }
      await s.rating.ready();
      try {
        const outcome = await importAttribution(s, {
          fileName: input.fileName,
          bytes: Buffer.from(content, 'base64'),
          countryCode: input.countryCode,
          mode: input.mode,
          stagingDir: path.join(s.config.dataDir, 'tmp', 'imports'),
          user: { id: ctx.user?.id ?? null, username: ctx.user?.username ?? '(unknown)' },
        });
        const version = repo.version(outcome.versionId);
        ctx.audit({ target: `attributionVersion:${version.id}`, fileName: input.fileName, mode: input.mode, version });
        ctx.afterCommit(() => {
          collectGarbage();
          s.rating.attributionChanged();
          s.events.emit('data.changed', { domain: 'attribution', ids: [version.id] });
        });
        return { version };
      } catch (err) {
        if (err instanceof AttributionImportRefused) throw new ApiError('invalid_input', err.message, err.refusal);
        throw err;
      }
    },
    'attribution.export': (input, ctx) => exportAttribution(s, ctx, input),
    'attribution.versions': ({ limit }) => repo.versions(limit),
    'attribution.status': () => {
      const latest = repo.versions(1)[0] ?? null;
      const message = s.rating.defaultAttribution.message;
      return {
        state: s.rating.attributionState,
        ...(message ? { message } : {}),
        countries: repo.countries(),
        latestVersion: latest,
      };
    },
  };
}
