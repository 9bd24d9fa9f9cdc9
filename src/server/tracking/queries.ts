import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

export interface TrackingSettingsValues {
  consentRequired: boolean
  cookieDomain: string | null
  captureForms: boolean
}

/** The workspace's row of tracking settings; undefined when it never changed them. */
export function findTrackingSettings(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('trackingSettings')
    .select(['consentRequired', 'cookieDomain', 'captureForms', 'updatedAt'])
    .where('workspaceId', '=', workspaceId)
    .executeTakeFirst()
}

/** Locks the workspace's row (when there is one) for a change, so two changes audit in order. */
export function findTrackingSettingsForUpdate(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('trackingSettings')
    .select(['consentRequired', 'cookieDomain', 'captureForms', 'updatedAt'])
    .where('workspaceId', '=', workspaceId)
    .forUpdate()
    .executeTakeFirst()
}

export function upsertTrackingSettings(
  db: Kysely<DB>,
  workspaceId: string,
  values: TrackingSettingsValues,
) {
  const now = new Date()
  return db
    .insertInto('trackingSettings')
    .values({ workspaceId, ...values, updatedAt: now })
    .onConflict((oc) => oc.column('workspaceId').doUpdateSet({ ...values, updatedAt: now }))
    .returning(['consentRequired', 'cookieDomain', 'captureForms', 'updatedAt'])
    .executeTakeFirstOrThrow()
}
