import type { Kysely, Selectable } from 'kysely'
import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { ActivitiesTable, DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { setFeedbackTags, TagIds, tagsOf } from '../feedback/service.ts'
import { recordFirstTouch } from '../handoffs/decide.ts'
import { Id } from '../http/schemas.ts'
import { requireMember } from '../records/common.ts'
import { changes } from '../records/fields.ts'
import { compileFilter, type FieldMap, parseFilterParam } from '../records/filter.ts'
import { type ListQuery, parseSort, type Sortable, toPage } from '../records/list.ts'
import { moveToTrash } from '../trash/move-to-trash.ts'
import { presentActivity } from './present.ts'
import { findActivity, findLinkTarget, lockActivity, selectActivityPage } from './queries.ts'
import { syncActivityTouchpoint } from './sales-touch.ts'

export const activityTypes = ['call', 'email', 'meeting', 'note', 'task'] as const
const Time = z.iso.datetime({ offset: true })

export const ActivityInput = z.object({
  type: z.enum(activityTypes),
  subject: z.string().trim().min(1).max(300),
  body: z.string().max(20_000).nullable().optional(),
  contactId: Id.nullable().optional(),
  accountId: Id.nullable().optional(),
  dealId: Id.nullable().optional(),
  ownerId: z.string().min(1).max(100).nullable().optional(),
  occurredAt: Time.nullable().optional().describe('default: now, except for tasks'),
  dueAt: Time.nullable().optional(),
  doneAt: Time.nullable().optional(),
  done: z
    .boolean()
    .optional()
    .describe('true stamps doneAt now (if not done yet); false clears it'),
  outcome: z.string().trim().min(1).max(200).nullable().optional(),
  tagIds: TagIds,
})
export type ActivityInput = z.infer<typeof ActivityInput>
export const ActivityPatch = ActivityInput.partial()
export type ActivityPatch = z.infer<typeof ActivityPatch>

const a = (column: string) => () => sql.ref(`a.${column}`)
export const activityFields: FieldMap = {
  id: { type: 'uuid', sql: a('id') },
  type: { type: 'text', sql: a('type'), values: activityTypes },
  subject: { type: 'text', sql: a('subject') },
  outcome: { type: 'text', sql: a('outcome') },
  contactId: { type: 'uuid', sql: a('contactId') },
  accountId: { type: 'uuid', sql: a('accountId') },
  dealId: { type: 'uuid', sql: a('dealId') },
  ownerId: { type: 'text', sql: a('ownerId') },
  occurredAt: { type: 'timestamp', sql: a('occurredAt') },
  dueAt: { type: 'timestamp', sql: a('dueAt') },
  doneAt: { type: 'timestamp', sql: a('doneAt') },
  done: { type: 'boolean', sql: () => sql`(${sql.ref('a.doneAt')} is not null)` },
  createdAt: { type: 'timestamp', sql: a('createdAt') },
  updatedAt: { type: 'timestamp', sql: a('updatedAt') },
}
// Undated rows sort last in both directions' natural reading: no occurredAt = long ago, no
// dueAt = never due.
const sortable: Record<string, Sortable> = {
  occurredAt: {
    type: 'timestamptz',
    sql: () => sql`coalesce(${sql.ref('a.occurredAt')}, '-infinity'::timestamptz)`,
  },
  dueAt: {
    type: 'timestamptz',
    sql: () => sql`coalesce(${sql.ref('a.dueAt')}, 'infinity'::timestamptz)`,
  },
  createdAt: { type: 'timestamptz', sql: a('createdAt') },
  updatedAt: { type: 'timestamptz', sql: a('updatedAt') },
}
/** The sortable fields of the list, shared with exports. */
export const activitySorts = sortable

/** Activities of the workspace: `q` over the subject, the filter language, newest first. */
export async function listActivities(db: Database, principal: Principal, query: ListQuery) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const filter = parseFilterParam(query.filter)
  const sort = parseSort(query.sort, sortable, '-occurredAt')
  const q = query.q?.replace(/[\\%_]/g, (ch) => `\\${ch}`)
  const where = [
    q ? sql<boolean>`${sql.ref('a.subject')} ilike ${`%${q}%`}` : undefined,
    filter ? compileFilter(filter, activityFields) : undefined,
  ].filter((w) => w !== undefined)
  const rows = await selectActivityPage(db, workspaceId, where, sort, query.cursor, query.limit)
  const tags = await tagsOf(
    db,
    workspaceId,
    'activity',
    rows.slice(0, query.limit).map((row) => row.id),
  )
  return toPage(rows, query.limit, sort, (row) => ({
    ...presentActivity(row),
    tags: tags.get(row.id) ?? [],
  }))
}

/** One live activity with the names of what it is linked to. */
export async function getActivity(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const row = await findActivity(db, workspaceId, id)
  if (!row) throw new AppError('not_found', 'Activity not found')
  const tags = await tagsOf(db, workspaceId, 'activity', [id])
  return { ...presentActivity(row), tags: tags.get(id) ?? [] }
}

type ActivityRecord = Selectable<ActivitiesTable>
const links = [
  ['contactId', 'contacts', 'contact'],
  ['accountId', 'accounts', 'account'],
  ['dealId', 'deals', 'deal'],
] as const

const toDate = (value: string | null) => (value === null ? null : new Date(value))

function invalid(field: string, message: string): never {
  throw new AppError('invalid_input', `${field}: ${message}`, { field })
}

/** The activity's columns after applying input to what it was (nothing, when it is new). */
async function prepare(
  db: Kysely<DB>,
  principal: Principal,
  workspaceId: string,
  input: ActivityPatch,
  before?: ActivityRecord,
) {
  const now = new Date()
  const type = input.type ?? before?.type ?? 'note'
  for (const [field, table, label] of links) {
    const id = input[field]
    if (id && id !== before?.[field] && !(await findLinkTarget(db, workspaceId, table, id)))
      invalid(field, `no ${label} of this workspace has this id`)
  }
  const linked = links.map(([field]) =>
    input[field] !== undefined ? input[field] : (before?.[field] ?? null),
  )
  if (linked.every((id) => id === null))
    invalid('contactId', 'link the activity to a contactId, accountId or dealId')
  if (input.ownerId) await requireMember(db, workspaceId, input.ownerId, 'ownerId')
  const defaultOwner = principal.kind === 'user' && !before ? principal.userId : null
  let occurredAt =
    input.occurredAt !== undefined ? toDate(input.occurredAt) : (before?.occurredAt ?? null)
  if (occurredAt === null && type !== 'task') {
    if (input.occurredAt === null) invalid('occurredAt', `a ${type} needs the time it happened`)
    occurredAt = now
  }
  let doneAt = input.doneAt !== undefined ? toDate(input.doneAt) : undefined
  if (input.done !== undefined) {
    if (doneAt !== undefined && (doneAt !== null) !== input.done)
      invalid('done', 'contradicts doneAt')
    doneAt ??= input.done ? (before?.doneAt ?? now) : null
  }
  return {
    type,
    subject: input.subject ?? before?.subject ?? '',
    body: input.body !== undefined ? input.body : (before?.body ?? null),
    contactId: linked[0] ?? null,
    accountId: linked[1] ?? null,
    dealId: linked[2] ?? null,
    ownerId: input.ownerId !== undefined ? input.ownerId : (before?.ownerId ?? defaultOwner),
    occurredAt,
    dueAt: input.dueAt !== undefined ? toDate(input.dueAt) : (before?.dueAt ?? null),
    doneAt: doneAt !== undefined ? doneAt : (before?.doneAt ?? null),
    outcome: input.outcome !== undefined ? input.outcome : (before?.outcome ?? null),
  }
}

/**
 * Logs a call, email, meeting, note or task on a contact, account and/or deal; a call, meeting
 * or email also becomes a `sales` touchpoint in the same transaction.
 */
export async function createActivity(db: Database, principal: Principal, input: ActivityInput) {
  const { workspaceId } = requirePermission(principal, 'records:write')
  const id = uuidv7()
  await db.transaction().execute(async (trx) => {
    const values = await prepare(trx, principal, workspaceId, input)
    await trx
      .insertInto('activities')
      .values({ workspaceId, id, ...values })
      .execute()
    await syncActivityTouchpoint(trx, workspaceId, id)
    await recordFirstTouch(trx, workspaceId, { id, ...values })
    const tags = input.tagIds?.length
      ? await setFeedbackTags(trx, principal, workspaceId, 'activity', id, input.tagIds)
      : []
    await recordAudit(trx, principal, workspaceId, {
      action: 'activity.create',
      targetType: 'activity',
      targetId: id,
      details: {
        type: values.type,
        subject: values.subject,
        ...(tags.length > 0 ? { tags: tags.map((tag) => tag.name) } : {}),
      },
    })
  })
  return getActivity(db, principal, id)
}

/** Changes an activity; its `sales` touchpoint follows (moved, written or removed). */
export async function updateActivity(
  db: Database,
  principal: Principal,
  id: string,
  patch: ActivityPatch,
) {
  const { workspaceId } = requirePermission(principal, 'records:write')
  await db.transaction().execute(async (trx) => {
    const before = await lockActivity(trx, workspaceId, id)
    if (!before) throw new AppError('not_found', 'Activity not found')
    const values = await prepare(trx, principal, workspaceId, patch, before)
    await trx
      .updateTable('activities')
      .set({ ...values, updatedAt: new Date() })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await syncActivityTouchpoint(trx, workspaceId, id)
    await recordFirstTouch(trx, workspaceId, { id, ...values })
    const tags =
      patch.tagIds !== undefined
        ? await setFeedbackTags(trx, principal, workspaceId, 'activity', id, patch.tagIds)
        : undefined
    await recordAudit(trx, principal, workspaceId, {
      action: 'activity.update',
      targetType: 'activity',
      targetId: id,
      details: {
        ...changes(before, values),
        ...(tags ? { tags: { to: tags.map((tag) => tag.name) } } : {}),
      },
    })
  })
  return getActivity(db, principal, id)
}

/** Moves an activity to the Trash (restorable for 30 days) and removes its touchpoint. */
export async function deleteActivity(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:delete')
  await moveToTrash(db, principal, workspaceId, { entity: 'activity', id }, (trx) =>
    syncActivityTouchpoint(trx, workspaceId, id),
  )
}
