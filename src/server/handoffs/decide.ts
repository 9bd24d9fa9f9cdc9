import type { Kysely, Selectable } from 'kysely'
import {
  defaultOutcome,
  firstTouchActivityTypes,
  type RejectionOutcome,
  type RejectionReason,
  recycleDate,
} from '../../domain/handoff.ts'
import { recordAudit } from '../audit/service.ts'
import { can } from '../auth/permissions.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import { selectWorkspaceDate } from '../contacts/queries.ts'
import type { Database } from '../db/database.ts'
import type { DB, HandoffsTable } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { setFeedbackTags } from '../feedback/service.ts'
import { notify, workspaceAdminIds } from '../notifications/service.ts'
import { requireMember } from '../records/common.ts'
import { enterLifecycleStage } from '../records/fields.ts'
import { leadOf, routeLead } from '../routing/route-lead.ts'
import { emitWebhookEvent } from '../webhooks/events.ts'
import { handoffLink, insertHandoffEvent } from './events.ts'
import { contactName, emitLifecycleChanged, unassignedWords } from './open.ts'

type HandoffRow = Selectable<HandoffsTable>

function userIdOf(principal: Principal) {
  return principal.kind === 'user' ? principal.userId : null
}

async function lockHandoff(trx: Kysely<DB>, workspaceId: string, id: string) {
  const row = await trx
    .selectFrom('handoffs')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
  if (!row) throw new AppError('not_found', 'Handoff not found')
  return row
}

/**
 * A rep works the handoffs they own (and may take an unassigned one); managers and admins
 * (handoffs:manage) act on anyone's.
 */
function requireWorker(principal: Principal, handoff: HandoffRow) {
  const actor = requirePermission(principal, 'handoffs:work')
  if (can(actor.role, 'handoffs:manage')) return actor
  const userId = userIdOf(principal)
  if (handoff.ownerId !== null && handoff.ownerId !== userId) {
    throw new AppError(
      'forbidden',
      'This handoff belongs to another rep: only its owner, a sales manager or an admin may decide it',
    )
  }
  return actor
}

function requireOpen(handoff: HandoffRow) {
  if (handoff.status !== 'open') {
    throw new AppError(
      'conflict',
      `This handoff was already ${handoff.status} on ${handoff.decidedAt?.toISOString()}: a decision is final`,
      { status: handoff.status, decidedAt: handoff.decidedAt?.toISOString() ?? null },
    )
  }
}

async function contactStage(trx: Kysely<DB>, workspaceId: string, contactId: string) {
  const row = await trx
    .selectFrom('contacts')
    .select(['lifecycleStage', 'firstName', 'lastName', 'email'])
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', contactId)
    .forUpdate()
    .executeTakeFirstOrThrow()
  return row
}

/** Accept → the contact becomes a SAL (DEFINITIONS.md); an unassigned handoff becomes the rep's. */
export async function acceptHandoff(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'handoffs:work')
  await db.transaction().execute(async (trx) => {
    const handoff = await lockHandoff(trx, workspaceId, id)
    requireWorker(principal, handoff)
    requireOpen(handoff)
    const now = new Date()
    const userId = userIdOf(principal)
    const ownerId = handoff.ownerId ?? userId
    if (!ownerId) {
      throw new AppError(
        'conflict',
        'This handoff has no owner: reassign it to a rep before accepting',
      )
    }
    await trx
      .updateTable('handoffs')
      .set({
        status: 'accepted',
        decidedAt: now,
        decidedBy: userId,
        ownerId,
        assignedAt: handoff.assignedAt ?? now,
        unassignedReason: null,
        updatedAt: now,
      })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    const contact = await contactStage(trx, workspaceId, handoff.contactId)
    if (contact.lifecycleStage === 'mql') {
      await enterLifecycleStage(
        trx,
        { workspaceId, entity: 'contact', id: handoff.contactId },
        'mql',
        'sal',
        now,
        'handoff',
      )
      await trx
        .updateTable('contacts')
        .set({ lifecycleStage: 'sal', ownerId, updatedAt: now })
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', handoff.contactId)
        .execute()
      await emitLifecycleChanged(
        trx,
        workspaceId,
        handoff.contactId,
        'mql',
        'sal',
        'handoff accepted',
      )
    }
    await insertHandoffEvent(trx, {
      workspaceId,
      handoffId: id,
      kind: 'accepted',
      actorId: userId,
      at: now,
    })
    await recordAudit(trx, principal, workspaceId, {
      action: 'handoff.accept',
      targetType: 'handoff',
      targetId: id,
      details: { contactId: handoff.contactId },
    })
    await emitWebhookEvent(
      trx,
      workspaceId,
      'handoff.accepted',
      { handoffId: id, contactId: handoff.contactId, ownerId, decidedAt: now.toISOString() },
      { text: `MQL accepted by sales: ${contactName(contact)}` },
    )
  })
}

export interface Rejection {
  reason: RejectionReason
  outcome?: RejectionOutcome
  recycleOn?: string
  note?: string
  /** Objections and competitors the contact mentioned (feedback tags, docs/feedback.md). */
  tagIds?: string[]
}

/**
 * Reject with a reason → the contact is recycled (with its re-engage date) or disqualified, per
 * DEFINITIONS.md's table unless the rep overrides the outcome.
 */
export async function rejectHandoff(
  db: Database,
  principal: Principal,
  id: string,
  input: Rejection,
) {
  const { workspaceId } = requirePermission(principal, 'handoffs:work')
  const outcome = input.outcome ?? defaultOutcome(input.reason)
  if (outcome === 'disqualify' && input.recycleOn !== undefined) {
    throw new AppError('invalid_input', 'recycleOn: only applies when the outcome is recycle', {
      field: 'recycleOn',
    })
  }
  await db.transaction().execute(async (trx) => {
    const handoff = await lockHandoff(trx, workspaceId, id)
    requireWorker(principal, handoff)
    requireOpen(handoff)
    let recycleOn: string | null = null
    if (outcome === 'recycle') {
      const today = await selectWorkspaceDate(trx, workspaceId, 0)
      const date = recycleDate(today, input.recycleOn)
      if (!date.ok) {
        throw new AppError('invalid_input', `recycleOn: ${date.message}`, { field: 'recycleOn' })
      }
      recycleOn = date.date
    }
    const now = new Date()
    const userId = userIdOf(principal)
    await trx
      .updateTable('handoffs')
      .set({
        status: 'rejected',
        decidedAt: now,
        decidedBy: userId,
        rejectionReason: input.reason,
        rejectionOutcome: outcome,
        recycleOn,
        rejectionNote: input.note ?? null,
        updatedAt: now,
      })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    const contact = await contactStage(trx, workspaceId, handoff.contactId)
    const target = outcome === 'recycle' ? 'recycled' : 'disqualified'
    if (contact.lifecycleStage === 'mql' || contact.lifecycleStage === 'sal') {
      await enterLifecycleStage(
        trx,
        { workspaceId, entity: 'contact', id: handoff.contactId },
        contact.lifecycleStage,
        target,
        now,
        'handoff',
      )
      await trx
        .updateTable('contacts')
        .set({ lifecycleStage: target, leadStatus: null, recycleUntil: recycleOn, updatedAt: now })
        .where('workspaceId', '=', workspaceId)
        .where('id', '=', handoff.contactId)
        .execute()
      await emitLifecycleChanged(
        trx,
        workspaceId,
        handoff.contactId,
        contact.lifecycleStage,
        target,
        `handoff rejected: ${input.reason}`,
      )
    }
    const tags = input.tagIds?.length
      ? await setFeedbackTags(trx, principal, workspaceId, 'handoff', id, input.tagIds)
      : []
    const details = {
      reason: input.reason,
      outcome,
      recycleOn,
      note: input.note ?? null,
      ...(tags.length > 0 ? { tags } : {}),
    }
    await insertHandoffEvent(trx, {
      workspaceId,
      handoffId: id,
      kind: 'rejected',
      actorId: userId,
      at: now,
      details,
    })
    await recordAudit(trx, principal, workspaceId, {
      action: 'handoff.reject',
      targetType: 'handoff',
      targetId: id,
      details: { contactId: handoff.contactId, ...details },
    })
    await emitWebhookEvent(
      trx,
      workspaceId,
      'handoff.rejected',
      { handoffId: id, contactId: handoff.contactId, ownerId: handoff.ownerId, ...details },
      { text: `MQL rejected by sales (${input.reason}, ${outcome}): ${contactName(contact)}` },
    )
  })
}

/**
 * Gives an open handoff to another rep (`ownerId`), or routes it again (`reroute`). The SLA clock
 * keeps running from the handoff's creation: reassigning does not buy time.
 */
export async function reassignHandoff(
  db: Database,
  principal: Principal,
  id: string,
  input: { ownerId?: string; reroute?: boolean; note?: string },
) {
  const { workspaceId } = requirePermission(principal, 'handoffs:manage')
  if ((input.ownerId === undefined) === (input.reroute !== true)) {
    throw new AppError('invalid_input', 'ownerId: give either ownerId or reroute: true', {
      field: 'ownerId',
    })
  }
  await db.transaction().execute(async (trx) => {
    const handoff = await lockHandoff(trx, workspaceId, id)
    requireOpen(handoff)
    await moveHandoff(trx, handoff, input, userIdOf(principal), new Date())
    await recordAudit(trx, principal, workspaceId, {
      action: 'handoff.reassign',
      targetType: 'handoff',
      targetId: id,
      details: {
        from: handoff.ownerId,
        ownerId: input.ownerId ?? null,
        reroute: input.reroute ?? false,
      },
    })
  })
}

/** Moves a locked open handoff to a rep or through routing again; used by reassign and escalation. */
export async function moveHandoff(
  trx: Kysely<DB>,
  handoff: HandoffRow,
  input: { ownerId?: string; reroute?: boolean; note?: string },
  actorId: string | null,
  now: Date,
) {
  const { workspaceId, id } = handoff
  let ownerId: string | null
  let teamId = handoff.teamId
  let unassignedReason: string | null = null
  if (input.ownerId !== undefined) {
    await requireMember(trx, workspaceId, input.ownerId, 'ownerId')
    ownerId = input.ownerId
  } else {
    const route = await routeLead(
      trx,
      workspaceId,
      await leadOf(trx, workspaceId, handoff.contactId),
      now,
    )
    ownerId = route.ownerId
    teamId = route.teamId
    unassignedReason = route.unassignedReason
  }
  await trx
    .updateTable('handoffs')
    .set({ ownerId, teamId, unassignedReason, assignedAt: ownerId ? now : null, updatedAt: now })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .execute()
  await insertHandoffEvent(trx, {
    workspaceId,
    handoffId: id,
    kind: 'reassigned',
    actorId,
    at: now,
    details: { from: handoff.ownerId, to: ownerId, unassignedReason, note: input.note ?? null },
  })
  if (ownerId && ownerId !== handoff.ownerId) {
    await notify(trx, {
      workspaceId,
      userIds: [ownerId],
      kind: 'handoff.assigned',
      title: 'A handoff was reassigned to you',
      body: `First touch was due by ${handoff.firstTouchDueAt.toISOString()}: the clock did not restart.`,
      link: handoffLink(id),
    })
  } else if (!ownerId) {
    await notify(trx, {
      workspaceId,
      userIds: await workspaceAdminIds(trx, workspaceId),
      kind: 'handoff.unassigned',
      title: 'A handoff is unassigned',
      body: unassignedWords(unassignedReason),
      link: handoffLink(id),
    })
  }
  return ownerId
}

/** Sales rates the quality of a handoff 1-5 (feeds the Bridge's feedback coverage). */
export async function rateHandoff(db: Database, principal: Principal, id: string, quality: number) {
  const { workspaceId } = requirePermission(principal, 'handoffs:work')
  await db.transaction().execute(async (trx) => {
    const handoff = await lockHandoff(trx, workspaceId, id)
    requireWorker(principal, handoff)
    const now = new Date()
    const userId = userIdOf(principal)
    await trx
      .updateTable('handoffs')
      .set({ quality, ratedBy: userId, ratedAt: now, updatedAt: now })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .execute()
    await insertHandoffEvent(trx, {
      workspaceId,
      handoffId: id,
      kind: 'rated',
      actorId: userId,
      at: now,
      details: { quality, previous: handoff.quality },
    })
  })
}

/**
 * The first rep-initiated activity (call, email, meeting) on a contact at or after its open or
 * accepted handoff's creation is that handoff's first touch (DEFINITIONS.md "Time to first
 * touch"); the lead status moves from new to attempting. Called in the activity's transaction.
 */
export async function recordFirstTouch(
  trx: Kysely<DB>,
  workspaceId: string,
  activity: { id: string; type: string; contactId: string | null; occurredAt: Date | null },
) {
  if (!activity.contactId || !activity.occurredAt) return
  if (!(firstTouchActivityTypes as readonly string[]).includes(activity.type)) return
  if (activity.occurredAt.getTime() > Date.now() + 60_000) return // planned, not done
  const touched = await trx
    .updateTable('handoffs')
    .set({
      firstTouchAt: activity.occurredAt,
      firstTouchActivityId: activity.id,
      updatedAt: new Date(),
    })
    .where('workspaceId', '=', workspaceId)
    .where('contactId', '=', activity.contactId)
    .where('firstTouchAt', 'is', null)
    .where('status', '<>', 'rejected')
    .where('createdAt', '<=', activity.occurredAt)
    .returning(['id', 'ownerId'])
    .execute()
  for (const handoff of touched) {
    await insertHandoffEvent(trx, {
      workspaceId,
      handoffId: handoff.id,
      kind: 'first_touch',
      actorId: null,
      at: activity.occurredAt,
      details: { activityId: activity.id, type: activity.type },
    })
  }
  if (touched.length > 0) {
    await trx
      .updateTable('contacts')
      .set({ leadStatus: 'attempting' })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', activity.contactId)
      .where('leadStatus', '=', 'new')
      .execute()
  }
}
