import { type Kysely, sql } from 'kysely'
import { type BusinessCalendar, businessMinutesBetween } from '../../domain/business-hours.ts'
import { decisionState, firstTouchState } from '../../domain/handoff.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB, HandoffStatus } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { decodeCursor, encodeCursor } from '../http/pagination.ts'
import { loadPolicyCalendars } from '../sla/resolve.ts'

export interface HandoffQuery {
  status?: HandoffStatus
  /** A member's id, `me`, or `none` for the unassigned queue. */
  ownerId?: string
  contactId?: string
  /** `due`: most urgent first-touch deadline first; default newest first. */
  sort?: 'due' | '-createdAt'
  limit: number
  cursor?: string
}

function baseQuery(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('handoffs as h')
    .innerJoin('contacts as c', (j) =>
      j.onRef('c.workspaceId', '=', 'h.workspaceId').onRef('c.id', '=', 'h.contactId'),
    )
    .leftJoin('accounts as a', (j) =>
      j.onRef('a.workspaceId', '=', 'h.workspaceId').onRef('a.id', '=', 'h.accountId'),
    )
    .leftJoin('users as o', 'o.id', 'h.ownerId')
    .leftJoin('users as d', 'd.id', 'h.decidedBy')
    .leftJoin('teams as t', (j) =>
      j.onRef('t.workspaceId', '=', 'h.workspaceId').onRef('t.id', '=', 'h.teamId'),
    )
    .leftJoin('campaigns as cp', (j) =>
      j.onRef('cp.workspaceId', '=', 'h.workspaceId').onRef('cp.id', '=', 'h.campaignId'),
    )
    .leftJoin('slaPolicies as p', (j) =>
      j.onRef('p.workspaceId', '=', 'h.workspaceId').onRef('p.id', '=', 'h.slaPolicyId'),
    )
    .selectAll('h')
    .select([
      'c.firstName',
      'c.lastName',
      'c.email',
      'c.title',
      'c.leadStatus',
      'c.lifecycleStage',
      'a.name as accountName',
      'o.name as ownerName',
      'd.name as decidedByName',
      't.name as teamName',
      'cp.name as campaignName',
      'cp.channel as campaignChannel',
      'p.name as policyName',
    ])
    .where('h.workspaceId', '=', workspaceId)
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>

/**
 * Presents handoffs with their clocks; business minutes use the calendar of the SLA policy each
 * handoff was created under (its due times were fixed with it).
 */
async function presentAll(db: Kysely<DB>, workspaceId: string, rows: Row[], now = new Date()) {
  if (rows.length === 0) return []
  const calendarOf = await loadPolicyCalendars(db, workspaceId)
  return rows.map((row) => present(row, calendarOf(row.slaPolicyId), now))
}

function iso(date: Date | null) {
  return date ? date.toISOString() : null
}

function present(row: Row, calendar: BusinessCalendar, now: Date) {
  const times = {
    createdAt: row.createdAt,
    firstTouchDueAt: row.firstTouchDueAt,
    decisionDueAt: row.decisionDueAt,
    firstTouchAt: row.firstTouchAt,
    decidedAt: row.decidedAt,
  }
  const firstTouch = firstTouchState(times, now)
  const decision = decisionState(times, now)
  const name = [row.firstName, row.lastName].filter(Boolean).join(' ') || row.email || 'Unnamed'
  return {
    id: row.id,
    status: row.status,
    contact: {
      id: row.contactId,
      name,
      email: row.email,
      title: row.title,
      lifecycleStage: row.lifecycleStage,
      leadStatus: row.leadStatus,
    },
    account: row.accountId ? { id: row.accountId, name: row.accountName ?? '' } : null,
    owner: row.ownerId ? { id: row.ownerId, name: row.ownerName ?? '' } : null,
    team: row.teamId ? { id: row.teamId, name: row.teamName ?? '' } : null,
    routingRuleId: row.routingRuleId,
    unassignedReason: row.unassignedReason,
    assignedAt: iso(row.assignedAt),
    campaign: row.campaignId
      ? { id: row.campaignId, name: row.campaignName ?? '', channel: row.campaignChannel ?? null }
      : null,
    mqlSource: row.mqlSource,
    mqlReason: row.mqlReason,
    isReMql: row.isReMql,
    segment: row.segment,
    createdAt: row.createdAt.toISOString(),
    sla: {
      policyId: row.slaPolicyId,
      policyName: row.policyName ?? 'Default',
      firstTouchDueAt: row.firstTouchDueAt.toISOString(),
      decisionDueAt: row.decisionDueAt.toISOString(),
      escalateAt: row.escalateAt.toISOString(),
      firstTouchAt: iso(row.firstTouchAt),
      firstTouch,
      decision,
      /** Business minutes from the handoff to its first touch (DEFINITIONS.md "Time to first touch"). */
      timeToFirstTouchMinutes: row.firstTouchAt
        ? businessMinutesBetween(calendar, row.createdAt, row.firstTouchAt)
        : null,
      /** Business minutes left on the running first-touch clock; negative once overdue. */
      firstTouchMinutesLeft:
        firstTouch === 'running'
          ? businessMinutesBetween(calendar, now, row.firstTouchDueAt)
          : firstTouch === 'missed' && !row.firstTouchAt && !row.decidedAt
            ? -businessMinutesBetween(calendar, row.firstTouchDueAt, now)
            : null,
      decisionMinutesLeft:
        decision === 'running' ? businessMinutesBetween(calendar, now, row.decisionDueAt) : null,
      isClockOpen:
        row.status !== 'rejected' && (firstTouch === 'running' || decision === 'running'),
      firstTouchBreachedAt: iso(row.firstTouchBreachedAt),
      decisionBreachedAt: iso(row.decisionBreachedAt),
      escalatedAt: iso(row.escalatedAt),
    },
    decidedAt: iso(row.decidedAt),
    decidedBy: row.decidedBy ? { id: row.decidedBy, name: row.decidedByName ?? '' } : null,
    rejectionReason: row.rejectionReason,
    rejectionOutcome: row.rejectionOutcome,
    recycleOn: row.recycleOn,
    rejectionNote: row.rejectionNote,
    quality: row.quality,
    ratedAt: iso(row.ratedAt),
  }
}

export type HandoffView = ReturnType<typeof present>

/** Handoffs of the workspace, newest first or most urgent first, by status and owner. */
export async function listHandoffs(db: Database, principal: Principal, query: HandoffQuery) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  let q = baseQuery(db, workspaceId)
  if (query.status) q = q.where('h.status', '=', query.status)
  if (query.contactId) q = q.where('h.contactId', '=', query.contactId)
  if (query.ownerId === 'none') q = q.where('h.ownerId', 'is', null)
  else if (query.ownerId === 'me') {
    if (principal.kind !== 'user') {
      throw new AppError(
        'invalid_input',
        'ownerId: `me` needs a signed-in person, not an API key',
        {
          field: 'ownerId',
        },
      )
    }
    q = q.where('h.ownerId', '=', principal.userId)
  } else if (query.ownerId) q = q.where('h.ownerId', '=', query.ownerId)
  const byDue = query.sort === 'due'
  const key = byDue ? 'h.firstTouchDueAt' : 'h.createdAt'
  const after = decodeCursor(query.cursor, ['t', 'id'])
  if (after) {
    const t = new Date(String(after.t))
    const id = String(after.id)
    q = byDue
      ? q.where(sql<boolean>`(h.first_touch_due_at, h.id) > (${t}, ${id}::uuid)`)
      : q.where(sql<boolean>`(h.created_at, h.id) < (${t}, ${id}::uuid)`)
  }
  const rows = await q
    .orderBy(key, byDue ? 'asc' : 'desc')
    .orderBy('h.id', byDue ? 'asc' : 'desc')
    .limit(query.limit + 1)
    .execute()
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  const nextCursor =
    rows.length > query.limit && last
      ? encodeCursor({
          t: (byDue ? last.firstTouchDueAt : last.createdAt).toISOString(),
          id: last.id,
        })
      : null
  return { data: await presentAll(db, workspaceId, page), nextCursor }
}

/** One handoff with its history (every decision and clock event). */
export async function getHandoff(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const row = await baseQuery(db, workspaceId).where('h.id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('not_found', 'Handoff not found')
  const events = await db
    .selectFrom('handoffEvents as e')
    .leftJoin('users as u', 'u.id', 'e.actorId')
    .select(['e.kind', 'e.at', 'e.actorId', 'u.name as actorName', 'e.details'])
    .where('e.workspaceId', '=', workspaceId)
    .where('e.handoffId', '=', id)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute()
  const [view] = await presentAll(db, workspaceId, [row])
  return {
    ...(view as HandoffView),
    events: events.map((e) => ({
      kind: e.kind,
      at: e.at.toISOString(),
      actor: e.actorId ? { id: e.actorId, name: e.actorName ?? '' } : null,
      details: e.details,
    })),
  }
}

/** Counts for the inbox tabs: open (mine / unassigned / all), and overdue. */
export async function handoffCounts(db: Database, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const me = principal.kind === 'user' ? principal.userId : null
  const row = await db
    .selectFrom('handoffs')
    .select([
      sql<number>`count(*) filter (where status = 'open')::int`.as('open'),
      sql<number>`count(*) filter (where status = 'open' and owner_id = ${me})::int`.as('mine'),
      sql<number>`count(*) filter (where status = 'open' and owner_id is null)::int`.as(
        'unassigned',
      ),
      sql<number>`count(*) filter (where status = 'open' and first_touch_at is null and first_touch_due_at < now())::int`.as(
        'overdue',
      ),
    ])
    .where('workspaceId', '=', workspaceId)
    .executeTakeFirstOrThrow()
  return row
}
