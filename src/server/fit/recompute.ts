import { type Kysely, sql } from 'kysely'
import { dealFit, productFit } from '../../domain/product-fit.ts'
import type { DB, DealLineFit } from '../db/schema.ts'

/** Which deals to recompute: these deals, the deals of these accounts, or of these products. */
export type FitScope = { dealIds: string[] } | { accountIds: string[] } | { productIds: string[] }

const chunk = 1000

/**
 * Recomputes deals.product_fit (the lowest line's fit; null without lines) and deals.fit_details
 * (each line's fit and reasons) for the deals in scope, in the caller's transaction, so that a
 * change to a deal's lines, needs or account, to an account's industry, employees or region, or to
 * a product's profile is reflected in the same commit. Deals in the Trash are recomputed too, so a
 * restored deal is current. Returns how many deals were looked at.
 */
export async function recomputeDealFit(
  db: Kysely<DB>,
  workspaceId: string,
  scope: FitScope,
): Promise<number> {
  const ids = await dealIdsOf(db, workspaceId, scope)
  for (let i = 0; i < ids.length; i += chunk) {
    await recomputeChunk(db, workspaceId, ids.slice(i, i + chunk))
  }
  return ids.length
}

async function dealIdsOf(db: Kysely<DB>, workspaceId: string, scope: FitScope) {
  if ('dealIds' in scope) return [...new Set(scope.dealIds)]
  if ('accountIds' in scope) {
    if (scope.accountIds.length === 0) return []
    const rows = await db
      .selectFrom('deals')
      .select('id')
      .where('workspaceId', '=', workspaceId)
      .where('accountId', 'in', scope.accountIds)
      .orderBy('id')
      .execute()
    return rows.map((r) => r.id)
  }
  if (scope.productIds.length === 0) return []
  const rows = await db
    .selectFrom('dealLineItems')
    .select('dealId')
    .distinct()
    .where('workspaceId', '=', workspaceId)
    .where('productId', 'in', scope.productIds)
    .orderBy('dealId')
    .execute()
  return rows.map((r) => r.dealId)
}

async function recomputeChunk(db: Kysely<DB>, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return
  const rows = await db
    .selectFrom('deals as d')
    .leftJoin('accounts as a', (j) =>
      j
        .onRef('a.workspaceId', '=', 'd.workspaceId')
        .onRef('a.id', '=', 'd.accountId')
        .on('a.deletedAt', 'is', null),
    )
    .leftJoin('dealLineItems as li', (j) =>
      j.onRef('li.workspaceId', '=', 'd.workspaceId').onRef('li.dealId', '=', 'd.id'),
    )
    .leftJoin('products as p', (j) =>
      j.onRef('p.workspaceId', '=', 'li.workspaceId').onRef('p.id', '=', 'li.productId'),
    )
    .select([
      'd.id',
      'd.needs',
      'a.id as accountId',
      'a.industry',
      'a.employees',
      'a.region',
      'li.productId',
      'p.name as productName',
      'p.icpIndustries',
      'p.icpEmployeesMin',
      'p.icpEmployeesMax',
      'p.icpRegions',
      'p.icpProblems',
    ])
    .where('d.workspaceId', '=', workspaceId)
    .where('d.id', 'in', ids)
    .orderBy('d.id')
    .orderBy('li.position')
    .execute()
  const details = new Map<string, DealLineFit[]>(ids.map((id) => [id, []]))
  for (const row of rows) {
    if (!row.productId) continue
    const { fit, reasons } = productFit(
      {
        industries: row.icpIndustries ?? [],
        employeesMin: row.icpEmployeesMin,
        employeesMax: row.icpEmployeesMax,
        regions: row.icpRegions ?? [],
        problems: row.icpProblems ?? [],
      },
      {
        industry: row.accountId ? row.industry : null,
        employees: row.accountId ? row.employees : null,
        region: row.accountId ? row.region : null,
        needs: row.needs,
      },
    )
    details.get(row.id)?.push({
      productId: row.productId,
      productName: row.productName ?? '',
      fit,
      reasons,
    })
  }
  const values = [...details.entries()].map(([id, lines]) => ({
    id,
    fit: dealFit(lines),
    details: lines,
  }))
  await sql`
    update deals d set product_fit = v.fit, fit_details = v.details
    from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v (id uuid, fit smallint, details jsonb)
    where d.workspace_id = ${workspaceId} and d.id = v.id
      and (d.product_fit is distinct from v.fit or d.fit_details is distinct from v.details)
  `.execute(db)
}
