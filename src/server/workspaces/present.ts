import type { Selectable } from 'kysely'
import type { WorkspacesTable } from '../db/schema.ts'

export function presentWorkspace(row: Selectable<WorkspacesTable>) {
  return {
    id: row.id,
    name: row.name,
    timeZone: row.timeZone,
    baseCurrency: row.baseCurrency,
    fiscalYearStartMonth: row.fiscalYearStartMonth,
    createdAt: row.createdAt.toISOString(),
  }
}
