import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import type { Page } from '../http/pagination.ts'
import { requireMember } from '../records/common.ts'
import { changes } from '../records/fields.ts'
import { parseSort, toPage } from '../records/list.ts'
import { presentTeam, type TeamRow } from './present.ts'
import {
  findTeam,
  findTeamNamed,
  lockTeam,
  replaceTeamMembers,
  selectMemberIds,
  selectTeamMembers,
  selectTeamPage,
} from './queries.ts'

const UserId = z.string().min(1).max(100)
export const TeamInput = z.object({
  name: z.string().trim().min(1).max(100),
  managerId: UserId.nullable().optional(),
  memberIds: z.array(UserId).max(500).optional(),
})
export type TeamInput = z.infer<typeof TeamInput>
export const TeamPatch = TeamInput.partial()
export type TeamPatch = z.infer<typeof TeamPatch>

const byName = { name: { type: 'text' as const, sql: () => sql.ref('t.name') } }

async function present(db: Kysely<DB>, workspaceId: string, rows: TeamRow[]) {
  const members = await selectTeamMembers(
    db,
    workspaceId,
    rows.map((r) => r.id),
  )
  return rows.map((row) => presentTeam(row, members))
}

/** The workspace's teams by name, each with its manager and members. */
export async function listTeams(db: Database, principal: Principal, page: Page) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const sort = parseSort(undefined, byName, 'name')
  const rows = await selectTeamPage(db, workspaceId, sort, page.cursor, page.limit)
  const result = toPage(rows, page.limit, sort, (row) => row)
  return { data: await present(db, workspaceId, result.data), nextCursor: result.nextCursor }
}

export async function getTeam(db: Kysely<DB>, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const row = await findTeam(db, workspaceId, id)
  if (!row) throw new AppError('not_found', 'Team not found')
  const [team] = await present(db, workspaceId, [row])
  return team as ReturnType<typeof presentTeam>
}

/** Checks the name is free and every person named is a member; returns the member ids, deduplicated. */
async function check(db: Kysely<DB>, workspaceId: string, input: TeamPatch, teamId?: string) {
  if (input.name !== undefined) {
    const taken = await findTeamNamed(db, workspaceId, input.name, teamId)
    if (taken) {
      throw new AppError('conflict', `name: a team called "${taken.name}" already exists`, {
        field: 'name',
        existingId: taken.id,
      })
    }
  }
  if (input.managerId) await requireMember(db, workspaceId, input.managerId, 'managerId')
  if (input.memberIds === undefined) return undefined
  const memberIds = [...new Set(input.memberIds)]
  if (memberIds.length === 0) return memberIds
  const found = new Set((await selectMemberIds(db, workspaceId, memberIds)).map((m) => m.userId))
  const strangers = memberIds.filter((id) => !found.has(id))
  if (strangers.length > 0) {
    throw new AppError(
      'invalid_input',
      `memberIds: no member of this workspace has the id ${strangers.join(', ')}`,
      { field: 'memberIds', ids: strangers },
    )
  }
  return memberIds
}

/** Creates a team of workspace members; its name is unique in the workspace. */
export async function createTeam(db: Database, principal: Principal, input: TeamInput) {
  const { workspaceId } = requirePermission(principal, 'catalog:manage')
  const id = uuidv7()
  await db.transaction().execute(async (trx) => {
    const memberIds = await check(trx, workspaceId, input)
    await trx
      .insertInto('teams')
      .values({ workspaceId, id, name: input.name, managerId: input.managerId ?? null })
      .execute()
    await replaceTeamMembers(trx, workspaceId, id, memberIds ?? [])
    await recordAudit(trx, principal, workspaceId, {
      action: 'team.create',
      targetType: 'team',
      targetId: id,
      details: { name: input.name, managerId: input.managerId ?? null, memberIds: memberIds ?? [] },
    })
  })
  return getTeam(db, principal, id)
}

/** Renames a team, changes its manager, or replaces its members (memberIds is the whole set). */
export async function updateTeam(db: Database, principal: Principal, id: string, patch: TeamPatch) {
  const { workspaceId } = requirePermission(principal, 'catalog:manage')
  await db.transaction().execute(async (trx) => {
    const before = await lockTeam(trx, workspaceId, id)
    if (!before) throw new AppError('not_found', 'Team not found')
    const memberIds = await check(trx, workspaceId, patch, id)
    const { memberIds: _members, ...fields } = patch
    await trx
      .updateTable('teams')
      .set({ ...fields, updatedAt: new Date() })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    const beforeMembers = (await selectTeamMembers(trx, workspaceId, [id])).map((m) => m.id)
    if (memberIds) await replaceTeamMembers(trx, workspaceId, id, memberIds)
    await recordAudit(trx, principal, workspaceId, {
      action: 'team.update',
      targetType: 'team',
      targetId: id,
      details: changes(
        { ...before, memberIds: beforeMembers.sort() },
        { ...fields, ...(memberIds ? { memberIds: [...memberIds].sort() } : {}) },
      ),
    })
  })
  return getTeam(db, principal, id)
}

/** Deletes a team for good (its members stay in the workspace); the audit log keeps what it was. */
export async function deleteTeam(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'catalog:manage')
  await db.transaction().execute(async (trx) => {
    const before = await lockTeam(trx, workspaceId, id)
    if (!before) throw new AppError('not_found', 'Team not found')
    const members = await selectTeamMembers(trx, workspaceId, [id])
    await trx
      .deleteFrom('teams')
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'team.delete',
      targetType: 'team',
      targetId: id,
      details: {
        name: before.name,
        managerId: before.managerId,
        memberIds: members.map((m) => m.id),
      },
    })
  })
}

/**
 * Who was in the team and when (issue 13): every stretch of membership, the latest first. Kept by
 * a trigger on team membership, so a rep moved between teams shows leaving one and joining the
 * other at the same moment; team targets count members' work only within their stretches.
 */
export async function getTeamHistory(db: Kysely<DB>, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const team = await findTeam(db, workspaceId, id)
  if (!team) throw new AppError('not_found', 'Team not found')
  return db
    .selectFrom('teamMemberHistory as h')
    .innerJoin('users as u', 'u.id', 'h.userId')
    .select(['h.userId', 'u.name', 'h.joinedAt', 'h.leftAt'])
    .where('h.workspaceId', '=', workspaceId)
    .where('h.teamId', '=', id)
    .orderBy('h.joinedAt', 'desc')
    .orderBy('u.name')
    .execute()
}
