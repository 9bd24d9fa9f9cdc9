import { z } from 'zod'
import { AppError } from '../errors.ts'

/** Query of every list: `limit` ≤ 200 (default 50) and an opaque keyset `cursor`. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
})
export type Page = z.infer<typeof PageQuery>

export function encodeCursor(values: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url')
}

/** Reads a cursor made by encodeCursor; a tampered one is invalid_input naming `cursor`. */
export function decodeCursor(
  cursor: string | undefined,
  keys: string[],
): Record<string, string | number> | undefined {
  if (cursor === undefined) return undefined
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (typeof parsed === 'object' && parsed !== null) {
      const record = parsed as Record<string, unknown>
      if (keys.every((k) => typeof record[k] === 'string' || typeof record[k] === 'number')) {
        return record as Record<string, string | number>
      }
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('invalid_input', 'The cursor is not valid', { field: 'cursor' })
}
