import { createHash } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { classifyChannel } from '../../domain/channels.ts'
import type { DB } from '../db/schema.ts'
import { claimMessageIds, insertTouchpointRows } from '../touchpoints/bulk.ts'
import { ensureTouchpointPartitions } from '../touchpoints/partitions.ts'
import { type BatchOutcome, externalKeyOf, type ImportContext, rowError } from './context.ts'
import { findContactKeys, resolveAccounts } from './related.ts'
import type { PreparedRow } from './rows.ts'
import type { RowError } from './types.ts'

const str = (v: unknown): v is string => typeof v === 'string' && v !== ''

const utmKeys = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const

// DEFINITIONS.md (Touchpoints and channels): a rep's logged call, meeting or email is channel `sales`.
const repTypes = new Set(['call', 'meeting', 'sales_email'])

/** One touchpoint to write, as the recordset of the insert reads it. */
interface TouchRecord {
  id: string
  occurred_at: string
  contact_id: string | null
  anonymous_id: string | null
  account_id: string | null
  type: string
  event_name: string | null
  channel: string
  campaign_id: string | null
  utm: Record<string, string> | null
  referrer: string | null
  url: string | null
  properties: Record<string, unknown>
  is_bot: boolean
  bot_reason: string | null
  message_id: string
}

/** The months (their first instants, UTC) whose partitions one import has already made sure of. */
const ensuredMonths = new WeakMap<ImportContext, Set<number>>()

/**
 * Makes sure the monthly partitions of a batch's touchpoints exist, before (and outside) the
 * batch's transaction: a touch left in the default partition would stop its month's partition
 * from ever being made (touchpoints/partitions.ts).
 */
export async function ensureBatchPartitions(
  db: Kysely<DB>,
  ctx: ImportContext,
  rows: PreparedRow[],
): Promise<void> {
  const done = ensuredMonths.get(ctx) ?? new Set<number>()
  ensuredMonths.set(ctx, done)
  const months = new Set<number>()
  for (const row of rows) {
    if (!str(row.values.occurredAt)) continue
    const at = new Date(row.values.occurredAt)
    months.add(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1))
  }
  for (const month of [...months].sort((a, b) => a - b)) {
    if (done.has(month)) continue
    await ensureTouchpointPartitions(db, new Date(month), new Date(month))
    done.add(month)
  }
}

/**
 * Inserts a batch of historical touchpoints, each once: a row claims its message id (the file's,
 * else `import:<externalSource>:<externalId>`, else a hash of what the touch is) in
 * touchpoint_message_ids, and only rows whose id was claimed are written, so a re-run of the file
 * or a message already ingested changes nothing. Links the contact, campaign and account named.
 */
export async function writeTouchpoints(
  db: Kysely<DB>,
  ctx: ImportContext,
  input: PreparedRow[],
): Promise<BatchOutcome> {
  const errors: RowError[] = []
  const read = input.filter((row) => {
    const { properties } = row.values
    if (properties === undefined || isObject(properties)) return true
    errors.push(rowError(row, 'properties', 'properties: is not a JSON object such as {"a":1}'))
    return false
  })
  const contacts = await findContactKeys(
    db,
    ctx,
    read.map((r) => r.values.contact).filter(str),
    read.map((r) => r.values.contactRef).filter(str),
  )
  const linked = read.filter((row) => linkContact(row, contacts, errors))
  const rows = await linkCampaigns(db, ctx, linked, errors)
  const touches = new Map<string, { row: PreparedRow; touch: TouchRecord }>()
  for (const row of rows) {
    const touch = touchOf(row)
    // The same message twice in one batch is one touchpoint, the first, as on a re-run.
    if (!touches.has(touch.message_id)) touches.set(touch.message_id, { row, touch })
  }
  const claimed = await claimMessageIds(
    db,
    ctx.workspaceId,
    [...touches.values()].map(({ touch }) => ({
      message_id: touch.message_id,
      touchpoint_id: touch.id,
      occurred_at: touch.occurred_at,
    })),
  )
  const fresh = [...touches.values()].filter((t) => claimed.has(t.touch.message_id))
  await linkAccounts(
    db,
    ctx,
    fresh.map((t) => t.row),
  )
  // Historical: never received by the tracking API, so received_at stays null.
  await insertTouchpointRows(
    db,
    ctx.workspaceId,
    fresh.map(({ row, touch }) => ({ ...touch, account_id: idOf(row.values.accountId) })),
  )
  return {
    created: fresh.length,
    updated: 0,
    unchanged: rows.length - fresh.length,
    errors,
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const idOf = (value: unknown) => (str(value) ? value : null)

/** Sets `contactId` from the contact's email, else its external id; an unknown one is an error. */
function linkContact(row: PreparedRow, contacts: Map<string, string>, errors: RowError[]) {
  const v = row.values
  if (!str(v.contact) && !str(v.contactRef)) return true
  const id =
    (str(v.contact) ? contacts.get(`e:${v.contact}`) : undefined) ??
    (str(v.contactRef) ? contacts.get(externalKeyOf(null, v.contactRef)[0] ?? '') : undefined)
  if (!id) {
    const field = str(v.contact) ? 'contact' : 'contactRef'
    errors.push(rowError(row, field, `${field}: no contact here is ${String(v[field])}`))
    return false
  }
  v.contactId = id
  return true
}

/**
 * Sets `campaignId`: the campaign named (case-insensitive; an unknown name is a row error), else
 * the one whose utm_campaigns hold the row's utm_campaign in any case, as ingestion does.
 */
async function linkCampaigns(
  db: Kysely<DB>,
  ctx: ImportContext,
  rows: PreparedRow[],
  errors: RowError[],
) {
  const lower = (key: string) => [
    ...new Set(
      rows
        .map((r) => r.values[key])
        .filter(str)
        .map((n) => n.toLowerCase()),
    ),
  ]
  const names = lower('campaign')
  const utmCampaigns = lower('utm_campaign')
  const byName = new Map<string, string>()
  const byUtm = new Map<string, string>()
  if (names.length > 0) {
    const found = await db
      .selectFrom('campaigns')
      .select(['id', sql<string>`lower(name)`.as('lowerName')])
      .where('workspaceId', '=', ctx.workspaceId)
      .where('deletedAt', 'is', null)
      .where((eb) => eb(sql`lower(name)`, '=', eb.fn.any(eb.val(names))))
      .orderBy('createdAt')
      .execute()
    for (const c of found) if (!byName.has(c.lowerName)) byName.set(c.lowerName, c.id)
  }
  if (utmCampaigns.length > 0) {
    const found = await sql<{ id: string; key: string }>`
      select distinct on (lower(u.key)) c.id, lower(u.key) as key
      from campaigns c cross join lateral unnest(c.utm_campaigns) as u(key)
      where c.workspace_id = ${ctx.workspaceId} and c.deleted_at is null
        and lower(u.key) = any(${utmCampaigns}::text[])
      order by lower(u.key), c.created_at, c.id
    `.execute(db)
    for (const c of found.rows) byUtm.set(c.key, c.id)
  }
  return rows.filter((row) => {
    const { campaign, utm_campaign: utmCampaign } = row.values
    if (str(campaign)) {
      const id = byName.get(campaign.toLowerCase())
      if (!id) {
        errors.push(rowError(row, 'campaign', `campaign: no campaign is named "${campaign}"`))
        return false
      }
      row.values.campaignId = id
    } else if (str(utmCampaign)) {
      row.values.campaignId = byUtm.get(utmCampaign.toLowerCase())
    }
    return true
  })
}

/**
 * Sets `accountId`: the account named by domain or name (created when missing, as for contacts,
 * deals and activities), else the contact's account.
 */
async function linkAccounts(db: Kysely<DB>, ctx: ImportContext, rows: PreparedRow[]) {
  await resolveAccounts(db, ctx, rows)
  const contactIds = [
    ...new Set(rows.filter((r) => !str(r.values.accountId)).map((r) => r.values.contactId)),
  ].filter(str)
  if (contactIds.length === 0) return
  const found = await db
    .selectFrom('contacts')
    .select(['id', 'accountId'])
    .where('workspaceId', '=', ctx.workspaceId)
    .where((eb) => eb('id', '=', eb.fn.any(eb.val(contactIds))))
    .where('accountId', 'is not', null)
    .execute()
  const accountOf = new Map(found.map((c) => [c.id, c.accountId]))
  for (const row of rows) {
    if (str(row.values.accountId) || !str(row.values.contactId)) continue
    const accountId = accountOf.get(row.values.contactId)
    if (accountId) row.values.accountId = accountId
  }
}

/** The row as the touchpoint it becomes (its account is linked once its message id is claimed). */
function touchOf(row: PreparedRow): TouchRecord {
  const v = row.values
  const utm: Record<string, string> = {}
  for (const key of utmKeys) if (str(v[key])) utm[key] = v[key]
  const type = String(v.type)
  const referrer = idOf(v.referrer)
  const url = idOf(v.url)
  const channel = str(v.channel)
    ? v.channel
    : classifyChannel({
        repInitiated: repTypes.has(type),
        utm: {
          source: utm.utm_source,
          medium: utm.utm_medium,
          campaign: utm.utm_campaign,
          term: utm.utm_term,
          content: utm.utm_content,
        },
        referrer,
        pageHost: url,
      })
  const isBot = v.isBot === true
  return {
    id: uuidv7(),
    occurred_at: String(v.occurredAt),
    contact_id: idOf(v.contactId),
    anonymous_id: idOf(v.anonymousId),
    account_id: null,
    type,
    event_name: idOf(v.eventName),
    channel,
    campaign_id: idOf(v.campaignId),
    utm: Object.keys(utm).length > 0 ? utm : null,
    referrer,
    url,
    properties: isObject(v.properties) ? v.properties : {},
    is_bot: isBot,
    bot_reason: isBot ? (idOf(v.botReason) ?? 'imported') : null,
    message_id: messageIdOf(row),
  }
}

/**
 * The row's message id: the file's; else one made of its external id; else a hash of what the
 * touch is (time, type, contact, anonymous id, event name, url), so a re-run finds it claimed.
 */
function messageIdOf(row: PreparedRow): string {
  const v = row.values
  if (str(v.messageId)) return v.messageId
  if (str(v.externalId)) return `import:${idOf(v.externalSource) ?? ''}:${v.externalId}`
  const contactKey = idOf(v.contact) ?? idOf(v.contactRef) ?? ''
  const what = [v.occurredAt, v.type, contactKey, v.anonymousId, v.eventName, v.url]
  const hash = createHash('sha256')
    .update(JSON.stringify(what.map((x) => idOf(x) ?? '')))
    .digest('hex')
  return `import:${hash}`
}
