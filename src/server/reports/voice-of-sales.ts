/**
 * Voice of sales (issue 8), for marketing: what sales says about the leads and deals it gets.
 * Over [from, to] in the workspace time zone, optionally per campaign, channel or segment:
 * - rejections: handoffs created in the range and rejected, by reason; share = rejected with that
 *   reason ÷ handoffs decided in the group (DEFINITIONS "Rejection rate by reason");
 * - losses: deals closed in the range in a lost stage, by loss reason; share = ÷ losses in the
 *   group; `poor_fit_walked_away` is counted but flagged a good outcome (DEFINITIONS);
 * - marketingCouldHelp: the losses' yes / no / unsure answers per group;
 * - competitors: losses to a named competitor (names merged case-insensitively, shown in their most
 *   common spelling) and competitor tag mentions on activities, handoffs and deals of the range;
 * - objections: the ten objection tags on the most records of the range;
 * - quality: handoff quality ratings 1-5 per group;
 * - trends: per month of the range (every month, even empty), decisions, rejections and losses.
 * Every count carries the link to its records (/bridge/records); shares are null when nothing is
 * counted.
 */
import type { Kysely } from 'kysely'
import { DateTime } from 'luxon'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB } from '../db/schema.ts'
import { type BridgeRange, bridgeRange, drillLink, workspaceTimeZone } from './bridge-common.ts'
import {
  competitorLosses,
  handoffCells,
  lossCells,
  tagCells,
  type VoiceGrouping,
} from './voice-of-sales-queries.ts'

export type { VoiceGrouping }

export interface VoiceQuery {
  from?: string | undefined
  to?: string | undefined
  groupBy?: VoiceGrouping | undefined
}

export interface VoiceGroup {
  key: string
  label: string
}

const segmentLabels: Record<string, string> = {
  smb: 'SMB',
  mid_market: 'Mid-market',
  enterprise: 'Enterprise',
}

const noneLabels: Record<VoiceGrouping, string> = {
  campaign: 'No campaign',
  channel: 'No channel',
  segment: 'No segment',
}

/** The loss reason that is a good outcome, not a failure (DEFINITIONS). */
export const goodLossReason = 'poor_fit_walked_away'

const share = (count: number, of: number) => (of === 0 ? null : count / of)

/** Rows sorted by count, most first, then by a name. */
const byCount =
  <T>(count: (row: T) => number, name: (row: T) => string) =>
  (a: T, b: T) =>
    count(b) - count(a) || name(a).localeCompare(name(b))

export async function getVoiceOfSales(
  db: Kysely<DB>,
  principal: Principal,
  query: VoiceQuery,
  now = new Date(),
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const range = bridgeRange(query, await workspaceTimeZone(db, workspaceId), now)
  const groupBy = query.groupBy
  const [handoffs, losses, competitorNames, tags] = await Promise.all([
    handoffCells(db, workspaceId, range, groupBy),
    lossCells(db, workspaceId, range, groupBy),
    competitorLosses(db, workspaceId, range),
    tagCells(db, workspaceId, range),
  ])

  /** The group of a row, and the drill-down filter that selects it. */
  const groupOf = (key: string | null, label: string | null) => {
    if (!groupBy) return { group: null, filter: {} }
    const filterName = groupBy === 'campaign' ? 'campaignId' : groupBy
    if (key === null) {
      return {
        group: { key: 'none', label: noneLabels[groupBy] },
        filter: { [filterName]: 'none' },
      }
    }
    const shown = groupBy === 'segment' ? (segmentLabels[key] ?? key) : (label ?? key)
    return { group: { key, label: shown }, filter: { [filterName]: key } }
  }
  const link = (kind: 'handoffs' | 'deals', filters: Record<string, string | undefined>) =>
    drillLink(kind, range, filters)

  // Rejections and quality, per group.
  interface HandoffGroup {
    group: VoiceGroup | null
    filter: Record<string, string>
    decided: number
    reasons: Map<string, number>
    quality: [number, number, number, number, number]
    unrated: number
  }
  const handoffGroups = new Map<string, HandoffGroup>()
  for (const cell of handoffs) {
    const key = cell.groupKey ?? ''
    let entry = handoffGroups.get(key)
    if (!entry) {
      entry = {
        ...groupOf(cell.groupKey, cell.groupLabel),
        decided: 0,
        reasons: new Map(),
        quality: [0, 0, 0, 0, 0],
        unrated: 0,
      }
      handoffGroups.set(key, entry)
    }
    if (cell.status !== 'open') entry.decided += cell.count
    if (cell.status === 'rejected' && cell.reason) {
      entry.reasons.set(cell.reason, (entry.reasons.get(cell.reason) ?? 0) + cell.count)
    }
    if (cell.quality !== null && cell.quality >= 1 && cell.quality <= 5) {
      const index = cell.quality - 1
      entry.quality[index] = (entry.quality[index] ?? 0) + cell.count
    } else entry.unrated += cell.count
  }
  const handoffGroupList = [...handoffGroups.values()]
  const rejections = handoffGroupList
    .flatMap((g) =>
      [...g.reasons].map(([reason, count]) => ({
        group: g.group,
        reason,
        count,
        share: share(count, g.decided),
        decided: g.decided,
        link: link('handoffs', { status: 'rejected', reason, ...g.filter }),
      })),
    )
    .sort(
      byCount(
        (r) => r.count,
        (r) => `${r.group?.label ?? ''} ${r.reason}`,
      ),
    )
  const quality = handoffGroupList
    .map((g) => {
      const rated = g.quality.reduce((sum, n) => sum + n, 0)
      const total = g.quality.reduce((sum, n, i) => sum + n * (i + 1), 0)
      const [one, two, three, four, five] = g.quality
      return {
        group: g.group,
        rated,
        average: rated === 0 ? null : total / rated,
        distribution: { 1: one, 2: two, 3: three, 4: four, 5: five },
        unrated: g.unrated,
        link: link('handoffs', { rated: 'yes', ...g.filter }),
        unratedLink: link('handoffs', { rated: 'no', ...g.filter }),
      }
    })
    .sort(
      byCount(
        (q) => q.rated + q.unrated,
        (q) => q.group?.label ?? '',
      ),
    )

  // Losses and marketingCouldHelp, per group.
  interface LossGroup {
    group: VoiceGroup | null
    filter: Record<string, string>
    total: number
    reasons: Map<string | null, number>
    couldHelp: { yes: number; no: number; unsure: number; unanswered: number }
  }
  const lossGroups = new Map<string, LossGroup>()
  for (const cell of losses) {
    const key = cell.groupKey ?? ''
    let entry = lossGroups.get(key)
    if (!entry) {
      entry = {
        ...groupOf(cell.groupKey, cell.groupLabel),
        total: 0,
        reasons: new Map(),
        couldHelp: { yes: 0, no: 0, unsure: 0, unanswered: 0 },
      }
      lossGroups.set(key, entry)
    }
    entry.total += cell.count
    entry.reasons.set(cell.reason, (entry.reasons.get(cell.reason) ?? 0) + cell.count)
    entry.couldHelp[cell.couldHelp ?? 'unanswered'] += cell.count
  }
  const lossGroupList = [...lossGroups.values()]
  const lossRows = lossGroupList
    .flatMap((g) =>
      [...g.reasons].map(([reason, count]) => ({
        group: g.group,
        reason,
        count,
        share: share(count, g.total),
        goodOutcome: reason === goodLossReason,
        // A loss without a reason (before reasons were required) has no drill-down filter.
        link: reason ? link('deals', { outcome: 'lost', lossReason: reason, ...g.filter }) : null,
      })),
    )
    .sort(
      byCount(
        (r) => r.count,
        (r) => `${r.group?.label ?? ''} ${r.reason ?? ''}`,
      ),
    )
  const marketingCouldHelp = lossGroupList
    .map((g) => ({
      group: g.group,
      losses: g.total,
      ...g.couldHelp,
      links: {
        yes: link('deals', { outcome: 'lost', marketingCouldHelp: 'yes', ...g.filter }),
        no: link('deals', { outcome: 'lost', marketingCouldHelp: 'no', ...g.filter }),
        unsure: link('deals', { outcome: 'lost', marketingCouldHelp: 'unsure', ...g.filter }),
      },
    }))
    .sort(
      byCount(
        (g) => g.losses,
        (g) => g.group?.label ?? '',
      ),
    )

  return {
    from: range.from,
    to: range.to,
    timeZone: range.timeZone,
    groupBy: groupBy ?? null,
    rejections,
    losses: lossRows,
    marketingCouldHelp,
    competitors: competitorsOf(range, competitorNames, tags),
    objections: objectionsOf(range, tags),
    quality,
    trends: trendsOf(range, handoffs, losses),
  }
}

type TagCells = Awaited<ReturnType<typeof tagCells>>

/** Losses per competitor (names merged case-insensitively) and mentions of competitor tags. */
function competitorsOf(
  range: BridgeRange,
  names: Awaited<ReturnType<typeof competitorLosses>>,
  tags: TagCells,
) {
  const merged = new Map<
    string,
    { spellings: Map<string, number>; losses: number; mentions: number; tagName?: string }
  >()
  const entry = (name: string) => {
    const key = name.toLowerCase()
    let found = merged.get(key)
    if (!found) {
      found = { spellings: new Map(), losses: 0, mentions: 0 }
      merged.set(key, found)
    }
    return found
  }
  for (const row of names) {
    const found = entry(row.name)
    found.losses += row.count
    found.spellings.set(row.name, (found.spellings.get(row.name) ?? 0) + row.count)
  }
  for (const tag of tags) {
    if (tag.kind !== 'competitor') continue
    const found = entry(tag.name)
    found.mentions += tag.count
    found.tagName = tag.name
  }
  return [...merged.values()]
    .map((c) => {
      // The most common spelling of the losses; else the tag's name.
      const spelled = [...c.spellings].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      const name = spelled[0]?.[0] ?? c.tagName ?? ''
      return {
        name,
        losses: c.losses,
        mentions: c.mentions,
        link: drillLink('deals', range, {
          outcome: 'lost',
          lossReason: 'competitor',
          competitor: name,
        }),
      }
    })
    .sort(
      byCount(
        (c) => c.losses + c.mentions,
        (c) => c.name,
      ),
    )
}

/** The ten objection tags on the most records of the range. */
function objectionsOf(range: BridgeRange, tags: TagCells) {
  const byTag = new Map<
    string,
    { tag: { id: string; name: string }; activities: number; handoffs: number; deals: number }
  >()
  for (const cell of tags) {
    if (cell.kind !== 'objection') continue
    let found = byTag.get(cell.tagId)
    if (!found) {
      found = { tag: { id: cell.tagId, name: cell.name }, activities: 0, handoffs: 0, deals: 0 }
      byTag.set(cell.tagId, found)
    }
    if (cell.entity === 'activity') found.activities += cell.count
    else if (cell.entity === 'handoff') found.handoffs += cell.count
    else found.deals += cell.count
  }
  return [...byTag.values()]
    .map((o) => {
      const links = {
        handoffs: drillLink('handoffs', range, { tagId: o.tag.id }),
        deals: drillLink('deals', range, { tagId: o.tag.id }),
      }
      return {
        ...o,
        count: o.activities + o.handoffs + o.deals,
        // The drill-down lists handoffs and deals (activities have no drill-down kind).
        link: o.deals > o.handoffs ? links.deals : links.handoffs,
        links,
      }
    })
    .sort(
      byCount(
        (o) => o.count,
        (o) => o.tag.name,
      ),
    )
    .slice(0, 10)
}

/** Every month of the range (workspace time zone), empty ones included. */
export function monthsOf(range: Pick<BridgeRange, 'from' | 'to'>) {
  const months: string[] = []
  let month = DateTime.fromISO(range.from).startOf('month')
  const last = DateTime.fromISO(range.to).startOf('month')
  while (month <= last) {
    months.push(month.toFormat('yyyy-MM'))
    month = month.plus({ months: 1 })
  }
  return months
}

function trendsOf(
  range: BridgeRange,
  handoffs: Awaited<ReturnType<typeof handoffCells>>,
  losses: Awaited<ReturnType<typeof lossCells>>,
) {
  const months = new Map(
    monthsOf(range).map((m) => [
      m,
      { decided: 0, rejected: 0, losses: 0, reasons: new Map<string, number>() },
    ]),
  )
  for (const cell of handoffs) {
    const m = months.get(cell.month)
    if (!m || cell.status === 'open') continue
    m.decided += cell.count
    if (cell.status !== 'rejected') continue
    m.rejected += cell.count
    if (cell.reason) m.reasons.set(cell.reason, (m.reasons.get(cell.reason) ?? 0) + cell.count)
  }
  for (const cell of losses) {
    const m = months.get(cell.month)
    if (m) m.losses += cell.count
  }
  return [...months].map(([month, m]) => {
    const top = [...m.reasons].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]
    return {
      month,
      decided: m.decided,
      rejected: m.rejected,
      rejectionRate: share(m.rejected, m.decided),
      losses: m.losses,
      topReason: top ? top[0] : null,
      links: {
        decided: drillLink('handoffs', range, { status: 'decided', month }),
        rejected: drillLink('handoffs', range, { status: 'rejected', month }),
        losses: drillLink('deals', range, { outcome: 'lost', month }),
        topReason: top
          ? drillLink('handoffs', range, { status: 'rejected', reason: top[0], month })
          : null,
      },
    }
  })
}
