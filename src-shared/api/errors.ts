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

/** Field-level problems: `{ "rates.0.intervals.1.start": ["must be greater than 0"] }`. */
export type FieldErrors = Record<string, string[]>;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** An error that crosses the API boundary as `{ error: { code, message, details? } }`. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromBody(body: ErrorBody): ApiError {
    const code = body.code in ERROR_STATUS ? body.code : 'internal';
    return new ApiError(code, body.message, body.details);
  }
}

export const notFound = (what: string, id: unknown) => new ApiError('not_found', `${what} ${String(id)} does not exist`);
export const conflict = (message: string, details?: unknown) => new ApiError('conflict', message, details);
export const invalid = (message: string, fields?: FieldErrors) =>
  new ApiError('invalid_input', message, fields ? { fields } : undefined);
