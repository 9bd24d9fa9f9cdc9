import { type Expression, type Kysely, type SqlBool, sql } from 'kysely'
import type { DB } from '../db/schema.ts'

export const summaryGroups = ['stage', 'owner', 'team', 'product', 'pipeline', 'month'] as const
export type SummaryGroup = (typeof summaryGroups)[number]

export interface SummaryRow {
  key: string | null
  label: string | null
  rank: number
  currency: string
  count: number
  amount: number
}

const amountSum = sql<number>`coalesce(sum(d.amount), 0)::bigint`
const dealCount = sql<number>`count(distinct d.id)::int`

/**
 * Deal counts and amounts per group and currency, over the live deals matching `where` (alias d).
 * `rank` orders groups where a name would not (pipeline and stage order); product sums its line
 * items (quantity × unit price), team counts a deal once in each team of its owner.
 */
export function selectSummaryRows(
  db: Kysely<DB>,
  workspaceId: string,
  groupBy: SummaryGroup,
  where: Expression<SqlBool>[],
): Promise<SummaryRow[]> {
  const deals = db
    .selectFrom('deals as d')
    .where('d.workspaceId', '=', workspaceId)
    .where('d.deletedAt', 'is', null)
    .$if(where.length > 0, (q) => q.where((eb) => eb.and(where)))
  switch (groupBy) {
    case 'stage':
      return deals
        .innerJoin('stages as s', (j) =>
          j.onRef('s.workspaceId', '=', 'd.workspaceId').onRef('s.id', '=', 'd.stageId'),
        )
        .innerJoin('pipelines as p', (j) =>
          j.onRef('p.workspaceId', '=', 'd.workspaceId').onRef('p.id', '=', 'd.pipelineId'),
        )
        .select([
          sql<string>`d.stage_id::text`.as('key'),
          's.name as label',
          sql<number>`min(p.position * 1000 + s.position)::int`.as('rank'),
          'd.currency',
          dealCount.as('count'),
          amountSum.as('amount'),
        ])
        .groupBy(['d.stageId', 's.name', 'd.currency'])
        .execute()
    case 'pipeline':
      return deals
        .innerJoin('pipelines as p', (j) =>
          j.onRef('p.workspaceId', '=', 'd.workspaceId').onRef('p.id', '=', 'd.pipelineId'),
        )
        .select([
          sql<string>`d.pipeline_id::text`.as('key'),
          'p.name as label',
          sql<number>`min(p.position)::int`.as('rank'),
          'd.currency',
          dealCount.as('count'),
          amountSum.as('amount'),
        ])
        .groupBy(['d.pipelineId', 'p.name', 'd.currency'])
        .execute()
    case 'owner':
      return deals
        .leftJoin('users as o', 'o.id', 'd.ownerId')
        .select([
          'd.ownerId as key',
          'o.name as label',
          sql<number>`0`.as('rank'),
          'd.currency',
          dealCount.as('count'),
          amountSum.as('amount'),
        ])
        .groupBy(['d.ownerId', 'o.name', 'd.currency'])
        .execute()
    case 'team':
      return deals
        .leftJoin('teamMembers as tm', (j) =>
          j.onRef('tm.workspaceId', '=', 'd.workspaceId').onRef('tm.userId', '=', 'd.ownerId'),
        )
        .leftJoin('teams as t', (j) =>
          j.onRef('t.workspaceId', '=', 'tm.workspaceId').onRef('t.id', '=', 'tm.teamId'),
        )
        .select([
          sql<string | null>`t.id::text`.as('key'),
          't.name as label',
          sql<number>`0`.as('rank'),
          'd.currency',
          dealCount.as('count'),
          amountSum.as('amount'),
        ])
        .groupBy(['t.id', 't.name', 'd.currency'])
        .execute()
    case 'product':
      return deals
        .innerJoin('dealLineItems as li', (j) =>
          j.onRef('li.workspaceId', '=', 'd.workspaceId').onRef('li.dealId', '=', 'd.id'),
        )
        .innerJoin('products as pr', (j) =>
          j.onRef('pr.workspaceId', '=', 'li.workspaceId').onRef('pr.id', '=', 'li.productId'),
        )
        .select([
          sql<string>`li.product_id::text`.as('key'),
          'pr.name as label',
          sql<number>`0`.as('rank'),
          'd.currency',
          dealCount.as('count'),
          sql<number>`coalesce(sum(round(li.quantity * li.unit_price)), 0)::bigint`.as('amount'),
        ])
        .groupBy(['li.productId', 'pr.name', 'd.currency'])
        .execute()
    case 'month':
      return deals
        .select([
          sql<string | null>`to_char(d.close_date, 'YYYY-MM')`.as('key'),
          sql<string | null>`to_char(d.close_date, 'YYYY-MM')`.as('label'),
          sql<number>`0`.as('rank'),
          'd.currency',
          dealCount.as('count'),
          amountSum.as('amount'),
        ])
        .groupBy([sql`to_char(d.close_date, 'YYYY-MM')`, 'd.currency'])
        .execute()
  }
}
