/**
 * The drill-down's SQL (src/server/reports/records.ts): per kind, a count and one keyset page,
 * newest first, over the same conditions (records-filters.ts).
 */
import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { BridgeRange } from './bridge-common.ts'
import {
  type Condition,
  contactCohort,
  contactConditions,
  type DrillFilters,
  dealConditions,
  handoffConditions,
  type RegretContext,
  reachedAt,
} from './records-filters.ts'

export interface Keyset {
  t: Date
  id: string
}

const and = (conditions: Condition[]) => sql.join(conditions, sql` and `)

async function countOf(db: Kysely<DB>, query: ReturnType<typeof sql>) {
  const result = await sql<{
    total: number
  }>`select count(*)::int as total from (${query}) q`.execute(db)
  return result.rows[0]?.total ?? 0
}

const after = (time: Condition, id: Condition, key: Keyset | undefined) =>
  key ? sql`and (${time}, ${id}) < (${key.t}, ${key.id}::uuid)` : sql``

export interface HandoffRow {
  id: string
  createdAt: Date
  contactId: string
  firstName: string | null
  lastName: string | null
  email: string | null
  ownerId: string | null
  ownerName: string | null
  campaignId: string | null
  campaignName: string | null
  status: 'open' | 'accepted' | 'rejected'
  rejectionReason: string | null
  quality: number | null
  firstTouchAt: Date | null
  firstTouchDueAt: Date
  decisionDueAt: Date
  decidedAt: Date | null
}

export async function queryHandoffs(
  db: Kysely<DB>,
  workspaceId: string,
  range: BridgeRange,
  filters: DrillFilters,
  now: Date,
  page: { limit: number; after: Keyset | undefined },
) {
  const where = and(handoffConditions(workspaceId, range, filters, now))
  const [total, rows] = await Promise.all([
    countOf(db, sql`select 1 from handoffs h where ${where}`),
    sql<HandoffRow>`select h.id, h.created_at as "createdAt", h.contact_id as "contactId",
        c.first_name as "firstName", c.last_name as "lastName", c.email,
        h.owner_id as "ownerId", o.name as "ownerName",
        h.campaign_id as "campaignId", cp.name as "campaignName",
        h.status, h.rejection_reason as "rejectionReason", h.quality,
        h.first_touch_at as "firstTouchAt", h.first_touch_due_at as "firstTouchDueAt",
        h.decision_due_at as "decisionDueAt", h.decided_at as "decidedAt"
      from handoffs h
      join contacts c on c.workspace_id = h.workspace_id and c.id = h.contact_id
      left join users o on o.id = h.owner_id
      left join campaigns cp on cp.workspace_id = h.workspace_id and cp.id = h.campaign_id
      where ${where} ${after(sql`h.created_at`, sql`h.id`, page.after)}
      order by h.created_at desc, h.id desc
      limit ${page.limit + 1}`.execute(db),
  ])
  return { total, rows: rows.rows }
}

export interface DealRow {
  id: string
  name: string
  accountId: string | null
  accountName: string | null
  ownerId: string | null
  ownerName: string | null
  amount: number
  currency: string
  closedAt: Date
  isWon: boolean
  isLost: boolean
  lossReason: string | null
  lossCompetitor: string | null
  marketingCouldHelp: 'yes' | 'no' | 'unsure' | null
}

export async function queryDeals(
  db: Kysely<DB>,
  workspaceId: string,
  range: BridgeRange,
  filters: DrillFilters,
  page: { limit: number; after: Keyset | undefined },
  regret?: RegretContext,
) {
  const where = and(dealConditions(workspaceId, range, filters, regret))
  const from = sql`from deals d
    join stages s on s.workspace_id = d.workspace_id and s.id = d.stage_id
    left join accounts a on a.workspace_id = d.workspace_id and a.id = d.account_id`
  const [total, rows] = await Promise.all([
    countOf(db, sql`select 1 ${from} where ${where}`),
    sql<DealRow>`select d.id, d.name, d.account_id as "accountId", a.name as "accountName",
        d.owner_id as "ownerId", o.name as "ownerName", d.amount::int8 as amount, d.currency,
        d.closed_at as "closedAt", s.is_won as "isWon", s.is_lost as "isLost",
        d.loss_reason as "lossReason", d.loss_competitor as "lossCompetitor",
        d.marketing_could_help as "marketingCouldHelp"
      ${from}
      left join users o on o.id = d.owner_id
      where ${where} ${after(sql`d.closed_at`, sql`d.id`, page.after)}
      order by d.closed_at desc, d.id desc
      limit ${page.limit + 1}`.execute(db),
  ])
  return { total, rows: rows.rows.map((row) => ({ ...row, amount: Number(row.amount) })) }
}

export interface ContactRow {
  id: string
  firstName: string | null
  lastName: string | null
  email: string | null
  accountId: string | null
  accountName: string | null
  enteredAt: Date
  reachedAt: Date | null
}

export async function queryContacts(
  db: Kysely<DB>,
  workspaceId: string,
  range: BridgeRange,
  filters: DrillFilters,
  page: { limit: number; after: Keyset | undefined },
) {
  const from = sql`from (${contactCohort(workspaceId, range, filters)}) k
    join contacts c on c.workspace_id = ${workspaceId}::uuid and c.id = k.contact_id
    left join accounts a on a.workspace_id = c.workspace_id and a.id = c.account_id`
  const where = and(contactConditions(workspaceId, filters))
  const reached = filters.reached ? reachedAt(filters.reached) : sql`null::timestamptz`
  const [total, rows] = await Promise.all([
    countOf(db, sql`select 1 ${from} where ${where}`),
    sql<ContactRow>`select c.id, c.first_name as "firstName", c.last_name as "lastName", c.email,
        c.account_id as "accountId", a.name as "accountName", k.entered_at as "enteredAt",
        ${reached} as "reachedAt"
      ${from}
      where ${where} ${after(sql`k.entered_at`, sql`c.id`, page.after)}
      order by k.entered_at desc, c.id desc
      limit ${page.limit + 1}`.execute(db),
  ])
  return { total, rows: rows.rows }
}
