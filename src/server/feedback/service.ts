import { type Kysely, sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB, FeedbackTagEntity, FeedbackTagKind } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { Id } from '../http/schemas.ts'

// The Bridge (issue 8): the workspace's taxonomy of objections and competitors (docs/feedback.md).
// Sales tags activities, handoff rejections and deals with them; marketing reads them back in the
// voice of sales. Tagging needs records:write (the record's own permission); the taxonomy itself
// needs feedback:manage.

export const feedbackTagKinds = ['objection', 'competitor'] as const satisfies FeedbackTagKind[]
const Kind = z.enum(feedbackTagKinds, {
  error: `must be one of ${feedbackTagKinds.join(', ')}`,
})

export const FeedbackTagInput = z.object({
  kind: Kind,
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(500).nullable().optional(),
})
export type FeedbackTagInput = z.infer<typeof FeedbackTagInput>

export const FeedbackTagPatch = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().trim().max(500).nullable().optional(),
  archived: z
    .boolean()
    .optional()
    .describe('true archives the tag (kept on records), false restores it'),
})
export type FeedbackTagPatch = z.infer<typeof FeedbackTagPatch>

export const FeedbackTagQuery = z.object({
  kind: Kind.optional(),
  includeArchived: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .transform((value) => value === 'true')
    .describe('true lists archived tags too'),
})
export type FeedbackTagQuery = z.infer<typeof FeedbackTagQuery>

/** The input of every record that can be tagged: the whole set of its tags, replacing the old. */
export const TagIds = z
  .array(Id)
  .max(50)
  .optional()
  .describe('ids of feedback tags (objections, competitors): replaces the whole set')

/** A tag as records show it. */
export interface TagRef {
  id: string
  kind: FeedbackTagKind
  name: string
}

/** The default objections: what B2B buyers say most often (docs/feedback.md). */
export const defaultObjections: readonly { name: string; description: string }[] = [
  { name: 'Price too high', description: 'The price or the total cost is above what they expect' },
  {
    name: 'No budget this year',
    description: 'Interested, but nothing is budgeted before next year',
  },
  {
    name: 'Already uses a competitor',
    description: 'They have a tool doing this; tag the competitor too when named',
  },
  { name: 'Missing integration', description: 'A system they rely on is not integrated' },
  {
    name: 'Security/compliance review',
    description: 'Blocked or slowed by a security, legal or compliance review',
  },
  { name: 'Timing', description: 'Not now: another project, a reorganisation, a freeze' },
  { name: 'Needs approval', description: 'The contact cannot decide alone' },
  { name: 'Switching cost', description: 'Moving away from what they use costs too much' },
]

type TagRow = {
  id: string
  kind: FeedbackTagKind
  name: string
  description: string | null
  archivedAt: Date | null
  createdAt: Date
  updatedAt: Date
  usage: number
}

function presentTag(row: TagRow) {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    description: row.description,
    archived: row.archivedAt !== null,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    usage: Number(row.usage),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}
export type FeedbackTag = ReturnType<typeof presentTag>

function selectTags(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('feedbackTags as t')
    .select([
      't.id',
      't.kind',
      't.name',
      't.description',
      't.archivedAt',
      't.createdAt',
      't.updatedAt',
      (eb) =>
        eb
          .selectFrom('feedbackTagLinks as l')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('l.workspaceId', '=', 't.workspaceId')
          .whereRef('l.tagId', '=', 't.id')
          .as('usage'),
    ])
    .where('t.workspaceId', '=', workspaceId)
}

async function requireTag(db: Kysely<DB>, workspaceId: string, id: string) {
  const row = await selectTags(db, workspaceId).where('t.id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('not_found', 'Feedback tag not found')
  return row as TagRow
}

async function checkName(
  db: Kysely<DB>,
  workspaceId: string,
  kind: FeedbackTagKind,
  name: string,
  exceptId?: string,
) {
  const taken = await db
    .selectFrom('feedbackTags')
    .select(['id', 'name', 'archivedAt'])
    .where('workspaceId', '=', workspaceId)
    .where('kind', '=', kind)
    .where(sql<boolean>`lower(name) = lower(${name})`)
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId as string))
    .executeTakeFirst()
  if (taken) {
    const archived = taken.archivedAt ? ' (archived: restore it instead)' : ''
    throw new AppError(
      'conflict',
      `name: ${kind === 'objection' ? 'an objection' : 'a competitor'} called "${taken.name}" already exists${archived}`,
      { field: 'name', existingId: taken.id },
    )
  }
}

/** The taxonomy, objections then competitors, by name, each with how many records use it. */
export async function listFeedbackTags(
  db: Kysely<DB>,
  principal: Principal,
  query: FeedbackTagQuery,
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const rows = await selectTags(db, workspaceId)
    .$if(query.kind !== undefined, (q) => q.where('t.kind', '=', query.kind as FeedbackTagKind))
    .$if(!query.includeArchived, (q) => q.where('t.archivedAt', 'is', null))
    .orderBy('t.kind', 'desc')
    .orderBy(sql`lower(t.name)`)
    .orderBy('t.id')
    .execute()
  return rows.map((row) => presentTag(row as TagRow))
}

export async function createFeedbackTag(
  db: Kysely<DB>,
  principal: Principal,
  input: FeedbackTagInput,
) {
  const { workspaceId } = requirePermission(principal, 'feedback:manage')
  const id = uuidv7()
  await db.transaction().execute(async (trx) => {
    await checkName(trx, workspaceId, input.kind, input.name)
    await trx
      .insertInto('feedbackTags')
      .values({
        workspaceId,
        id,
        kind: input.kind,
        name: input.name,
        description: input.description || null,
      })
      .execute()
    await recordAudit(trx, principal, workspaceId, {
      action: 'feedback_tag.create',
      targetType: 'feedback_tag',
      targetId: id,
      details: { kind: input.kind, name: input.name },
    })
  })
  return presentTag(await requireTag(db, workspaceId, id))
}

/** Renames, describes, archives (archived: true) or restores (archived: false) a tag. */
export async function updateFeedbackTag(
  db: Kysely<DB>,
  principal: Principal,
  id: string,
  patch: FeedbackTagPatch,
) {
  const { workspaceId } = requirePermission(principal, 'feedback:manage')
  await db.transaction().execute(async (trx) => {
    const before = await requireTag(trx, workspaceId, id)
    if (patch.name !== undefined) await checkName(trx, workspaceId, before.kind, patch.name, id)
    const now = new Date()
    const archivedAt =
      patch.archived === undefined ? undefined : patch.archived ? (before.archivedAt ?? now) : null
    await trx
      .updateTable('feedbackTags')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description || null } : {}),
        ...(archivedAt !== undefined ? { archivedAt } : {}),
        updatedAt: now,
      })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    const details: Record<string, { from: unknown; to: unknown }> = {}
    if (patch.name !== undefined && patch.name !== before.name)
      details.name = { from: before.name, to: patch.name }
    if (patch.description !== undefined && (patch.description || null) !== before.description)
      details.description = { from: before.description, to: patch.description || null }
    if (patch.archived !== undefined && patch.archived !== (before.archivedAt !== null))
      details.archived = { from: before.archivedAt !== null, to: patch.archived }
    await recordAudit(trx, principal, workspaceId, {
      action: 'feedback_tag.update',
      targetType: 'feedback_tag',
      targetId: id,
      details,
    })
  })
  return presentTag(await requireTag(db, workspaceId, id))
}

/** Deletes an unused tag; a tag records use is archived instead, so their history stays. */
export async function deleteFeedbackTag(db: Kysely<DB>, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'feedback:manage')
  return db.transaction().execute(async (trx) => {
    const before = await requireTag(trx, workspaceId, id)
    const used = Number(before.usage) > 0
    if (used) {
      await trx
        .updateTable('feedbackTags')
        .set({ archivedAt: before.archivedAt ?? new Date(), updatedAt: new Date() })
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', id)
        .execute()
    } else {
      await trx
        .deleteFrom('feedbackTags')
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', id)
        .execute()
    }
    const result = used ? ('archived' as const) : ('deleted' as const)
    await recordAudit(trx, principal, workspaceId, {
      action: used ? 'feedback_tag.archive' : 'feedback_tag.delete',
      targetType: 'feedback_tag',
      targetId: id,
      details: { kind: before.kind, name: before.name, usage: Number(before.usage) },
    })
    return { id, result, usage: Number(before.usage) }
  })
}

/**
 * Adds the default objections the workspace does not have yet (by name, case-insensitive; an
 * archived one stays archived). Running it again adds nothing.
 */
export async function addDefaultObjections(db: Kysely<DB>, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'feedback:manage')
  const added = await db.transaction().execute(async (trx) => {
    const rows = await insertDefaultObjections(trx, workspaceId)
    if (rows.length > 0) {
      await recordAudit(trx, principal, workspaceId, {
        action: 'feedback_tag.defaults',
        targetType: 'feedback_tag',
        targetId: null,
        details: { added: rows.map((r) => r.name) },
      })
    }
    return rows.length
  })
  return {
    added,
    tags: await listFeedbackTags(db, principal, { kind: 'objection', includeArchived: false }),
  }
}

/** The insert behind the defaults: the ids and names it added. */
export function insertDefaultObjections(db: Kysely<DB>, workspaceId: string) {
  return db
    .insertInto('feedbackTags')
    .values(
      defaultObjections.map((tag) => ({
        workspaceId,
        id: uuidv7(),
        kind: 'objection' as const,
        name: tag.name,
        description: tag.description,
      })),
    )
    .onConflict((oc) => oc.expression(sql`workspace_id, kind, lower(name)` as never).doNothing())
    .returning(['id', 'name'])
    .execute()
}

/**
 * Replaces the feedback tags of one record with `tagIds`, in the caller's transaction. Each id
 * must be a live tag of the workspace, or one the record already carries (an archived tag stays
 * on the records that have it); else 400 naming tagIds and the id. Answers the tags now on it.
 */
export async function setFeedbackTags(
  trx: Kysely<DB>,
  principal: Principal,
  workspaceId: string,
  entity: FeedbackTagEntity,
  entityId: string,
  tagIds: readonly string[],
): Promise<TagRef[]> {
  const ids = [...new Set(tagIds)]
  const current = await trx
    .selectFrom('feedbackTagLinks')
    .select('tagId')
    .where('workspaceId', '=', workspaceId)
    .where('entity', '=', entity)
    .where('entityId', '=', entityId)
    .execute()
  const kept = new Set(current.map((row) => row.tagId))
  const found =
    ids.length === 0
      ? []
      : await trx
          .selectFrom('feedbackTags')
          .select(['id', 'kind', 'name', 'archivedAt'])
          .where('workspaceId', '=', workspaceId)
          .where('id', 'in', ids)
          .execute()
  for (const id of ids) {
    const tag = found.find((row) => row.id === id)
    if (!tag || (tag.archivedAt !== null && !kept.has(id))) {
      throw new AppError(
        'invalid_input',
        `tagIds: ${id} is not a${tag ? 'n active' : ''} feedback tag of this workspace`,
        { field: 'tagIds', id },
      )
    }
  }
  const removed = [...kept].filter((id) => !ids.includes(id))
  if (removed.length > 0) {
    await trx
      .deleteFrom('feedbackTagLinks')
      .where('workspaceId', '=', workspaceId)
      .where('entity', '=', entity)
      .where('entityId', '=', entityId)
      .where('tagId', 'in', removed)
      .execute()
  }
  const added = ids.filter((id) => !kept.has(id))
  if (added.length > 0) {
    await trx
      .insertInto('feedbackTagLinks')
      .values(
        added.map((tagId) => ({
          workspaceId,
          tagId,
          entity,
          entityId,
          createdBy: principal.kind === 'user' ? principal.userId : null,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
  return found.map((row) => ({ id: row.id, kind: row.kind, name: row.name })).sort(byKindAndName)
}

function byKindAndName(x: TagRef, y: TagRef) {
  return x.kind === y.kind ? x.name.localeCompare(y.name) : x.kind === 'objection' ? -1 : 1
}

/** The tags of many records of one kind in one query: record id → its tags (objections first). */
export async function tagsOf(
  db: Kysely<DB>,
  workspaceId: string,
  entity: FeedbackTagEntity,
  ids: readonly string[],
): Promise<Map<string, TagRef[]>> {
  const out = new Map<string, TagRef[]>()
  if (ids.length === 0) return out
  const rows = await db
    .selectFrom('feedbackTagLinks as l')
    .innerJoin('feedbackTags as t', (j) =>
      j.onRef('t.workspaceId', '=', 'l.workspaceId').onRef('t.id', '=', 'l.tagId'),
    )
    .select(['l.entityId', 't.id', 't.kind', 't.name'])
    .where('l.workspaceId', '=', workspaceId)
    .where('l.entity', '=', entity)
    .where('l.entityId', 'in', [...new Set(ids)])
    .execute()
  for (const row of rows) {
    const list = out.get(row.entityId) ?? []
    list.push({ id: row.id, kind: row.kind, name: row.name })
    out.set(row.entityId, list)
  }
  for (const list of out.values()) list.sort(byKindAndName)
  return out
}
