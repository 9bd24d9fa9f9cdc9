import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { type MergeEntity, selectMergedInto } from './queries.ts'

/** The not_found of a missing record; a merged one says in details.mergedInto where it went. */
export async function notFoundOrMerged(
  db: Kysely<DB>,
  workspaceId: string,
  entity: MergeEntity,
  id: string,
  message: string,
) {
  const mergedInto = await selectMergedInto(db, workspaceId, entity, id)
  return new AppError('not_found', message, mergedInto ? { mergedInto } : undefined)
}
