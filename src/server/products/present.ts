import type { Selectable } from 'kysely'
import type { ProductsTable } from '../db/schema.ts'

export type ProductRow = Selectable<ProductsTable>

export function presentProduct(row: ProductRow) {
  return {
    id: row.id,
    name: row.name,
    family: row.family,
    price: row.price,
    currency: row.currency,
    icpIndustries: row.icpIndustries,
    icpEmployeesMin: row.icpEmployeesMin,
    icpEmployeesMax: row.icpEmployeesMax,
    icpRegions: row.icpRegions,
    icpProblems: row.icpProblems,
    externalSource: row.externalSource,
    externalId: row.externalId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
  }
}
