import type { Kysely } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import type { DB } from '../db/schema.ts'
import { Currency, IsoDate } from '../records/fields.ts'
import { type ImportContext, rowError } from './context.ts'
import type { PreparedRow } from './rows.ts'
import type { RowError } from './types.ts'
import { currencyDigits } from './values.ts'

// The `costs` cell of a campaign export: dated costs, amounts in major units of their currency.
const CostsCell = z.array(
  z.object({
    incurredOn: IsoDate,
    amount: z.number().min(0).max(1e13),
    currency: Currency.nullable().optional(),
    note: z.string().trim().max(500).nullable().optional(),
  }),
)

export interface CostRow {
  incurredOn: string
  amount: number
  currency: string
  note: string | null
}

/**
 * Reads each row's `costs` cell into costs in minor units (currency: the cost's, else the
 * campaign's); a cell of the wrong shape is a row error naming the column.
 */
export function readCosts(
  ctx: ImportContext,
  rows: PreparedRow[],
  errors: RowError[],
): { rows: PreparedRow[]; costs: Map<PreparedRow, CostRow[]> } {
  const costs = new Map<PreparedRow, CostRow[]>()
  const out = rows.filter((row) => {
    const cell = row.values.costs
    delete row.values.costs
    if (cell === undefined) return true
    const parsed = CostsCell.safeParse(cell)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      errors.push(
        rowError(row, 'costs', `costs: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`),
      )
      return false
    }
    const list: CostRow[] = []
    for (const [i, c] of parsed.data.entries()) {
      const currency = c.currency ?? String(row.values.currency ?? ctx.baseCurrency)
      const digits = currencyDigits(currency)
      const amount = Math.round(c.amount * 10 ** digits)
      if (Math.abs(amount - c.amount * 10 ** digits) > 1e-6) {
        errors.push(rowError(row, 'costs', `costs.${i}.amount: more than ${digits} decimals`))
        return false
      }
      list.push({ incurredOn: c.incurredOn, amount, currency, note: c.note ?? null })
    }
    costs.set(row, list)
    return true
  })
  return { rows: out, costs }
}

/** Replaces the costs of the campaigns whose rows carried a `costs` cell. */
export async function writeCosts(
  db: Kysely<DB>,
  ctx: ImportContext,
  items: { id: string; costs: CostRow[] | undefined }[],
) {
  const replaced = items.filter((i) => i.costs !== undefined)
  if (replaced.length === 0) return
  await db
    .deleteFrom('campaignCosts')
    .where('workspaceId', '=', ctx.workspaceId)
    .where(
      'campaignId',
      'in',
      replaced.map((i) => i.id),
    )
    .execute()
  const values = replaced.flatMap((i) =>
    (i.costs ?? []).map((c) => ({
      workspaceId: ctx.workspaceId,
      id: uuidv7(),
      campaignId: i.id,
      ...c,
    })),
  )
  if (values.length > 0) await db.insertInto('campaignCosts').values(values).execute()
}
