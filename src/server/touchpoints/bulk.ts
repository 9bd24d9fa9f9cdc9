import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { type Kysely, sql } from 'kysely'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { copyValue, jsonParam } from '../db/copy-text.ts'
import type { DB } from '../db/schema.ts'

/**
 * The set-based writes of touchpoints shared by ingestion (/v1/*) and the touchpoints import: one
 * statement per batch, rows passed as one JSON parameter (snake_case keys; absent keys are null).
 */

export const recordset = (rows: unknown[]) => sql`jsonb_to_recordset(${jsonParam(rows)}::jsonb)`

/** Claims message ids for deduplication; returns those claimed now (not seen in the workspace). */
export async function claimMessageIds(
  db: Kysely<DB>,
  workspaceId: string,
  rows: { message_id: string; touchpoint_id: string; occurred_at: string }[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set()
  const claimed = await sql<{ messageId: string }>`
    insert into touchpoint_message_ids (workspace_id, message_id, touchpoint_id, occurred_at)
    select ${workspaceId}::uuid, v.message_id, v.touchpoint_id, v.occurred_at
    from ${recordset(rows)} as v(message_id text, touchpoint_id uuid, occurred_at timestamptz)
    on conflict do nothing
    returning message_id
  `.execute(db)
  return new Set(claimed.rows.map((r) => r.messageId))
}

/** Inserts touchpoint rows (their months' partitions must exist: ensureTouchpointPartitions). */
export async function insertTouchpointRows(
  db: Kysely<DB>,
  workspaceId: string,
  rows: Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return
  await sql`
    insert into touchpoints (workspace_id, id, occurred_at, received_at, time_flag, contact_id,
      anonymous_id, account_id, type, event_name, channel, campaign_id, utm, referrer, url,
      properties, is_bot, bot_reason, message_id, context)
    select ${workspaceId}::uuid, v.id, v.occurred_at, v.received_at, v.time_flag, v.contact_id,
      v.anonymous_id, v.account_id, v.type, v.event_name, v.channel, v.campaign_id, v.utm,
      v.referrer, v.url, coalesce(v.properties, '{}'), coalesce(v.is_bot, false), v.bot_reason,
      v.message_id, v.context
    from ${recordset(rows)} as v(id uuid, occurred_at timestamptz, received_at timestamptz,
      time_flag text, contact_id uuid, anonymous_id text, account_id uuid, type text,
      event_name text, channel text, campaign_id uuid, utm jsonb, referrer text, url text,
      properties jsonb, is_bot boolean, bot_reason text, message_id text, context jsonb)
  `.execute(db)
}

const touchpointColumns = [
  'id',
  'occurred_at',
  'received_at',
  'time_flag',
  'contact_id',
  'anonymous_id',
  'account_id',
  'type',
  'event_name',
  'channel',
  'campaign_id',
  'utm',
  'referrer',
  'url',
  'properties',
  'is_bot',
  'bot_reason',
  'message_id',
  'context',
] as const

/**
 * Same rows as insertTouchpointRows, through COPY on the transaction's own connection: about half
 * the work for PostgreSQL of parsing them from one JSON parameter. Their message ids are claimed
 * first, so there is nothing to skip.
 */
export async function copyTouchpointRows(
  client: pg.PoolClient,
  workspaceId: string,
  rows: Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return
  const line = (row: Record<string, unknown>) => {
    const values = touchpointColumns.map((column) => {
      const value = row[column]
      if (column === 'properties') return copyValue(value ?? {})
      if (column === 'is_bot') return copyValue(value ?? false)
      return copyValue(value)
    })
    return `${workspaceId}\t${values.join('\t')}\n`
  }
  // Written a few hundred rows at a time, letting waiting requests in between.
  async function* chunks() {
    for (let i = 0; i < rows.length; i += 250) {
      yield rows
        .slice(i, i + 250)
        .map(line)
        .join('')
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }
  await pipeline(
    Readable.from(chunks()),
    client.query(
      copyFrom(`copy touchpoints (workspace_id, ${touchpointColumns.join(', ')}) from stdin`),
    ),
  )
}
