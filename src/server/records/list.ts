import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import { decodeCursor, encodeCursor, PageQuery } from '../http/pagination.ts'

/**
 * Keyset pagination over any sort: rows are ordered by (sort expression, id) and the cursor keeps
 * the last row's sort value as PostgreSQL text, so timestamps keep their microseconds.
 */
export const ListQuery = PageQuery.extend({
  q: z.string().trim().max(200).optional(),
  filter: z.string().max(20_000).optional(),
  sort: z.string().max(60).optional(),
})
export type ListQuery = z.infer<typeof ListQuery>

export type SortType = 'text' | 'numeric' | 'timestamptz' | 'date'

export interface Sortable {
  /** Non-null SQL expression (wrap nullable columns in coalesce). */
  sql: () => Expression<unknown>
  type: SortType
}

export interface Sort {
  key: string
  desc: boolean
  expr: Expression<unknown>
  type: SortType
}

/** Reads `sort=field` or `sort=-field` (descending) against the sortable fields of a list. */
export function parseSort(
  raw: string | undefined,
  sortable: Record<string, Sortable>,
  fallback: string,
): Sort {
  const value = raw && raw.length > 0 ? raw : fallback
  const desc = value.startsWith('-')
  const key = desc ? value.slice(1) : value
  const spec = sortable[key]
  if (!spec) {
    throw new AppError(
      'invalid_input',
      `sort: unknown field "${key}"; use one of ${Object.keys(sortable).join(', ')}`,
      {
        field: 'sort',
      },
    )
  }
  return { key, desc, expr: spec.sql(), type: spec.type }
}

/** The sort value of each row as text, selected so the next cursor can be made from the last row. */
export function sortKey(sort: Sort): RawBuilder<string> {
  return sql<string>`(${sort.expr})::text`
}

export function orderBy(sort: Sort, idColumn: string): RawBuilder<unknown> {
  const direction = sql.raw(sort.desc ? 'desc' : 'asc')
  return sql`${sort.expr} ${direction}, ${sql.ref(idColumn)} ${direction}`
}

/** The WHERE part that starts a page after the cursor's row, or undefined on the first page. */
export function afterCursor(
  sort: Sort,
  cursor: string | undefined,
  idColumn: string,
): Expression<SqlBool> | undefined {
  const after = decodeCursor(cursor, ['s', 'v', 'id'])
  if (!after) return undefined
  if (after.s !== `${sort.desc ? '-' : ''}${sort.key}`) {
    throw new AppError('invalid_input', 'cursor: made for another sort; start again without it', {
      field: 'cursor',
    })
  }
  const type = sql.raw(sort.type)
  const comparison = sql.raw(sort.desc ? '<' : '>')
  return sql<SqlBool>`(${sort.expr}, ${sql.ref(idColumn)}) ${comparison} (${String(after.v)}::${type}, ${String(after.id)}::uuid)`
}

/** Cuts the extra row fetched to know whether a next page exists, and makes its cursor. */
export function toPage<R extends { id: string; sortKey: string }, T>(
  rows: R[],
  limit: number,
  sort: Sort,
  present: (row: R) => T,
): { data: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    data: page.map(present),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({ s: `${sort.desc ? '-' : ''}${sort.key}`, v: last.sortKey, id: last.id })
        : null,
  }
}

/** `q`: a case-insensitive substring over the row's search column (pg_trgm index). */
export function searchCondition(
  column: string,
  q: string | undefined,
): Expression<SqlBool> | undefined {
  if (!q) return undefined
  const escaped = q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)
  return sql<SqlBool>`${sql.ref(column)} like ${`%${escaped}%`}`
}
