import type { Kysely } from 'kysely'
import { z } from 'zod'
import { isAbsentAt, startOfLocalDay } from '../../domain/routing.ts'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { changes } from '../records/fields.ts'
import { presentRep } from './present.ts'
import {
  findMembership,
  findRepSettings,
  findWorkspaceTimeZone,
  selectLoads,
  selectRepRows,
  selectTeamsOf,
  sellingRoles,
} from './queries.ts'

const Limit = z.number().int('must be a whole number').min(0).max(100_000)
const Time = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time such as 2026-11-27T10:00:00Z',
})
export const RepPatch = z.object({
  acceptsLeads: z.boolean().optional(),
  capacity: Limit.nullable().optional(),
  dailyCap: Limit.nullable().optional(),
  absentFrom: Time.nullable().optional(),
  absentUntil: Time.nullable().optional(),
})
export type RepPatch = z.infer<typeof RepPatch>

async function presentReps(
  db: Kysely<DB>,
  workspaceId: string,
  rows: Awaited<ReturnType<typeof selectRepRows>>,
  now = new Date(),
) {
  const ids = rows.map((r) => r.userId)
  const zone = (await findWorkspaceTimeZone(db, workspaceId))?.timeZone ?? 'UTC'
  const dayStart = startOfLocalDay(now, zone)
  const loads = new Map(
    (await selectLoads(db, workspaceId, ids, dayStart)).map((l) => [l.ownerId, l]),
  )
  const teams = await selectTeamsOf(db, workspaceId, ids)
  return rows.map((row) => {
    const isAbsent = isAbsentAt(row.absentFrom, row.absentUntil, now)
    return presentRep({
      ...row,
      teams: teams.filter((t) => t.userId === row.userId).map((t) => ({ id: t.id, name: t.name })),
      isAbsent,
      isEligible: sellingRoles.includes(row.role) && (row.acceptsLeads ?? true) && !isAbsent,
      openCount: loads.get(row.userId)?.openCount ?? 0,
      todayCount: loads.get(row.userId)?.todayCount ?? 0,
    })
  })
}

/** Every member in at least one team: routing settings, open handoffs and today's assignments. */
export async function listReps(db: Database, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'members:read')
  const data = await presentReps(db, workspaceId, await selectRepRows(db, workspaceId))
  return { data, nextCursor: null }
}

function checkAbsence(from: Date | null, until: Date | null) {
  if (from && until && from.getTime() >= until.getTime()) {
    throw new AppError('invalid_input', 'absentUntil: must be after absentFrom', {
      field: 'absentUntil',
    })
  }
}

const toDate = (value: string | null | undefined, before: Date | null) =>
  value === undefined ? before : value === null ? null : new Date(value)

/** Sets whether a member accepts leads, their capacity and daily cap, and their absence. */
export async function updateRep(
  db: Database,
  principal: Principal,
  userId: string,
  patch: RepPatch,
) {
  const { workspaceId } = requirePermission(principal, 'routing:manage')
  await db.transaction().execute(async (trx) => {
    if (!(await findMembership(trx, workspaceId, userId))) {
      throw new AppError('not_found', 'Member not found')
    }
    const before = await findRepSettings(trx, workspaceId, userId)
    const next = {
      acceptsLeads: patch.acceptsLeads ?? before?.acceptsLeads ?? true,
      capacity: patch.capacity === undefined ? (before?.capacity ?? null) : patch.capacity,
      dailyCap: patch.dailyCap === undefined ? (before?.dailyCap ?? null) : patch.dailyCap,
      absentFrom: toDate(patch.absentFrom, before?.absentFrom ?? null),
      absentUntil: toDate(patch.absentUntil, before?.absentUntil ?? null),
    }
    checkAbsence(next.absentFrom, next.absentUntil)
    await trx
      .insertInto('routingReps')
      .values({ workspaceId, userId, ...next })
      .onConflict((oc) =>
        oc.columns(['workspaceId', 'userId']).doUpdateSet({ ...next, updatedAt: new Date() }),
      )
      .execute()
    const was = {
      acceptsLeads: before?.acceptsLeads ?? true,
      capacity: before?.capacity ?? null,
      dailyCap: before?.dailyCap ?? null,
      absentFrom: before?.absentFrom?.toISOString() ?? null,
      absentUntil: before?.absentUntil?.toISOString() ?? null,
    }
    const now = {
      ...next,
      absentFrom: next.absentFrom?.toISOString() ?? null,
      absentUntil: next.absentUntil?.toISOString() ?? null,
    }
    await recordAudit(trx, principal, workspaceId, {
      action: 'routing_rep.update',
      targetType: 'user',
      targetId: userId,
      details: changes(was, now),
    })
  })
  const [rep] = await presentReps(db, workspaceId, await selectRepRows(db, workspaceId, userId))
  return rep as ReturnType<typeof presentRep>
}
