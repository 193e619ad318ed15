/**
 * Form validation by the contract's own input schemas (the ones the engine checks), so a form refuses before sending
 * exactly what the engine would refuse, with the same limits. Pure functions: the hook is in useContractForm.ts.
 */
import type { z } from 'zod';
import { ApiError, type FieldErrors } from '../../../src-shared/api/errors';
import type { Problem } from '../../../src-shared/api/messages';

/** A zod issue as the resolver sees it (zod's own type, narrowed to what is read here). */
export type ContractIssue = z.core.$ZodIssue;

/**
 * Which form field shows the problem of an input path (["intervals", 0, "price"]): by default the longest leading part
 * of the path that names a field ("intervals.0.price", then "intervals.0", then "intervals"); null when none does.
 */
export type FieldOf = (path: readonly PropertyKey[]) => string | null;

export function fieldsByPrefix(fields: Iterable<string>): FieldOf {
  const names = new Set(fields);
  return (path) => {
    for (let n = path.length; n > 0; n--) {
      const key = path.slice(0, n).map(String).join('.');
      if (names.has(key)) return key;
    }
    return null;
  };
}

export interface FieldProblems {
  /** First problem of each field, as the field shows it. */
  fields: Record<string, string>;
  /** Problems of paths no field shows (the form says them in its alert, so a refused submit is never silent). */
  other: string[];
}

/** Checks `input` (the method input the form would send) with the contract schema: the problems per field. */
export function contractProblems(schema: z.ZodType, input: unknown, fieldOf: FieldOf, message: (issue: ContractIssue) => string): FieldProblems {
  const result = schema.safeParse(input);
  const out: FieldProblems = { fields: {}, other: [] };
  if (result.success) return out;
  for (const issue of result.error.issues) {
    const field = fieldOf(issue.path);
    const text = message(issue);
    if (field === null) out.other.push(issue.path.length ? `${issue.path.join('.')}: ${text}` : text);
    else if (!(field in out.fields)) out.fields[field] = text;
  }
  return out;
}

/** A Problem as the engine sends it in `details.problems` (see src-shared/api/messages.ts). */
export type WireProblem = Problem;

/**
 * The per-field problems an API error carries, one sentence per field: `details.problems` (translated by `translate`)
 * when present, else the English `details.fields`, several problems of a field joined with "; ". Null when the error
 * has none.
 */
export function apiFieldProblems(error: unknown, translate?: (problem: WireProblem) => string): Record<string, string> | null {
  if (!(error instanceof ApiError)) return null;
  const details = error.details as { fields?: FieldErrors } | undefined;
  const problems = error.fieldProblems;
  const out: Record<string, string> = {};
  if (translate && problems) {
    for (const [path, list] of Object.entries(problems)) {
      if (list.length) out[path] = list.map(translate).join('; ');
    }
  } else if (details?.fields && typeof details.fields === 'object') {
    for (const [path, messages] of Object.entries(details.fields)) {
      if (Array.isArray(messages) && messages.length) out[path] = messages.join('; ');
    }
  }
  return Object.keys(out).length ? out : null;
}

/** Puts an API error's field problems on the form's fields (by `fieldOf`); the fields matched, empty when none. */
export function apiErrorsOnFields(
  error: unknown,
  fieldOf: FieldOf,
  translate?: (problem: WireProblem) => string,
): Record<string, string> {
  const problems = apiFieldProblems(error, translate);
  const out: Record<string, string> = {};
  for (const [path, text] of Object.entries(problems ?? {})) {
    const field = fieldOf(path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)));
    if (field !== null) out[field] = out[field] ? `${out[field]}; ${text}` : text;
  }
  return out;
}

/**
 * The id of a select for the method input: an unchosen select ('') reaches the schema as missing, so the contract
 * says it is required. Typed as a number because the form sends only values that passed the check.
 */
export const chosenId = (value: string): number => (value ? Number(value) : (undefined as unknown as number));

/** An optional text for the method input: empty (or blank) is null, as the contract stores "none". */
export const orNull = (value: string): string | null => (value.trim() ? value : null);

type Def = { type?: string; innerType?: z.ZodType; in?: z.ZodType; options?: z.ZodType[] };

/**
 * The longest text a contract field accepts (its `.max(n)`), looking through optional, nullable, default and
 * transforms; null when it has no limit. The one source of the length a form shows and checks.
 */
export function maxLengthOf(schema: z.ZodType): number | null {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; current && depth < 10; depth++) {
    const def: Def = (current as unknown as { _zod: { def: Def } })._zod.def;
    // zod's strings expose their `.max(n)` as maxLength (arrays' lengths are not text lengths).
    const max = (current as { maxLength?: unknown }).maxLength;
    if (def.type === 'string' && typeof max === 'number' && Number.isFinite(max)) return max;
    current = def.innerType ?? def.in;
  }
  return null;
}
