/**
 * Weekly counts per channel and campaign for the Telescope's trends (issue 14), aggregated in SQL:
 * ISO weeks (Monday to Sunday) in the workspace's time zone, keyed like the calendar ('2026-W48').
 * Every query answers rows of (channel, campaign, week) so campaigns and channels roll up in memory.
 */
import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'

export interface WeekRange {
  workspaceId: string
  timeZone: string
  /** The first instant of the first week, and the first instant after the last. */
  from: Date
  to: Date
}

export interface CountRow {
  channel: string | null
  campaignId: string | null
  week: string
  n: number
  /** Second count where the query has one (accepted among decided, converted among MQLs). */
  m: number
}

export interface CostRow {
  channel: string
  campaignId: string
  week: string
  currency: string
  amount: number
}

const weekOf = (column: string, timeZone: string) =>
  sql<string>`to_char(date_trunc('week', ${sql.ref(column)} at time zone ${timeZone}), 'IYYY-"W"IW')`

/**
 * Leads: contacts by the week of their lead creation, under their lead-creation touch's channel and
 * campaign (merged and deleted contacts left out).
 */
export async function selectLeadWeeks(db: Kysely<DB>, r: WeekRange): Promise<CountRow[]> {
  const { rows } = await sql<CountRow>`
    select t.channel, t.campaign_id as "campaignId", ${weekOf('c.lead_creation_at', r.timeZone)} as week,
      count(*)::int as n, 0 as m
    from contacts c
    join touchpoints t on t.workspace_id = c.workspace_id and t.contact_id = c.id
      and t.id = c.lead_creation_touchpoint_id
    where c.workspace_id = ${r.workspaceId} and c.deleted_at is null and c.merged_into is null
      and c.lead_creation_at >= ${r.from} and c.lead_creation_at < ${r.to}
    group by 1, 2, 3`.execute(db)
  return rows
}

/**
 * MQLs (handoffs by creation week) under the handoff's campaign and that campaign's channel, else
 * the contact's lead-creation channel; `m` counts the accepted ones and `decided` below the decided.
 */
export async function selectMqlWeeks(
  db: Kysely<DB>,
  r: WeekRange,
  conversionDays: number,
): Promise<(CountRow & { decided: number; converted: number })[]> {
  const { rows } = await sql<CountRow & { decided: number; converted: number }>`
    select coalesce(cp.channel, t.channel) as channel, h.campaign_id as "campaignId",
      ${weekOf('h.created_at', r.timeZone)} as week,
      count(*)::int as n,
      count(*) filter (where h.status = 'accepted')::int as m,
      count(*) filter (where h.status in ('accepted', 'rejected'))::int as decided,
      count(*) filter (where exists (
        select 1 from deal_contacts dc
        join deals d on d.workspace_id = dc.workspace_id and d.id = dc.deal_id
        where dc.workspace_id = h.workspace_id and dc.contact_id = h.contact_id
          and d.deleted_at is null and d.created_at >= h.created_at
          and d.created_at < h.created_at + make_interval(days => ${conversionDays})
      ))::int as converted
    from handoffs h
    left join campaigns cp on cp.workspace_id = h.workspace_id and cp.id = h.campaign_id
    left join contacts c on c.workspace_id = h.workspace_id and c.id = h.contact_id
    left join touchpoints t on cp.id is null and t.workspace_id = c.workspace_id
      and t.contact_id = c.id and t.id = c.lead_creation_touchpoint_id
    where h.workspace_id = ${r.workspaceId} and h.created_at >= ${r.from} and h.created_at < ${r.to}
    group by 1, 2, 3`.execute(db)
  return rows
}

/**
 * Campaign costs per week and currency. A cost is spread evenly over the days from its date to the
 * campaign's next cost (a monthly bill covers its month), at most 31 days; the last one as long
 * as the gap before it (a weekly bill's week), or 30 days when it is the only one, and never past
 * the campaign's end.
 */
export async function selectCostWeeks(db: Kysely<DB>, r: WeekRange): Promise<CostRow[]> {
  const { rows } = await sql<CostRow>`
    with spans as (
      select k.campaign_id, cp.channel, k.currency, k.amount, k.incurred_on as first_day,
        least(
          greatest(
            coalesce(
              lead(k.incurred_on) over (partition by k.campaign_id order by k.incurred_on, k.id),
              least(
                coalesce(cp.ends_on + 1, k.incurred_on + 30),
                k.incurred_on + coalesce(nullif(k.incurred_on - lag(k.incurred_on)
                  over (partition by k.campaign_id order by k.incurred_on, k.id), 0), 30)
              )
            ),
            k.incurred_on + 1
          ),
          k.incurred_on + 31
        ) as stop
      from campaign_costs k
      join campaigns cp on cp.workspace_id = k.workspace_id and cp.id = k.campaign_id
      -- No upper bound here: the next cost after the range still ends the last one's span.
      where k.workspace_id = ${r.workspaceId}
        and k.incurred_on >= (${r.from}::timestamptz at time zone ${r.timeZone})::date - 31
    ), days as (
      select campaign_id, channel, currency, day::date as day,
        amount::float8 / (stop - first_day) as amount
      from spans, generate_series(first_day, stop - 1, interval '1 day') as day
      where first_day < (${r.to}::timestamptz at time zone ${r.timeZone})::date
    )
    select channel, campaign_id as "campaignId",
      to_char(date_trunc('week', day), 'IYYY-"W"IW') as week, currency, sum(amount)::float8 as amount
    from days
    where day >= (${r.from}::timestamptz at time zone ${r.timeZone})::date
      and day < (${r.to}::timestamptz at time zone ${r.timeZone})::date
    group by 1, 2, 3, 4`.execute(db)
  return rows
}

export interface CampaignRow {
  id: string
  name: string
  channel: string
  type: string
  startsOn: string | null
  endsOn: string | null
  deletedAt: Date | null
}

/** The workspace's campaigns, deleted ones too (their past MQLs still count for the channel). */
export function selectCampaigns(db: Kysely<DB>, workspaceId: string): Promise<CampaignRow[]> {
  return db
    .selectFrom('campaigns')
    .select(['id', 'name', 'channel', 'type', 'startsOn', 'endsOn', 'deletedAt'])
    .where('workspaceId', '=', workspaceId)
    .execute()
}
