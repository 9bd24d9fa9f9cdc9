import { type Kysely, type Selectable, sql } from 'kysely'
import { z } from 'zod'
import { summarizeTouches, type TouchFact } from '../../domain/contact-touches.ts'
import type { TouchpointType } from '../../domain/touchpoints.ts'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB, IdentityMergesTable } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { decodeCursor, encodeCursor, PageQuery } from '../http/pagination.ts'

/**
 * The identity graph's merges (docs/ingestion.md, "Identity"): each time an identify or alias
 * joined an anonymous visitor's history to a contact. Every member may see them; an admin may undo
 * one, which gives the anonymous id's touches back to nobody and forgets the link.
 */

export const IdentityMergeQuery = PageQuery.extend({
  contactId: z.uuid().optional().describe("only this contact's merges"),
})
export type IdentityMergeQuery = z.infer<typeof IdentityMergeQuery>

type MergeRow = Selectable<IdentityMergesTable> & { undoneByName: string | null }

function present(row: MergeRow) {
  return {
    id: row.id,
    contactId: row.contactId,
    anonymousId: row.anonymousId,
    reason: row.reason,
    messageId: row.messageId,
    touchpointsMoved: row.touchpointsMoved,
    mergedAt: row.mergedAt.toISOString(),
    undoneAt: row.undoneAt?.toISOString() ?? null,
    undoneBy: row.undoneBy ? { id: row.undoneBy, name: row.undoneByName ?? '' } : null,
  }
}

function selectMerges(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('identityMerges as m')
    .leftJoin('users as u', 'u.id', 'm.undoneBy')
    .selectAll('m')
    .select('u.name as undoneByName')
    .where('m.workspaceId', '=', workspaceId)
}

/** Merges of the workspace (or of one contact), newest first. */
export async function listIdentityMerges(
  db: Database,
  principal: Principal,
  query: IdentityMergeQuery,
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const after = decodeCursor(query.cursor, ['id'])?.id
  const rows = await selectMerges(db, workspaceId)
    .$if(query.contactId !== undefined, (q) => q.where('m.contactId', '=', String(query.contactId)))
    .$if(after !== undefined, (q) => q.where('m.id', '<', String(after)))
    .orderBy('m.id', 'desc')
    .limit(query.limit + 1)
    .execute()
  const data = rows.slice(0, query.limit)
  const last = data.at(-1)
  return {
    data: data.map(present),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ id: last.id }) : null,
  }
}

/**
 * Undoes a merge: the anonymous id's touches leave the contact (back to anonymous), the link is
 * forgotten (a later identify may make it again) and the contact's first/last-touch UTM values and
 * lead-creation touch are worked out again from the touches it keeps.
 */
export async function undoIdentityMerge(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'identities:manage')
  await db.transaction().execute(async (trx) => {
    // The same lock as ingestion's flush: no event of this workspace is linked meanwhile.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`tandem.ingest:${workspaceId}`}, 0))`.execute(
      trx,
    )
    const merge = await trx
      .selectFrom('identityMerges')
      .selectAll()
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
    if (!merge) throw new AppError('not_found', 'No such identity merge')
    if (merge.undoneAt) throw new AppError('conflict', 'This merge was already undone')
    const detached = await trx
      .updateTable('touchpoints')
      .set({ contactId: null, accountId: null })
      .where('workspaceId', '=', workspaceId)
      .where('anonymousId', '=', merge.anonymousId)
      .where('contactId', '=', merge.contactId)
      .where('activityId', 'is', null)
      .executeTakeFirst()
    await trx
      .deleteFrom('identities')
      .where('workspaceId', '=', workspaceId)
      .where('kind', '=', 'anonymous')
      .where('value', '=', merge.anonymousId)
      .where('recordId', '=', merge.contactId)
      .execute()
    await trx
      .updateTable('identityMerges')
      .set({ undoneAt: new Date(), undoneBy: principal.kind === 'user' ? principal.userId : null })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await recomputeTouchSummary(trx, workspaceId, merge.contactId)
    await recordAudit(trx, principal, workspaceId, {
      action: 'identity_merge.undo',
      targetType: 'contact',
      targetId: merge.contactId,
      details: {
        mergeId: id,
        anonymousId: merge.anonymousId,
        touchpointsDetached: Number(detached.numUpdatedRows),
      },
    })
  })
  const row = await selectMerges(db, workspaceId).where('m.id', '=', id).executeTakeFirstOrThrow()
  return present(row)
}

/** Works a contact's touch milestones out again from all its touches (imported values stay). */
async function recomputeTouchSummary(trx: Kysely<DB>, workspaceId: string, contactId: string) {
  const contact = await trx
    .selectFrom('contacts')
    .select(['identifiedAt', 'createdAt', 'firstTouchUtm', 'firstTouchUtmAt', 'lastTouchUtmAt'])
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', contactId)
    .executeTakeFirst()
  if (!contact) return
  const touches = await trx
    .selectFrom('touchpoints')
    .select(['id', 'occurredAt', 'type', 'utm', 'isBot'])
    .where('workspaceId', '=', workspaceId)
    .where('contactId', '=', contactId)
    .orderBy('occurredAt')
    .execute()
  const isFirstImported = contact.firstTouchUtm !== null && contact.firstTouchUtmAt === null
  const change = summarizeTouches(
    {
      identifiedAt: contact.identifiedAt ?? contact.createdAt,
      hasFirstUtm: isFirstImported,
      firstUtmAt: null,
      hasLastUtm: false,
      lastUtmAt: null,
      leadCreation: null,
    },
    touches.map(
      (t): TouchFact => ({
        id: t.id,
        occurredAt: t.occurredAt,
        type: t.type as TouchpointType,
        utm: t.utm,
        isBot: t.isBot,
      }),
    ),
  )
  const hadLive = (at: Date | null) => at !== null
  await trx
    .updateTable('contacts')
    .set({
      ...(isFirstImported
        ? {}
        : {
            firstTouchUtm: change.firstUtm ? JSON.stringify(change.firstUtm.utm) : null,
            firstTouchUtmAt: change.firstUtm?.at ?? null,
          }),
      ...(change.lastUtm || hadLive(contact.lastTouchUtmAt)
        ? {
            lastTouchUtm: change.lastUtm ? JSON.stringify(change.lastUtm.utm) : null,
            lastTouchUtmAt: change.lastUtm?.at ?? null,
          }
        : {}),
      leadCreationTouchpointId: change.leadCreation?.id ?? null,
      leadCreationAt: change.leadCreation?.at ?? null,
      leadCreationType: change.leadCreation?.type ?? null,
    })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', contactId)
    .execute()
}
