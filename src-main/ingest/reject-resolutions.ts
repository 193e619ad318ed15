/**
 * What reprocessing or dismissing said about a reject (its `resolution`), and why one record was not read again, as
 * keys of the `engine` catalogue. The sentences are written by ./rejects.ts only, in these shapes; the English stays
 * stored as it was and is the detail for support.
 */
import type { ReasonProblem } from '../../src-shared/api/reasons';

const READ_AGAIN = /^read again on (?<at>\S+): (?<rest>[^]*)$/;

const RESOLUTIONS: { key: string; pattern: RegExp }[] = [
  { key: 'reject.resolution.stored', pattern: /^stored as CDR (?<cdrIds>[\d, ]+)$/ },
  { key: 'reject.resolution.duplicate', pattern: /^the call was already stored \(CDR (?<cdrId>\d+|null)\)$/ },
  { key: 'reject.resolution.stillUnreadable', pattern: /^still unreadable$/ },
  { key: 'reject.resolution.tooOld', pattern: /^the call started \S+, before \S+: CDRs of that time were archived and purged\b/ },
  { key: 'reject.resolution.notACall', pattern: /^not a call record\b/ },
  { key: 'reject.resolution.nothing', pattern: /^nothing to read$/ },
];

const OUTCOMES: { key: string; pattern: RegExp }[] = [
  { key: 'reject.outcome.alreadyReprocessed', pattern: /^already reprocessed$/ },
  { key: 'reject.outcome.cut', pattern: /^only the start of this record was kept\b/ },
  { key: 'reject.outcome.notACall', pattern: /^not a call record\b/ },
  { key: 'reject.outcome.nothing', pattern: /^nothing to read$/ },
];

const DISMISSED = 'reject.resolution.dismissed';
const OTHER = 'reject.resolution.other';

/** Every key a resolution or a reprocess outcome can carry (the i18n catalogue must hold each). */
export const RESOLUTION_KEYS: readonly string[] = [...RESOLUTIONS.map((r) => r.key), ...OUTCOMES.map((o) => o.key), DISMISSED, OTHER];

/** A stored resolution as a key: `at` is the instant it was read again; a dismissal keeps the clerk's own words. */
export function resolutionProblem(text: string): ReasonProblem {
  if (text.startsWith('dismissed: ')) return { key: DISMISSED, params: { reason: text.slice('dismissed: '.length) }, text };
  const readAgain = READ_AGAIN.exec(text);
  if (readAgain) {
    const { at, rest } = readAgain.groups as { at: string; rest: string };
    for (const r of RESOLUTIONS) {
      const m = r.pattern.exec(rest);
      if (m) return { key: r.key, params: { at, ...(m.groups ?? {}) }, text };
    }
  }
  return { key: OTHER, params: {}, text };
}

/** Why one reject was not read again (a reprocess outcome), with the English sentence. */
export function outcomeReason(reason: string): { reason: string; problem: ReasonProblem } {
  const found = OUTCOMES.find((o) => o.pattern.test(reason));
  return { reason, problem: { key: found?.key ?? OTHER, params: {}, text: reason } };
}
