import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

export interface PersonaValues {
  key: string
  label: string
  position: number
}

export function selectPersonas(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('personas')
    .select(['key', 'label', 'position'])
    .where('workspaceId', '=', workspaceId)
    .orderBy('position')
    .orderBy('key')
    .execute()
}

/** Inserts or relabels/reorders personas; keys already present keep their row. */
export function upsertPersonas(db: Kysely<DB>, workspaceId: string, personas: PersonaValues[]) {
  return db
    .insertInto('personas')
    .values(personas.map((p) => ({ workspaceId, ...p })))
    .onConflict((oc) =>
      oc.columns(['workspaceId', 'key']).doUpdateSet((eb) => ({
        label: eb.ref('excluded.label'),
        position: eb.ref('excluded.position'),
      })),
    )
    .execute()
}

export function insertMissingPersonas(
  db: Kysely<DB>,
  workspaceId: string,
  personas: PersonaValues[],
) {
  return db
    .insertInto('personas')
    .values(personas.map((p) => ({ workspaceId, ...p })))
    .onConflict((oc) => oc.doNothing())
    .execute()
}

/** The persona row, key-share locked so it cannot be removed before the caller commits. */
export function lockPersona(db: Kysely<DB>, workspaceId: string, key: string) {
  return db
    .selectFrom('personas')
    .select('key')
    .where('workspaceId', '=', workspaceId)
    .where('key', '=', key)
    .forKeyShare()
    .executeTakeFirst()
}

export function deletePersonas(db: Kysely<DB>, workspaceId: string, keys: string[]) {
  return db
    .deleteFrom('personas')
    .where('workspaceId', '=', workspaceId)
    .where('key', 'in', keys)
    .execute()
}

/** Contacts (not in the Trash) per persona, for the given persona keys. */
export function countContactsByPersona(db: Kysely<DB>, workspaceId: string, keys: string[]) {
  return db
    .selectFrom('contacts')
    .select(['persona', (eb) => eb.fn.countAll<number>().as('contacts')])
    .where('workspaceId', '=', workspaceId)
    .where('persona', 'in', keys)
    .where('deletedAt', 'is', null)
    .groupBy('persona')
    .orderBy('persona')
    .execute()
}
