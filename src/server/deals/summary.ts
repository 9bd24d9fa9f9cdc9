import { z } from 'zod'
import { sumInBase } from '../../domain/money.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import { loadRates } from '../exchange-rates/service.ts'
import { dealConditions } from './service.ts'
import {
  type SummaryGroup,
  type SummaryRow,
  selectSummaryRows,
  summaryGroups,
} from './summary-queries.ts'

export const SummaryQuery = z.object({
  groupBy: z.enum(summaryGroups),
  q: z.string().trim().max(200).optional(),
  filter: z.string().max(20_000).optional(),
})
export type SummaryQuery = z.infer<typeof SummaryQuery>

const noneLabel: Record<SummaryGroup, string> = {
  stage: 'No stage',
  pipeline: 'No pipeline',
  owner: 'No owner',
  team: 'No team',
  product: 'No product',
  month: 'No close date',
}

/**
 * Deals per stage, owner, team, product, pipeline or close month: count and amount per currency,
 * and the total in the base currency by the workspace's exchange rates (null, with the missing
 * currencies named in missingRates, when a rate is missing: a partial sum would mislead).
 */
export async function summarizeDeals(db: Database, principal: Principal, query: SummaryQuery) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const where = await dealConditions(db, workspaceId, query)
  const [rows, { baseCurrency, rates }] = await Promise.all([
    selectSummaryRows(db, workspaceId, query.groupBy, where),
    loadRates(db, workspaceId),
  ])
  const groups = new Map<string | null, SummaryRow[]>()
  for (const row of rows) groups.set(row.key, [...(groups.get(row.key) ?? []), row])
  const missing = new Set<string>()
  const data = [...groups.entries()].map(([key, parts]) => {
    const first = parts[0] as SummaryRow
    const sum = sumInBase(parts, baseCurrency, rates)
    for (const currency of sum.missing) missing.add(currency)
    return {
      key,
      label: first.label ?? noneLabel[query.groupBy],
      rank: first.rank,
      count: parts.reduce((n, p) => n + p.count, 0),
      amounts: sum.amounts,
      amountInBase: sum.amountInBase,
      baseCurrency,
    }
  })
  // Groups in pipeline and stage order, else by key (months) or label; the "none" group last.
  const byKey = query.groupBy === 'month'
  data.sort((a, b) => {
    if ((a.key === null) !== (b.key === null)) return a.key === null ? 1 : -1
    if (a.rank !== b.rank) return a.rank - b.rank
    const x = byKey ? (a.key ?? '') : a.label
    const y = byKey ? (b.key ?? '') : b.label
    return x.localeCompare(y)
  })
  return {
    data: data.map(({ rank: _rank, ...group }) => group),
    missingRates: [...missing].sort(),
  }
}
