/**
 * The drill-down's filters as SQL conditions (src/server/reports/records.ts): one list of
 * conditions per kind, used by both the count and the page so `total` is exactly the number of
 * rows a reader can page through. Definitions are the Bridge's (contract of issue 8): the channel
 * of a handoff is its trigger touch's, else its contact's lead-creation touch's; a deal's campaign
 * is its source campaign and its channel its primary contact's lead-creation touch's; a contact's
 * campaign and channel are its lead-creation touch's; segments by account employees (DEFINITIONS).
 * A deal's team is its owner's teams; its products those of its lines; regret (issue 9) is the
 * regret report's (src/domain/regret.ts): mature won deals that churned, were refunded or
 * downgraded within 180 days of closing (deal's or account's date) or were won poor fit.
 */
import { type RawBuilder, sql } from 'kysely'
import { DateTime } from 'luxon'
import { lifecycleStages } from '../../domain/lifecycle.ts'
import { lastMatureDay, regretWindowDays } from '../../domain/regret.ts'
import { AppError } from '../errors.ts'
import type { BridgeRange, DrillKind } from './bridge-common.ts'

export const drillKinds = ['handoffs', 'deals', 'contacts'] as const
export const handoffStatuses = ['open', 'accepted', 'rejected', 'decided'] as const
export const slaStates = ['met', 'missed', 'unworked'] as const
export const segments = ['smb', 'mid_market', 'enterprise', 'none'] as const
export const couldHelpValues = ['yes', 'no', 'unsure', 'known'] as const

export interface DrillFilters {
  campaignId?: string | undefined
  channel?: string | undefined
  segment?: (typeof segments)[number] | undefined
  ownerId?: string | undefined
  teamId?: string | undefined
  status?: (typeof handoffStatuses)[number] | undefined
  reason?: string | undefined
  sla?: (typeof slaStates)[number] | undefined
  rated?: 'yes' | 'no' | undefined
  tagId?: string | undefined
  month?: string | undefined
  outcome?: 'won' | 'lost' | undefined
  lossReason?: string | undefined
  competitor?: string | undefined
  marketingCouldHelp?: (typeof couldHelpValues)[number] | undefined
  stage?: string | undefined
  reached?: string | undefined
  notReached?: string | undefined
  regret?: 'yes' | 'no' | undefined
  productId?: string | undefined
}

/** Which filters each kind accepts; any other is refused naming it, never silently ignored. */
export const filtersOf: Record<DrillKind, readonly (keyof DrillFilters)[]> = {
  handoffs: [
    'campaignId',
    'channel',
    'segment',
    'ownerId',
    'teamId',
    'status',
    'reason',
    'sla',
    'rated',
    'tagId',
    'month',
  ],
  deals: [
    'outcome',
    'lossReason',
    'competitor',
    'marketingCouldHelp',
    'campaignId',
    'channel',
    'segment',
    'ownerId',
    'teamId',
    'productId',
    'regret',
    'tagId',
    'month',
  ],
  contacts: [
    'stage',
    'reached',
    'notReached',
    'campaignId',
    'channel',
    'segment',
    'teamId',
    'month',
  ],
}

export type Condition = RawBuilder<unknown>

export function checkFilters(kind: DrillKind, filters: DrillFilters) {
  const allowed = filtersOf[kind]
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined) continue
    if (!allowed.includes(key as keyof DrillFilters)) {
      throw new AppError('invalid_input', `${key}: is not a filter of kind=${kind}`, {
        field: key,
      })
    }
  }
  if (kind !== 'contacts') return
  const stage = filters.stage
  if (!stage) {
    throw new AppError('invalid_input', 'stage: is required for kind=contacts', { field: 'stage' })
  }
  for (const field of ['reached', 'notReached'] as const) {
    const later = filters[field]
    if (later === undefined) continue
    const order = lifecycleStages as readonly string[]
    if (order.indexOf(later) <= order.indexOf(stage)) {
      throw new AppError('invalid_input', `${field}: must be a stage after ${stage}`, { field })
    }
  }
  if (filters.reached && filters.notReached) {
    throw new AppError('invalid_input', 'notReached: give either reached or notReached', {
      field: 'notReached',
    })
  }
}

/**
 * [start, end) of the range, narrowed to one month ('YYYY-MM', workspace time zone) when asked;
 * a month outside the range leaves an empty window (start = end).
 */
export function windowOf(range: BridgeRange, month: string | undefined) {
  if (!month) return { start: range.start, end: range.end }
  const first = DateTime.fromISO(`${month}-01`, { zone: range.timeZone })
  const start = Math.max(first.toMillis(), range.start.getTime())
  const end = Math.max(start, Math.min(first.plus({ months: 1 }).toMillis(), range.end.getTime()))
  return { start: new Date(start), end: new Date(end) }
}

/** `column = id`, or `column is null` for 'none'. */
function idOrNone(column: Condition, value: string): Condition {
  return value === 'none' ? sql`${column} is null` : sql`${column} = ${value}`
}

function segmentIs(employees: Condition, segment: string): Condition {
  switch (segment) {
    case 'smb':
      return sql`${employees} < 200`
    case 'mid_market':
      return sql`${employees} >= 200 and ${employees} < 2000`
    case 'enterprise':
      return sql`${employees} >= 2000`
    default:
      return sql`${employees} is null`
  }
}

/** The lead-creation touch's column of contact `c` (its touch is found by time, then id). */
const lcTouch = (c: string, column: 'channel' | 'campaign_id') =>
  sql`(select t.${sql.raw(column)} from touchpoints t where t.workspace_id = ${sql.raw(c)}.workspace_id and t.occurred_at = ${sql.raw(c)}.lead_creation_at and t.id = ${sql.raw(c)}.lead_creation_touchpoint_id limit 1)`

/** A handoff's channel: its trigger touch's, else its contact's lead-creation touch's. */
export const handoffChannel = sql`coalesce(
  (select t.channel from touchpoints t where t.workspace_id = h.workspace_id
     and t.contact_id = h.contact_id and t.id = h.trigger_touchpoint_id limit 1),
  (select ${lcTouch('hc', 'channel')} from contacts hc
     where hc.workspace_id = h.workspace_id and hc.id = h.contact_id))`

function channelIs(channel: Condition, value: string): Condition {
  return value === 'none' ? sql`${channel} is null` : sql`${channel} = ${value}`
}

/** Conditions on handoffs `h` created in the window. */
export function handoffConditions(
  workspaceId: string,
  range: BridgeRange,
  f: DrillFilters,
  now: Date,
): Condition[] {
  const { start, end } = windowOf(range, f.month)
  const where: Condition[] = [
    sql`h.workspace_id = ${workspaceId}`,
    sql`h.created_at >= ${start}`,
    sql`h.created_at < ${end}`,
  ]
  if (f.campaignId) where.push(idOrNone(sql`h.campaign_id`, f.campaignId))
  if (f.channel) where.push(channelIs(handoffChannel, f.channel))
  if (f.segment) {
    where.push(f.segment === 'none' ? sql`h.segment is null` : sql`h.segment = ${f.segment}`)
  }
  if (f.ownerId) where.push(idOrNone(sql`h.owner_id`, f.ownerId))
  if (f.teamId) where.push(idOrNone(sql`h.team_id`, f.teamId))
  if (f.status === 'decided') where.push(sql`h.status <> 'open'`)
  else if (f.status) where.push(sql`h.status = ${f.status}`)
  if (f.reason) where.push(sql`h.rejection_reason = ${f.reason}`)
  // First-touch states as src/domain/handoff.ts firstTouchState; unworked as the SLA report's.
  if (f.sla === 'met') {
    where.push(sql`h.first_touch_at is not null and h.first_touch_at <= h.first_touch_due_at`)
  } else if (f.sla === 'missed') {
    where.push(sql`(h.first_touch_at > h.first_touch_due_at or (h.first_touch_at is null
      and h.first_touch_due_at < ${now}
      and (h.decided_at is null or h.decided_at > h.first_touch_due_at)))`)
  } else if (f.sla === 'unworked') {
    where.push(
      sql`h.status = 'open' and h.first_touch_at is null and h.first_touch_due_at < ${now}`,
    )
  }
  if (f.rated === 'yes') where.push(sql`h.quality is not null`)
  else if (f.rated === 'no') where.push(sql`h.quality is null`)
  if (f.tagId) {
    where.push(sql`exists (select 1 from feedback_tag_links l where l.workspace_id = h.workspace_id
      and l.entity = 'handoff' and l.entity_id = h.id and l.tag_id = ${f.tagId})`)
  }
  return where
}

/** A deal's channel: its primary contact's lead-creation touch's. */
export const dealChannel = sql`(select ${lcTouch('pc', 'channel')} from deal_contacts dc
  join contacts pc on pc.workspace_id = dc.workspace_id and pc.id = dc.contact_id
  where dc.workspace_id = d.workspace_id and dc.deal_id = d.id and dc.is_primary limit 1)`

/** What the regret filter needs: the workspace's product-fit threshold and today (its time zone). */
export interface RegretContext {
  threshold: number
  /** YYYY-MM-DD of the workspace time zone. */
  today: string
}

/**
 * A won deal `d` (account `a`) is regretted (src/domain/regret.ts regretOf, in SQL): a churn,
 * refund or downgrade date of the deal or its account in [closing day, closing day + 180 days], or
 * a won fit below the threshold. Closing days are of the workspace time zone.
 */
export function regrettedSql(timeZone: string, threshold: number): Condition {
  const closedOn = sql`(d.closed_at at time zone ${timeZone})::date`
  const within = (column: string) =>
    sql`(${sql.raw(column)} is not null and ${sql.raw(column)} >= ${closedOn}
      and ${sql.raw(column)} <= ${closedOn} + ${regretWindowDays}::int)`
  const dates = ['churned_on', 'refunded_on', 'downgraded_on'].flatMap((c) => [
    within(`d.${c}`),
    within(`a.${c}`),
  ])
  return sql`(${sql.join(dates, sql` or `)}
    or (d.won_fit is not null and d.won_fit < ${threshold}::int))`
}

/** Mature: closed at least 180 days before today (closing day ≤ today − 180 days). */
export function matureSql(timeZone: string, today: string): Condition {
  return sql`(d.closed_at at time zone ${timeZone})::date <= ${lastMatureDay(today)}::date`
}

/** Conditions on deals `d` (stage `s`, account `a`) closed in the window. */
export function dealConditions(
  workspaceId: string,
  range: BridgeRange,
  f: DrillFilters,
  regret?: RegretContext,
): Condition[] {
  const { start, end } = windowOf(range, f.month)
  const where: Condition[] = [
    sql`d.workspace_id = ${workspaceId}`,
    sql`d.deleted_at is null`,
    sql`d.closed_at >= ${start}`,
    sql`d.closed_at < ${end}`,
  ]
  if (f.outcome === 'won') where.push(sql`s.is_won`)
  else if (f.outcome === 'lost') where.push(sql`s.is_lost`)
  if (f.lossReason) where.push(sql`d.loss_reason = ${f.lossReason}`)
  if (f.competitor) {
    where.push(sql`(lower(d.loss_competitor) = lower(${f.competitor}) or exists (
      select 1 from feedback_tag_links l join feedback_tags g
        on g.workspace_id = l.workspace_id and g.id = l.tag_id
      where l.workspace_id = d.workspace_id and l.entity = 'deal' and l.entity_id = d.id
        and g.kind = 'competitor' and lower(g.name) = lower(${f.competitor})))`)
  }
  if (f.marketingCouldHelp === 'known') where.push(sql`d.marketing_could_help in ('yes', 'no')`)
  else if (f.marketingCouldHelp) where.push(sql`d.marketing_could_help = ${f.marketingCouldHelp}`)
  if (f.campaignId) where.push(idOrNone(sql`d.source_campaign_id`, f.campaignId))
  if (f.channel) where.push(channelIs(dealChannel, f.channel))
  if (f.segment) where.push(segmentIs(sql`a.employees`, f.segment))
  if (f.ownerId) where.push(idOrNone(sql`d.owner_id`, f.ownerId))
  if (f.teamId) {
    const inTeam = (team: Condition) => sql`exists (select 1 from team_members tm
      where tm.workspace_id = d.workspace_id and tm.user_id = d.owner_id ${team})`
    where.push(
      f.teamId === 'none' ? sql`not ${inTeam(sql``)}` : inTeam(sql`and tm.team_id = ${f.teamId}`),
    )
  }
  if (f.productId) {
    const withLine = (product: Condition) => sql`exists (select 1 from deal_line_items li
      where li.workspace_id = d.workspace_id and li.deal_id = d.id ${product})`
    where.push(
      f.productId === 'none'
        ? sql`not ${withLine(sql``)}`
        : withLine(sql`and li.product_id = ${f.productId}`),
    )
  }
  if (f.regret) {
    if (!regret) throw new Error('dealConditions: the regret filter needs its context')
    const regretted = regrettedSql(range.timeZone, regret.threshold)
    where.push(sql`s.is_won`, matureSql(range.timeZone, regret.today))
    where.push(f.regret === 'yes' ? regretted : sql`not ${regretted}`)
  }
  if (f.tagId) {
    where.push(sql`exists (select 1 from feedback_tag_links l where l.workspace_id = d.workspace_id
      and l.entity = 'deal' and l.entity_id = d.id and l.tag_id = ${f.tagId})`)
  }
  return where
}

/**
 * The contacts cohort `k` (contact_id, entered_at: its first entry into `stage` in the window,
 * re-entries aside, as the funnel counts) and conditions on it and its contact `c` (account `a`).
 */
export function contactCohort(workspaceId: string, range: BridgeRange, f: DrillFilters) {
  const { start, end } = windowOf(range, f.month)
  return sql`select e.record_id as contact_id, min(e.entered_at) as entered_at
    from lifecycle_entries e
    where e.workspace_id = ${workspaceId}::uuid and e.entity = 'contact'
      and e.stage = ${f.stage ?? ''} and not e.is_reentry
      and e.entered_at >= ${start} and e.entered_at < ${end}
    group by e.record_id`
}

/** When the contact reached `stage` within 90 days of entering the cohort (DEFINITIONS). */
export const reachedAt = (stage: string) => sql`(select min(r.entered_at) from lifecycle_entries r
  where r.workspace_id = c.workspace_id and r.entity = 'contact' and r.record_id = c.id
    and r.stage = ${stage} and r.entered_at >= k.entered_at
    and r.entered_at <= k.entered_at + interval '90 days')`

export function contactConditions(workspaceId: string, f: DrillFilters): Condition[] {
  const where: Condition[] = [
    sql`c.workspace_id = ${workspaceId}`,
    sql`c.deleted_at is null`,
    sql`c.merged_into is null`,
  ]
  if (f.reached) where.push(sql`${reachedAt(f.reached)} is not null`)
  if (f.notReached) where.push(sql`${reachedAt(f.notReached)} is null`)
  if (f.campaignId) where.push(idOrNone(lcTouch('c', 'campaign_id'), f.campaignId))
  if (f.channel) where.push(channelIs(lcTouch('c', 'channel'), f.channel))
  if (f.segment) where.push(segmentIs(sql`a.employees`, f.segment))
  if (f.teamId) {
    where.push(
      f.teamId === 'none'
        ? sql`not exists (select 1 from team_members tm where tm.workspace_id = c.workspace_id
            and tm.user_id = c.owner_id)`
        : sql`exists (select 1 from team_members tm where tm.workspace_id = c.workspace_id
            and tm.user_id = c.owner_id and tm.team_id = ${f.teamId})`,
    )
  }
  return where
}
