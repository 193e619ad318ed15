import type { TFunction } from 'i18next';
import { ApiError, type FieldErrors } from '../../../src-shared/api/errors';
import type { Problem, ProblemParams } from '../../../src-shared/api/messages';

/**
 * Engine sentences in the clerk's language. A Problem's key is looked up in the `engine` namespace; a key the
 * catalogue lacks gives a generic translated sentence, never the English text (that stays in the technical detail).
 */

const UNKNOWN = 'engine:api.unknownProblem';

/** The label of a field path in the clerk's language: "rates.0.intervals.1.start" -> "开始", "(input)" -> "输入". */
export function fieldLabel(path: string, t: TFunction): string {
  const names = path.split('.').filter((segment) => segment !== '' && !/^\d+$/.test(segment));
  const last = names[names.length - 1];
  if (!last || last === '(input)') return t('engine:fieldNames._input');
  // The full path first ("sftp.host" may read differently from "host"), then the field's own name.
  const candidates = [names.join('_'), last].map((name) => `engine:fieldNames.${name}`);
  return t([...candidates, 'engine:fieldNames._unknown']);
}

/** Params as the sentence shows them: field paths and kinds of record by their translated names. */
function shownParams(params: ProblemParams | undefined, t: TFunction): Record<string, string | number> {
  const out: Record<string, string | number> = { ...params };
  if (typeof params?.field === 'string') out.field = fieldLabel(params.field, t);
  if (typeof params?.thing === 'string') out.thing = t([`engine:api.things.${params.thing}`, 'engine:api.things._unknown']);
  return out;
}

export function translateProblem(p: Problem, t: TFunction): string {
  return t([`engine:${p.key}`, UNKNOWN], shownParams(p.params, t));
}

/** "区号：必须是 1 到 3 位数字" — one field's problem with the field named. */
export function translateFieldProblem(path: string, p: Problem, t: TFunction): string {
  return t('engine:api.fieldProblem', { field: fieldLabel(path, t), problem: translateProblem(p, t) });
}

/**
 * The per-field messages of an API error in the clerk's language, joined per field (path -> text), or null when it
 * has none. Uses `details.problems`; a field with English messages only (an older server) gets a generic sentence.
 */
export function translatedFieldErrors(error: unknown, t: TFunction): Record<string, string> | null {
  if (!(error instanceof ApiError)) return null;
  const problems = error.fieldProblems ?? {};
  const fields = (error.details as { fields?: FieldErrors } | undefined)?.fields ?? {};
  const out: Record<string, string> = {};
  for (const path of new Set([...Object.keys(problems), ...Object.keys(fields)])) {
    const list = problems[path];
    if (list?.length) out[path] = list.map((p) => translateProblem(p, t)).join(t('engine:api.listSeparator'));
    else if (Array.isArray(fields[path]) && fields[path].length) out[path] = t(UNKNOWN);
  }
  return Object.keys(out).length ? out : null;
}

/** Each field problem of an error as one "field: problem" line (at most `limit`), for a message that lists them. */
export function fieldProblemLines(error: ApiError, t: TFunction, limit = 3): string[] {
  const problems = error.fieldProblems;
  if (!problems) return [];
  return Object.entries(problems)
    .slice(0, limit)
    .map(([path, list]) => translateFieldProblem(path, list[0]!, t));
}

export interface DescribedError {
  /** What kind of failure, in the clerk's language (one per error code). */
  title: string;
  /** What went wrong, in the clerk's language: the error's Problem, or its field problems ("区号：…"). */
  message: string;
  /** The engine's English sentence, for support: shown only as a secondary "technical detail". */
  detail?: string;
}

/**
 * An API error in the clerk's language: the title by error code, the message from the error's translatable
 * Problem (or its field problems), and the engine's English text as the technical detail. An error without a Problem
 * (an older server, a transport failure) gets a generic sentence; its English text is never the main message.
 */
export function describeError(error: unknown, t: TFunction): DescribedError {
  if (error instanceof ApiError) {
    const detail = error.message || undefined;
    if (error.code === 'throttled') {
      const seconds = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (seconds) return { title: t('errors:throttled'), message: t('errors:retryAfter', { seconds }), detail };
    }
    const lines = fieldProblemLines(error, t);
    const message = lines.length
      ? lines.join(t('engine:api.listSeparator'))
      : error.problem
        ? translateProblem(error.problem, t)
        : t(`errors:detail.${error.code}`);
    return { title: t(`errors:${error.code}`), message, detail };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { title: t('errors:internal'), message: t('errors:detail.internal'), detail: detail || undefined };
}
