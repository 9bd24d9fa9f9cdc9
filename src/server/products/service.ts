import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { getBaseCurrency } from '../exchange-rates/service.ts'
import { recomputeDealFit } from '../fit/recompute.ts'
import { Currency, changes, ExternalRef, MinorUnits } from '../records/fields.ts'
import { compileFilter, type FieldMap, parseFilterParam } from '../records/filter.ts'
import {
  type ListQuery,
  parseSort,
  type Sortable,
  searchCondition,
  toPage,
} from '../records/list.ts'
import { moveToTrash } from '../trash/move-to-trash.ts'
import { type ProductRow, presentProduct } from './present.ts'
import {
  findProduct,
  findProductNamed,
  lockProduct,
  selectProductPage,
  selectProductsById,
} from './queries.ts'

const Tags = z
  .array(z.string().trim().min(1).max(100))
  .max(100)
  .transform((tags) => [...new Set(tags)])
const Employees = z.number().int().min(0).max(10_000_000).nullable().optional()

export const ProductInput = z.object({
  name: z.string().trim().min(1).max(200),
  family: z.string().trim().min(1).max(100).nullable().optional(),
  price: MinorUnits.optional().describe('minor units (cents) of currency'),
  currency: Currency.optional().describe("defaults to the workspace's base currency"),
  icpIndustries: Tags.optional(),
  icpEmployeesMin: Employees,
  icpEmployeesMax: Employees,
  icpRegions: Tags.optional(),
  icpProblems: Tags.optional(),
  ...ExternalRef,
})
export type ProductInput = z.infer<typeof ProductInput>
export const ProductPatch = ProductInput.partial()
export type ProductPatch = z.infer<typeof ProductPatch>

const p = (column: string) => () => sql.ref(`p.${column}`)
export const productFields: FieldMap = {
  id: { type: 'uuid', sql: p('id') },
  name: { type: 'text', sql: p('name') },
  family: { type: 'text', sql: p('family') },
  price: { type: 'number', sql: p('price') },
  currency: { type: 'text', sql: p('currency') },
  icpIndustries: { type: 'text_array', sql: p('icpIndustries') },
  icpEmployeesMin: { type: 'number', sql: p('icpEmployeesMin') },
  icpEmployeesMax: { type: 'number', sql: p('icpEmployeesMax') },
  icpRegions: { type: 'text_array', sql: p('icpRegions') },
  icpProblems: { type: 'text_array', sql: p('icpProblems') },
  externalSource: { type: 'text', sql: p('externalSource') },
  externalId: { type: 'text', sql: p('externalId') },
  createdAt: { type: 'timestamp', sql: p('createdAt') },
  updatedAt: { type: 'timestamp', sql: p('updatedAt') },
}
const sortable: Record<string, Sortable> = {
  name: { type: 'text', sql: p('name') },
  family: { type: 'text', sql: () => sql`coalesce(${sql.ref('p.family')}, '')` },
  price: { type: 'numeric', sql: p('price') },
  createdAt: { type: 'timestamptz', sql: p('createdAt') },
  updatedAt: { type: 'timestamptz', sql: p('updatedAt') },
}
/** The sortable fields of the list, shared with exports. */
export const productSorts = sortable

/** The product catalogue: `q` over name, the filter language, sorted by name unless asked. */
export async function listProducts(db: Database, principal: Principal, query: ListQuery) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const filter = parseFilterParam(query.filter)
  const sort = parseSort(query.sort, sortable, 'name')
  const where = [
    searchCondition('p.search', query.q),
    filter ? compileFilter(filter, productFields) : undefined,
  ].filter((w) => w !== undefined)
  const rows = await selectProductPage(db, workspaceId, where, sort, query.cursor, query.limit)
  return toPage(rows, query.limit, sort, presentProduct)
}

/** One live product of the workspace (not_found otherwise). */
export async function getProduct(db: Kysely<DB>, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const row = await findProduct(db, workspaceId, id)
  if (!row) throw new AppError('not_found', 'Product not found')
  return presentProduct(row)
}

/** The live products of the workspace among `ids` (for deals' line items), by id. */
export async function findProductsById(db: Kysely<DB>, workspaceId: string, ids: string[]) {
  const rows = await selectProductsById(db, workspaceId, [...new Set(ids)])
  return new Map(rows.map((r) => [r.id, r]))
}

/** Checks a name is free (case-insensitively, among live products) and the size range is ordered. */
async function check(
  db: Kysely<DB>,
  workspaceId: string,
  input: ProductPatch,
  existing?: ProductRow,
) {
  if (input.name !== undefined) {
    const taken = await findProductNamed(db, workspaceId, input.name, existing?.id)
    if (taken) {
      throw new AppError('conflict', `name: a product called "${taken.name}" already exists`, {
        field: 'name',
        existingId: taken.id,
      })
    }
  }
  const min =
    input.icpEmployeesMin !== undefined ? input.icpEmployeesMin : existing?.icpEmployeesMin
  const max =
    input.icpEmployeesMax !== undefined ? input.icpEmployeesMax : existing?.icpEmployeesMax
  if (min != null && max != null && min > max) {
    throw new AppError(
      'invalid_input',
      `icpEmployeesMin: must not exceed icpEmployeesMax (${min} > ${max})`,
      { field: 'icpEmployeesMin' },
    )
  }
}

/** Adds a product to the catalogue; its price is in the base currency unless another is named. */
export async function createProduct(db: Database, principal: Principal, input: ProductInput) {
  const { workspaceId } = requirePermission(principal, 'catalog:manage')
  const id = uuidv7()
  await db.transaction().execute(async (trx) => {
    await check(trx, workspaceId, input)
    const currency = input.currency ?? (await getBaseCurrency(trx, workspaceId))
    await trx
      .insertInto('products')
      .values({ workspaceId, id, ...input, currency })
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'product.create',
      targetType: 'product',
      targetId: id,
      details: { name: input.name },
    })
  })
  return getProduct(db, principal, id)
}

/** Changes a product; its name stays unique and its size range ordered. */
export async function updateProduct(
  db: Database,
  principal: Principal,
  id: string,
  patch: ProductPatch,
) {
  const { workspaceId } = requirePermission(principal, 'catalog:manage')
  await db.transaction().execute(async (trx) => {
    const before = await lockProduct(trx, workspaceId, id)
    if (!before) throw new AppError('not_found', 'Product not found')
    await check(trx, workspaceId, patch, before)
    await trx
      .updateTable('products')
      .set({ ...patch, updatedAt: new Date() })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    // The deals with this product follow its profile (and name, shown in their fit details).
    if (profileTouched(patch)) await recomputeDealFit(trx, workspaceId, { productIds: [id] })
    await recordAudit(trx, principal, workspaceId, {
      action: 'product.update',
      targetType: 'product',
      targetId: id,
      details: changes(before, patch),
    })
  })
  return getProduct(db, principal, id)
}

const profileKeys = [
  'name',
  'icpIndustries',
  'icpEmployeesMin',
  'icpEmployeesMax',
  'icpRegions',
  'icpProblems',
] as const
const profileTouched = (patch: ProductPatch) => profileKeys.some((key) => patch[key] !== undefined)

/** Moves a product to the Trash; deals keep their line items of it, new ones cannot use it. */
export async function deleteProduct(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'catalog:manage')
  await moveToTrash(db, principal, workspaceId, { entity: 'product', id })
}
