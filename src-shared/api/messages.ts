import type { z } from 'zod';

/**
 * A sentence the engine says to a clerk, in a form the UI can translate: `key` names it in the renderer's `engine`
 * namespace (`zod.too_small.string`, `field.areaCode`, `api.notFound`), `params` fill its `{{placeholders}}` and
 * `text` is the English sentence, kept for support, logs and the API docs.
 *
 * Params named `field` hold a field path ("rates.0.intervals.1.start") and `thing` a kind of record ("device"); the
 * UI shows both by their translated names.
 */
export type ProblemParams = Record<string, string | number>;

export interface Problem {
  key: string;
  params?: ProblemParams;
  text: string;
}

export function problem(key: string, text: string, params?: ProblemParams): Problem {
  return params && Object.keys(params).length ? { key, params, text } : { key, text };
}

export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Problem;
  if (typeof p.key !== 'string' || typeof p.text !== 'string') return false;
  if (p.params === undefined) return true;
  return (
    typeof p.params === 'object' &&
    p.params !== null &&
    Object.values(p.params).every((v) => typeof v === 'string' || typeof v === 'number')
  );
}

// English text of a contract message -> its key. A built-in zod check (`.regex(re, 'must be digits')`) keeps only
// the message on its issue, so the key travels by the text; `keyed` registers it where the schema is declared.
const KEYED_TEXTS = new Map<string, { key: string; params?: ProblemParams }>();

/**
 * The English message of a contract check, registered under its key:
 * `.regex(/^\d{1,3}$/, keyed('field.areaCode', 'must be 1 to 3 digits'))`. Returns the text unchanged.
 */
export function keyed(key: string, text: string, params?: ProblemParams): string {
  if (!KEYED_TEXTS.has(text)) KEYED_TEXTS.set(text, params ? { key, params } : { key });
  return text;
}

/** The `{ message, params }` of a refine/superRefine issue with its key: `.refine(fn, refinement('field.x', 'must…'))`. */
export function refinement(key: string, text: string, params?: ProblemParams): { message: string; params: ProblemParams & { key: string } } {
  keyed(key, text, params);
  return { message: text, params: { ...params, key } };
}

/** Every registered keyed text (for the tests that check each key is translated). */
export function keyedTexts(): ReadonlyMap<string, { key: string; params?: ProblemParams }> {
  return KEYED_TEXTS;
}

type Issue = z.core.$ZodIssue;

const num = (v: number | bigint): number => Number(v);

const SIZE_ORIGINS: Record<string, 'string' | 'number' | 'array' | 'date' | 'file'> = {
  string: 'string',
  number: 'number',
  int: 'number',
  bigint: 'number',
  array: 'array',
  set: 'array',
  date: 'date',
  file: 'file',
};

// Formats the catalogue names; any other is `zod.invalid_format.other`.
const FORMATS = new Set([
  'email', 'url', 'uuid', 'regex', 'datetime', 'date', 'time', 'duration', 'ipv4', 'ipv6', 'cidrv4', 'cidrv6',
  'base64', 'base64url', 'e164', 'starts_with', 'ends_with', 'includes', 'lowercase', 'uppercase', 'hostname',
]);
const TYPES = new Set(['string', 'number', 'int', 'boolean', 'array', 'object', 'date', 'bigint', 'nan']);

const shownValue = (v: unknown): string => (typeof v === 'string' ? v : String(v));

function sizeProblem(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): Problem {
  const small = issue.code === 'too_small';
  const bound = num(small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum);
  const origin: string = SIZE_ORIGINS[issue.origin] ?? 'other';
  const inclusive = issue.inclusive !== false;
  const name = small ? 'minimum' : 'maximum';
  let variant: string = origin;
  let value: string | number = bound;
  if (origin === 'number' && !inclusive) variant = 'numberExclusive';
  if (small && origin === 'string' && bound === 1) variant = 'stringEmpty';
  if (small && origin === 'array' && bound === 1) variant = 'arrayEmpty';
  if (origin === 'date') value = new Date(bound).toISOString();
  return problem(`zod.${issue.code}.${variant}`, issue.message, origin === 'other' ? undefined : { [name]: value });
}

/**
 * The Problem of one zod issue: a custom issue with `params.key` keeps its key and params; a check whose message was
 * registered with `keyed` gets that key; any other issue its generic key by code (and origin, type or format), with
 * the bounds, format or values as params. The text is the issue's own English message.
 */
export function problemFromIssue(issue: Issue): Problem {
  const text = issue.message;
  if (issue.code === 'custom' && typeof issue.params?.key === 'string') {
    const { key, ...rest } = issue.params as { key: string } & Record<string, unknown>;
    return problem(key, text, plainParams(rest));
  }
  const registered = KEYED_TEXTS.get(text);
  if (registered) return problem(registered.key, text, { ...issueParams(issue), ...registered.params });
  switch (issue.code) {
    case 'too_small':
    case 'too_big':
      return sizeProblem(issue);
    case 'invalid_type':
      // The input is not kept on the issue; zod's own message says when nothing was given.
      if (/received undefined$/.test(text)) return problem('zod.required', text);
      return problem(`zod.invalid_type.${TYPES.has(issue.expected) ? issue.expected : 'other'}`, text);
    case 'invalid_format': {
      const format = FORMATS.has(issue.format) ? issue.format : 'other';
      const params: ProblemParams = {};
      const i = issue as { prefix?: string; suffix?: string; includes?: string };
      if (format === 'starts_with' && i.prefix !== undefined) params.prefix = i.prefix;
      if (format === 'ends_with' && i.suffix !== undefined) params.suffix = i.suffix;
      if (format === 'includes' && i.includes !== undefined) params.includes = i.includes;
      return problem(`zod.invalid_format.${format}`, text, params);
    }
    case 'not_multiple_of':
      return problem('zod.not_multiple_of', text, { divisor: num(issue.divisor) });
    case 'invalid_value':
      return issue.values.length === 1
        ? problem('zod.invalid_value.one', text, { values: shownValue(issue.values[0]) })
        : problem('zod.invalid_value.many', text, { values: issue.values.map(shownValue).join(', ') });
    case 'unrecognized_keys':
      return problem('zod.unrecognized_keys', text, { keys: issue.keys.join(', ') });
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return problem(`zod.${issue.code}`, text);
    default:
      return problem('zod.custom', text);
  }
}

function issueParams(issue: Issue): ProblemParams {
  if (issue.code === 'too_small') return { minimum: num(issue.minimum) };
  if (issue.code === 'too_big') return { maximum: num(issue.maximum) };
  if (issue.code === 'custom' && issue.params) return plainParams(issue.params);
  return {};
}

function plainParams(params: Record<string, unknown>): ProblemParams {
  const out: ProblemParams = {};
  for (const [k, v] of Object.entries(params)) {
    if (k === 'key') continue;
    if (typeof v === 'string' || typeof v === 'number') out[k] = v;
    else if (typeof v === 'bigint' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** The dotted path of an issue ("rates.0.intervals.1.start"); "(input)" for the input as a whole. */
export function issuePath(issue: Pick<Issue, 'path'>): string {
  return issue.path.length ? issue.path.map(String).join('.') : '(input)';
}

/** Field path -> its problems, in the order zod found them. */
export function problemsByField(issues: readonly Issue[]): Record<string, Problem[]> {
  const out: Record<string, Problem[]> = {};
  for (const issue of issues) (out[issuePath(issue)] ??= []).push(problemFromIssue(issue));
  return out;
}
