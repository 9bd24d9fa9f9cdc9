import { type Expression, type SqlBool, sql } from 'kysely'
import type { FieldSpec, FieldType } from './filter.ts'

/**
 * A field of the record's account (`account.country` on a contact or a deal): null without an
 * account or when the account is in the Trash. Its value (for sorting and display) is a
 * correlated subquery; a condition on it compiles to `[not] exists (…)`, which PostgreSQL turns
 * into a semi- or anti-join planned from the accounts' statistics: as a per-row subquery, a rare
 * country walked the whole list index (seconds on a million contacts).
 */
export function accountField(record: 'c' | 'd', column: string, type: FieldType): FieldSpec {
  const matching = (condition?: Expression<SqlBool>) => sql`from accounts as acc
    where acc.workspace_id = ${sql.ref(`${record}.workspaceId`)}
      and acc.id = ${sql.ref(`${record}.accountId`)} and acc.deleted_at is null
      ${condition ? sql`and ${condition}` : sql``}`
  return {
    type,
    sql: () => sql`(select ${sql.ref(`acc.${column}`)} ${matching()})`,
    related: {
      column: () => sql.ref(`acc.${column}`),
      exists: (condition) => sql<SqlBool>`exists (select 1 ${matching(condition)})`,
    },
  }
}
