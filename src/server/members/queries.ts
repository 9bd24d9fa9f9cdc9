import type { Kysely } from 'kysely'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'

export function selectMembers(
  db: Database,
  workspaceId: string,
  afterEmail: string | undefined,
  limit: number,
) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select(['m.userId', 'u.name', 'u.email', 'm.role', 'm.createdAt'])
    .where('m.workspaceId', '=', workspaceId)
    .$if(afterEmail !== undefined, (q) => q.where('u.email', '>', String(afterEmail)))
    .orderBy('u.email')
    .limit(limit)
    .execute()
}

export function findMember(db: Kysely<DB>, workspaceId: string, userId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select(['m.userId', 'u.name', 'u.email', 'm.role', 'm.createdAt'])
    .where('m.workspaceId', '=', workspaceId)
    .where('m.userId', '=', userId)
    .executeTakeFirst()
}

/** Admins of the workspace, locked so two concurrent demotions cannot remove the last one. */
export function lockAdmins(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('memberships')
    .select('userId')
    .where('workspaceId', '=', workspaceId)
    .where('role', '=', 'admin')
    .forUpdate()
    .execute()
}

export function selectInvitations(db: Database, workspaceId: string) {
  return db
    .selectFrom('invitations as i')
    .leftJoin('users as u', 'u.id', 'i.invitedBy')
    .select([
      'i.id',
      'i.email',
      'i.role',
      'i.status',
      'i.expiresAt',
      'i.createdAt',
      'i.invitedBy',
      'u.name as invitedByName',
    ])
    .where('i.workspaceId', '=', workspaceId)
    .where('i.status', '=', 'pending')
    .orderBy('i.id', 'desc')
    .limit(200)
    .execute()
}

export function findInvitationByTokenHash(db: Kysely<DB>, tokenHash: string) {
  return db
    .selectFrom('invitations as i')
    .innerJoin('workspaces as w', 'w.id', 'i.workspaceId')
    .select([
      'i.workspaceId',
      'i.id',
      'i.email',
      'i.role',
      'i.status',
      'i.expiresAt',
      'w.name as workspaceName',
    ])
    .where('i.tokenHash', '=', tokenHash)
    .executeTakeFirst()
}
