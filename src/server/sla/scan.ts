import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'
import { moveHandoff } from '../handoffs/decide.ts'
import { handoffLink, insertHandoffEvents } from '../handoffs/events.ts'
import { notifyAll, workspaceAdminIds } from '../notifications/service.ts'
import { emitWebhookEvents } from '../webhooks/events.ts'

export interface ScanResult {
  firstTouchBreaches: number
  decisionBreaches: number
  escalations: number
}

/** Handoffs flagged per transaction: a backlog after downtime is worked through in bounded steps. */
const batchSize = 500

/**
 * The SLA clock check (a pg-boss job every minute). Due times were fixed in business hours when
 * each handoff was created, so a check is three index range scans over what has just fallen due:
 * - first-touch breach: no rep-initiated activity by the window's end → the owner is told (the
 *   admins when nobody owns it) and `handoff.breached` goes out;
 * - decision breach: neither accepted nor rejected within the acceptance window → the same;
 * - escalation: still untouched a second window later → the team's manager (else the admins) is
 *   told, `handoff.escalated` goes out, and the policy may route it to another rep.
 * Each flag is set once (the partial indexes only hold unflagged rows), in the same transaction as
 * its notifications and webhooks, so a crash never loses or doubles them.
 */
export async function runSlaScan(db: Kysely<DB>, now = new Date()): Promise<ScanResult> {
  const result: ScanResult = { firstTouchBreaches: 0, decisionBreaches: 0, escalations: 0 }
  for (;;) {
    const n = await db.transaction().execute((trx) => flagFirstTouch(trx, now))
    result.firstTouchBreaches += n
    if (n < batchSize) break
  }
  for (;;) {
    const n = await db.transaction().execute((trx) => flagDecision(trx, now))
    result.decisionBreaches += n
    if (n < batchSize) break
  }
  for (;;) {
    const n = await db.transaction().execute((trx) => escalate(trx, now))
    result.escalations += n
    if (n < batchSize) break
  }
  return result
}

interface Flagged {
  workspaceId: string
  id: string
  contactId: string
  ownerId: string | null
  teamId: string | null
  due: Date
}

async function flagFirstTouch(trx: Kysely<DB>, now: Date) {
  const rows = await sql<Flagged>`
    update handoffs set first_touch_breached_at = ${now}, updated_at = ${now}
    where (workspace_id, id) in (
      select workspace_id, id from handoffs
      where first_touch_at is null and first_touch_breached_at is null and status <> 'rejected'
        and first_touch_due_at <= ${now}
      order by first_touch_due_at
      limit ${batchSize}
      for update skip locked
    )
    returning workspace_id as "workspaceId", id, contact_id as "contactId", owner_id as "ownerId",
      team_id as "teamId", first_touch_due_at as due
  `.execute(trx)
  await announce(trx, rows.rows, 'first_touch', now)
  return rows.rows.length
}

async function flagDecision(trx: Kysely<DB>, now: Date) {
  const rows = await sql<Flagged>`
    update handoffs set decision_breached_at = ${now}, updated_at = ${now}
    where (workspace_id, id) in (
      select workspace_id, id from handoffs
      where status = 'open' and decision_breached_at is null and decision_due_at <= ${now}
      order by decision_due_at
      limit ${batchSize}
      for update skip locked
    )
    returning workspace_id as "workspaceId", id, contact_id as "contactId", owner_id as "ownerId",
      team_id as "teamId", decision_due_at as due
  `.execute(trx)
  await announce(trx, rows.rows, 'decision', now)
  return rows.rows.length
}

const clockWords = {
  first_touch: { title: 'SLA missed: no first touch in time', event: 'first_touch_breached' },
  decision: { title: 'SLA missed: not accepted or rejected in time', event: 'decision_breached' },
} as const

async function announce(
  trx: Kysely<DB>,
  rows: Flagged[],
  clock: 'first_touch' | 'decision',
  now: Date,
) {
  if (rows.length === 0) return
  const names = await contactNames(trx, rows)
  const admins = await adminsOf(
    trx,
    rows.filter((r) => !r.ownerId),
  )
  const words = clockWords[clock]
  const nameOf = (row: Flagged) => names.get(`${row.workspaceId}:${row.contactId}`) ?? 'a contact'
  await insertHandoffEvents(
    trx,
    rows.map((row) => ({
      workspaceId: row.workspaceId,
      handoffId: row.id,
      kind: words.event,
      actorId: null,
      at: now,
      details: { dueAt: row.due.toISOString(), ownerId: row.ownerId },
    })),
  )
  await notifyAll(
    trx,
    rows.map((row) => ({
      workspaceId: row.workspaceId,
      userIds: row.ownerId ? [row.ownerId] : (admins.get(row.workspaceId) ?? []),
      kind: `handoff.${clock}_breached`,
      title: `${words.title}: ${nameOf(row)}`,
      body: `Due ${row.due.toISOString()}.`,
      link: handoffLink(row.id),
    })),
  )
  await emitWebhookEvents(
    trx,
    rows.map((row) => ({
      workspaceId: row.workspaceId,
      type: 'handoff.breached' as const,
      data: {
        handoffId: row.id,
        contactId: row.contactId,
        ownerId: row.ownerId,
        clock,
        dueAt: row.due.toISOString(),
      },
      text: `${words.title}: ${nameOf(row)}`,
    })),
  )
}

/** The admins of each workspace among the rows, one query per workspace. */
async function adminsOf(trx: Kysely<DB>, rows: { workspaceId: string }[]) {
  const admins = new Map<string, string[]>()
  for (const workspaceId of new Set(rows.map((r) => r.workspaceId))) {
    admins.set(workspaceId, await workspaceAdminIds(trx, workspaceId))
  }
  return admins
}

async function escalate(trx: Kysely<DB>, now: Date) {
  const rows = await sql<Flagged & { reassign: boolean | null; managerId: string | null }>`
    with due as (
      select workspace_id, id from handoffs
      where first_touch_at is null and escalated_at is null and status <> 'rejected'
        and escalate_at <= ${now}
      order by escalate_at
      limit ${batchSize}
      for update skip locked
    )
    update handoffs h set escalated_at = ${now}, updated_at = ${now}
    from due
    where h.workspace_id = due.workspace_id and h.id = due.id
    returning h.workspace_id as "workspaceId", h.id, h.contact_id as "contactId",
      h.owner_id as "ownerId", h.team_id as "teamId", h.escalate_at as due,
      (select reassign_on_escalation from sla_policies sp
        where sp.workspace_id = h.workspace_id and sp.id = h.sla_policy_id) as reassign,
      (select manager_id from teams t
        where t.workspace_id = h.workspace_id and t.id = h.team_id) as "managerId"
  `.execute(trx)
  const flagged = rows.rows
  if (flagged.length === 0) return 0
  const names = await contactNames(trx, flagged)
  const admins = await adminsOf(
    trx,
    flagged.filter((r) => !r.managerId),
  )
  const nameOf = (row: Flagged) => names.get(`${row.workspaceId}:${row.contactId}`) ?? 'a contact'
  const toOf = (row: (typeof flagged)[number]) =>
    row.managerId ? [row.managerId] : (admins.get(row.workspaceId) ?? [])
  await insertHandoffEvents(
    trx,
    flagged.map((row) => ({
      workspaceId: row.workspaceId,
      handoffId: row.id,
      kind: 'escalated' as const,
      actorId: null,
      at: now,
      details: { ownerId: row.ownerId, notified: toOf(row) },
    })),
  )
  await notifyAll(
    trx,
    flagged.map((row) => ({
      workspaceId: row.workspaceId,
      userIds: toOf(row),
      kind: 'handoff.escalated',
      title: `Escalated: ${nameOf(row)} is still untouched`,
      body: 'The first-touch window and the escalation window have both passed.',
      link: handoffLink(row.id),
    })),
  )
  await emitWebhookEvents(
    trx,
    flagged.map((row) => ({
      workspaceId: row.workspaceId,
      type: 'handoff.escalated' as const,
      data: {
        handoffId: row.id,
        contactId: row.contactId,
        ownerId: row.ownerId,
        managerIds: toOf(row),
      },
      text: `Escalated: ${nameOf(row)} is still untouched past the SLA`,
    })),
  )
  // Reassigning on escalation routes again, one by one (a policy choice, rarely on).
  for (const row of flagged.filter((r) => r.reassign)) {
    const handoff = await trx
      .selectFrom('handoffs')
      .selectAll()
      .where('workspaceId', '=', row.workspaceId)
      .where('id', '=', row.id)
      .where('status', '=', 'open')
      .executeTakeFirst()
    if (handoff) await moveHandoff(trx, handoff, { reroute: true, note: 'escalation' }, null, now)
  }
  return flagged.length
}

async function contactNames(trx: Kysely<DB>, rows: { workspaceId: string; contactId: string }[]) {
  const names = new Map<string, string>()
  if (rows.length === 0) return names
  const found = await trx
    .selectFrom('contacts')
    .select(['workspaceId', 'id', 'firstName', 'lastName', 'email'])
    .where(
      sql<boolean>`(workspace_id, id) in (${sql.join(
        rows.map((r) => sql`(${r.workspaceId}::uuid, ${r.contactId}::uuid)`),
      )})`,
    )
    .execute()
  for (const c of found) {
    names.set(
      `${c.workspaceId}:${c.id}`,
      [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || 'a contact',
    )
  }
  return names
}
