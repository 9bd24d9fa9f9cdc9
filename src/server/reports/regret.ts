/**
 * The regret rate report (issue 9, DEFINITIONS.md "Regret rate"): among won deals closed in
 * [from, to] and at least 180 days before today (mature), the share that churned, were refunded or
 * downgraded within 180 days of closing (the deal's own date or its account's) or were won while
 * flagged poor fit (won fit < the workspace's current product-fit threshold). The maths is
 * src/domain/regret.ts; the drill-down (kind=deals, regret=yes|no, records-filters.ts) applies the
 * same rule in SQL, so each link's total is the number shown.
 *
 * Range: `to` defaults to the last mature closing day (today − 180 days, workspace time zone) and a
 * later `to` is clamped to it (only mature deals count); `from` defaults to the first of the month
 * 11 months before `to` (12 whole months). Groups: rep (the deal's owner), team (the owner's teams:
 * a deal counts once in each), campaign (the deal's source campaign), product (each product of the
 * deal's lines: a deal counts once per product). Deals without one fall in the group "none".
 */
import { type Kysely, sql } from 'kysely'
import { DateTime } from 'luxon'
import {
  lastMatureDay,
  type RegretCounts,
  type RegretOutcome,
  regretCounts,
  regretOf,
  regretWindowDays,
  type WonDealFacts,
} from '../../domain/regret.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { loadScoringSettings } from '../scoring/settings.ts'
import { type BridgeRange, drillLink, workspaceTimeZone } from './bridge-common.ts'
import { reportRange } from './sla.ts'

export const regretGroupings = ['rep', 'team', 'campaign', 'product'] as const
export type RegretGrouping = (typeof regretGroupings)[number]

export interface RegretGroup {
  key: string
  label: string
}

export interface RegretRow extends RegretCounts {
  /** null: every deal (the overall row). */
  group: RegretGroup | null
  /** Drill-down to the mature won deals counted in `won`. */
  link: string
  /** Drill-down to the regretted ones. */
  regrettedLink: string
}

export interface RegretReport {
  from: string
  to: string
  timeZone: string
  asOf: string
  /** The last mature closing day (today − 180 days): deals closed on or before it count. */
  matureBefore: string
  /** True when the asked `to` was later than matureBefore and was moved back to it. */
  clamped: boolean
  windowDays: number
  productFitThreshold: number
  groupBy: RegretGrouping | null
  overall: RegretRow
  rows: RegretRow[]
}

export interface RegretQuery {
  from?: string | undefined
  to?: string | undefined
  groupBy?: RegretGrouping | undefined
}

/**
 * [from, to] of the report: `to` defaults to (and is clamped to) the last mature day; `from` to
 * the first of the month 11 months before `to`. Inverted and over-long ranges → 400 naming the
 * field (`to`); a `from` after the last mature day → 400 naming `from`.
 */
export function regretRange(
  query: { from?: string | undefined; to?: string | undefined },
  timeZone: string,
  now: Date,
): BridgeRange & { matureBefore: string; clamped: boolean } {
  const today = DateTime.fromJSDate(now, { zone: timeZone }).toISODate()
  if (!today) throw new AppError('invalid_input', 'to: could not compute the default range')
  const matureBefore = lastMatureDay(today)
  if (query.from && query.to && query.to < query.from) {
    throw new AppError(
      'invalid_input',
      `to: must be on or after from (${query.from}), not ${query.to}`,
      { field: 'to' },
    )
  }
  const clamped = query.to !== undefined && query.to > matureBefore
  const to = query.to && !clamped ? query.to : matureBefore
  const from =
    query.from ??
    DateTime.fromISO(to, { zone: timeZone }).minus({ months: 11 }).startOf('month').toISODate()
  if (!from) throw new AppError('invalid_input', 'from: could not compute the default range')
  if (from > to) {
    throw new AppError(
      'invalid_input',
      `from: must be on or before ${matureBefore}: only deals closed at least ${regretWindowDays} days ago are mature`,
      { field: 'from' },
    )
  }
  return { ...reportRange({ from, to }, timeZone, now), timeZone, matureBefore, clamped }
}

interface DealFacts extends WonDealFacts {
  id: string
  ownerId: string | null
  ownerName: string | null
  campaignId: string | null
  campaignName: string | null
  teamIds: string[]
  productIds: string[]
}

interface DealRow {
  id: string
  ownerId: string | null
  ownerName: string | null
  campaignId: string | null
  campaignName: string | null
  closedOn: string
  wonFit: number | null
  churnedOn: string | null
  refundedOn: string | null
  downgradedOn: string | null
  accountId: string | null
  accountChurnedOn: string | null
  accountRefundedOn: string | null
  accountDowngradedOn: string | null
  teamIds: string[]
  productIds: string[]
}

/** Won deals closed in the range, with what the regret rule and the groupings need. */
export async function selectWonDeals(
  db: Kysely<DB>,
  workspaceId: string,
  range: BridgeRange,
): Promise<DealFacts[]> {
  const result = await sql<DealRow>`select d.id, d.owner_id as "ownerId", o.name as "ownerName",
      d.source_campaign_id as "campaignId", cp.name as "campaignName",
      to_char(d.closed_at at time zone ${range.timeZone}, 'YYYY-MM-DD') as "closedOn",
      d.won_fit as "wonFit", d.churned_on::text as "churnedOn",
      d.refunded_on::text as "refundedOn", d.downgraded_on::text as "downgradedOn",
      a.id as "accountId", a.churned_on::text as "accountChurnedOn",
      a.refunded_on::text as "accountRefundedOn", a.downgraded_on::text as "accountDowngradedOn",
      array(select tm.team_id::text from team_members tm
        where tm.workspace_id = d.workspace_id and tm.user_id = d.owner_id
        order by tm.team_id) as "teamIds",
      array(select distinct li.product_id::text from deal_line_items li
        where li.workspace_id = d.workspace_id and li.deal_id = d.id) as "productIds"
    from deals d
    join stages s on s.workspace_id = d.workspace_id and s.id = d.stage_id and s.is_won
    left join accounts a on a.workspace_id = d.workspace_id and a.id = d.account_id
    left join users o on o.id = d.owner_id
    left join campaigns cp on cp.workspace_id = d.workspace_id and cp.id = d.source_campaign_id
    where d.workspace_id = ${workspaceId} and d.deleted_at is null
      and d.closed_at >= ${range.start} and d.closed_at < ${range.end}`.execute(db)
  return result.rows.map((r) => ({
    id: r.id,
    won: true,
    closedOn: r.closedOn,
    wonFit: r.wonFit,
    deal: { churnedOn: r.churnedOn, refundedOn: r.refundedOn, downgradedOn: r.downgradedOn },
    account: r.accountId
      ? {
          churnedOn: r.accountChurnedOn,
          refundedOn: r.accountRefundedOn,
          downgradedOn: r.accountDowngradedOn,
        }
      : null,
    ownerId: r.ownerId,
    ownerName: r.ownerName,
    campaignId: r.campaignId,
    campaignName: r.campaignName,
    teamIds: r.teamIds,
    productIds: r.productIds,
  }))
}

async function namesOf(db: Kysely<DB>, workspaceId: string, table: 'teams' | 'products') {
  const rows = await db
    .selectFrom(table)
    .select(['id', 'name'])
    .where('workspaceId', '=', workspaceId)
    .execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

const noneLabels: Record<RegretGrouping, string> = {
  rep: 'Unassigned',
  team: 'No team',
  campaign: 'No campaign',
  product: 'No product',
}

/** The drill-down filter of each grouping (records-filters.ts). */
const filterName: Record<RegretGrouping, string> = {
  rep: 'ownerId',
  team: 'teamId',
  campaign: 'campaignId',
  product: 'productId',
}

/** The groups (key, label) a deal counts in. */
function groupsOf(
  deal: DealFacts,
  groupBy: RegretGrouping,
  names: Map<string, string>,
): RegretGroup[] {
  const keys =
    groupBy === 'rep'
      ? [deal.ownerId]
      : groupBy === 'campaign'
        ? [deal.campaignId]
        : groupBy === 'team'
          ? deal.teamIds
          : deal.productIds
  if (keys.length === 0 || keys[0] === null) return [{ key: 'none', label: noneLabels[groupBy] }]
  return (keys as string[]).map((key) => ({
    key,
    label:
      groupBy === 'rep'
        ? (deal.ownerName ?? 'Unknown')
        : groupBy === 'campaign'
          ? (deal.campaignName ?? 'Unknown')
          : (names.get(key) ?? 'Unknown'),
  }))
}

/** The report of GET /api/v1/reports/regret. */
export async function getRegretReport(
  db: Kysely<DB>,
  principal: Principal,
  query: RegretQuery,
  now = new Date(),
): Promise<RegretReport> {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const timeZone = await workspaceTimeZone(db, workspaceId)
  const range = regretRange(query, timeZone, now)
  const groupBy = query.groupBy ?? null
  const { productFitThreshold } = await loadScoringSettings(db, workspaceId)
  const deals = await selectWonDeals(db, workspaceId, range)
  // Every deal of the range is mature (to ≤ matureBefore); the domain's rule decides regret.
  const outcomes = deals.map((deal) => ({ deal, outcome: regretOf(deal, productFitThreshold) }))

  const row = (group: RegretGroup | null, list: RegretOutcome[]): RegretRow => {
    const filter = group && groupBy ? { [filterName[groupBy]]: group.key } : {}
    return {
      group,
      ...regretCounts(list),
      link: drillLink('deals', range, { outcome: 'won', ...filter }),
      regrettedLink: drillLink('deals', range, { outcome: 'won', regret: 'yes', ...filter }),
    }
  }

  let rows: RegretRow[] = []
  if (groupBy) {
    const names =
      groupBy === 'team' || groupBy === 'product'
        ? await namesOf(db, workspaceId, groupBy === 'team' ? 'teams' : 'products')
        : new Map<string, string>()
    const groups = new Map<string, { group: RegretGroup; outcomes: RegretOutcome[] }>()
    for (const { deal, outcome } of outcomes) {
      for (const group of groupsOf(deal, groupBy, names)) {
        const known = groups.get(group.key)
        if (known) known.outcomes.push(outcome)
        else groups.set(group.key, { group, outcomes: [outcome] })
      }
    }
    rows = [...groups.values()]
      .sort(
        (x, y) =>
          Number(x.group.key === 'none') - Number(y.group.key === 'none') ||
          y.outcomes.length - x.outcomes.length ||
          x.group.label.localeCompare(y.group.label),
      )
      .map(({ group, outcomes: list }) => row(group, list))
  }
  const overall = row(
    null,
    outcomes.map((o) => o.outcome),
  )

  return {
    from: range.from,
    to: range.to,
    timeZone,
    asOf: now.toISOString(),
    matureBefore: range.matureBefore,
    clamped: range.clamped,
    windowDays: regretWindowDays,
    productFitThreshold,
    groupBy,
    overall,
    rows: groupBy ? rows : [overall],
  }
}
