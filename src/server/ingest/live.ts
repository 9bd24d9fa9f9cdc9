import type { FastifyBaseLogger } from 'fastify'
import { sql } from 'kysely'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'

/**
 * Settings → Tracking's live view: what a workspace's website and libraries sent lately, so a
 * marketer sees that an installation works — the latest tracked events with their contact, the
 * events acknowledged and not yet written, requests set aside, and requests /v1/* refused.
 */

/** Refusals kept per workspace. */
const keptRejections = 100

/**
 * Records why /v1/* refused a request sent with a known write key (bad events, over a limit): at
 * most one a second per workspace and process, so a misbehaving sender cannot flood the table.
 */
export class RejectionLog {
  private readonly lastAt = new Map<string, number>()

  constructor(
    private readonly db: Database,
    private readonly log: FastifyBaseLogger,
  ) {}

  record(workspaceId: string, endpoint: string, message: string, ip: string | null) {
    const now = Date.now()
    if ((this.lastAt.get(workspaceId) ?? 0) > now - 1000) return
    this.lastAt.set(workspaceId, now)
    this.write(workspaceId, endpoint, message, ip).catch((error: unknown) => {
      this.log.warn({ err: error }, 'could not record a refused tracking request')
    })
  }

  private async write(workspaceId: string, endpoint: string, message: string, ip: string | null) {
    await this.db
      .insertInto('ingestRejections')
      .values({ workspaceId, endpoint, message: message.slice(0, 1000), ip })
      .execute()
    await sql`
      delete from ingest_rejections
      where workspace_id = ${workspaceId} and id < (
        select id from ingest_rejections where workspace_id = ${workspaceId}
        order by id desc offset ${keptRejections - 1} limit 1)
    `.execute(this.db)
  }
}

export interface LiveQuery {
  limit: number
}

/** The latest tracked events (by their time, last 7 days), newest first, and what went wrong. */
export async function getLiveTracking(db: Database, principal: Principal, query: LiveQuery) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const [events, waiting, setAside, rejections] = await Promise.all([
    db
      .selectFrom('touchpoints as t')
      .leftJoin('contacts as c', (join) =>
        join.onRef('c.workspaceId', '=', 't.workspaceId').onRef('c.id', '=', 't.contactId'),
      )
      .select([
        't.id',
        't.occurredAt',
        't.receivedAt',
        't.type',
        't.eventName',
        't.channel',
        't.url',
        't.anonymousId',
        't.isBot',
        't.contactId',
        'c.firstName',
        'c.lastName',
        'c.email',
      ])
      .where('t.workspaceId', '=', workspaceId)
      .where('t.receivedAt', 'is not', null)
      .where('t.occurredAt', '>', sql<Date>`now() - interval '7 days'`)
      .orderBy('t.occurredAt', 'desc')
      .orderBy('t.id', 'desc')
      .limit(query.limit)
      .execute(),
    db
      .selectFrom('ingestInbox')
      .select(sql<number>`coalesce(sum(events), 0)::int`.as('events'))
      .where('workspaceId', '=', workspaceId)
      .where('failedAt', 'is', null)
      .executeTakeFirst(),
    db
      .selectFrom('ingestInbox')
      .select(['id', 'receivedAt', 'events', 'error', 'failedAt'])
      .where('workspaceId', '=', workspaceId)
      .where('failedAt', 'is not', null)
      .orderBy('id', 'desc')
      .limit(20)
      .execute(),
    db
      .selectFrom('ingestRejections')
      .select(['id', 'receivedAt', 'endpoint', 'message', 'ip'])
      .where('workspaceId', '=', workspaceId)
      .orderBy('id', 'desc')
      .limit(20)
      .execute(),
  ])
  return {
    data: {
      waiting: waiting?.events ?? 0,
      events: events.map((e) => ({
        id: e.id,
        occurredAt: e.occurredAt.toISOString(),
        receivedAt: e.receivedAt?.toISOString() ?? null,
        type: e.type,
        eventName: e.eventName,
        channel: e.channel,
        url: e.url,
        anonymousId: e.anonymousId,
        isBot: e.isBot,
        contact: e.contactId
          ? {
              id: e.contactId,
              name: [e.firstName, e.lastName].filter(Boolean).join(' ') || null,
              email: e.email,
            }
          : null,
      })),
      setAside: setAside.map((r) => ({
        id: String(r.id),
        receivedAt: r.receivedAt.toISOString(),
        failedAt: r.failedAt?.toISOString() ?? null,
        events: r.events,
        error: r.error ?? 'unknown',
      })),
      rejections: rejections.map((r) => ({
        id: String(r.id),
        receivedAt: r.receivedAt.toISOString(),
        endpoint: r.endpoint,
        message: r.message,
        ip: r.ip,
      })),
    },
  }
}
