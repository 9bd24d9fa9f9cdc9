import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { Role } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { decodeCursor, encodeCursor, type Page } from '../http/pagination.ts'
import { presentMember } from './present.ts'
import { findMember, lockAdmins, selectMembers } from './queries.ts'

export async function listMembers(db: Database, principal: Principal, page: Page) {
  const { workspaceId } = requirePermission(principal, 'members:read')
  const after = decodeCursor(page.cursor, ['email'])
  const rows = await selectMembers(
    db,
    workspaceId,
    after?.email as string | undefined,
    page.limit + 1,
  )
  const data = rows.slice(0, page.limit)
  const last = data.at(-1)
  return {
    data: data.map(presentMember),
    nextCursor: rows.length > page.limit && last ? encodeCursor({ email: last.email }) : null,
  }
}

/** Changes a member's role; the workspace always keeps at least one admin. */
export async function changeMemberRole(
  db: Database,
  principal: Principal,
  userId: string,
  role: Role,
) {
  const { workspaceId } = requirePermission(principal, 'members:manage')
  return db.transaction().execute(async (trx) => {
    const admins = await lockAdmins(trx, workspaceId)
    const member = await findMember(trx, workspaceId, userId)
    if (!member) throw new AppError('not_found', 'Member not found')
    if (member.role === 'admin' && role !== 'admin' && admins.length === 1) {
      throw new AppError(
        'conflict',
        'A workspace needs at least one admin: make someone else admin first',
      )
    }
    await trx
      .updateTable('memberships')
      .set({ role })
      .where('workspaceId', '=', workspaceId)
      .where('userId', '=', userId)
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'member.change_role',
      targetType: 'user',
      targetId: userId,
      details: { email: member.email, from: member.role, to: role },
    })
    return presentMember({ ...member, role })
  })
}

/** Removes a person from the workspace (their account stays); never the last admin. */
export async function removeMember(db: Database, principal: Principal, userId: string) {
  const { workspaceId } = requirePermission(principal, 'members:manage')
  await db.transaction().execute(async (trx) => {
    const admins = await lockAdmins(trx, workspaceId)
    const member = await findMember(trx, workspaceId, userId)
    if (!member) throw new AppError('not_found', 'Member not found')
    if (member.role === 'admin' && admins.length === 1) {
      throw new AppError(
        'conflict',
        'A workspace needs at least one admin: you cannot remove the last one',
      )
    }
    await trx
      .deleteFrom('memberships')
      .where('workspaceId', '=', workspaceId)
      .where('userId', '=', userId)
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'member.remove',
      targetType: 'user',
      targetId: userId,
      details: { email: member.email, role: member.role },
    })
  })
}
