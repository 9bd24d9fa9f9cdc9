export type ErrorCode =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable'

/** The one error type of Tandem: its code decides the HTTP status (table below). */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export const statusOf: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
}

const pgCodes: Record<string, ErrorCode> = {
  '23505': 'conflict', // unique_violation
  '23503': 'invalid_input', // foreign_key_violation
  '23502': 'invalid_input', // not_null_violation
  '23514': 'invalid_input', // check_violation
  '22P02': 'invalid_input', // invalid_text_representation
  '22001': 'invalid_input', // string_data_right_truncation
  '22003': 'invalid_input', // numeric_value_out_of_range
  '22007': 'invalid_input', // invalid_datetime_format
  '22008': 'invalid_input', // datetime_field_overflow
  '40001': 'unavailable', // serialization_failure
  '57P01': 'unavailable', // admin_shutdown
}

/** Maps a PostgreSQL error (by SQLSTATE, never by message text) to an AppError, if it is one we know. */
export function fromDatabaseError(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  const code = pgCodes[String((error as { code: unknown }).code)]
  if (!code) return undefined
  const detail = 'detail' in error ? String((error as { detail: unknown }).detail) : undefined
  const constraint =
    'constraint' in error ? String((error as { constraint: unknown }).constraint) : undefined
  const message =
    code === 'conflict'
      ? 'A record with these values already exists'
      : 'The database rejected a value'
  return new AppError(code, message, { constraint, detail })
}
