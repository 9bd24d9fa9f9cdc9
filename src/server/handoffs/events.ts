import type { Kysely } from 'kysely'
import { uuidv7 } from 'uuidv7'
import type { DB, HandoffEventKind } from '../db/schema.ts'

/** Where a handoff opens in the web app (notifications and webhooks link to it). */
export function handoffLink(handoffId: string) {
  return `/microscope/inbox/${handoffId}`
}

/** Appends one row to a handoff's history: decisions and clock events are never overwritten. */
export async function insertHandoffEvent(
  trx: Kysely<DB>,
  event: {
    workspaceId: string
    handoffId: string
    kind: HandoffEventKind
    actorId: string | null
    at?: Date
    details?: Record<string, unknown>
  },
) {
  await trx
    .insertInto('handoffEvents')
    .values({
      workspaceId: event.workspaceId,
      id: uuidv7(),
      handoffId: event.handoffId,
      kind: event.kind,
      actorId: event.actorId,
      at: event.at ?? new Date(),
      details: JSON.stringify(event.details ?? {}),
    })
    .execute()
}

/** Many history rows in one insert (the SLA scan's batches). */
export async function insertHandoffEvents(
  trx: Kysely<DB>,
  events: readonly {
    workspaceId: string
    handoffId: string
    kind: HandoffEventKind
    actorId: string | null
    at: Date
    details: Record<string, unknown>
  }[],
) {
  if (events.length === 0) return
  await trx
    .insertInto('handoffEvents')
    .values(
      events.map((e) => ({
        workspaceId: e.workspaceId,
        id: uuidv7(),
        handoffId: e.handoffId,
        kind: e.kind,
        actorId: e.actorId,
        at: e.at,
        details: JSON.stringify(e.details),
      })),
    )
    .execute()
}
