import type { Selectable } from 'kysely'
import type { SavedViewsTable } from '../db/schema.ts'

export function presentView(row: Selectable<SavedViewsTable>) {
  return {
    id: row.id,
    entity: row.entity,
    name: row.name,
    filter: row.filter,
    sort: row.sort,
    columns: row.columns,
    createdAt: row.createdAt.toISOString(),
  }
}
