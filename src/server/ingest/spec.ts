import { createHash } from 'node:crypto'
import { z } from 'zod'
import { parseEventDate } from '../../domain/event-time.ts'
import type { Utm, utmKeys } from '../contacts/input.ts'
import { AppError } from '../errors.ts'

/**
 * The Segment-spec message layer of ingestion (docs/ingestion.md): checks one message or a batch
 * against the spec and Tandem's limits and turns it into typed messages for the ingestion layer.
 * Pure: no database, no HTTP. Every refusal is an AppError('invalid_input') naming the field.
 */

/** Limits of the tracking API. Sizes are bytes; KB means 1,024 bytes, as in Segment's docs. */
export const ingestLimits = {
  /** One message (a single /v1/track… body, or one element of a batch), as JSON. Segment: 32 KB. */
  messageBytes: 32 * 1024,
  /** One /v1/batch request body (after gzip is undone). Segment: 500 KB. */
  batchBytes: 500 * 1024,
  /** Messages in one batch. Segment: 2,500. */
  batchMessages: 2500,
  /** Characters of a userId, anonymousId, groupId or previousId. */
  idLength: 200,
  /** Characters of a messageId. */
  messageIdLength: 100,
  /** Characters of a track event name. */
  eventNameLength: 200,
  /** Levels of objects and arrays in any field of a message (`properties`, `traits`, `context`…). */
  nestingDepth: 20,
  /** Keys of `traits` on one message. */
  traitKeys: 200,
  /** Characters kept of one UTM value (longer values are cut, never refused). */
  utmValueLength: 500,
  /**
   * Distinct track event names per workspace. Needs the database to count, so the ingestion layer
   * enforces it with `checkEventNameCap`; events with names already known always pass.
   */
  distinctEventNames: 1000,
} as const

export const messageTypes = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const
export type MessageType = (typeof messageTypes)[number]

/**
 * Path segments under /v1/ and what they receive: the HTTP API's names, the one-letter names
 * analytics.js posts to (`/v1/t`, `/v1/p`, …, `/v1/b` for its batching mode) and `import`.
 */
export const routeTypes: ReadonlyMap<string, MessageType | 'batch'> = new Map([
  ['identify', 'identify'],
  ['i', 'identify'],
  ['track', 'track'],
  ['t', 'track'],
  ['page', 'page'],
  ['p', 'page'],
  ['screen', 'screen'],
  ['s', 'screen'],
  ['group', 'group'],
  ['g', 'group'],
  ['alias', 'alias'],
  ['a', 'alias'],
  ['batch', 'batch'],
  ['b', 'batch'],
  ['import', 'batch'],
])

export interface PageContext {
  url?: string
  path?: string
  referrer?: string
  title?: string
  search?: string
}

export interface MessageContext {
  /** `context.campaign` under Tandem's UTM keys (name → utm_campaign, source → utm_source…). */
  utm: Utm
  page: PageContext
  userAgent?: string
  ip?: string
  library?: { name: string; version?: string }
}

/** One message, checked and normalized: what the ingestion layer stores. */
export interface SpecMessage {
  type: MessageType
  /** The sender's messageId, or a digest of the message when it sent none (`isMessageIdDerived`). */
  messageId: string
  isMessageIdDerived: boolean
  /** At least one of the two is set; numbers arrive as strings. */
  userId: string | null
  anonymousId: string | null
  /** track */
  event?: string
  /** page, screen */
  name?: string
  category?: string
  /** group */
  groupId?: string
  /** alias */
  previousId?: string
  traits: Record<string, unknown>
  properties: Record<string, unknown>
  context: MessageContext
  /** When it happened by the sender's clock: `timestamp`, else `originalTimestamp`. */
  timestamp?: Date
  /** When the sender sent it (the message's own, else the batch's): for clock-skew correction. */
  sentAt?: Date
}

export interface ParsedBatch {
  /** In the order sent, each messageId once (the first occurrence wins). */
  messages: SpecMessage[]
  /** Repeats of a messageId inside the batch that were dropped (still answered 200). */
  duplicates: number
}

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function invalid(field: string, message: string, details: Json = {}): AppError {
  return new AppError('invalid_input', `${field}: ${message}`, { field, ...details })
}

const kilobytes = (bytes: number) => Math.ceil(bytes / 1024)

function checkSize(field: string, bytes: number, limit: number) {
  if (bytes > limit) {
    throw invalid(field, `${kilobytes(bytes)} KB is over the ${limit / 1024} KB limit`, {
      limit,
      bytes,
    })
  }
}

/** An ISO 8601 date or date-time, by the rules of src/domain/event-time.ts; undefined if not one. */
export function parseIsoTime(text: string): Date | undefined {
  const ms = parseEventDate(text)
  return typeof ms === 'number' ? new Date(ms) : undefined
}

// Segment's libraries never send `null` for an id they do not have, but hand-written senders do:
// null and '' count as absent.
const absent = (value: unknown) => (value === null || value === '' ? undefined : value)

const Id = z
  .union([z.string(), z.number()], {
    error: (issue) => (issue.input === undefined ? 'required' : 'must be a string or a number'),
  })
  .transform(String)
  .pipe(z.string().max(ingestLimits.idLength, `at most ${ingestLimits.idLength} characters`))
const OptionalId = z.preprocess(absent, Id.optional())
const RequiredId = z.preprocess(absent, Id)

const Time = z.preprocess(
  absent,
  z
    .string({ error: 'must be an ISO 8601 date-time such as 2026-11-27T10:00:00Z' })
    .transform((text, ctx) => {
      const date = parseIsoTime(text)
      if (date) return date
      ctx.addIssue({
        code: 'custom',
        message: `"${text.slice(0, 40)}" is not an ISO 8601 date-time such as 2026-11-27T10:00:00Z`,
      })
      return z.NEVER
    })
    .optional(),
)

const Bag = z.preprocess(
  (value) => value ?? undefined,
  z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
)

const Text = z.preprocess(absent, z.string({ error: 'must be a string' }).optional())

const Common = z.object({
  messageId: z.preprocess(
    absent,
    z
      .string({ error: 'must be a string' })
      .max(ingestLimits.messageIdLength, `at most ${ingestLimits.messageIdLength} characters`)
      .optional(),
  ),
  userId: OptionalId,
  anonymousId: OptionalId,
  timestamp: Time,
  originalTimestamp: Time,
  sentAt: Time,
  traits: Bag.refine(
    (traits) => !traits || Object.keys(traits).length <= ingestLimits.traitKeys,
    `at most ${ingestLimits.traitKeys} keys`,
  ),
  properties: Bag,
})

const schemas = {
  identify: Common,
  track: Common.extend({
    event: z
      .string({ error: (issue) => (issue.input == null ? 'required' : 'must be a string') })
      .min(1, 'required')
      .max(ingestLimits.eventNameLength, `at most ${ingestLimits.eventNameLength} characters`),
  }),
  page: Common.extend({ name: Text, category: Text }),
  screen: Common.extend({ name: Text, category: Text }),
  group: Common.extend({ groupId: RequiredId }),
  alias: Common.extend({ previousId: RequiredId }),
} satisfies Record<MessageType, z.ZodType>

type Parsed = z.infer<typeof Common> & {
  event?: string
  name?: string
  category?: string
  groupId?: string
  previousId?: string
}

/**
 * Where the first array or object nested deeper than the limit is, as path segments below `value`
 * (counted as level 1); undefined when none is. Segments are built only on the way back from one.
 */
function findTooDeep(value: unknown, depth = 1): string[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  if (depth > ingestLimits.nestingDepth) return []
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findTooDeep(value[i], depth + 1)
      if (found) return [`[${i}]`, ...found]
    }
    return undefined
  }
  for (const [key, child] of Object.entries(value)) {
    const found = findTooDeep(child, depth + 1)
    if (found) return [`.${key}`, ...found]
  }
  return undefined
}

// Fields that change when the same message is sent again: left out of a derived messageId.
const volatileKeys = new Set(['messageId', 'sentAt', 'writeKey', '_metadata', 'integrations'])

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (isObject(value)) {
    const keys = Object.keys(value).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/**
 * The messageId of a message sent without one: `tdm-` and the SHA-256 of its canonical JSON (keys
 * sorted; messageId, sentAt, writeKey, _metadata and integrations left out), so a resend of the
 * same message is stored once. Two identical messages without a timestamp are therefore one.
 */
export function deriveMessageId(message: Json): string {
  const kept = Object.fromEntries(Object.entries(message).filter(([k]) => !volatileKeys.has(k)))
  return `tdm-${createHash('sha256').update(canonicalJson(kept)).digest('hex')}`
}

function textOf(value: unknown, max = Number.POSITIVE_INFINITY): string | undefined {
  const text = typeof value === 'number' ? String(value) : value
  if (typeof text !== 'string') return undefined
  const trimmed = text.trim()
  return trimmed === '' ? undefined : trimmed.slice(0, max)
}

const campaignKeys: Record<string, (typeof utmKeys)[number]> = {
  name: 'utm_campaign',
  source: 'utm_source',
  medium: 'utm_medium',
  term: 'utm_term',
  content: 'utm_content',
}
const pageKeys = ['url', 'path', 'referrer', 'title', 'search'] as const

// `context` is what the sender's library collected about the device: never a reason to refuse a
// message. Fields of the wrong type are ignored; UTM values are cut at their length limit.
function contextOf(raw: unknown, type: MessageType, properties: Json): MessageContext {
  const context = isObject(raw) ? raw : {}
  const utm: Utm = {}
  const campaign = isObject(context.campaign) ? context.campaign : {}
  for (const [from, to] of Object.entries(campaignKeys)) {
    const value = textOf(campaign[from], ingestLimits.utmValueLength)
    if (value !== undefined) utm[to] = value
  }
  const page: PageContext = {}
  const rawPage = isObject(context.page) ? context.page : {}
  for (const key of pageKeys) {
    // analytics-node and hand-written page calls carry the URL in properties only.
    const value = textOf(rawPage[key]) ?? (type === 'page' ? textOf(properties[key]) : undefined)
    if (value !== undefined) page[key] = value
  }
  const result: MessageContext = { utm, page }
  const userAgent = textOf(context.userAgent)
  if (userAgent) result.userAgent = userAgent
  const ip = textOf(context.ip)
  if (ip && ip.length <= 100) result.ip = ip
  if (isObject(context.library)) {
    const name = textOf(context.library.name)
    const version = textOf(context.library.version)
    if (name) result.library = version ? { name, version } : { name }
  }
  return result
}

function normalize(type: MessageType, message: Json, prefix: string): SpecMessage {
  for (const [key, value] of Object.entries(message)) {
    const tooDeep = findTooDeep(value)
    if (tooDeep) {
      const field = `${prefix}${key}${tooDeep.join('')}`
      throw invalid(field, `nested deeper than ${ingestLimits.nestingDepth} levels`, {
        limit: ingestLimits.nestingDepth,
      })
    }
  }
  const schema: z.ZodType<Parsed> = schemas[type]
  const parsed = schema.safeParse(message)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = `${prefix}${issue?.path.join('.') ?? ''}`
    throw invalid(field, issue?.message ?? 'invalid')
  }
  const data = parsed.data
  if (type === 'alias' && data.userId === undefined) throw invalid(`${prefix}userId`, 'required')
  if (data.userId === undefined && data.anonymousId === undefined) {
    throw invalid(`${prefix}userId`, 'required (or an anonymousId)')
  }
  const properties = data.properties ?? {}
  const result: SpecMessage = {
    type,
    messageId: data.messageId ?? deriveMessageId({ ...message, type }),
    isMessageIdDerived: data.messageId === undefined,
    userId: data.userId ?? null,
    anonymousId: data.anonymousId ?? null,
    traits: data.traits ?? {},
    properties,
    context: contextOf(message.context, type, properties),
  }
  for (const key of ['event', 'name', 'category', 'groupId', 'previousId'] as const) {
    const value = data[key]
    if (typeof value === 'string') result[key] = value
  }
  const timestamp = data.timestamp ?? data.originalTimestamp
  if (timestamp) result.timestamp = timestamp
  if (data.sentAt) result.sentAt = data.sentAt
  return result
}

function objectBody(body: unknown, field: string): Json {
  if (!isObject(body)) throw invalid(field, 'must be a JSON object')
  return body
}

/**
 * Checks and normalizes the body of /v1/identify, /v1/track, /v1/page, /v1/screen, /v1/group or
 * /v1/alias. `bytes` is the size of the request body (decompressed), checked against 32 KB.
 */
export function parseMessage(type: MessageType, body: unknown, bytes: number): SpecMessage {
  checkSize('message', bytes, ingestLimits.messageBytes)
  return normalize(type, objectBody(body, 'body'), '')
}

/**
 * Checks and normalizes the body of /v1/batch: `{ batch, context?, sentAt?, writeKey? }`. The
 * batch's context is merged under each message's own (the message's keys win) and its sentAt
 * stands in for a message's missing one. One invalid message refuses the whole batch, naming it.
 */
export function parseBatch(body: unknown, bytes: number): ParsedBatch {
  checkSize('batch', bytes, ingestLimits.batchBytes)
  const envelope = objectBody(body, 'body')
  const list = envelope.batch
  if (!Array.isArray(list)) throw invalid('batch', 'required: an array of messages')
  if (list.length > ingestLimits.batchMessages) {
    throw invalid(
      'batch',
      `${list.length} messages is over the limit of ${ingestLimits.batchMessages}`,
      {
        limit: ingestLimits.batchMessages,
      },
    )
  }
  const sentAt = Time.safeParse(envelope.sentAt)
  if (!sentAt.success) throw invalid('sentAt', sentAt.error.issues[0]?.message ?? 'invalid')
  const shared = isObject(envelope.context) ? envelope.context : undefined
  // Below 32 KB in all, no message can be over 32 KB: skip measuring each one.
  const isMeasured = bytes > ingestLimits.messageBytes
  const seen = new Set<string>()
  const messages: SpecMessage[] = []
  list.forEach((item, i) => {
    const field = `batch[${i}]`
    const message = objectBody(item, field)
    if (isMeasured) {
      checkSize(field, Buffer.byteLength(JSON.stringify(message)), ingestLimits.messageBytes)
    }
    const type = message.type
    if (typeof type !== 'string' || !(messageTypes as readonly string[]).includes(type)) {
      throw invalid(`${field}.type`, `must be one of ${messageTypes.join(', ')}`)
    }
    const merged: Json = { ...message }
    if (shared)
      merged.context = { ...shared, ...(isObject(message.context) ? message.context : {}) }
    if (absent(message.sentAt) === undefined && envelope.sentAt != null) {
      merged.sentAt = envelope.sentAt
    }
    const parsed = normalize(type as MessageType, merged, `${field}.`)
    if (seen.has(parsed.messageId)) return
    seen.add(parsed.messageId)
    messages.push(parsed)
  })
  return { messages, duplicates: list.length - messages.length }
}

/** The distinct track event names among messages: what the workspace cap counts. */
export function eventNamesOf(messages: readonly SpecMessage[]): Set<string> {
  const names = new Set<string>()
  for (const message of messages) if (message.event !== undefined) names.add(message.event)
  return names
}

/**
 * Refuses new event names that would take a workspace past its cap of distinct event names.
 * `known` is how many the workspace has; `added` the names in this request it has not seen yet.
 */
export function checkEventNameCap(known: number, added: readonly string[]) {
  const room = Math.max(0, ingestLimits.distinctEventNames - known)
  const refused = added[room]
  if (refused === undefined) return
  throw invalid(
    'event',
    `"${refused}" would be distinct event name ${known + room + 1} of this workspace; the limit ` +
      `is ${ingestLimits.distinctEventNames} (reuse an existing name or put the detail in properties)`,
    { limit: ingestLimits.distinctEventNames, value: refused },
  )
}
