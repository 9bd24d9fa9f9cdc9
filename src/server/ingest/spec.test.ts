import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { AppError } from '../errors.ts'
import { decodeBody, parseJsonBody, writeKeyFrom } from './body.ts'
import {
  checkEventNameCap,
  deriveMessageId,
  eventNamesOf,
  ingestLimits,
  parseBatch,
  parseIsoTime,
  parseMessage,
  routeTypes,
} from './spec.ts'

function errorOf(run: () => unknown): AppError {
  try {
    run()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected an AppError')
}

async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected an AppError')
}

const bytesOf = (body: unknown) => Buffer.byteLength(JSON.stringify(body))
const batchOf = (body: Record<string, unknown>) => parseBatch(body, bytesOf(body))
const messageOf = (type: Parameters<typeof parseMessage>[0], body: Record<string, unknown>) =>
  parseMessage(type, body, bytesOf(body))

// Shaped as @segment/analytics-node sends it: POST /v1/batch, application/json, Basic auth.
const nodeLibrary = { name: '@segment/analytics-node', version: '2.2.1' }
const nodeBatch = {
  batch: [
    {
      type: 'identify',
      userId: 'user-42',
      traits: { name: 'Ada Lovelace', email: 'ada@northwind.example' },
      context: { library: nodeLibrary },
      integrations: {},
      messageId: 'node-next-1764237600000-4f3c2a1e-8b7d-4c6e-9f10-2a3b4c5d6e7f',
      timestamp: '2026-11-27T10:00:00.000Z',
      _metadata: { nodeVersion: '20.19.0', jsRuntime: 'node' },
    },
    {
      type: 'page',
      userId: 'user-42',
      name: 'Pricing',
      category: 'Docs',
      properties: { category: 'Docs', url: 'https://northwind.example/pricing?plan=pro' },
      context: {
        library: nodeLibrary,
        campaign: { name: 'spring_webinar', source: 'linkedin', medium: 'paid_social' },
      },
      integrations: {},
      messageId: 'node-next-1764237600001-5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
      timestamp: '2026-11-27T10:00:00.100Z',
      _metadata: { nodeVersion: '20.19.0', jsRuntime: 'node' },
    },
    {
      type: 'track',
      userId: 'user-42',
      event: 'Form Submitted',
      properties: { form: 'demo-request' },
      context: { library: nodeLibrary },
      integrations: {},
      messageId: 'node-next-1764237600002-6b5c4d3e-2f1a-4b0c-9d8e-7f6a5b4c3d2e',
      timestamp: '2026-11-27T10:00:00.200Z',
      _metadata: { nodeVersion: '20.19.0', jsRuntime: 'node' },
    },
    {
      type: 'group',
      userId: 'user-42',
      groupId: 'acct-7',
      traits: { name: 'Northwind Robotics', website: 'northwind.example' },
      context: { library: nodeLibrary },
      integrations: {},
      messageId: 'node-next-1764237600003-7c6d5e4f-3a2b-4c1d-8e9f-0a1b2c3d4e5f',
      timestamp: '2026-11-27T10:00:00.300Z',
      _metadata: { nodeVersion: '20.19.0', jsRuntime: 'node' },
    },
  ],
  sentAt: '2026-11-27T10:00:01.000Z',
}

// Shaped as analytics.js sends a track call: POST /v1/t, text/plain, writeKey in the body.
const browserTrack = {
  timestamp: '2026-11-27T10:05:00.123Z',
  integrations: {},
  type: 'track',
  event: 'Signed Up',
  properties: { plan: 'Pro' },
  context: {
    page: {
      path: '/signup',
      referrer: 'https://www.google.com/',
      search: '?utm_source=google&utm_medium=cpc&utm_campaign=brand',
      title: 'Sign up – Northwind',
      url: 'https://northwind.example/signup?utm_source=google&utm_medium=cpc&utm_campaign=brand',
    },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
    locale: 'en-US',
    library: { name: 'analytics.js', version: 'npm:next-1.70.0' },
    campaign: { source: 'google', medium: 'cpc', name: 'brand', term: '', content: 'ad-3' },
  },
  messageId: 'ajs-next-1764237900123-8d7e6f5a-4b3c-4d2e-9f1a-0b9c8d7e6f5a',
  anonymousId: '3f1c9a0e-7b6d-4e5f-8a9b-0c1d2e3f4a5b',
  userId: null,
  writeKey: 'wk_northwind',
  sentAt: '2026-11-27T10:05:00.140Z',
  _metadata: { bundled: ['Segment.io'], unbundled: [], bundledIds: [] },
}

describe('parseBatch with what Segment libraries send', () => {
  it('normalizes an analytics-node batch, giving each message the batch sentAt', () => {
    const { messages, duplicates } = batchOf(nodeBatch)
    expect(duplicates).toBe(0)
    expect(messages.map((m) => m.type)).toEqual(['identify', 'page', 'track', 'group'])
    expect(messages[0]).toEqual({
      type: 'identify',
      messageId: 'node-next-1764237600000-4f3c2a1e-8b7d-4c6e-9f10-2a3b4c5d6e7f',
      isMessageIdDerived: false,
      userId: 'user-42',
      anonymousId: null,
      traits: { name: 'Ada Lovelace', email: 'ada@northwind.example' },
      properties: {},
      context: { utm: {}, page: {}, library: nodeLibrary },
      timestamp: new Date('2026-11-27T10:00:00.000Z'),
      sentAt: new Date('2026-11-27T10:00:01.000Z'),
    })
    expect(messages[1]).toMatchObject({
      name: 'Pricing',
      category: 'Docs',
      context: {
        utm: { utm_campaign: 'spring_webinar', utm_source: 'linkedin', utm_medium: 'paid_social' },
        page: { url: 'https://northwind.example/pricing?plan=pro' },
      },
    })
    expect(messages[2]).toMatchObject({
      event: 'Form Submitted',
      properties: { form: 'demo-request' },
    })
    expect(messages[3]).toMatchObject({ groupId: 'acct-7', traits: { name: 'Northwind Robotics' } })
  })

  it('reads an analytics.js track sent as text/plain with the write key in the body', () => {
    const raw = Buffer.from(JSON.stringify(browserTrack))
    const body = parseJsonBody(raw, 'text/plain;charset=UTF-8')
    expect(writeKeyFrom(undefined, body)).toBe('wk_northwind')
    expect(routeTypes.get('t')).toBe('track')
    const message = parseMessage('track', body, raw.length)
    expect(message).toEqual({
      type: 'track',
      messageId: browserTrack.messageId,
      isMessageIdDerived: false,
      userId: null,
      anonymousId: '3f1c9a0e-7b6d-4e5f-8a9b-0c1d2e3f4a5b',
      event: 'Signed Up',
      traits: {},
      properties: { plan: 'Pro' },
      context: {
        utm: {
          utm_source: 'google',
          utm_medium: 'cpc',
          utm_campaign: 'brand',
          utm_content: 'ad-3',
        },
        page: browserTrack.context.page,
        userAgent: browserTrack.context.userAgent,
        library: { name: 'analytics.js', version: 'npm:next-1.70.0' },
      },
      timestamp: new Date('2026-11-27T10:05:00.123Z'),
      sentAt: new Date('2026-11-27T10:05:00.140Z'),
    })
  })

  it('reads an analytics.js batch (its batching mode posts to /v1/b)', () => {
    const { writeKey: _, sentAt: __, ...event } = browserTrack
    const body = { writeKey: 'wk_northwind', batch: [event], sentAt: '2026-11-27T10:05:01Z' }
    expect(routeTypes.get('b')).toBe('batch')
    expect(writeKeyFrom(undefined, body)).toBe('wk_northwind')
    expect(batchOf(body).messages[0]?.sentAt).toEqual(new Date('2026-11-27T10:05:01Z'))
  })

  it('merges the batch context under each message context, the message winning', () => {
    const body = {
      context: { ip: '203.0.113.9', campaign: { source: 'newsletter', medium: 'email' } },
      batch: [
        { type: 'page', anonymousId: 'a1' },
        { type: 'page', anonymousId: 'a1', context: { campaign: { source: 'partner' } } },
      ],
    }
    const [first, second] = batchOf(body).messages
    expect(first?.context).toMatchObject({
      ip: '203.0.113.9',
      utm: { utm_source: 'newsletter', utm_medium: 'email' },
    })
    expect(second?.context).toMatchObject({ ip: '203.0.113.9', utm: { utm_source: 'partner' } })
  })

  it('keeps a message sentAt over the batch one and accepts an empty batch', () => {
    const body = {
      sentAt: '2026-11-27T10:00:00Z',
      batch: [{ type: 'track', event: 'X', userId: 'u', sentAt: '2026-11-27T09:00:00Z' }],
    }
    expect(batchOf(body).messages[0]?.sentAt).toEqual(new Date('2026-11-27T09:00:00Z'))
    expect(batchOf({ batch: [] })).toEqual({ messages: [], duplicates: 0 })
  })
})

describe('parseMessage fields', () => {
  it('coerces numbers given as ids to strings', () => {
    const message = messageOf('group', { userId: 42, anonymousId: 7.5, groupId: 1001 })
    expect(message).toMatchObject({ userId: '42', anonymousId: '7.5', groupId: '1001' })
  })

  it('counts a null or empty userId as absent when an anonymousId is there', () => {
    expect(messageOf('page', { userId: null, anonymousId: 'anon-1' }).userId).toBeNull()
    expect(messageOf('page', { userId: '', anonymousId: 'anon-1' }).userId).toBeNull()
  })

  it.each([
    ['identify', { traits: {} }, 'userId: required (or an anonymousId)'],
    ['identify', { userId: true }, 'userId: must be a string or a number'],
    ['identify', { userId: { id: 1 } }, 'userId: must be a string or a number'],
    ['identify', { userId: 'u'.repeat(201) }, 'userId: at most 200 characters'],
    ['identify', { anonymousId: 'a'.repeat(201) }, 'anonymousId: at most 200 characters'],
    ['track', { userId: 'u' }, 'event: required'],
    ['track', { userId: 'u', event: '' }, 'event: required'],
    ['track', { userId: 'u', event: null }, 'event: required'],
    ['track', { userId: 'u', event: 5 }, 'event: must be a string'],
    ['track', { userId: 'u', event: 'e'.repeat(201) }, 'event: at most 200 characters'],
    ['group', { userId: 'u' }, 'groupId: required'],
    ['group', { userId: 'u', groupId: null }, 'groupId: required'],
    ['group', { userId: 'u', groupId: [1] }, 'groupId: must be a string or a number'],
    ['alias', { previousId: 'anon-1' }, 'userId: required'],
    ['alias', { userId: 'u' }, 'previousId: required'],
    ['page', { userId: 'u', name: 7 }, 'name: must be a string'],
    ['identify', { userId: 'u', traits: ['a'] }, 'traits: must be an object'],
    ['track', { userId: 'u', event: 'x', properties: 'a=1' }, 'properties: must be an object'],
    ['track', { userId: 'u', event: 'x', messageId: 5 }, 'messageId: must be a string'],
    [
      'track',
      { userId: 'u', event: 'x', messageId: 'm'.repeat(101) },
      'messageId: at most 100 characters',
    ],
    [
      'track',
      { userId: 'u', event: 'x', timestamp: 1764237600000 },
      'timestamp: must be an ISO 8601 date-time such as 2026-11-27T10:00:00Z',
    ],
    [
      'track',
      { userId: 'u', event: 'x', sentAt: '2026-02-30T10:00:00Z' },
      'sentAt: "2026-02-30T10:00:00Z" is not an ISO 8601 date-time such as 2026-11-27T10:00:00Z',
    ],
    [
      'track',
      { userId: 'u', event: 'x', originalTimestamp: 'yesterday' },
      'originalTimestamp: "yesterday" is not an ISO 8601 date-time such as 2026-11-27T10:00:00Z',
    ],
  ] as const)('refuses %s %j with "%s"', (type, body, message) => {
    const error = errorOf(() => messageOf(type, body))
    expect(error.code).toBe('invalid_input')
    expect(error.message).toBe(message)
    expect(error.details).toMatchObject({ field: message.slice(0, message.indexOf(':')) })
  })

  it('accepts ids, event names and messageIds exactly at their length limits', () => {
    const message = messageOf('track', {
      userId: 'u'.repeat(200),
      event: 'e'.repeat(200),
      messageId: 'm'.repeat(100),
    })
    expect(message.userId).toHaveLength(200)
    expect(message.event).toHaveLength(200)
    expect(message.messageId).toHaveLength(100)
  })

  it('accepts traits with 200 keys and refuses 201', () => {
    const traits = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, i]))
    expect(
      Object.keys(messageOf('identify', { userId: 'u', traits: traits(200) }).traits),
    ).toHaveLength(200)
    expect(errorOf(() => messageOf('identify', { userId: 'u', traits: traits(201) })).message).toBe(
      'traits: at most 200 keys',
    )
  })

  it('keeps traits and properties whole, HTML and script included (escaping is the web app’s job)', () => {
    const traits = {
      name: '<script>alert("x")</script>',
      bio: '<img src=x onerror=alert(1)>',
      tags: ['a', { b: [1, null, true] }],
      score: 3.5,
      note: null,
    }
    const message = messageOf('identify', {
      userId: 'u',
      traits,
      properties: { html: '<b>hi</b>' },
    })
    expect(message.traits).toEqual(traits)
    expect(message.properties).toEqual({ html: '<b>hi</b>' })
    expect(messageOf('identify', { userId: 'u', traits: null }).traits).toEqual({})
  })

  it('uses originalTimestamp when there is no timestamp, and reads the sender’s formats', () => {
    const at = (timestamp: string) => messageOf('page', { userId: 'u', timestamp }).timestamp
    expect(
      messageOf('page', { userId: 'u', originalTimestamp: '2026-11-27T10:00:00Z' }).timestamp,
    ).toEqual(new Date('2026-11-27T10:00:00Z'))
    // analytics-python: microseconds and +00:00
    expect(at('2026-11-27T10:00:00.123456+00:00')).toEqual(new Date('2026-11-27T10:00:00.123Z'))
    expect(at('2026-11-27T12:00:00+02:00')).toEqual(new Date('2026-11-27T10:00:00Z'))
  })

  it('ignores context fields of the wrong type and cuts long UTM values', () => {
    const message = messageOf('page', {
      anonymousId: 'a',
      context: {
        campaign: { source: 'x'.repeat(600), medium: 12, name: { a: 1 }, term: '  ' },
        page: 'https://not-an-object.example',
        userAgent: ['curl'],
        ip: 'i'.repeat(101),
        library: 'analytics.js',
      },
    })
    expect(message.context).toEqual({
      utm: { utm_source: 'x'.repeat(500), utm_medium: '12' },
      page: {},
    })
    expect(messageOf('page', { anonymousId: 'a', context: 'nope' }).context).toEqual({
      utm: {},
      page: {},
    })
  })

  it('fills the page context of a page call from its properties', () => {
    const message = messageOf('page', {
      userId: 'u',
      properties: { url: 'https://a.example/x', referrer: 'https://b.example/', title: 'X' },
      context: { page: { title: 'From context' } },
    })
    expect(message.context.page).toEqual({
      url: 'https://a.example/x',
      referrer: 'https://b.example/',
      title: 'From context',
    })
    const track = messageOf('track', {
      userId: 'u',
      event: 'e',
      properties: { url: 'https://a.example' },
    })
    expect(track.context.page).toEqual({})
  })
})

describe('nesting depth', () => {
  const nest = (levels: number): Record<string, unknown> => {
    let value: Record<string, unknown> = { leaf: 'x' }
    for (let i = 1; i < levels; i++) value = { a: value }
    return value
  }

  it('accepts properties nested exactly 20 levels deep', () => {
    expect(
      messageOf('track', { userId: 'u', event: 'e', properties: nest(20) }).properties,
    ).toEqual(nest(20))
  })

  it('refuses 21 levels, naming the path', () => {
    const error = errorOf(() =>
      messageOf('track', { userId: 'u', event: 'e', properties: nest(21) }),
    )
    expect(error.message).toBe(`properties${'.a'.repeat(20)}: nested deeper than 20 levels`)
    expect(error.details).toMatchObject({ field: `properties${'.a'.repeat(20)}`, limit: 20 })
  })

  it('counts arrays as levels and checks context and traits too', () => {
    let list: unknown = 'x'
    for (let i = 0; i < 21; i++) list = [list]
    expect(errorOf(() => messageOf('identify', { userId: 'u', traits: { list } })).message).toBe(
      `traits.list${'[0]'.repeat(19)}: nested deeper than 20 levels`,
    )
    expect(
      errorOf(() => messageOf('page', { userId: 'u', context: { extra: nest(20) } })).message,
    ).toMatch(/^context\.extra(\.a)+: nested deeper than 20 levels$/)
  })

  it('refuses 5,000 levels without overflowing the stack', () => {
    const text = `{"userId":"u","event":"e","properties":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`
    const body = parseJsonBody(text, 'application/json')
    expect(errorOf(() => parseMessage('track', body, text.length)).message).toMatch(
      /nested deeper than 20 levels$/,
    )
  })
})

describe('size limits', () => {
  // A message whose compact JSON is exactly `bytes` long.
  const messageOfSize = (bytes: number) => {
    const base = { type: 'track', userId: 'u', event: 'e', properties: { blob: '' } }
    return { ...base, properties: { blob: 'x'.repeat(bytes - bytesOf(base)) } }
  }

  it('accepts a single message of exactly 32 KB with its huge string whole, refuses one byte more', () => {
    const body = messageOfSize(32 * 1024)
    expect(bytesOf(body)).toBe(32768)
    expect(parseMessage('track', body, 32768).properties).toEqual(body.properties)
    const error = errorOf(() => parseMessage('track', body, 32769))
    expect(error.message).toBe('message: 33 KB is over the 32 KB limit')
    expect(error.details).toEqual({ field: 'message', limit: 32768, bytes: 32769 })
  })

  it('accepts a batch of exactly 500 KB and refuses one byte more', () => {
    const body = { batch: [{ type: 'page', anonymousId: 'a' }] }
    expect(parseBatch(body, 500 * 1024).messages).toHaveLength(1)
    expect(errorOf(() => parseBatch(body, 500 * 1024 + 1)).message).toBe(
      'batch: 501 KB is over the 500 KB limit',
    )
    expect(errorOf(() => parseBatch(body, 612 * 1024)).message).toBe(
      'batch: 612 KB is over the 500 KB limit',
    )
  })

  it('measures each message of a batch: 32 KB passes, one byte more names the message', () => {
    const fits = messageOfSize(32 * 1024)
    const over = messageOfSize(32 * 1024 + 1)
    expect(batchOf({ batch: [fits, { ...fits, userId: 'v' }] }).messages).toHaveLength(2)
    const error = errorOf(() => batchOf({ batch: [fits, over] }))
    expect(error.message).toBe('batch[1]: 33 KB is over the 32 KB limit')
    expect(error.details).toMatchObject({ field: 'batch[1]', limit: 32768 })
  })

  it('refuses more than 2,500 messages in a batch', () => {
    const event = { type: 'page', anonymousId: 'a' }
    const ok = { batch: Array.from({ length: 2500 }, (_, i) => ({ ...event, messageId: `m${i}` })) }
    expect(batchOf(ok).messages).toHaveLength(2500)
    const error = errorOf(() => batchOf({ batch: [...ok.batch, event] }))
    expect(error.message).toBe('batch: 2501 messages is over the limit of 2500')
  })
})

describe('parseBatch errors', () => {
  it.each([
    [{}, 'batch: required: an array of messages'],
    [{ batch: { type: 'page' } }, 'batch: required: an array of messages'],
    [{ batch: [{ type: 'page', anonymousId: 'a' }, 'page'] }, 'batch[1]: must be a JSON object'],
    [
      { batch: [{ anonymousId: 'a' }] },
      'batch[0].type: must be one of identify, track, page, screen, group, alias',
    ],
    [
      { batch: [{ type: 'Track', userId: 'u' }] },
      'batch[0].type: must be one of identify, track, page, screen, group, alias',
    ],
    [
      { batch: [], sentAt: 'now' },
      'sentAt: "now" is not an ISO 8601 date-time such as 2026-11-27T10:00:00Z',
    ],
  ])('refuses %j with "%s"', (body, message) => {
    expect(errorOf(() => batchOf(body)).message).toBe(message)
  })

  it('refuses the whole batch for one invalid message, naming it', () => {
    const batch = Array.from({ length: 20 }, (_, i) => ({ type: 'page', anonymousId: `a${i}` }))
    batch[17] = { type: 'page' } as (typeof batch)[number]
    const error = errorOf(() => batchOf({ batch }))
    expect(error.message).toBe('batch[17].userId: required (or an anonymousId)')
    expect(error.details).toEqual({ field: 'batch[17].userId' })
    const nested = errorOf(() =>
      batchOf({ batch: [{ type: 'track', userId: 'u', event: 'e', timestamp: '27/11/2026' }] }),
    )
    expect(nested.details).toEqual({ field: 'batch[0].timestamp' })
  })

  it('refuses a body that is not an object', () => {
    expect(errorOf(() => parseBatch([], 2)).message).toBe('body: must be a JSON object')
    expect(errorOf(() => parseMessage('page', 'x', 3)).message).toBe('body: must be a JSON object')
  })
})

describe('messageId and repeats', () => {
  it('keeps the first of two messages with one messageId and counts the repeat', () => {
    const first = { type: 'track', userId: 'u', event: 'First', messageId: 'm-1' }
    const { messages, duplicates } = batchOf({
      batch: [
        first,
        { ...first, event: 'Second' },
        { type: 'page', userId: 'u', messageId: 'm-2' },
      ],
    })
    expect(messages.map((m) => [m.messageId, m.event ?? m.type])).toEqual([
      ['m-1', 'First'],
      ['m-2', 'page'],
    ])
    expect(duplicates).toBe(1)
  })

  it('derives the same messageId for a resend: sentAt, _metadata, writeKey and key order aside', () => {
    const sent = messageOf('track', {
      userId: 'u',
      event: 'Clicked',
      properties: { a: 1, b: [1, 2] },
      timestamp: '2026-11-27T10:00:00Z',
      sentAt: '2026-11-27T10:00:01Z',
    })
    const resent = messageOf('track', {
      sentAt: '2026-11-27T10:05:00Z',
      _metadata: { retryCount: 1 },
      writeKey: 'wk',
      timestamp: '2026-11-27T10:00:00Z',
      properties: { b: [1, 2], a: 1 },
      event: 'Clicked',
      userId: 'u',
    })
    expect(sent.isMessageIdDerived).toBe(true)
    expect(sent.messageId).toMatch(/^tdm-[0-9a-f]{64}$/)
    expect(resent.messageId).toBe(sent.messageId)
    const other = messageOf('track', {
      userId: 'u',
      event: 'Clicked',
      properties: { a: 2, b: [1, 2] },
      timestamp: '2026-11-27T10:00:00Z',
    })
    expect(other.messageId).not.toBe(sent.messageId)
    expect(messageOf('page', { userId: 'u', name: 'Clicked' }).messageId).not.toBe(
      deriveMessageId({ type: 'track', userId: 'u', name: 'Clicked' }),
    )
  })

  it('stores identical messages without messageId once per batch', () => {
    const event = {
      type: 'track',
      userId: 'u',
      event: 'Clicked',
      timestamp: '2026-11-27T10:00:00Z',
    }
    expect(batchOf({ batch: [event, event] })).toMatchObject({ duplicates: 1 })
  })
})

describe('parseIsoTime', () => {
  it.each([
    ['2026-11-27T10:00:00Z', '2026-11-27T10:00:00.000Z'],
    ['2026-11-27T10:00:00.5Z', '2026-11-27T10:00:00.500Z'],
    ['2026-11-27t10:00:00.123456789z', '2026-11-27T10:00:00.123Z'],
    ['2026-11-27 10:00:00+0530', '2026-11-27T04:30:00.000Z'],
    ['2026-11-27T10:00-05:00', '2026-11-27T15:00:00.000Z'],
    ['2026-11-27T10:00:00', '2026-11-27T10:00:00.000Z'],
    ['2026-11-27', '2026-11-27T00:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseIsoTime(text)?.toISOString()).toBe(iso)
  })

  it.each([
    '2026-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-11-27T24:00:00Z',
    '2026-11-27T10:60:00Z',
    '2026-11-27T10:00:00+25:00',
    '27/11/2026',
    '1764237600000',
    '2026-11-27T10:00:00Z junk',
    '',
  ])('refuses %j', (text) => {
    expect(parseIsoTime(text)).toBeUndefined()
  })
})

describe('distinct event names cap', () => {
  it('collects distinct track event names', () => {
    expect([...eventNamesOf(batchOf(nodeBatch).messages)]).toEqual(['Form Submitted'])
  })

  it('lets a workspace reach 1,000 names and refuses the first beyond', () => {
    expect(() => checkEventNameCap(999, ['New'])).not.toThrow()
    expect(() => checkEventNameCap(1000, [])).not.toThrow()
    const error = errorOf(() => checkEventNameCap(998, ['A', 'B', 'C']))
    expect(error.message).toBe(
      'event: "C" would be distinct event name 1001 of this workspace; the limit is 1000 ' +
        '(reuse an existing name or put the detail in properties)',
    )
    expect(error.details).toMatchObject({ field: 'event', limit: ingestLimits.distinctEventNames })
  })
})

describe('writeKeyFrom', () => {
  const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`

  it.each([
    [basic('wk_abc:'), undefined, 'wk_abc'],
    [basic('wk_abc'), undefined, 'wk_abc'],
    [basic('wk_abc:ignored'), undefined, 'wk_abc'],
    [`basic ${Buffer.from('wk_abc:').toString('base64')}`, undefined, 'wk_abc'],
    [basic('wk_header:'), { writeKey: 'wk_body' }, 'wk_header'],
    [basic(':'), { writeKey: 'wk_body' }, 'wk_body'],
    ['Bearer token', { writeKey: 'wk_body' }, 'wk_body'],
    [undefined, { writeKey: ' wk_body ' }, 'wk_body'],
    [undefined, { writeKey: 42 }, undefined],
    [undefined, { writeKey: 'k'.repeat(201) }, undefined],
    [undefined, {}, undefined],
    [undefined, undefined, undefined],
    ['Basic', undefined, undefined],
  ])('reads %s with body %j as %s', (authorization, body, key) => {
    expect(writeKeyFrom(authorization, body)).toBe(key)
  })
})

describe('parseJsonBody', () => {
  it.each([
    ['application/json', '{"a":1}'],
    ['application/json; charset=utf-8', '{"a":1}'],
    ['text/plain;charset=UTF-8', '{"a":1}'],
    [undefined, '{"a":1}'],
    ['application/vnd.api+json', '{"a":1}'],
    ['application/json', '\uFEFF{"a":1}'],
  ])('reads %s', (contentType, text) => {
    expect(parseJsonBody(Buffer.from(text), contentType)).toEqual({ a: 1 })
    expect(parseJsonBody(text, contentType)).toEqual({ a: 1 })
  })

  it('refuses invalid JSON, an empty body, a non-object and a form post', () => {
    const invalid = errorOf(() => parseJsonBody('{"a":', 'application/json'))
    expect(invalid.code).toBe('invalid_input')
    expect(invalid.message).toMatch(/^invalid JSON: /)
    expect(errorOf(() => parseJsonBody('  ', 'text/plain')).message).toBe(
      'invalid JSON: the body is empty',
    )
    expect(errorOf(() => parseJsonBody('[{"type":"page"}]', 'application/json')).message).toBe(
      'body: must be a JSON object',
    )
    expect(errorOf(() => parseJsonBody('a=1', 'application/x-www-form-urlencoded')).message).toBe(
      'Send JSON with Content-Type: application/json or text/plain (not application/x-www-form-urlencoded)',
    )
  })
})

describe('decodeBody', () => {
  it('passes plain bodies through and gunzips gzip', async () => {
    const raw = Buffer.from(JSON.stringify(nodeBatch))
    expect(await decodeBody(raw, undefined)).toBe(raw)
    expect(await decodeBody(raw, 'identity')).toBe(raw)
    expect((await decodeBody(gzipSync(raw), 'gzip')).equals(raw)).toBe(true)
  })

  it('refuses a zip bomb once its output passes the cap, without inflating it all', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024))
    expect(bomb.length).toBeLessThan(100 * 1024)
    const error = await rejectionOf(decodeBody(bomb, 'gzip'))
    expect(error.message).toBe('body: over the 500 KB limit once decompressed')
    expect(error.details).toEqual({ field: 'body', limit: 512000 })
    const exact = gzipSync(Buffer.alloc(512000))
    expect((await decodeBody(exact, 'gzip')).length).toBe(512000)
  })

  it('refuses broken gzip and unsupported encodings', async () => {
    expect((await rejectionOf(decodeBody(Buffer.from('not gzip'), 'gzip'))).message).toBe(
      'body: not valid gzip data',
    )
    expect((await rejectionOf(decodeBody(Buffer.from('x'), 'br'))).message).toBe(
      'Content-Encoding "br" is not supported: send gzip, deflate or none',
    )
  })
})
