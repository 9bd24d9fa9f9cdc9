import type { Kysely } from 'kysely'
import type { Database } from '../db/database.ts'
import type { DB, Role } from '../db/schema.ts'

export function findActiveKeyByHash(db: Database, keyHash: string) {
  return db
    .selectFrom('apiKeys')
    .select(['id', 'workspaceId', 'name', 'role'])
    .where('keyHash', '=', keyHash)
    .where('revokedAt', 'is', null)
    .executeTakeFirst()
}

export function selectApiKeys(
  db: Database,
  workspaceId: string,
  after: string | undefined,
  limit: number,
) {
  return db
    .selectFrom('apiKeys as k')
    .leftJoin('users as u', 'u.id', 'k.createdBy')
    .select([
      'k.id',
      'k.name',
      'k.role',
      'k.prefix',
      'k.createdAt',
      'k.lastUsedAt',
      'k.revokedAt',
      'k.createdBy',
      'u.name as createdByName',
    ])
    .where('k.workspaceId', '=', workspaceId)
    .$if(after !== undefined, (q) => q.where('k.id', '<', String(after)))
    .orderBy('k.id', 'desc')
    .limit(limit)
    .execute()
}

export async function insertApiKey(
  db: Kysely<DB>,
  values: {
    workspaceId: string
    id: string
    name: string
    role: Role
    prefix: string
    keyHash: string
    createdBy: string | null
  },
) {
  return db.insertInto('apiKeys').values(values).returningAll().executeTakeFirstOrThrow()
}

export function markRevoked(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .updateTable('apiKeys')
    .set({ revokedAt: new Date() })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .returning(['id', 'name', 'keyHash'])
    .executeTakeFirst()
}

export function touchLastUsed(db: Database, workspaceId: string, id: string) {
  return db
    .updateTable('apiKeys')
    .set({ lastUsedAt: new Date() })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}
