import { checkCustomValues } from '../custom-fields/values.ts'
import { AppError } from '../errors.ts'
import { type ImportContext, rowError } from './context.ts'
import { importFields } from './fields.ts'
import type { PreparedRow } from './rows.ts'
import type { ImportEntity, RowError } from './types.ts'
import type { UpsertColumn } from './upsert.ts'

/** Values the writers resolve or derive (not cells of the file), by row key → column. */
const linkColumns: Record<string, UpsertColumn> = {
  ownerId: { name: 'owner_id', type: 'text' },
  accountId: { name: 'account_id', type: 'uuid' },
  contactId: { name: 'contact_id', type: 'uuid' },
  pipelineId: { name: 'pipeline_id', type: 'uuid' },
  stageId: { name: 'stage_id', type: 'uuid' },
  dealId: { name: 'deal_id', type: 'uuid' },
  sourceCampaignId: { name: 'source_campaign_id', type: 'uuid' },
  closedAt: { name: 'closed_at', type: 'timestamptz', replace: true },
  recycleUntil: { name: 'recycle_until', type: 'date', replace: true },
}

/** Columns written from the file (those of the import fields) plus the resolved links. */
export function columnsOf(entity: ImportEntity, rows: PreparedRow[]): UpsertColumn[] {
  const present = new Set(rows.flatMap((r) => Object.keys(r.values)))
  const columns: UpsertColumn[] = []
  for (const field of importFields[entity]) {
    if (field.column && field.sqlType && present.has(field.key))
      columns.push({ name: field.column, type: field.sqlType })
  }
  for (const [key, column] of Object.entries(linkColumns)) {
    if (present.has(key)) columns.push(column)
  }
  return columns
}

/** The JSON object of one row for upsertRows: column → value. */
export function recordOf(
  entity: ImportEntity,
  id: string,
  row: PreparedRow,
  columns: UpsertColumn[],
): Record<string, unknown> {
  const byColumn = new Map(
    importFields[entity].filter((f) => f.column).map((f) => [f.column, f.key]),
  )
  for (const [key, column] of Object.entries(linkColumns)) byColumn.set(column.name, key)
  const record: Record<string, unknown> = { id }
  for (const c of columns) record[c.name] = row.values[byColumn.get(c.name) ?? c.name] ?? null
  if (Object.keys(row.custom).length > 0) record.custom = row.custom
  return record
}

/** Checks custom values against the definitions; a bad one is a row error naming its column. */
export function checkCustom(ctx: ImportContext, row: PreparedRow): RowError | undefined {
  if (Object.keys(row.custom).length === 0) return undefined
  try {
    row.custom = checkCustomValues(ctx.definitions, row.custom)
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    const field = (error.details as { field?: string } | undefined)?.field ?? null
    return rowError(row, field, error.message)
  }
  return undefined
}
