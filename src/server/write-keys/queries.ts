import type { Kysely } from 'kysely'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'

const listed = [
  'k.id',
  'k.name',
  'k.key',
  'k.createdAt',
  'k.createdBy',
  'u.name as createdByName',
  'k.revokedAt',
  'k.expiresAt',
] as const

/** The key's workspace when it is neither revoked nor past its expiry. */
export function findUsableWriteKey(db: Database, key: string) {
  return db
    .selectFrom('writeKeys')
    .select(['id', 'workspaceId', 'expiresAt'])
    .where('key', '=', key)
    .where('revokedAt', 'is', null)
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', new Date())]))
    .executeTakeFirst()
}

export function selectWriteKeys(
  db: Database,
  workspaceId: string,
  after: string | undefined,
  limit: number,
) {
  return db
    .selectFrom('writeKeys as k')
    .leftJoin('users as u', 'u.id', 'k.createdBy')
    .select(listed)
    .where('k.workspaceId', '=', workspaceId)
    .$if(after !== undefined, (q) => q.where('k.id', '<', String(after)))
    .orderBy('k.id', 'desc')
    .limit(limit)
    .execute()
}

/** Locks the key's row for a rotation, so two rotations cannot both succeed. */
export function findWriteKeyForUpdate(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('writeKeys')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export function insertWriteKey(
  db: Kysely<DB>,
  values: { workspaceId: string; id: string; name: string; key: string; createdBy: string | null },
) {
  return db.insertInto('writeKeys').values(values).returningAll().executeTakeFirstOrThrow()
}

export function setWriteKeyExpiry(db: Kysely<DB>, workspaceId: string, id: string, at: Date) {
  return db
    .updateTable('writeKeys')
    .set({ expiresAt: at })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}

export function markWriteKeyRevoked(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .updateTable('writeKeys')
    .set({ revokedAt: new Date() })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .returning(['id', 'name', 'key'])
    .executeTakeFirst()
}
