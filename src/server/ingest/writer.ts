import { type Kysely, sql } from 'kysely'
import type pg from 'pg'
import { uuidv7 } from 'uuidv7'
import { botVerdict } from '../../domain/bots.ts'
import { classifyChannel } from '../../domain/channels.ts'
import type { TouchSummaryChange } from '../../domain/contact-touches.ts'
import {
  type ContactTouchState,
  summarizeTouches,
  type TouchFact,
} from '../../domain/contact-touches.ts'
import { normalizeDomainKey } from '../../domain/duplicates.ts'
import { parseEventDate, resolveEventTime } from '../../domain/event-time.ts'
import { touchTypeOf } from '../../domain/touch-types.ts'
import type { Channel, TouchpointType } from '../../domain/touchpoints.ts'
import { jsonParam } from '../db/copy-text.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { recomputeDealFit } from '../fit/recompute.ts'
import { findSuppressedEmails } from '../privacy/suppressions.ts'
import {
  claimMessageIds,
  copyTouchpointRows,
  insertTouchpointRows,
  recordset,
} from '../touchpoints/bulk.ts'
import type { SpecMessage } from './spec.ts'
import {
  type AccountFields,
  accountFieldsOf,
  type ContactFields,
  contactFieldsOf,
  emailOf,
} from './traits.ts'

/**
 * What acknowledged messages become (docs/ingestion.md, "What events become"), written set-based:
 * a flush of a thousand messages is about a dozen statements in one transaction, whatever its mix.
 * identify, group and alias resolve and update contacts, accounts and the identity graph in memory,
 * in the order they arrived; page, screen and track then become touchpoints of whoever they belong
 * to. Every write is keyed so that a retried flush finds its messages already claimed.
 */

export interface ReceivedMessage {
  message: SpecMessage
  receivedAt: Date
  /** The sender's address as the server saw it: stands in for a missing `context.ip`. */
  ip: string | null
}

export interface WriteResult {
  /** Messages written for the first time. */
  stored: number
  /** Messages whose messageId the workspace had already seen (still acknowledged). */
  duplicates: number
  /** Contacts created, and anonymous histories merged into contacts. */
  contactsCreated: number
  merges: number
  /** New userId, anonymousId and groupId links. */
  identitiesAdded: number
}

type Json = Record<string, unknown>

interface ContactState {
  id: string
  /** The row version read by this flush (null for new contacts). */
  tid: string | null
  isNew: boolean
  accountId: string | null
  email: string | null
  identifiedAt: Date | null
  createdAt: Date
  touch: Omit<ContactTouchState, 'identifiedAt'>
  /** Pending writes. */
  fields: ContactFields
  traits: Json | null
  isAccountChanged: boolean
  isIdentifiedNow: boolean
  /** What this flush's touches change about its first/last-touch UTM and lead-creation touch. */
  summary: TouchSummaryChange | null
}

interface AccountState {
  id: string
  isNew: boolean
  fields: AccountFields
  traits: Json | null
}

interface TouchRow {
  id: string
  occurredAt: Date
  receivedAt: Date
  timeFlag: string | null
  contact: ContactState | undefined
  anonymousId: string | null
  type: TouchpointType
  eventName: string | null
  channel: Channel
  utmCampaign: string | undefined
  utm: Record<string, string> | null
  referrer: string | null
  url: string | null
  properties: Json
  isBot: boolean
  botReason: string | null
  messageId: string
  context: Json
}

interface Timed {
  item: ReceivedMessage
  occurredAt: Date
  timeFlag: string | null
  skewMs: number
  id: string
}

function timeOf(item: ReceivedMessage): Omit<Timed, 'item' | 'id'> {
  const time = resolveEventTime({
    timestamp: item.message.timestamp ?? null,
    sentAt: item.message.sentAt ?? null,
    receivedAt: item.receivedAt,
  })
  // The spec layer already refused unreadable times; an unusable one falls back to receipt.
  if (!time.ok) return { occurredAt: item.receivedAt, timeFlag: null, skewMs: 0 }
  const timeFlag = time.clamped === null ? null : `clamped_${time.clamped}`
  return { occurredAt: time.occurredAt, timeFlag, skewMs: time.skewMs }
}

const isTouch = (m: SpecMessage) => m.type === 'page' || m.type === 'screen' || m.type === 'track'

export interface WriteOptions {
  /** Makes the ids of new rows (default: UUIDv7 now); the demo world's seeded generator. */
  newId?: (at: Date) => string
  /** Replayed history (the demo world): new contacts are created at their first event's time. */
  isHistorical?: boolean
  /** The transaction's own connection: touchpoints then go in by COPY. */
  copyClient?: pg.PoolClient
}

type GraphOptions = Required<Omit<WriteOptions, 'copyClient'>>

/** Writes one workspace's messages in the caller's transaction. */
export async function writeMessages(
  trx: Kysely<DB>,
  workspaceId: string,
  items: readonly ReceivedMessage[],
  options: WriteOptions = {},
): Promise<WriteResult> {
  const newId = options.newId ?? (() => uuidv7())
  // Identity changes of one workspace are made one flush at a time, across processes.
  await sql`select pg_advisory_xact_lock(hashtextextended(${`tandem.ingest:${workspaceId}`}, 0))`.execute(
    trx,
  )
  const unique = new Map<string, Timed>()
  await forEachYielding(items, (item) => {
    if (!unique.has(item.message.messageId)) {
      const time = timeOf(item)
      unique.set(item.message.messageId, { item, id: newId(time.occurredAt), ...time })
    }
  })
  const claimed = await claimMessageIds(
    trx,
    workspaceId,
    [...unique.values()].map((t) => ({
      message_id: t.item.message.messageId,
      touchpoint_id: t.id,
      occurred_at: t.occurredAt.toISOString(),
    })),
  )
  const fresh = [...unique.values()].filter((t) => claimed.has(t.item.message.messageId))
  const result: WriteResult = {
    stored: fresh.length,
    duplicates: items.length - fresh.length,
    contactsCreated: 0,
    merges: 0,
    identitiesAdded: 0,
  }
  if (fresh.length === 0) return result
  await dropSuppressedPeople(trx, workspaceId, fresh)

  const graph = await IdentityGraph.load(trx, workspaceId, fresh, {
    newId,
    isHistorical: options.isHistorical ?? false,
  })
  await forEachYielding(fresh, (timed) => graph.apply(timed))
  const touches: TouchRow[] = []
  await forEachYielding(fresh, (t) => {
    if (isTouch(t.item.message)) touches.push(graph.touchOf(t))
  })
  const merged = await graph.mergeAnonymousHistory()
  graph.summarize(touches, merged)
  await graph.write()
  const rows = await graph.touchRows(touches)
  if (options.copyClient) await copyTouchpointRows(options.copyClient, workspaceId, rows)
  else await insertTouchpointRows(trx, workspaceId, rows)
  await recordEventNames(trx, workspaceId, fresh)
  result.contactsCreated = graph.createdCount
  result.merges = graph.mergeCount
  result.identitiesAdded = graph.identitiesAdded
  return result
}

/**
 * A message whose traits carry an email erased on request (docs/privacy.md) loses its traits and
 * its userId, and so do this flush's other messages with that userId: they create, find and
 * update no contact, and their touches stay anonymous, still counted in anonymous aggregates.
 * One query for the whole flush.
 */
async function dropSuppressedPeople(trx: Kysely<DB>, workspaceId: string, fresh: Timed[]) {
  const emails = fresh.flatMap((t) => {
    const email = emailOf(t.item.message.traits)
    return email ? [email] : []
  })
  const suppressed = await findSuppressedEmails(trx, workspaceId, emails)
  if (suppressed.size === 0) return
  const userIds = new Set<string>()
  const isSuppressed = (m: SpecMessage) => {
    const email = emailOf(m.traits)
    return email !== undefined && suppressed.has(email)
  }
  for (const { item } of fresh) {
    if (item.message.userId && isSuppressed(item.message)) userIds.add(item.message.userId)
  }
  for (const t of fresh) {
    const m = t.item.message
    if (!isSuppressed(m) && !(m.userId && userIds.has(m.userId))) continue
    // alias needs its userId; it reads no traits and creates no contact by email.
    const userId = m.type === 'alias' ? m.userId : null
    t.item = { ...t.item, message: { ...m, traits: {}, userId } }
  }
}

/** Lets waiting requests in: a flush's work in JavaScript would otherwise hold them for long. */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve))
const chunk = 250

async function forEachYielding<T>(items: readonly T[], fn: (item: T) => void) {
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % chunk === 0) await yieldToRequests()
    fn(items[i] as T)
  }
}

export async function mapYielding<T, R>(items: readonly T[], fn: (item: T) => R): Promise<R[]> {
  const out: R[] = []
  await forEachYielding(items, (item) => out.push(fn(item)))
  return out
}

async function recordEventNames(trx: Kysely<DB>, workspaceId: string, fresh: Timed[]) {
  const names = [
    ...new Set(fresh.flatMap(({ item }) => (item.message.event ? [item.message.event] : []))),
  ]
  if (names.length === 0) return
  await sql`
    insert into event_names (workspace_id, name)
    select ${workspaceId}, unnest(${names}::text[])
    on conflict do nothing
  `.execute(trx)
}

/** The UTC months (first instants) the touches of these messages fall in: their partitions. */
export function monthsOf(items: readonly ReceivedMessage[]): Date[] {
  const months = new Map<number, Date>()
  for (const item of items) {
    if (!isTouch(item.message)) continue
    const at = timeOf(item).occurredAt
    const month = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)
    if (!months.has(month)) months.set(month, new Date(month))
  }
  return [...months.values()]
}

const userKey = (id: string) => `user:${id}`
const anonymousKey = (id: string) => `anonymous:${id}`
const groupKey = (id: string) => `group:${id}`

interface ContactRow {
  id: string
  /** Where the row version read lies: the update goes straight there (see updateContacts). */
  tid: string
  mergedInto: string | null
  deletedAt: Date | null
  accountId: string | null
  email: string | null
  identifiedAt: Date | null
  createdAt: Date
  hasFirstUtm: boolean
  firstTouchUtmAt: Date | null
  hasLastUtm: boolean
  lastTouchUtmAt: Date | null
  leadCreationAt: Date | null
  leadCreationType: string | null
}

/**
 * The identity graph of one workspace as far as a flush needs it: who each userId, anonymousId and
 * groupId is, the contacts and accounts they point to, and what this flush changes about them.
 */
class IdentityGraph {
  private readonly ids = new Map<string, string>()
  private readonly newIds: { kind: string; value: string; recordId: string }[] = []
  private readonly contacts = new Map<string, ContactState>()
  private readonly accounts = new Map<string, AccountState>()
  private readonly byEmail = new Map<string, ContactState>()
  private readonly byDomain = new Map<string, AccountState>()
  private readonly merges: {
    id: string
    contact: ContactState
    anonymousId: string
    reason: 'identify' | 'alias'
    messageId: string
    at: Date
  }[] = []
  private campaigns = new Map<string, string>()
  createdCount = 0

  private constructor(
    private readonly trx: Kysely<DB>,
    private readonly workspaceId: string,
    private readonly options: GraphOptions,
  ) {}

  get mergeCount() {
    return this.merges.length
  }

  get identitiesAdded() {
    return this.newIds.length
  }

  static async load(trx: Kysely<DB>, workspaceId: string, fresh: Timed[], options: GraphOptions) {
    const graph = new IdentityGraph(trx, workspaceId, options)
    const keys = new Set<string>()
    const emails = new Set<string>()
    const domains = new Set<string>()
    const utmCampaigns = new Set<string>()
    for (const { item } of fresh) {
      const m = item.message
      if (m.userId) keys.add(userKey(m.userId))
      if (m.anonymousId) keys.add(anonymousKey(m.anonymousId))
      if (m.previousId) {
        keys.add(userKey(m.previousId))
        keys.add(anonymousKey(m.previousId))
      }
      if (m.groupId) keys.add(groupKey(m.groupId))
      if (m.type === 'identify') {
        const email = emailOf(m.traits)
        if (email) emails.add(email)
      }
      if (m.type === 'group') {
        const domain = normalizeDomainKey(accountFieldsOf(m.traits).domain)
        if (domain) domains.add(domain)
      }
      const campaign = m.context.utm.utm_campaign?.toLowerCase()
      if (campaign && isTouch(m)) utmCampaigns.add(campaign)
    }
    await graph.loadIdentities([...keys], [...emails], [...domains])
    await graph.loadCampaigns([...utmCampaigns])
    return graph
  }

  private async loadIdentities(keys: string[], emails: string[], domains: string[]) {
    const pairs = keys.map((key) => {
      const colon = key.indexOf(':')
      return { kind: key.slice(0, colon), value: key.slice(colon + 1) }
    })
    const found =
      pairs.length === 0
        ? []
        : (
            await sql<{ kind: string; value: string; recordId: string }>`
              select i.kind, i.value, i.record_id
              from ${recordset(pairs)} as v(kind text, value text)
              cross join lateral (
                select kind, value, record_id from identities
                where workspace_id = ${this.workspaceId} and kind = v.kind and value = v.value
                limit 1
              ) i
            `.execute(this.trx)
          ).rows
    const contactIds = found.filter((r) => r.kind !== 'group').map((r) => r.recordId)
    const accountIds = found.filter((r) => r.kind === 'group').map((r) => r.recordId)
    const contacts = await this.selectContacts(contactIds, emails)
    // A merged record's identities follow it to the record that absorbed it.
    const absorbers = contacts.filter((c) => c.mergedInto).map((c) => c.mergedInto as string)
    const more = absorbers.length > 0 ? await this.selectContacts(absorbers, []) : []
    const rows = new Map([...contacts, ...more].map((c) => [c.id, c]))
    const live = (id: string): ContactState | undefined => {
      const row = rows.get(id)
      if (!row) return undefined
      if (row.mergedInto) return row.mergedInto === id ? undefined : live(row.mergedInto)
      if (row.deletedAt) return undefined
      // One hop is loaded: a record merged twice resolves to nothing and is linked afresh.
      return this.contactState(row)
    }
    for (const row of contacts) {
      if (row.email && !row.deletedAt && !row.mergedInto) {
        const state = live(row.id)
        if (state) this.byEmail.set(row.email, state)
      }
    }
    const accounts = await this.selectAccounts(accountIds, domains)
    const liveAccounts = new Map<string, AccountState>()
    for (const row of accounts) {
      const target = row.mergedInto ?? (row.deletedAt ? null : row.id)
      if (!target) continue
      const state = { id: target, isNew: false, fields: {}, traits: null }
      const existing = liveAccounts.get(target) ?? state
      liveAccounts.set(row.id, existing)
      this.accounts.set(target, existing)
      if (row.dupDomain && row.id === target && !this.byDomain.has(row.dupDomain)) {
        this.byDomain.set(row.dupDomain, existing)
      }
    }
    for (const r of found) {
      const key = `${r.kind}:${r.value}`
      const target = r.kind === 'group' ? liveAccounts.get(r.recordId)?.id : live(r.recordId)?.id
      if (target) this.ids.set(key, target)
    }
  }

  // Each lookup is a LATERAL … LIMIT 1 by the table's key, so PostgreSQL looks every key up through
  // its index. Joined plainly, the planner would plan from statistics, and right after a burst of
  // inserts those still call the workspace tiny: it would scan all of it, once per flush.
  private async selectContacts(ids: string[], emails: string[]): Promise<ContactRow[]> {
    if (ids.length === 0 && emails.length === 0) return []
    const columns = sql`c.id, c.ctid::text as tid, c.merged_into, c.deleted_at, c.account_id, c.email, c.identified_at,
      c.created_at, c.first_touch_utm is not null as has_first_utm, c.first_touch_utm_at,
      c.last_touch_utm is not null as has_last_utm, c.last_touch_utm_at, c.lead_creation_at,
      c.lead_creation_type`
    const result = await sql<ContactRow>`
      select ${columns} from unnest(${ids}::uuid[]) as k(id)
      cross join lateral (
        select ctid, * from contacts where workspace_id = ${this.workspaceId} and id = k.id limit 1
      ) c
      union all
      select ${columns} from unnest(${emails}::text[]) as k(email)
      cross join lateral (
        select ctid, * from contacts
        where workspace_id = ${this.workspaceId} and email = k.email
          and deleted_at is null and merged_into is null
        limit 1
      ) c
    `.execute(this.trx)
    return result.rows
  }

  private async selectAccounts(ids: string[], domains: string[]) {
    if (ids.length === 0 && domains.length === 0) return []
    const result = await sql<{
      id: string
      mergedInto: string | null
      deletedAt: Date | null
      dupDomain: string | null
    }>`
      select a.id, a.merged_into, a.deleted_at, a.dup_domain from unnest(${ids}::uuid[]) as k(id)
      cross join lateral (
        select * from accounts where workspace_id = ${this.workspaceId} and id = k.id limit 1
      ) a
      union all
      select a.id, a.merged_into, a.deleted_at, a.dup_domain from unnest(${domains}::text[]) as k(domain)
      cross join lateral (
        select * from accounts
        where workspace_id = ${this.workspaceId} and dup_domain = k.domain
          and deleted_at is null and merged_into is null
        order by created_at, id
        limit 1
      ) a
    `.execute(this.trx)
    return result.rows
  }

  private async loadCampaigns(utmCampaigns: string[]) {
    if (utmCampaigns.length === 0) return
    const result = await sql<{ id: string; key: string }>`
      select distinct on (lower(u.key)) c.id, lower(u.key) as key
      from campaigns c cross join lateral unnest(c.utm_campaigns) as u(key)
      where c.workspace_id = ${this.workspaceId} and c.deleted_at is null
        and lower(u.key) = any(${utmCampaigns}::text[])
      order by lower(u.key), c.created_at, c.id
    `.execute(this.trx)
    this.campaigns = new Map(result.rows.map((r) => [r.key, r.id]))
  }

  private contactState(row: ContactRow): ContactState {
    const known = this.contacts.get(row.id)
    if (known) return known
    const state: ContactState = {
      id: row.id,
      tid: row.tid,
      isNew: false,
      accountId: row.accountId,
      email: row.email,
      identifiedAt: row.identifiedAt,
      createdAt: row.createdAt,
      touch: {
        hasFirstUtm: row.hasFirstUtm,
        firstUtmAt: row.firstTouchUtmAt,
        hasLastUtm: row.hasLastUtm,
        lastUtmAt: row.lastTouchUtmAt,
        leadCreation:
          row.leadCreationAt && row.leadCreationType
            ? { at: row.leadCreationAt, type: row.leadCreationType }
            : null,
      },
      fields: {},
      traits: null,
      isAccountChanged: false,
      isIdentifiedNow: false,
      summary: null,
    }
    this.contacts.set(row.id, state)
    return state
  }

  private contactBy(key: string | null): ContactState | undefined {
    if (!key) return undefined
    const id = this.ids.get(key)
    return id ? this.contacts.get(id) : undefined
  }

  private newContact(at: Date, email?: string): ContactState {
    const state: ContactState = {
      id: this.options.newId(at),
      tid: null,
      isNew: true,
      accountId: null,
      email: email ?? null,
      identifiedAt: at,
      createdAt: at,
      touch: {
        hasFirstUtm: false,
        firstUtmAt: null,
        hasLastUtm: false,
        lastUtmAt: null,
        leadCreation: null,
      },
      fields: {},
      traits: null,
      isAccountChanged: false,
      isIdentifiedNow: true,
      summary: null,
    }
    this.contacts.set(state.id, state)
    if (email) this.byEmail.set(email, state)
    this.createdCount += 1
    return state
  }

  private link(kind: 'user' | 'anonymous' | 'group', value: string, recordId: string) {
    const key = `${kind}:${value}`
    if (this.ids.has(key)) return false
    this.ids.set(key, recordId)
    this.newIds.push({ kind, value, recordId })
    return true
  }

  /** Links an anonymous id to a contact; its earlier touches join the contact (recorded merge). */
  private linkAnonymous(
    anonymousId: string,
    contact: ContactState,
    reason: 'identify' | 'alias',
    m: SpecMessage,
    at: Date,
  ) {
    if (!this.link('anonymous', anonymousId, contact.id)) return
    const id = this.options.newId(at)
    this.merges.push({ id, contact, anonymousId, reason, messageId: m.messageId, at })
  }

  /** The contact a touch or group call belongs to; a userId never seen becomes a new contact. */
  private senderOf(m: SpecMessage, at: Date): ContactState | undefined {
    const found =
      this.contactBy(m.userId && userKey(m.userId)) ??
      this.contactBy(m.anonymousId && anonymousKey(m.anonymousId))
    if (found || !m.userId) return found
    const contact = this.newContact(at)
    this.link('user', m.userId, contact.id)
    if (m.anonymousId) this.linkAnonymous(m.anonymousId, contact, 'identify', m, at)
    return contact
  }

  apply({ item, occurredAt }: Timed) {
    const m = item.message
    if (m.type === 'identify') this.identify(m, occurredAt)
    else if (m.type === 'group') this.group(m, occurredAt)
    else if (m.type === 'alias') this.alias(m, occurredAt)
  }

  private identify(m: SpecMessage, at: Date) {
    const email = emailOf(m.traits)
    const byUser = this.contactBy(m.userId && userKey(m.userId))
    const byEmail = email ? this.byEmail.get(email) : undefined
    const byAnonymous = this.contactBy(m.anonymousId && anonymousKey(m.anonymousId))
    let contact = byUser ?? byEmail ?? byAnonymous
    if (!contact) {
      // An identify with neither a userId nor a valid email names nobody: nothing to upsert.
      if (!m.userId && !email) return
      contact = this.newContact(at, email)
    }
    if (m.userId) this.link('user', m.userId, contact.id)
    if (m.anonymousId) this.linkAnonymous(m.anonymousId, contact, 'identify', m, at)
    if (!contact.identifiedAt) {
      contact.identifiedAt = at
      contact.isIdentifiedNow = true
    }
    const fields = contactFieldsOf(m.traits)
    // Another live contact has this email: the email stays where it is.
    if (fields.email && (contact.email || (byEmail && byEmail !== contact))) delete fields.email
    if (fields.email) {
      contact.email = fields.email
      this.byEmail.set(fields.email, contact)
    }
    Object.assign(contact.fields, fields)
    if (Object.keys(m.traits).length > 0) contact.traits = { ...contact.traits, ...m.traits }
  }

  private group(m: SpecMessage, at: Date) {
    const groupId = m.groupId as string
    const fields = accountFieldsOf(m.traits)
    const domain = normalizeDomainKey(fields.domain)
    let account =
      this.accounts.get(this.ids.get(groupKey(groupId)) ?? '') ??
      (domain ? this.byDomain.get(domain) : undefined)
    if (!account) {
      account = { id: this.options.newId(at), isNew: true, fields: { name: groupId }, traits: null }
      this.accounts.set(account.id, account)
      if (domain) this.byDomain.set(domain, account)
    }
    this.link('group', groupId, account.id)
    Object.assign(account.fields, fields)
    if (Object.keys(m.traits).length > 0) account.traits = { ...account.traits, ...m.traits }
    const contact = this.senderOf(m, at)
    if (contact && contact.accountId !== account.id) {
      contact.accountId = account.id
      contact.isAccountChanged = true
    }
  }

  // alias(previousId → userId): the person once known as previousId is userId. Two ids that are
  // already two different contacts are left apart: joining people is a merge (docs/merge.md).
  private alias(m: SpecMessage, at: Date) {
    const userId = m.userId as string
    const previousId = m.previousId as string
    const current = this.contactBy(userKey(userId))
    const previous = this.contactBy(userKey(previousId)) ?? this.contactBy(anonymousKey(previousId))
    if (current && previous) return
    if (previous) {
      this.link('user', userId, previous.id)
      return
    }
    const contact = current ?? this.newContact(at)
    this.link('user', userId, contact.id)
    this.linkAnonymous(previousId, contact, 'alias', m, at)
  }

  touchOf({ item, occurredAt, timeFlag, skewMs, id }: Timed): TouchRow {
    const m = item.message
    const contact = this.senderOf(m, occurredAt)
    const type = touchTypeOf({ type: m.type as 'page' | 'screen' | 'track', event: m.event })
    const utm = m.context.utm
    const page = m.context.page
    const url = page.url ?? null
    const referrer = page.referrer ?? null
    const channel = classifyChannel({
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
    const deliveredAt = parseEventDate(stringOf(m.properties.deliveredAt))
    const bot = botVerdict({
      userAgent: m.context.userAgent ?? null,
      type,
      occurredAt,
      deliveredAt: typeof deliveredAt === 'number' ? new Date(deliveredAt) : null,
    })
    const context: Json = {}
    if (m.context.userAgent) context.userAgent = m.context.userAgent
    const ip = m.context.ip ?? item.ip
    if (ip) context.ip = ip
    const { url: _url, referrer: _referrer, ...pageRest } = page
    if (Object.keys(pageRest).length > 0) context.page = pageRest
    if (m.context.library) context.library = m.context.library
    if (m.userId) context.userId = m.userId
    if (m.name) context.name = m.name
    if (m.category) context.category = m.category
    if (skewMs !== 0) context.skewMs = skewMs
    return {
      id,
      occurredAt,
      receivedAt: item.receivedAt,
      timeFlag,
      contact,
      anonymousId: m.anonymousId,
      type,
      eventName: m.type === 'track' ? (m.event ?? null) : (m.name ?? null),
      channel,
      utmCampaign: utm.utm_campaign,
      utm: Object.keys(utm).length > 0 ? (utm as Record<string, string>) : null,
      referrer,
      url,
      properties: m.properties,
      isBot: bot.isBot,
      botReason: bot.reason,
      messageId: m.messageId,
      context,
    }
  }

  campaignOf(touch: TouchRow): string | null {
    return (touch.utmCampaign && this.campaigns.get(touch.utmCampaign.toLowerCase())) ?? null
  }

  /** Writes the new and changed contacts, accounts and identities. */
  async write() {
    await this.writeAccounts()
    await this.writeContacts()
    if (this.newIds.length > 0) {
      await sql`
        insert into identities (workspace_id, kind, value, record_id)
        select ${this.workspaceId}, v.kind, v.value, v.record_id
        from ${recordset(this.newIds.map((i) => ({ kind: i.kind, value: i.value, record_id: i.recordId })))}
          as v(kind text, value text, record_id uuid)
        on conflict (workspace_id, kind, value) do update set record_id = excluded.record_id
      `.execute(this.trx)
    }
  }

  private async writeAccounts() {
    const ws = this.workspaceId
    const accounts = [...new Set(this.accounts.values())]
    const newAccounts = accounts.filter((a) => a.isNew)
    if (newAccounts.length > 0) {
      await sql`
        insert into accounts (workspace_id, id, name, domain, industry, employees, traits)
        select ${ws}, v.id, v.name, v.domain, v.industry, v.employees, v.traits
        from ${recordset(newAccounts.map(accountRow))}
          as v(id uuid, name text, domain text, industry text, employees int, traits jsonb)
      `.execute(this.trx)
    }
    const changedAccounts = accounts.filter(
      (a) => !a.isNew && (a.traits || Object.keys(a.fields).length > 0),
    )
    if (changedAccounts.length > 0) {
      // Joined by key, nested loops over the primary key only (stale statistics would otherwise
      // pick a hash join over the workspace). Few accounts change per flush.
      await sql`set local enable_hashjoin = off; set local enable_mergejoin = off`.execute(this.trx)
      await sql`
        update accounts a set
          name = coalesce(v.name, a.name), domain = coalesce(v.domain, a.domain),
          industry = coalesce(v.industry, a.industry), employees = coalesce(v.employees, a.employees),
          traits = case when v.traits is null then a.traits else coalesce(a.traits, '{}') || v.traits end,
          updated_at = now()
        from ${recordset(changedAccounts.map(accountRow))}
          as v(id uuid, name text, domain text, industry text, employees int, traits jsonb)
        where a.workspace_id = ${ws} and a.id = v.id
      `.execute(this.trx)
      await sql`reset enable_hashjoin; reset enable_mergejoin`.execute(this.trx)
      // Product fit (issue 9): a group call that sets industry or size re-fits the account's deals.
      const refit = changedAccounts.filter(
        (a) => a.fields.industry !== undefined || a.fields.employees !== undefined,
      )
      if (refit.length > 0) {
        await recomputeDealFit(this.trx, ws, { accountIds: refit.map((a) => a.id) })
      }
    }
  }

  private async writeContacts() {
    const ws = this.workspaceId
    const contacts = [...this.contacts.values()]
    const newContacts = contacts.filter((c) => c.isNew)
    if (newContacts.length > 0) {
      const inserted = await sql<{ id: string }>`
        insert into contacts (workspace_id, id, email, first_name, last_name, title, phone,
          account_id, source, lifecycle_stage, traits, identified_at, created_at, updated_at,
          first_touch_utm, first_touch_utm_at, last_touch_utm, last_touch_utm_at,
          lead_creation_touchpoint_id, lead_creation_at, lead_creation_type)
        select ${ws}, v.id, v.email, v.first_name, v.last_name, v.title, v.phone, v.account_id,
          'tracking', case when v.email is null then null else 'lead' end, v.traits,
          v.identified_at, coalesce(v.created_at, now()), coalesce(v.created_at, now()), v.first_utm, v.first_at, v.last_utm, v.last_at,
          v.lc_id, v.lc_at, v.lc_type
        from ${recordset(
          newContacts.map((c) => ({
            ...contactRow(c),
            created_at: this.options.isHistorical ? c.createdAt.toISOString() : null,
          })),
        )}
          as v(id uuid, email text, first_name text, last_name text, title text, phone text,
            account_id uuid, traits jsonb, identified_at timestamptz, is_edit boolean,
            first_utm jsonb, first_at timestamptz, last_utm jsonb, last_at timestamptz,
            lc_id uuid, lc_at timestamptz, lc_type text, created_at timestamptz)
        on conflict do nothing
        returning id
      `.execute(this.trx)
      if (inserted.rows.length < newContacts.length) {
        // A contact with one of these emails was created meanwhile (not through ingestion): the
        // flush is retried by the sender and will find it then.
        throw new AppError(
          'unavailable',
          'A contact changed while these events were written; retry',
        )
      }
      const leads = newContacts.filter((c) => c.email)
      if (leads.length > 0) {
        await sql`
          insert into lifecycle_entries (workspace_id, id, entity, record_id, stage, entered_at, source)
          select ${ws}, v.id, 'contact', v.record_id, 'lead', v.entered_at, 'tracking'
          from ${recordset(
            leads.map((c) => ({
              id: this.options.newId(c.identifiedAt ?? c.createdAt),
              record_id: c.id,
              entered_at: (c.identifiedAt ?? c.createdAt).toISOString(),
            })),
          )} as v(id uuid, record_id uuid, entered_at timestamptz)
        `.execute(this.trx)
      }
    }
    const changed = contacts.filter((c) => !c.isNew && (c.summary || isEdited(c)))
    if (changed.length === 0) return
    const updated = await this.updateContacts(changed, 'by_tid')
    const moved = changed.filter((c) => !updated.has(c.id))
    // Rows changed by someone else since this flush read them are updated by their key.
    if (moved.length > 0) await this.updateContacts(moved, 'by_key')
  }

  /**
   * Writes what this flush changes about existing contacts. `by_tid` goes to the row versions the
   * flush read (a TID scan: the same plan whatever the statistics say, which right after a burst
   * of new contacts are stale and once made the planner scan the whole workspace per contact); a
   * row someone else changed since is not found there and is left out of the returned ids.
   */
  private async updateContacts(changed: ContactState[], how: 'by_tid' | 'by_key') {
    const ws = this.workspaceId
    const tids = changed.flatMap((c) => (c.tid ? [c.tid] : []))
    // A TID scan is then the only way in that is not disabled.
    if (how === 'by_tid') {
      await sql`
        set local enable_seqscan = off; set local enable_indexscan = off;
        set local enable_bitmapscan = off
      `.execute(this.trx)
    }
    const result = await sql<{ id: string }>`
      update contacts c set
        email = coalesce(c.email, v.email), first_name = coalesce(v.first_name, c.first_name),
        last_name = coalesce(v.last_name, c.last_name), title = coalesce(v.title, c.title),
        phone = coalesce(v.phone, c.phone), account_id = coalesce(v.account_id, c.account_id),
        traits = case when v.traits is null then c.traits else coalesce(c.traits, '{}') || v.traits end,
        identified_at = coalesce(c.identified_at, v.identified_at),
        first_touch_utm = coalesce(v.first_utm, c.first_touch_utm),
        first_touch_utm_at = coalesce(v.first_at, c.first_touch_utm_at),
        last_touch_utm = coalesce(v.last_utm, c.last_touch_utm),
        last_touch_utm_at = coalesce(v.last_at, c.last_touch_utm_at),
        lead_creation_touchpoint_id = coalesce(v.lc_id, c.lead_creation_touchpoint_id),
        lead_creation_at = coalesce(v.lc_at, c.lead_creation_at),
        lead_creation_type = coalesce(v.lc_type, c.lead_creation_type),
        -- A touch is not an edit: only what identify and group change moves updated_at.
        updated_at = case when v.is_edit then now() else c.updated_at end
      from ${recordset(changed.map(contactRow))}
        as v(id uuid, email text, first_name text, last_name text, title text, phone text,
          account_id uuid, traits jsonb, identified_at timestamptz, is_edit boolean,
          first_utm jsonb, first_at timestamptz, last_utm jsonb, last_at timestamptz,
          lc_id uuid, lc_at timestamptz, lc_type text)
      where ${how === 'by_tid' ? sql`c.ctid = any(${tids}::tid[])` : sql`true`}
        and c.workspace_id = ${ws} and c.id = v.id
      returning c.id
    `.execute(this.trx)
    if (how === 'by_tid') {
      await sql`reset enable_seqscan; reset enable_indexscan; reset enable_bitmapscan`.execute(
        this.trx,
      )
    }
    return new Set(result.rows.map((r) => r.id))
  }

  /**
   * Joins the earlier anonymous touches of every anonymous id linked in this flush to its contact,
   * and records each merge with how many touches moved. Returns the moved touches.
   */
  async mergeAnonymousHistory(): Promise<Map<string, TouchFact[]>> {
    const moved = new Map<string, TouchFact[]>()
    if (this.merges.length === 0) return moved
    // One lookup per anonymous id through its index, whatever the planner's statistics say (a
    // join would be planned from them, and right after a burst of inserts they are stale).
    const contactOf = Object.fromEntries(this.merges.map((m) => [m.anonymousId, m.contact.id]))
    const accountOf = Object.fromEntries(
      this.merges.map((m) => [m.anonymousId, m.contact.accountId]),
    )
    const result = await sql<{
      anonymousId: string
      contactId: string
      id: string
      occurredAt: Date
      type: TouchpointType
      utm: Record<string, string> | null
      isBot: boolean
    }>`
      update touchpoints t set
        contact_id = (${jsonParam(contactOf)}::jsonb ->> t.anonymous_id)::uuid,
        account_id = coalesce(t.account_id, (${jsonParam(accountOf)}::jsonb ->> t.anonymous_id)::uuid)
      where t.workspace_id = ${this.workspaceId}
        and t.anonymous_id = any(${Object.keys(contactOf)}::text[])
        -- Written so that it is not an index condition: the anonymous id's index finds the rows.
        and coalesce(t.contact_id::text, '') = ''
      returning t.anonymous_id, t.contact_id, t.id, t.occurred_at, t.type, t.utm, t.is_bot
    `.execute(this.trx)
    const counts = new Map<string, number>()
    for (const row of result.rows) {
      counts.set(row.anonymousId, (counts.get(row.anonymousId) ?? 0) + 1)
      const list = moved.get(row.contactId) ?? []
      list.push({
        id: row.id,
        occurredAt: row.occurredAt,
        type: row.type,
        utm: row.utm,
        isBot: row.isBot,
      })
      moved.set(row.contactId, list)
    }
    await sql`
      insert into identity_merges (workspace_id, id, contact_id, anonymous_id, reason, message_id,
        touchpoints_moved, merged_at)
      select ${this.workspaceId}, v.id, v.contact_id, v.anonymous_id, v.reason, v.message_id, v.moved,
        coalesce(v.merged_at, now())
      from ${recordset(
        this.merges.map((m) => ({
          id: m.id,
          contact_id: m.contact.id,
          anonymous_id: m.anonymousId,
          reason: m.reason,
          message_id: m.messageId,
          moved: counts.get(m.anonymousId) ?? 0,
          merged_at: this.options.isHistorical ? m.at.toISOString() : null,
        })),
      )} as v(id uuid, contact_id uuid, anonymous_id text, reason text, message_id text, moved int,
        merged_at timestamptz)
    `.execute(this.trx)
    return moved
  }

  /** Works out each touched contact's new first/last-touch UTM values and lead-creation touch. */
  summarize(touches: TouchRow[], merged: Map<string, TouchFact[]>) {
    const byContact = new Map<string, TouchFact[]>(merged)
    for (const t of touches) {
      if (!t.contact) continue
      const list = byContact.get(t.contact.id) ?? []
      list.push({ id: t.id, occurredAt: t.occurredAt, type: t.type, utm: t.utm, isBot: t.isBot })
      byContact.set(t.contact.id, list)
    }
    for (const [contactId, facts] of byContact) {
      const contact = this.contacts.get(contactId)
      if (!contact) continue
      facts.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())
      const change = summarizeTouches(
        { ...contact.touch, identifiedAt: contact.identifiedAt ?? contact.createdAt },
        facts,
      )
      if (change.firstUtm || change.lastUtm || change.leadCreation) contact.summary = change
    }
  }

  touchRows(touches: TouchRow[]) {
    return mapYielding(touches, (t) => ({
      id: t.id,
      occurred_at: t.occurredAt.toISOString(),
      received_at: t.receivedAt.toISOString(),
      time_flag: t.timeFlag,
      contact_id: t.contact?.id ?? null,
      anonymous_id: t.anonymousId,
      account_id: t.contact?.accountId ?? null,
      type: t.type,
      event_name: t.eventName,
      channel: t.channel,
      campaign_id: this.campaignOf(t),
      utm: t.utm,
      referrer: t.referrer,
      url: t.url,
      properties: t.properties,
      is_bot: t.isBot,
      bot_reason: t.botReason,
      message_id: t.messageId,
      context: t.context,
    }))
  }
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

function accountRow(a: AccountState) {
  return {
    id: a.id,
    name: a.fields.name ?? null,
    domain: a.fields.domain ?? null,
    industry: a.fields.industry ?? null,
    employees: a.fields.employees ?? null,
    traits: a.traits,
  }
}

function isEdited(c: ContactState) {
  return (
    c.traits !== null || c.isAccountChanged || c.isIdentifiedNow || Object.keys(c.fields).length > 0
  )
}

function contactRow(c: ContactState) {
  const s = c.summary
  return {
    is_edit: isEdited(c),
    first_utm: s?.firstUtm?.utm ?? null,
    first_at: s?.firstUtm?.at.toISOString() ?? null,
    last_utm: s?.lastUtm?.utm ?? null,
    last_at: s?.lastUtm?.at.toISOString() ?? null,
    lc_id: s?.leadCreation?.id ?? null,
    lc_at: s?.leadCreation?.at.toISOString() ?? null,
    lc_type: s?.leadCreation?.type ?? null,
    id: c.id,
    email: c.fields.email ?? c.email,
    first_name: c.fields.firstName ?? null,
    last_name: c.fields.lastName ?? null,
    title: c.fields.title ?? null,
    phone: c.fields.phone ?? null,
    account_id: c.isAccountChanged ? c.accountId : null,
    traits: c.traits,
    identified_at: c.isIdentifiedNow ? c.identifiedAt?.toISOString() : null,
  }
}
