import { type Kysely, sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import type { LifecycleState } from '../../domain/lifecycle.ts'
import type { DB, MqlSource, SegmentKey } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { notify, workspaceAdminIds } from '../notifications/service.ts'
import { enterLifecycleStage } from '../records/fields.ts'
import { leadOf, routeLead } from '../routing/route-lead.ts'
import { resolveSla, slaDueTimes } from '../sla/resolve.ts'
import { emitWebhookEvent } from '../webhooks/events.ts'
import { handoffLink, insertHandoffEvent } from './events.ts'

/** The touch that made the contact an MQL (a high-intent form's touch), when there is one. */
export interface TriggerTouch {
  touchpointId: string
  occurredAt: Date
}

export interface Qualification {
  workspaceId: string
  contactId: string
  source: MqlSource
  reason: string
  trigger?: TriggerTouch | null
  /** The member who marked the MQL by hand; null for rules. */
  actorId: string | null
  at?: Date
}

// Stages past MQL: marking such a contact MQL would move it backwards.
const pastMql = new Set(['sal', 'sql', 'opportunity', 'customer', 'evangelist'])

/**
 * Makes a contact an MQL and opens its handoff, in the caller's transaction (DEFINITIONS.md
 * "MQL"; issue 7: "in the same transaction as the stage change"). A rule (form, score) that fires
 * for a contact already at or past MQL, disqualified, or with an open handoff changes nothing and
 * returns null; by hand those are conflicts that say why.
 */
export async function qualifyContact(
  trx: Kysely<DB>,
  q: Qualification,
): Promise<{ handoffId: string } | null> {
  const at = q.at ?? new Date()
  const contact = await trx
    .selectFrom('contacts')
    .select(['lifecycleStage', 'erasedAt', 'deletedAt', 'mergedInto'])
    .where('workspaceId', '=', q.workspaceId)
    .where('id', '=', q.contactId)
    .forUpdate()
    .executeTakeFirst()
  const byHand = q.source === 'manual'
  if (!contact || contact.deletedAt || contact.mergedInto) {
    if (byHand) throw new AppError('not_found', 'Contact not found')
    return null
  }
  if (contact.erasedAt) {
    if (byHand)
      throw new AppError('conflict', 'This contact was erased on request: it cannot be qualified')
    return null
  }
  const stage = contact.lifecycleStage
  const refusal =
    stage !== null && pastMql.has(stage)
      ? `the contact is already past MQL (lifecycle stage ${stage}); stages only move forward`
      : stage === 'disqualified' && !byHand
        ? 'disqualified contacts are qualified again only by hand'
        : (await openHandoffOf(trx, q.workspaceId, q.contactId))
          ? 'the contact already has an open handoff'
          : null
  if (refusal) {
    if (byHand) throw new AppError('conflict', `Cannot mark as MQL: ${refusal}`, { stage })
    return null
  }
  if (stage !== 'mql') {
    await enterLifecycleStage(
      trx,
      { workspaceId: q.workspaceId, entity: 'contact', id: q.contactId },
      stage,
      'mql',
      at,
      q.source === 'manual' ? 'manual' : `mql_${q.source}`,
    )
    await trx
      .updateTable('contacts')
      .set({ lifecycleStage: 'mql', leadStatus: 'new', recycleUntil: null, updatedAt: at })
      .where('workspaceId', '=', q.workspaceId)
      .where('id', '=', q.contactId)
      .execute()
    await emitLifecycleChanged(trx, q.workspaceId, q.contactId, stage, 'mql', q.reason)
  }
  return openHandoff(trx, q, at)
}

export function openHandoffOf(trx: Kysely<DB>, workspaceId: string, contactId: string) {
  return trx
    .selectFrom('handoffs')
    .select('id')
    .where('workspaceId', '=', workspaceId)
    .where('contactId', '=', contactId)
    .where('status', '=', 'open')
    .executeTakeFirst()
}

/**
 * Opens the handoff of a contact that has just become an MQL: routes it, fixes its SLA due times,
 * records its campaign, tells its owner (or the admins when no rep could take it) and queues the
 * `handoff.created` webhook. Call after the contact's stage is mql, in the same transaction.
 */
export async function openHandoff(
  trx: Kysely<DB>,
  q: Qualification,
  at: Date = q.at ?? new Date(),
): Promise<{ handoffId: string }> {
  const { workspaceId, contactId } = q
  const id = uuidv7()
  const lead = await leadOf(trx, workspaceId, contactId)
  const route = await routeLead(trx, workspaceId, lead, at)
  const segment = (lead.segment ?? null) as SegmentKey | null
  const sla = await resolveSla(trx, workspaceId, segment)
  const due = slaDueTimes(sla, at)
  const contact = await trx
    .selectFrom('contacts')
    .select([
      'accountId',
      'leadCreationTouchpointId',
      'leadCreationAt',
      'email',
      'firstName',
      'lastName',
    ])
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', contactId)
    .executeTakeFirstOrThrow()
  const leadCreation =
    contact.leadCreationTouchpointId && contact.leadCreationAt
      ? { touchpointId: contact.leadCreationTouchpointId, occurredAt: contact.leadCreationAt }
      : null
  const campaignId =
    (q.trigger ? await campaignOfTouch(trx, workspaceId, q.trigger) : null) ??
    (leadCreation ? await campaignOfTouch(trx, workspaceId, leadCreation) : null)
  const isReMql = await wasMqlBefore(trx, workspaceId, contactId)
  await trx
    .insertInto('handoffs')
    .values({
      workspaceId,
      id,
      contactId,
      accountId: contact.accountId,
      ownerId: route.ownerId,
      teamId: route.teamId,
      routingRuleId: route.ruleId,
      unassignedReason: route.unassignedReason,
      assignedAt: route.ownerId ? at : null,
      campaignId,
      triggerTouchpointId: q.trigger?.touchpointId ?? null,
      mqlSource: q.source,
      mqlReason: q.reason,
      isReMql,
      segment,
      slaPolicyId: sla.policyId,
      createdAt: at,
      ...due,
    })
    .execute()
  await insertHandoffEvent(trx, {
    workspaceId,
    handoffId: id,
    kind: 'created',
    actorId: q.actorId,
    at,
    details: {
      source: q.source,
      reason: q.reason,
      isReMql,
      ownerId: route.ownerId,
      teamId: route.teamId,
      ruleId: route.ruleId,
      unassignedReason: route.unassignedReason,
      slaPolicy: sla.policyName,
    },
  })
  const name = contactName(contact)
  const link = handoffLink(id)
  if (route.ownerId) {
    await notify(trx, {
      workspaceId,
      userIds: [route.ownerId],
      kind: 'handoff.assigned',
      title: `New MQL for you: ${name}`,
      body: `${q.reason}. First touch due by ${due.firstTouchDueAt.toISOString()}.`,
      link,
    })
  } else {
    await notify(trx, {
      workspaceId,
      userIds: await workspaceAdminIds(trx, workspaceId),
      kind: 'handoff.unassigned',
      title: `MQL without an owner: ${name}`,
      body: `No rep could take it (${unassignedWords(route.unassignedReason)}). It waits in the unassigned queue.`,
      link,
    })
  }
  await emitWebhookEvent(
    trx,
    workspaceId,
    'handoff.created',
    {
      handoffId: id,
      contactId,
      contactName: name,
      email: contact.email,
      ownerId: route.ownerId,
      teamId: route.teamId,
      campaignId,
      source: q.source,
      reason: q.reason,
      isReMql,
      firstTouchDueAt: due.firstTouchDueAt.toISOString(),
      decisionDueAt: due.decisionDueAt.toISOString(),
    },
    { text: `New MQL: ${name} (${q.reason})${route.ownerId ? '' : ', unassigned'}` },
  )
  return { handoffId: id }
}

/** Queues the `lifecycle.changed` webhook for a contact's stage change. */
export async function emitLifecycleChanged(
  trx: Kysely<DB>,
  workspaceId: string,
  contactId: string,
  from: string | null,
  to: LifecycleState,
  reason: string | null,
) {
  await emitWebhookEvent(
    trx,
    workspaceId,
    'lifecycle.changed',
    { contactId, from, to, reason },
    { text: `Contact ${contactId} moved from ${from ?? 'no stage'} to ${to}` },
  )
}

async function campaignOfTouch(trx: Kysely<DB>, workspaceId: string, touch: TriggerTouch) {
  const row = await trx
    .selectFrom('touchpoints')
    .select('campaignId')
    .where('workspaceId', '=', workspaceId)
    .where('occurredAt', '=', touch.occurredAt)
    .where('id', '=', touch.touchpointId)
    .executeTakeFirst()
  return row?.campaignId ?? null
}

/** A contact with an earlier handoff, or whose newest mql entry is a re-entry, is a re-MQL. */
async function wasMqlBefore(trx: Kysely<DB>, workspaceId: string, contactId: string) {
  const row = await trx
    .selectFrom('lifecycleEntries')
    .select(sql<boolean>`bool_or(is_reentry)`.as('again'))
    .where('workspaceId', '=', workspaceId)
    .where('entity', '=', 'contact')
    .where('recordId', '=', contactId)
    .where('stage', '=', 'mql')
    .executeTakeFirst()
  if (row?.again) return true
  const earlier = await trx
    .selectFrom('handoffs')
    .select('id')
    .where('workspaceId', '=', workspaceId)
    .where('contactId', '=', contactId)
    .limit(1)
    .executeTakeFirst()
  return earlier !== undefined
}

export function contactName(c: {
  firstName: string | null
  lastName: string | null
  email: string | null
}) {
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ')
  return name || c.email || 'a contact'
}

const unassignedText: Record<string, string> = {
  no_rule: 'no routing rule matches this lead',
  no_active_rep: 'the team has no active rep',
  all_absent: 'every rep of the team is absent',
  all_at_capacity: 'every rep of the team is at capacity',
  all_at_daily_cap: "every rep of the team has reached today's cap",
}

export function unassignedWords(reason: string | null) {
  return (reason && unassignedText[reason]) ?? reason ?? 'no reason given'
}
