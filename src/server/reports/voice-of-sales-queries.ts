/**
 * The voice of sales report's SQL (src/server/reports/voice-of-sales.ts): every query aggregates in
 * PostgreSQL (group by), so the report reads a few hundred rows whatever the workspace's size.
 * Definitions are the Bridge's (contract of issue 8): a handoff's campaign is handoffs.campaign_id,
 * its channel its trigger touch's else its contact's lead-creation touch's, its segment
 * handoffs.segment; a deal's campaign is its source campaign, its channel its primary contact's
 * lead-creation touch's, its segment its account's employees (DEFINITIONS "Segment").
 */
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { DB } from '../db/schema.ts'
import { type BridgeRange, segmentSql } from './bridge-common.ts'
import { dealChannel } from './records-filters.ts'

export type VoiceGrouping = 'campaign' | 'channel' | 'segment'

const none = sql<string | null>`null::text`

/**
 * The group key of handoff `h`, and the joins it needs. The channel is joined rather than looked
 * up per row (as the drill-down's `handoffChannel`, same definition) so PostgreSQL can choose.
 */
function handoffGroup(groupBy: VoiceGrouping | undefined): {
  key: RawBuilder<string | null>
  joins: RawBuilder<unknown>
} {
  if (groupBy === 'campaign') return { key: sql`h.campaign_id`, joins: sql`` }
  if (groupBy === 'segment') return { key: sql`h.segment`, joins: sql`` }
  if (groupBy !== 'channel') return { key: none, joins: sql`` }
  return {
    key: sql`coalesce(tt.channel, lt.channel)`,
    joins: sql`left join touchpoints tt on tt.workspace_id = h.workspace_id
        and tt.contact_id = h.contact_id and tt.id = h.trigger_touchpoint_id
      left join contacts hc on hc.workspace_id = h.workspace_id and hc.id = h.contact_id
      left join touchpoints lt on lt.workspace_id = hc.workspace_id
        and lt.occurred_at = hc.lead_creation_at and lt.id = hc.lead_creation_touchpoint_id`,
  }
}

/** The group key of deal `d` (account `a` joined). */
function dealGroup(groupBy: VoiceGrouping | undefined): RawBuilder<string | null> {
  if (groupBy === 'campaign') return sql`d.source_campaign_id`
  if (groupBy === 'channel') return sql`${dealChannel}`
  if (groupBy === 'segment') return sql.raw(segmentSql('a.employees'))
  return none
}

/**
 * The label of aggregated rows `g` (their group_key): campaigns' names, joined after the
 * aggregation so the join runs once per group, not once per record.
 */
function groupLabel(groupBy: VoiceGrouping | undefined, workspaceId: string) {
  if (groupBy !== 'campaign') return { label: none, join: sql`` }
  return {
    label: sql<string | null>`cp.name`,
    join: sql`left join campaigns cp on cp.workspace_id = ${workspaceId} and cp.id = g.group_key`,
  }
}

/** The month of a timestamp in the time zone, truncated (formatted after the aggregation). */
const month = (column: RawBuilder<unknown>, timeZone: string) =>
  sql<Date>`date_trunc('month', ${column} at time zone ${timeZone})`

export interface HandoffCell {
  groupKey: string | null
  groupLabel: string | null
  status: 'open' | 'accepted' | 'rejected'
  reason: string | null
  quality: number | null
  month: string
  count: number
}

/** Handoffs created in the range, counted by group, status, rejection reason, quality and month. */
export async function handoffCells(
  db: Kysely<DB>,
  workspaceId: string,
  range: BridgeRange,
  groupBy: VoiceGrouping | undefined,
) {
  const { label, join } = groupLabel(groupBy, workspaceId)
  const group = handoffGroup(groupBy)
  const result = await sql<HandoffCell>`
    select g.group_key::text as "groupKey", ${label} as "groupLabel", g.status, g.reason,
      g.quality, to_char(g.month, 'YYYY-MM') as month, g.count
    from (
      select ${group.key} as group_key, h.status, h.rejection_reason as reason,
        h.quality, ${month(sql`h.created_at`, range.timeZone)} as month, count(*)::int as count
      from handoffs h
      ${group.joins}
      where h.workspace_id = ${workspaceId} and h.created_at >= ${range.start}
        and h.created_at < ${range.end}
      group by 1, 2, 3, 4, 5
    ) g
    ${join}`.execute(db)
  return result.rows
}

export interface LossCell {
  groupKey: string | null
  groupLabel: string | null
  reason: string | null
  couldHelp: 'yes' | 'no' | 'unsure' | null
  month: string
  count: number
}

/** Deals lost (closed in the range, lost stage), counted by group, reason, marketingCouldHelp, month. */
export async function lossCells(
  db: Kysely<DB>,
  workspaceId: string,
  range: BridgeRange,
  groupBy: VoiceGrouping | undefined,
) {
  const { label, join } = groupLabel(groupBy, workspaceId)
  const result = await sql<LossCell>`
    select g.group_key::text as "groupKey", ${label} as "groupLabel", g.reason,
      g.could_help as "couldHelp", to_char(g.month, 'YYYY-MM') as month, g.count
    from (
      select ${dealGroup(groupBy)} as group_key, d.loss_reason as reason,
        d.marketing_could_help as could_help, ${month(sql`d.closed_at`, range.timeZone)} as month,
        count(*)::int as count
      ${lostDeals(workspaceId, range)}
      group by 1, 2, 3, 4
    ) g
    ${join}`.execute(db)
  return result.rows
}

function lostDeals(workspaceId: string, range: BridgeRange) {
  return sql`from deals d
    join stages s on s.workspace_id = d.workspace_id and s.id = d.stage_id
    left join accounts a on a.workspace_id = d.workspace_id and a.id = d.account_id
    where d.workspace_id = ${workspaceId} and d.deleted_at is null and s.is_lost
      and d.closed_at >= ${range.start} and d.closed_at < ${range.end}`
}

/** Losses to a competitor by the competitor's name as typed (merged case-insensitively later). */
export async function competitorLosses(db: Kysely<DB>, workspaceId: string, range: BridgeRange) {
  const result = await sql<{ name: string; count: number }>`
    select d.loss_competitor as name, count(*)::int as count
    ${lostDeals(workspaceId, range)}
      and d.loss_reason = 'competitor' and d.loss_competitor is not null
      and btrim(d.loss_competitor) <> ''
    group by d.loss_competitor`.execute(db)
  return result.rows
}

export interface TagCell {
  tagId: string
  kind: 'objection' | 'competitor'
  name: string
  entity: 'activity' | 'handoff' | 'deal'
  count: number
}

/**
 * Tag links per tag and entity, on activities created in the range, handoffs created in the range
 * and deals closed in the range (each record counted once per tag: the links' primary key).
 */
export async function tagCells(db: Kysely<DB>, workspaceId: string, range: BridgeRange) {
  const result = await sql<TagCell>`
    select g.id as "tagId", g.kind, g.name, x.entity, x.count
    from (
      select l.tag_id, l.entity, count(*)::int as count
      from feedback_tag_links l
      join activities x on x.workspace_id = l.workspace_id and x.id = l.entity_id
      where l.workspace_id = ${workspaceId} and l.entity = 'activity' and x.deleted_at is null
        and x.created_at >= ${range.start} and x.created_at < ${range.end}
      group by l.tag_id, l.entity
      union all
      select l.tag_id, l.entity, count(*)::int
      from feedback_tag_links l
      join handoffs h on h.workspace_id = l.workspace_id and h.id = l.entity_id
      where l.workspace_id = ${workspaceId} and l.entity = 'handoff'
        and h.created_at >= ${range.start} and h.created_at < ${range.end}
      group by l.tag_id, l.entity
      union all
      select l.tag_id, l.entity, count(*)::int
      from feedback_tag_links l
      join deals d on d.workspace_id = l.workspace_id and d.id = l.entity_id
      where l.workspace_id = ${workspaceId} and l.entity = 'deal' and d.deleted_at is null
        and d.closed_at >= ${range.start} and d.closed_at < ${range.end}
      group by l.tag_id, l.entity
    ) x
    join feedback_tags g on g.workspace_id = ${workspaceId} and g.id = x.tag_id`.execute(db)
  return result.rows
}
