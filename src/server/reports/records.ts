/**
 * The drill-down behind every Bridge number (GET /api/v1/reports/records): the records a report
 * counted, by kind, with the exact `total` the report showed and a sentence saying which.
 * - kind=handoffs: handoffs CREATED in [from, to]; filters campaignId, channel, segment, ownerId,
 *   teamId, status (open|accepted|rejected|decided), reason, sla (met|missed|unworked), rated,
 *   tagId, month.
 * - kind=deals: deals CLOSED in [from, to]; filters outcome, lossReason, competitor,
 *   marketingCouldHelp (yes|no|unsure|known), campaignId, channel, segment, ownerId, teamId (the
 *   owner's teams), productId (a line of that product; none: no lines), regret (yes|no: mature won
 *   deals that are or are not regretted, as the regret report counts them), tagId, month.
 * - kind=contacts: contacts that ENTERED `stage` in [from, to] (each once, at its first entry, not
 *   counting re-entries, as the funnel does; merged and deleted contacts aside);
 *   filters stage (required), reached / notReached (a later stage within 90 days), campaignId,
 *   channel, segment, teamId, month.
 * Newest first, keyset pages; the count is a separate query over the same conditions.
 */
import type { Kysely } from 'kysely'
import { DateTime } from 'luxon'
import { firstTouchState } from '../../domain/handoff.ts'
import { regretWindowDays } from '../../domain/regret.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { contactName } from '../handoffs/open.ts'
import { decodeCursor, encodeCursor } from '../http/pagination.ts'
import { loadScoringSettings } from '../scoring/settings.ts'
import { bridgeRange, type DrillKind, workspaceTimeZone } from './bridge-common.ts'
import { checkFilters, type DrillFilters } from './records-filters.ts'
import { queryContacts, queryDeals, queryHandoffs } from './records-query.ts'

export interface DrillQuery extends DrillFilters {
  kind: DrillKind
  from?: string | undefined
  to?: string | undefined
  cursor?: string | undefined
  limit: number
}

const segmentWords: Record<string, string> = {
  smb: 'SMB',
  mid_market: 'mid-market',
  enterprise: 'enterprise',
  none: 'no segment',
}

async function nameOf(
  db: Kysely<DB>,
  workspaceId: string,
  table: 'campaigns' | 'teams' | 'feedbackTags' | 'products',
  id: string,
) {
  const row = await db
    .selectFrom(table)
    .select('name')
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row?.name ?? 'unknown'
}

async function userName(db: Kysely<DB>, workspaceId: string, id: string) {
  const row = await db
    .selectFrom('users as u')
    .innerJoin('memberships as m', 'm.userId', 'u.id')
    .select('u.name')
    .where('m.workspaceId', '=', workspaceId)
    .where('u.id', '=', id)
    .executeTakeFirst()
  return row?.name ?? 'unknown'
}

/** "Handoffs created 2026-01-01 – 2026-11-27, campaign “Webinar Q3”, rejected as no_budget". */
async function describe(
  db: Kysely<DB>,
  workspaceId: string,
  query: DrillQuery,
  range: { from: string; to: string },
) {
  const f = query
  const head = {
    handoffs: 'Handoffs created',
    deals: 'Deals closed',
    contacts: `Contacts that entered ${f.stage ?? ''}`,
  }[query.kind]
  const parts = [`${head} ${range.from} – ${range.to}`]
  if (f.month) parts.push(`in ${f.month}`)
  if (f.campaignId) {
    parts.push(
      f.campaignId === 'none'
        ? 'no campaign'
        : `campaign “${await nameOf(db, workspaceId, 'campaigns', f.campaignId)}”`,
    )
  }
  if (f.channel) parts.push(f.channel === 'none' ? 'no channel' : `channel ${f.channel}`)
  if (f.segment) parts.push(`segment ${segmentWords[f.segment] ?? f.segment}`)
  if (f.ownerId) {
    parts.push(
      f.ownerId === 'none' ? 'unassigned' : `owner ${await userName(db, workspaceId, f.ownerId)}`,
    )
  }
  if (f.teamId) {
    parts.push(
      f.teamId === 'none'
        ? 'no team'
        : `team “${await nameOf(db, workspaceId, 'teams', f.teamId)}”`,
    )
  }
  // "rejected as no_budget" says both; the status alone only without a reason.
  if (f.status && !(f.status === 'rejected' && f.reason)) {
    parts.push(f.status === 'decided' ? 'decided (accepted or rejected)' : f.status)
  }
  if (f.reason) parts.push(`rejected as ${f.reason}`)
  if (f.sla === 'met') parts.push('first touch within the SLA')
  if (f.sla === 'missed') parts.push('first touch SLA missed')
  if (f.sla === 'unworked') parts.push('unworked past the SLA')
  if (f.rated) parts.push(f.rated === 'yes' ? 'quality rated' : 'quality not rated')
  if (f.productId) {
    parts.push(
      f.productId === 'none'
        ? 'no product'
        : `product “${await nameOf(db, workspaceId, 'products', f.productId)}”`,
    )
  }
  if (f.regret === 'yes') {
    parts.push(
      `regretted (mature, won; churned, refunded or downgraded within ${regretWindowDays} days, or won poor fit)`,
    )
  }
  if (f.regret === 'no') {
    parts.push(
      `not regretted (mature, won; no churn, refund or downgrade within ${regretWindowDays} days, not won poor fit)`,
    )
  }
  if (f.tagId) parts.push(`tagged “${await nameOf(db, workspaceId, 'feedbackTags', f.tagId)}”`)
  if (f.outcome) parts.push(f.outcome)
  if (f.lossReason) parts.push(`loss reason ${f.lossReason}`)
  if (f.competitor) parts.push(`competitor ${f.competitor}`)
  if (f.marketingCouldHelp) {
    parts.push(
      f.marketingCouldHelp === 'known'
        ? 'marketing could help: yes or no'
        : `marketing could help: ${f.marketingCouldHelp}`,
    )
  }
  if (f.reached) parts.push(`reached ${f.reached} within 90 days`)
  if (f.notReached) parts.push(`did not reach ${f.notReached} within 90 days`)
  return parts.join(', ')
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const iso = (date: Date | null) => (date ? new Date(date).toISOString() : null)
const ref = (id: string | null, name: string | null) => (id ? { id, name: name ?? '' } : null)

/** The records behind a Bridge number, newest first. */
export async function listDrillRecords(
  db: Kysely<DB>,
  principal: Principal,
  query: DrillQuery,
  now = new Date(),
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const { kind, from, to, cursor, limit, ...filters } = query
  checkFilters(kind, filters)
  const range = bridgeRange({ from, to }, await workspaceTimeZone(db, workspaceId), now)
  const key = decodeCursor(cursor, ['t', 'id'])
  const after = key ? { t: new Date(String(key.t)), id: String(key.id) } : undefined
  if (after && (Number.isNaN(after.t.getTime()) || !uuidPattern.test(after.id))) {
    throw new AppError('invalid_input', 'cursor: is not valid', { field: 'cursor' })
  }
  const page = { limit, after }
  const description = await describe(db, workspaceId, query, range)
  const next = (rows: { id: string }[], time: (row: number) => Date) => {
    if (rows.length <= limit) return null
    const last = rows[limit - 1] as { id: string }
    return encodeCursor({ t: new Date(time(limit - 1)).toISOString(), id: last.id })
  }

  if (kind === 'handoffs') {
    const { total, rows } = await queryHandoffs(db, workspaceId, range, filters, now, page)
    return {
      kind,
      total,
      description,
      nextCursor: next(rows, (i) => (rows[i] as { createdAt: Date }).createdAt),
      rows: rows.slice(0, limit).map((h) => ({
        id: h.id,
        createdAt: iso(h.createdAt) as string,
        contact: { id: h.contactId, name: contactName(h), email: h.email },
        owner: ref(h.ownerId, h.ownerName),
        campaign: ref(h.campaignId, h.campaignName),
        status: h.status,
        rejectionReason: h.rejectionReason,
        quality: h.quality,
        firstTouchAt: iso(h.firstTouchAt),
        slaState: firstTouchState(h, now),
        link: `/microscope/inbox/${h.id}`,
      })),
    }
  }
  if (kind === 'deals') {
    const regret = filters.regret
      ? {
          threshold: (await loadScoringSettings(db, workspaceId)).productFitThreshold,
          today: DateTime.fromJSDate(now, { zone: range.timeZone }).toISODate() ?? '',
        }
      : undefined
    const { total, rows } = await queryDeals(db, workspaceId, range, filters, page, regret)
    return {
      kind,
      total,
      description,
      nextCursor: next(rows, (i) => (rows[i] as { closedAt: Date }).closedAt),
      rows: rows.slice(0, limit).map((d) => ({
        id: d.id,
        name: d.name,
        account: ref(d.accountId, d.accountName),
        owner: ref(d.ownerId, d.ownerName),
        amount: d.amount,
        currency: d.currency,
        closedAt: iso(d.closedAt) as string,
        outcome: d.isWon ? ('won' as const) : d.isLost ? ('lost' as const) : null,
        lossReason: d.lossReason,
        lossCompetitor: d.lossCompetitor,
        marketingCouldHelp: d.marketingCouldHelp,
        link: `/microscope/deals/${d.id}`,
      })),
    }
  }
  const { total, rows } = await queryContacts(db, workspaceId, range, filters, page)
  return {
    kind,
    total,
    description,
    nextCursor: next(rows, (i) => (rows[i] as { enteredAt: Date }).enteredAt),
    rows: rows.slice(0, limit).map((c) => ({
      id: c.id,
      name: contactName(c),
      email: c.email,
      account: ref(c.accountId, c.accountName),
      enteredAt: iso(c.enteredAt) as string,
      reachedAt: iso(c.reachedAt),
      link: `/microscope/contacts/${c.id}`,
    })),
  }
}
