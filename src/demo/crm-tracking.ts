import type { Kysely } from 'kysely'
import type { DB } from '../server/db/schema.ts'
import { parseBatch } from '../server/ingest/spec.ts'
import { writeMessages } from '../server/ingest/writer.ts'
import { ensureTouchpointPartitions } from '../server/touchpoints/partitions.ts'
import type { SeededRandom } from './random.ts'

const day = 86_400_000
const minute = 60_000

interface TrackingOptions {
  workspaceId: string
  rng: SeededRandom
  asOf: Date
  createdBy: string | null
}

const firstNames = [
  'Noor',
  'Mateo',
  'Aiko',
  'Lena',
  'Tariq',
  'Ines',
  'Jonas',
  'Priya',
  'Olu',
  'Sven',
]
const lastNames = ['Haddad', 'Rossi', 'Tanaka', 'Novak', 'Okafor', 'Lind', 'Duarte', 'Mehta']
const pages = [
  '/',
  '/pricing',
  '/product/arms',
  '/product/vision',
  '/customers',
  '/blog/cobots-101',
]
const browser = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15'

/**
 * The website's last two weeks, replayed through the real ingestion path (the Segment-spec parser
 * and the writer of /v1/*): a "Website" write key; known contacts who browse anonymously and then
 * identify (their anonymous history joins them: identity merges to see and undo); new people who
 * arrive from a campaign, submit a form and identify (their lead-creation touch is the form); a
 * group call linking one to its company; visitors never identified; a crawler and a mail-security
 * scanner, stored but flagged as bots.
 */
export async function plantTracking(db: Kysely<DB>, options: TrackingOptions) {
  const { workspaceId, rng, asOf } = options
  await db
    .insertInto('writeKeys')
    .values({
      workspaceId,
      id: rng.uuidv7(new Date(asOf.getTime() - 30 * day)),
      name: 'Website',
      key: `wk_${Array.from({ length: 32 }, () => rng.pick([...'abcdefghijkmnpqrstuvwxyz23456789'])).join('')}`,
      createdBy: options.createdBy,
      createdAt: new Date(asOf.getTime() - 30 * day),
    })
    .execute()
  const known = await db
    .selectFrom('contacts')
    .select(['email'])
    .where('workspaceId', '=', workspaceId)
    .where('email', 'is not', null)
    .where('deletedAt', 'is', null)
    .orderBy('id')
    .limit(400)
    .execute()
  const utmNames = await db
    .selectFrom('campaigns')
    .select('utmCampaigns')
    .where('workspaceId', '=', workspaceId)
    .orderBy('startsOn', 'desc')
    .limit(4)
    .execute()
  const companies = await db
    .selectFrom('accounts')
    .select(['name', 'domain'])
    .where('workspaceId', '=', workspaceId)
    .where('domain', 'is not', null)
    .orderBy('id')
    .limit(50)
    .execute()
  const campaigns = utmNames.flatMap((c) => c.utmCampaigns)
  const from = new Date(asOf.getTime() - 14 * day)
  await ensureTouchpointPartitions(db, from, asOf)

  const batch: Record<string, unknown>[] = []
  let n = 0
  const at = (base: number) => new Date(base).toISOString()
  const page = (who: Record<string, string>, time: number, utm?: Record<string, string>) => {
    const path = rng.pick(pages)
    batch.push({
      type: 'page',
      messageId: `demo-${n++}`,
      ...who,
      timestamp: at(time),
      properties: {
        url: `https://northwind.example${path}`,
        path,
        title: `Northwind Robotics ${path}`,
        referrer: utm ? '' : rng.pick(['https://www.google.com/', 'https://www.linkedin.com/', '']),
      },
      context: { userAgent: browser, ...(utm ? { campaign: utm } : {}) },
    })
  }
  const visit = (who: Record<string, string>, start: number, utm?: Record<string, string>) => {
    const views = rng.int(2, 4)
    for (let i = 0; i < views; i++) page(who, start + i * 2 * minute, i === 0 ? utm : undefined)
    return start + views * 2 * minute
  }
  const paidUtm = () => ({
    source: rng.pick(['google', 'linkedin', 'newsletter']),
    medium: rng.pick(['cpc', 'paid_social', 'email']),
    name: rng.pick(campaigns.length > 0 ? campaigns : ['website']),
  })

  // Known contacts come back anonymously, then log in.
  for (const [i, person] of rng.shuffle(known).slice(0, 12).entries()) {
    const anonymousId = `demo-visitor-${i}`
    const start = from.getTime() + rng.int(0, 12 * 24) * 60 * minute
    const end = visit({ anonymousId }, start, rng.int(0, 1) === 0 ? paidUtm() : undefined)
    batch.push({
      type: 'identify',
      messageId: `demo-${n++}`,
      anonymousId,
      userId: `nw-user-${i}`,
      timestamp: at(end),
      traits: { email: person.email, plan: rng.pick(['trial', 'starter', 'pro']) },
    })
    page({ userId: `nw-user-${i}` }, end + minute)
  }
  // New people from campaigns: a form, an identify, sometimes their company.
  for (let i = 0; i < 10; i++) {
    const anonymousId = `demo-lead-${i}`
    const first = rng.pick(firstNames)
    const last = rng.pick(lastNames)
    const company = rng.pick(companies)
    const email = `${first}.${last}.${i}@${company?.domain ?? 'prospect.example'}`.toLowerCase()
    const start = from.getTime() + rng.int(0, 12 * 24) * 60 * minute
    const end = visit({ anonymousId }, start, paidUtm())
    batch.push({
      type: 'track',
      messageId: `demo-${n++}`,
      anonymousId,
      event: 'Form Submitted',
      timestamp: at(end),
      properties: { form: rng.pick(['Demo request', 'Pricing', 'Whitepaper']) },
      context: { userAgent: browser },
    })
    batch.push({
      type: 'identify',
      messageId: `demo-${n++}`,
      anonymousId,
      userId: `nw-lead-${i}`,
      timestamp: at(end + 1000),
      traits: {
        email,
        firstName: first,
        lastName: last,
        title: rng.pick(['COO', 'Plant Manager']),
      },
    })
    if (company && i % 3 === 0) {
      batch.push({
        type: 'group',
        messageId: `demo-${n++}`,
        userId: `nw-lead-${i}`,
        groupId: `nw-account-${i}`,
        timestamp: at(end + 2000),
        traits: { name: company.name, website: `https://${company.domain}` },
      })
    }
  }
  // Visitors who never say who they are.
  for (let i = 0; i < 15; i++) {
    const start = from.getTime() + rng.int(0, 13 * 24) * 60 * minute
    visit({ anonymousId: `demo-stranger-${i}` }, start)
  }
  // Bots: stored, flagged, never counted.
  batch.push({
    type: 'page',
    messageId: `demo-${n++}`,
    anonymousId: 'demo-crawler',
    timestamp: at(asOf.getTime() - 2 * day),
    properties: { url: 'https://northwind.example/pricing' },
    context: {
      userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    },
  })
  batch.push({
    type: 'track',
    messageId: `demo-${n++}`,
    userId: 'nw-user-0',
    event: 'Email Link Clicked',
    timestamp: at(asOf.getTime() - day),
    properties: { url: 'https://northwind.example/webinar' },
    context: { userAgent: 'Proofpoint URL Defense' },
  })

  // Written as two flushes, as they would have arrived: the anonymous browsing first, then the
  // identifies that join it to people (so the merges move real touches), and the rest.
  const { messages } = parseBatch({ batch }, 0)
  const isAnonymousTouch = (m: (typeof messages)[number]) =>
    m.type !== 'identify' && m.type !== 'group' && !m.userId
  const write = (part: typeof messages) =>
    writeMessages(
      db,
      workspaceId,
      part.map((message) => ({
        message,
        receivedAt: message.timestamp ?? asOf,
        ip: '203.0.113.10',
      })),
      { newId: (time) => rng.uuidv7(time), isHistorical: true },
    )
  const first = await write(messages.filter(isAnonymousTouch))
  const result = await write(messages.filter((m) => !isAnonymousTouch(m)))
  result.stored += first.stored
  return {
    trackedEvents: result.stored,
    trackedContacts: result.contactsCreated,
    identityMerges: result.merges,
  }
}
