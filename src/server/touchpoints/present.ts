import type { Selectable } from 'kysely'
import type { ActivitiesTable, TouchpointsTable } from '../db/schema.ts'

export type TouchpointRow = Selectable<TouchpointsTable>
export type ActivityRow = Selectable<ActivitiesTable>

export function presentTouchpoint(row: TouchpointRow) {
  return {
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    type: row.type,
    eventName: row.eventName,
    channel: row.channel,
    contactId: row.contactId,
    anonymousId: row.anonymousId,
    accountId: row.accountId,
    campaignId: row.campaignId,
    activityId: row.activityId,
    utm: row.utm,
    referrer: row.referrer,
    url: row.url,
    properties: row.properties,
    isBot: row.isBot,
    botReason: row.botReason,
    timeFlag: row.timeFlag,
    receivedAt: row.receivedAt?.toISOString() ?? null,
    context: row.context,
    createdAt: row.createdAt.toISOString(),
  }
}

export function presentTouchpointItem(row: TouchpointRow) {
  return {
    kind: 'touchpoint' as const,
    at: row.occurredAt.toISOString(),
    ...presentTouchpoint(row),
  }
}

export function presentActivityItem(row: ActivityRow, at: Date) {
  return {
    kind: 'activity' as const,
    at: at.toISOString(),
    id: row.id,
    type: row.type,
    subject: row.subject,
    body: row.body,
    contactId: row.contactId,
    accountId: row.accountId,
    dealId: row.dealId,
    ownerId: row.ownerId,
    occurredAt: row.occurredAt?.toISOString() ?? null,
    dueAt: row.dueAt?.toISOString() ?? null,
    doneAt: row.doneAt?.toISOString() ?? null,
    done: row.doneAt !== null,
    outcome: row.outcome,
  }
}
