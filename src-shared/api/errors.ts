import { isProblem, problem, type Problem, type ProblemParams } from './messages';

/** Error codes of the API and the HTTP status each maps to (DESIGN.md §4). */
export const ERROR_STATUS = {
  invalid_input: 400,
  unauthenticated: 401,
  password_change_required: 403,
  forbidden: 403,
  not_found: 404,
  method_not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  throttled: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Field-level problems in English: `{ "rates.0.intervals.1.start": ["must be greater than 0"] }`. */
export type FieldErrors = Record<string, string[]>;
/** The same, translatable: `{ "rates.0.intervals.1.start": [{ key: 'zod.too_small.numberExclusive', … }] }`. */
export type FieldProblems = Record<string, Problem[]>;

export interface ErrorBody {
  code: ErrorCode;
  /** The English sentence (support, logs, API docs); the UI shows `problem` translated. */
  message: string;
  details?: unknown;
  /** The same sentence as a translatable Problem; absent from replies of older servers. */
  problem?: Problem;
}

/**
 * An error that crosses the API boundary as `{ error: { code, message, problem?, details? } }`. Field errors are
 * `details.fields` (English, kept for older clients) and `details.problems` (translatable), path by path.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  readonly problem?: Problem;

  constructor(code: ErrorCode, message: string, details?: unknown, problem?: Problem) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
    this.problem = problem;
  }

  /** An error whose sentence has a key: `ApiError.keyed('conflict', 'api.lastAdmin', 'This is the last…')`. */
  static keyed(code: ErrorCode, key: string, message: string, params?: ProblemParams, details?: unknown): ApiError {
    return new ApiError(code, message, details, problem(key, message, params));
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  /** The translatable field problems (`details.problems`), or null. */
  get fieldProblems(): FieldProblems | null {
    const problems = (this.details as { problems?: unknown } | undefined)?.problems;
    if (typeof problems !== 'object' || problems === null) return null;
    const out: FieldProblems = {};
    for (const [path, list] of Object.entries(problems)) {
      if (Array.isArray(list)) {
        const valid = list.filter(isProblem);
        if (valid.length) out[path] = valid;
      }
    }
    return Object.keys(out).length ? out : null;
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message };
    if (this.problem) body.problem = this.problem;
    if (this.details !== undefined) body.details = this.details;
    return body;
  }

  static fromBody(body: ErrorBody): ApiError {
    const code = body.code in ERROR_STATUS ? body.code : 'internal';
    return new ApiError(code, body.message, body.details, isProblem(body.problem) ? body.problem : undefined);
  }
}

/**
 * `details` for field errors: the English `fields` and the translatable `problems`, from one Problem (or several)
 * per field: `fieldDetails({ month: problem('field.monthNotOver', 'must be over') })`.
 */
export function fieldDetails(byField: Record<string, Problem | Problem[]>): { fields: FieldErrors; problems: FieldProblems } {
  const fields: FieldErrors = {};
  const problems: FieldProblems = {};
  for (const [path, one] of Object.entries(byField)) {
    const list = Array.isArray(one) ? one : [one];
    problems[path] = list;
    fields[path] = list.map((p) => p.text);
  }
  return { fields, problems };
}

/** Kinds of records an error can name; the UI translates them (`engine:api.things.<kind>`). */
export const THINGS = {
  account: 'Account',
  enterprise: 'Enterprise',
  userAccount: 'User account',
  gatewayAccount: 'Gateway account',
  systemAccount: 'System account',
  extension: 'Extension',
  device: 'Device',
  cdr: 'CDR',
  rate: 'Rate',
  rateGroup: 'Rate group',
  routePrefixRule: 'Route prefix rule',
} as const;
export type Thing = keyof typeof THINGS;

export const notFound = (thing: Thing, id: unknown) =>
  ApiError.keyed('not_found', 'api.notFound', `${THINGS[thing]} ${String(id)} does not exist`, { thing, id: String(id) });

/** A conflict; with a key its sentence is translated, else the UI says only that the state does not allow it. */
export const conflict = (message: string, details?: unknown, key?: string, params?: ProblemParams) =>
  new ApiError('conflict', message, details, key ? problem(key, message, params) : undefined);

/**
 * Invalid input, with its field problems: English strings (the UI shows them untranslated in the detail only) or
 * Problems (translated).
 */
export const invalid = (message: string, fields?: FieldErrors | Record<string, Problem | Problem[]>, key?: string, params?: ProblemParams) => {
  const details = fields ? (isEnglishFields(fields) ? { fields } : fieldDetails(fields)) : undefined;
  return new ApiError('invalid_input', message, details, key ? problem(key, message, params) : undefined);
};

function isEnglishFields(fields: FieldErrors | Record<string, Problem | Problem[]>): fields is FieldErrors {
  return Object.values(fields).every((v) => Array.isArray(v) && v.every((m) => typeof m === 'string'));
}

/** A field naming a record that does not exist: "no such device" (`field.noSuch`, the thing translated). */
export const noSuch = (thing: Thing): Problem =>
  problem('field.noSuch', `no such ${THINGS[thing].toLowerCase()}`, { thing });

/** A field whose value another record holds already: "is taken". */
export const takenField = (): Problem => problem('field.taken', 'is taken');

/** A period whose end is not after its start, refused on `to`. */
export const periodReversed = (): ApiError =>
  ApiError.keyed('invalid_input', 'api.periodReversed', 'The period ends before it starts.', undefined, fieldDetails({ to: problem('field.afterFrom', 'must be after from') }));

/** A paging cursor this server did not give out (or that another list gave out). */
export const badCursor = (message = 'The cursor is not one this server gave out.', text = 'is invalid'): ApiError =>
  ApiError.keyed('invalid_input', 'api.badCursor', message, undefined, fieldDetails({ cursor: problem('field.badCursor', text) }));
