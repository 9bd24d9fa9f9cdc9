import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/database.ts'
import type { CustomFieldEntity, DB } from '../db/schema.ts'

const tables = { account: 'accounts', contact: 'contacts', deal: 'deals' } as const

export function selectDefinitions(
  db: Database,
  workspaceId: string,
  entity: CustomFieldEntity | undefined,
) {
  return db
    .selectFrom('customFieldDefinitions')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .$if(entity !== undefined, (q) => q.where('entity', '=', entity as CustomFieldEntity))
    .orderBy('entity')
    .orderBy('position')
    .orderBy('key')
    .execute()
}

export function findDefinition(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('customFieldDefinitions')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export function lockDefinition(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('customFieldDefinitions')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export function findDefinitionByKey(
  db: Kysely<DB>,
  workspaceId: string,
  entity: CustomFieldEntity,
  key: string,
) {
  return db
    .selectFrom('customFieldDefinitions')
    .select('id')
    .where('workspaceId', '=', workspaceId)
    .where('entity', '=', entity)
    .where('key', '=', key)
    .executeTakeFirst()
}

/** How many live records of the entity hold this option in the custom field `key`. */
export async function countOptionUse(
  db: Kysely<DB>,
  workspaceId: string,
  entity: CustomFieldEntity,
  key: string,
  option: string,
  isMulti: boolean,
) {
  const holds = isMulti
    ? sql`coalesce(custom -> ${key}, '[]'::jsonb) ? ${option}`
    : sql`custom ->> ${key} = ${option}`
  const result = await sql<{ count: number }>`
    select count(*)::int as count from ${sql.table(tables[entity])}
    where workspace_id = ${workspaceId} and deleted_at is null and ${holds}
  `.execute(db)
  return result.rows[0]?.count ?? 0
}

/** Removes the key from the custom values of every record of the entity (live or in the Trash). */
export async function removeCustomKey(
  db: Kysely<DB>,
  workspaceId: string,
  entity: CustomFieldEntity,
  key: string,
) {
  const result = await sql`
    update ${sql.table(tables[entity])} set custom = custom - ${key}
    where workspace_id = ${workspaceId} and custom ? ${key}
  `.execute(db)
  return Number(result.numAffectedRows ?? 0)
}
