import { type Kysely, sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import type { DB } from '../db/schema.ts'
import { externalKeyOf, type ImportContext, rowError } from './context.ts'
import { findContactKeys } from './related.ts'
import type { PreparedRow } from './rows.ts'
import type { RowError } from './types.ts'
import { CellError, currencyDigits } from './values.ts'

// The JSON cells of a deal export (exports/columns.ts): the buying group by email (or external
// id, or the exporting workspace's id, which is the contact's external id here) and line items by
// product name, unit prices in major units of the deal's currency like every CSV amount.
const Key = z.string().trim().min(1).max(320).nullable().optional()
const DealContactCell = z.array(
  z.object({
    contactId: Key,
    email: Key,
    externalSource: Key,
    externalId: Key,
    role: z.string().trim().max(100).nullable().optional(),
    isPrimary: z.boolean().nullable().optional(),
  }),
)
const LineItemCell = z.array(
  z.object({
    productId: Key,
    productName: Key,
    quantity: z.number().positive().max(1e9),
    unitPrice: z.number().min(0).max(1e13).nullable().optional(),
  }),
)

interface Cells {
  contacts?: z.infer<typeof DealContactCell>
  lineItems?: z.infer<typeof LineItemCell>
}

export interface DealContactLink {
  contactId: string
  role: string | null
  isPrimary: boolean
}
export interface LineItemLink {
  productId: string
  quantity: number
  unitPrice: number
}

export interface DealLinks {
  contacts?: DealContactLink[]
  lineItems?: LineItemLink[]
}

const str = (v: unknown): v is string => typeof v === 'string' && v !== ''

function firstIssue(error: z.ZodError) {
  const issue = error.issues[0]
  return issue ? `${issue.path.join('.')}: ${issue.message}` : 'is not valid'
}

/** Minor units of a major-unit number: 999.9 EUR → 99990. */
function minorUnits(value: number, currency: string): number {
  const digits = currencyDigits(currency)
  const minor = Math.round(value * 10 ** digits)
  if (Math.abs(minor - value * 10 ** digits) > 1e-6)
    throw new CellError(`unitPrice ${value} has more than ${digits} decimals`)
  return minor
}

/**
 * Reads and resolves the `contacts` and `lineItems` cells of each row: an unknown contact or
 * product, or a cell of the wrong shape, is a row error naming the column.
 */
export async function resolveDealLinks(
  db: Kysely<DB>,
  ctx: ImportContext,
  rows: PreparedRow[],
  currencyOf: (row: PreparedRow) => string,
  errors: RowError[],
): Promise<{ rows: PreparedRow[]; links: Map<PreparedRow, DealLinks> }> {
  const parsed = new Map<PreparedRow, Cells>()
  const fromProduct = new Set<PreparedRow>()
  const ok = rows.filter((row) => {
    const entry: Cells = {}
    for (const [field, schema] of [
      ['contacts', DealContactCell],
      ['lineItems', LineItemCell],
    ] as const) {
      if (row.values[field] === undefined) continue
      const result = schema.safeParse(row.values[field])
      if (!result.success) {
        errors.push(rowError(row, field, `${field}: ${firstIssue(result.error)}`))
        return false
      }
      Object.assign(entry, { [field]: result.data })
    }
    if (entry.lineItems === undefined && str(row.values.product)) {
      entry.lineItems = [{ productName: row.values.product, quantity: 1, unitPrice: null }]
      fromProduct.add(row)
    }
    parsed.set(row, entry)
    return true
  })
  const contactIds = await findContacts(
    db,
    ctx,
    [...parsed.values()].flatMap((p) => p.contacts ?? []),
  )
  const productIds = await findProducts(
    db,
    ctx,
    [...parsed.values()].flatMap((p) => p.lineItems ?? []),
  )
  const links = new Map<PreparedRow, DealLinks>()
  const out = ok.filter((row) => {
    const entry = parsed.get(row) ?? {}
    const found: DealLinks = {}
    try {
      if (entry.contacts) {
        const seen = new Set<string>()
        found.contacts = []
        for (const [i, c] of entry.contacts.entries()) {
          const id = contactIds.lookup(c)
          if (!id) throw new CellError(`contacts[${i}]: no contact here is ${describe(c)}`)
          if (seen.has(id)) continue
          seen.add(id)
          found.contacts.push({
            contactId: id,
            role: c.role ?? null,
            isPrimary: c.isPrimary === true,
          })
        }
        if (found.contacts.filter((c) => c.isPrimary).length > 1)
          throw new CellError('contacts: at most one contact can be the primary contact')
      }
      if (entry.lineItems) {
        found.lineItems = entry.lineItems.map((item, i) => {
          const product = productIds.lookup(item)
          if (!product && fromProduct.has(row))
            throw new CellError(
              `product: no product here is named "${item.productName}"; map it with --values product:"${item.productName}"=<product name>`,
            )
          if (!product) throw new CellError(`lineItems[${i}]: no product here is ${describe(item)}`)
          if (Math.abs(Math.round(item.quantity * 100) - item.quantity * 100) > 1e-6)
            throw new CellError(`lineItems[${i}].quantity: at most two decimals`)
          return {
            productId: product.id,
            quantity: item.quantity,
            unitPrice: fromProduct.has(row)
              ? typeof row.values.amount === 'number'
                ? row.values.amount
                : product.price
              : item.unitPrice === null || item.unitPrice === undefined
                ? product.price
                : minorUnits(item.unitPrice, currencyOf(row)),
          }
        })
      }
    } catch (error) {
      if (!(error instanceof CellError)) throw error
      const field = ['lineItems', 'product'].find((f) => error.message.startsWith(f)) ?? 'contacts'
      errors.push(rowError(row, field, error.message))
      return false
    }
    links.set(row, found)
    return true
  })
  return { rows: out, links }
}

function describe(item: Record<string, unknown>) {
  const shown = Object.entries(item)
    .filter(([k, v]) => str(v) && k !== 'role')
    .map(([k, v]) => `${k} ${String(v)}`)
  return shown.join(', ') || 'named'
}

async function findContacts(
  db: Kysely<DB>,
  ctx: ImportContext,
  items: z.infer<typeof DealContactCell>,
) {
  const emails = [...new Set(items.map((c) => c.email?.toLowerCase()).filter(str))]
  const externalIds = [...new Set(items.flatMap((c) => [c.externalId, c.contactId]).filter(str))]
  const byKey = await findContactKeys(db, ctx, emails, externalIds)
  return {
    lookup: (c: z.infer<typeof DealContactCell>[number]) =>
      (str(c.email) ? byKey.get(`e:${c.email.toLowerCase()}`) : undefined) ??
      (str(c.externalId)
        ? externalKeyOf(c.externalSource ?? null, c.externalId)
            .map((k) => byKey.get(k))
            .find((id) => id !== undefined)
        : undefined) ??
      (str(c.contactId) ? byKey.get(externalKeyOf(null, c.contactId)[0] ?? '') : undefined),
  }
}

async function findProducts(
  db: Kysely<DB>,
  ctx: ImportContext,
  items: z.infer<typeof LineItemCell>,
) {
  const names = [...new Set(items.map((i) => i.productName?.toLowerCase()).filter(str))]
  const externalIds = [...new Set(items.map((i) => i.productId).filter(str))]
  const byKey = new Map<string, { id: string; price: number }>()
  if (names.length > 0 || externalIds.length > 0) {
    const found = await db
      .selectFrom('products')
      .select(['id', 'price', 'externalSource', 'externalId'])
      .select(sql<string>`lower(name)`.as('lowerName'))
      .where('workspaceId', '=', ctx.workspaceId)
      .where('deletedAt', 'is', null)
      .where((eb) =>
        eb.or([
          ...(names.length ? [eb(sql`lower(name)`, '=', eb.fn.any(eb.val(names)))] : []),
          ...(externalIds.length ? [eb('externalId', '=', eb.fn.any(eb.val(externalIds)))] : []),
        ]),
      )
      .execute()
    for (const p of found) {
      const product = { id: p.id, price: Number(p.price) }
      byKey.set(`n:${p.lowerName}`, product)
      for (const k of externalKeyOf(p.externalSource, p.externalId)) byKey.set(k, product)
    }
  }
  return {
    lookup: (i: z.infer<typeof LineItemCell>[number]) =>
      (str(i.productName) ? byKey.get(`n:${i.productName.toLowerCase()}`) : undefined) ??
      (str(i.productId) ? byKey.get(externalKeyOf(null, i.productId)[0] ?? '') : undefined),
  }
}

/** Replaces the buying group and line items of the deals whose rows carried those cells. */
export async function writeDealLinks(
  db: Kysely<DB>,
  ctx: ImportContext,
  items: { id: string; links: DealLinks }[],
) {
  const withContacts = items.filter((i) => i.links.contacts !== undefined)
  const withItems = items.filter((i) => i.links.lineItems !== undefined)
  if (withContacts.length > 0) {
    await db
      .deleteFrom('dealContacts')
      .where('workspaceId', '=', ctx.workspaceId)
      .where(
        'dealId',
        'in',
        withContacts.map((i) => i.id),
      )
      .execute()
    const values = withContacts.flatMap((i) =>
      (i.links.contacts ?? []).map((c) => ({ workspaceId: ctx.workspaceId, dealId: i.id, ...c })),
    )
    if (values.length > 0) await db.insertInto('dealContacts').values(values).execute()
  }
  if (withItems.length > 0) {
    await db
      .deleteFrom('dealLineItems')
      .where('workspaceId', '=', ctx.workspaceId)
      .where(
        'dealId',
        'in',
        withItems.map((i) => i.id),
      )
      .execute()
    const values = withItems.flatMap((i) =>
      (i.links.lineItems ?? []).map((item, position) => ({
        workspaceId: ctx.workspaceId,
        id: uuidv7(),
        dealId: i.id,
        productId: item.productId,
        quantity: item.quantity,
        unitPrice: item.unitPrice,
        position,
      })),
    )
    if (values.length > 0) await db.insertInto('dealLineItems').values(values).execute()
  }
}
