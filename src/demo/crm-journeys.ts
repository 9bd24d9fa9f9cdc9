import { type Insertable, type Kysely, sql } from 'kysely'
import { defaultAttributionSettings } from '../server/attribution/settings.ts'
import type { DB } from '../server/db/schema.ts'
import { ensureTouchpointPartitions } from '../server/touchpoints/partitions.ts'
import { costlyProgramme, insertInChunks } from './crm.ts'
import { weighted } from './crm-deals.ts'
import type { SeededRandom } from './random.ts'

const day = 86_400_000

/**
 * The channel that truly drives deals (issue 12's planted truth): accounts an integrator partner
 * introduced win far more often, but the introduction comes weeks before the deal and the demo
 * request, the ads and the reps' calls come after it, so it is almost never the last touch before
 * a conversion. Markov and Shapley see it; last touch cannot. (`partner` rather than `events`: the
 * nurture of crm-scores.ts already sends webinars to everyone, which would blur the truth.)
 */
export const drivingChannel = 'partner'

/** How likely a deal's account was introduced by a partner before it, by how the deal ended. */
const drivingChance = { won: 0.7, open: 0.3, lost: 0.1 } as const
/** The same for accounts that never had a deal. */
const coldDrivingChance = 0.05
/** Attribution's default lookback: a touch longer than this before a conversion earns nothing. */
const { lookbackDays } = defaultAttributionSettings

interface JourneysOptions {
  workspaceId: string
  rng: SeededRandom
  asOf: Date
}

interface Campaign {
  id: string
  channel: string
  type: string | null
  /** First and last moment of its run, in ms. */
  startsAt: number
  endsAt: number
  utm: string | null
}

interface Deal {
  accountId: string
  contactId: string | null
  createdAt: number
  closedAt: number | null
  outcome: 'won' | 'lost' | 'open'
}

interface Account {
  id: string
  createdAt: number
  contactIds: string[]
}

/** How a touch came: its channel and type, and its campaign when one ran it. */
interface Source {
  channel: string
  type: string
  campaign: Campaign | null
  referrer?: string
}

const utmOf: Record<string, { source: string; medium: string }> = {
  paid_search: { source: 'google', medium: 'cpc' },
  paid_social: { source: 'linkedin', medium: 'paid_social' },
  display: { source: 'google', medium: 'display' },
  email: { source: 'newsletter', medium: 'email' },
  events: { source: 'northwind', medium: 'event' },
  partner: { source: 'integrator', medium: 'partner' },
  organic_social: { source: 'linkedin', medium: 'social' },
}
const typeOf: Record<string, string> = {
  paid_search: 'ad_click',
  paid_social: 'ad_click',
  display: 'ad_click',
  email: 'email_click',
  events: 'event',
  partner: 'form_submit',
  organic_social: 'content_view',
}
/** Visits no campaign paid for. */
const organic: readonly (readonly [Source, number])[] = [
  [
    {
      channel: 'organic_search',
      type: 'page_view',
      campaign: null,
      referrer: 'https://www.google.com/',
    },
    5,
  ],
  [{ channel: 'direct', type: 'page_view', campaign: null }, 3],
  [
    {
      channel: 'referral',
      type: 'page_view',
      campaign: null,
      referrer: 'https://www.therobotreport.example/',
    },
    2,
  ],
]

function fromCampaign(campaign: Campaign): Source {
  const webinar = campaign.type === 'webinar'
  return {
    channel: campaign.channel,
    type: webinar ? 'webinar' : (typeOf[campaign.channel] ?? 'page_view'),
    campaign,
  }
}

/**
 * The marketing touches of every account's journey, planted around the deals already made (so
 * no earlier draw changes): a few campaign or organic visits before each deal and a high-intent
 * one just before it (the opportunity's last touch), a partner's introduction weeks earlier, far
 * more often before wins than before losses, and the costly programme's clicks spent on accounts
 * that never buy.
 */
export async function plantJourneys(db: Kysely<DB>, options: JourneysOptions) {
  const { workspaceId, rng, asOf } = options
  const world = await loadWorld(db, workspaceId, asOf)
  const rows: Insertable<DB['touchpoints']>[] = []
  const add = (at: number, accountId: string, contactId: string | null, source: Source) => {
    const occurredAt = new Date(at)
    const utm = source.campaign && utmOf[source.channel]
    rows.push({
      workspaceId,
      occurredAt,
      id: rng.uuidv7(occurredAt),
      contactId,
      accountId,
      type: source.type,
      channel: source.channel,
      campaignId: source.campaign?.id ?? null,
      utm: utm
        ? JSON.stringify({
            utm_source: utm.source,
            utm_medium: source.type === 'webinar' ? 'webinar' : utm.medium,
            utm_campaign: source.campaign?.utm ?? '',
          })
        : null,
      referrer: source.referrer ?? null,
      properties: JSON.stringify({}),
      createdAt: occurredAt,
      receivedAt: occurredAt,
    })
  }
  const end = asOf.getTime()
  const everyday = world.campaigns.filter(
    (c) => c.channel !== drivingChannel && c.id !== world.costly?.id,
  )
  const visit = (at: number): Source => {
    const running = everyday.filter((c) => c.startsAt <= at && at <= c.endsAt)
    if (running.length > 0 && rng.next() < 0.7) return fromCampaign(rng.pick(running))
    return weighted(rng, organic)
  }

  for (const deal of world.deals) {
    const account = world.accounts.get(deal.accountId)
    if (!account) continue
    const contactId = deal.contactId ?? account.contactIds[0] ?? null
    // Touches before the account was known are left out rather than moved.
    const place = (at: number, source: (at: number) => Source) => {
      if (at >= account.createdAt && at <= end) add(at, account.id, contactId, source(at))
    }
    const partner = (at: number) => drivingSource(world, at)
    if (rng.next() < drivingChance[deal.outcome]) {
      const introduced = deal.createdAt - (7 + rng.next() * 38) * day
      place(introduced, partner)
      // On a long deal the partner comes back to help close it (a co-selling session), early in
      // the win's lookback window, so the win's journey holds the partner too.
      const windowStart = (deal.closedAt ?? 0) - (lookbackDays - 5) * day
      if (deal.closedAt !== null && introduced < windowStart) {
        place(Math.max(deal.createdAt, windowStart + rng.next() * 35 * day), partner)
      }
    }
    for (let i = rng.int(0, 2); i > 0; i--) {
      place(deal.createdAt - (3 + rng.next() * 57) * day, visit)
    }
    // The demo request, pricing visit or ad click that got the meeting: the last touch before
    // the opportunity.
    if (rng.next() < 0.85) place(deal.createdAt - rng.next() * 5 * day, visit)
    if (rng.next() < 0.4) {
      const until = deal.closedAt ?? end
      place(deal.createdAt + rng.next() * (until - deal.createdAt), visit)
    }
  }

  for (const account of world.accounts.values()) {
    if (world.dealAccounts.has(account.id) || account.contactIds.length === 0) continue
    const when = () => account.createdAt + rng.next() * (end - account.createdAt)
    for (let i = rng.int(0, 3); i > 0; i--) {
      const at = when()
      add(at, account.id, rng.pick(account.contactIds), visit(at))
    }
    if (rng.next() < coldDrivingChance) {
      const at = when()
      add(at, account.id, rng.pick(account.contactIds), drivingSource(world, at))
    }
  }

  if (world.costly) plantCostlyReach(rng, world, world.costly, end, add)

  const times = rows.map((r) => (r.occurredAt as Date).getTime()).sort((a, b) => a - b)
  const [first, last] = [times[0], times.at(-1)]
  if (first !== undefined && last !== undefined) {
    await ensureTouchpointPartitions(db, new Date(first), new Date(last))
  }
  await insertInChunks(db, 'touchpoints', rows)
  return { journeyTouches: rows.length }
}

/**
 * A `drivingChannel` touch: a referral by an integrator, under the partner programme's latest round
 * (partners keep referring between rounds), or under none before the first.
 */
function drivingSource(world: World, at: number): Source {
  const campaign = world.campaigns
    .filter((c) => c.channel === drivingChannel && c.startsAt <= at)
    .at(-1)
  return campaign
    ? fromCampaign(campaign)
    : { channel: drivingChannel, type: typeOf[drivingChannel] ?? 'page_view', campaign: null }
}

/**
 * The costly programme's latest round (issue 12's planted truth): a big paid reach whose clicks
 * land on accounts that never buy (no deal, or only lost ones), and on a very few customers by
 * chance, so its attributed revenue stays far below its cost under every model.
 */
function plantCostlyReach(
  rng: SeededRandom,
  world: World,
  costly: Campaign,
  end: number,
  add: (at: number, accountId: string, contactId: string | null, source: Source) => void,
) {
  const source = fromCampaign(costly)
  for (const account of world.accounts.values()) {
    if (account.contactIds.length === 0) continue
    const buyer = world.buyingAccounts.has(account.id)
    if (rng.next() >= (buyer ? 0.03 : 0.5)) continue
    const from = Math.max(costly.startsAt, account.createdAt)
    const to = Math.min(costly.endsAt, end)
    for (let i = buyer ? 1 : rng.int(1, 3); i > 0 && from < to; i--) {
      add(from + rng.next() * (to - from), account.id, rng.pick(account.contactIds), source)
    }
  }
}

type World = Awaited<ReturnType<typeof loadWorld>>

/** The campaigns, deals, accounts and contacts the journeys are planted on, in a stable order. */
async function loadWorld(db: Kysely<DB>, workspaceId: string, asOf: Date) {
  const campaignRows = await db
    .selectFrom('campaigns')
    .select(['id', 'name', 'channel', 'type', 'startsOn', 'endsOn', 'utmCampaigns'])
    .where('workspaceId', '=', workspaceId)
    .where('deletedAt', 'is', null)
    .orderBy('startsOn')
    .orderBy('id')
    .execute()
  const campaigns: Campaign[] = campaignRows.map((c) => ({
    id: c.id,
    channel: c.channel,
    type: c.type,
    startsAt: Date.parse(`${c.startsOn ?? asOf.toISOString().slice(0, 10)}T00:00:00Z`),
    endsAt: Date.parse(`${c.endsOn ?? asOf.toISOString().slice(0, 10)}T23:59:59Z`),
    utm: c.utmCampaigns[0] ?? null,
  }))
  const costlyId = campaignRows.filter((c) => c.name.startsWith(costlyProgramme)).at(-1)?.id
  const dealRows = await sql<{
    accountId: string | null
    contactId: string | null
    createdAt: Date
    closedAt: Date | null
    isWon: boolean
    isLost: boolean
  }>`
    select d.account_id, d.created_at, d.closed_at, s.is_won, s.is_lost,
      (select dc.contact_id from deal_contacts dc
        where dc.workspace_id = d.workspace_id and dc.deal_id = d.id
        order by dc.is_primary desc, dc.contact_id limit 1) as contact_id
    from deals d join stages s on s.workspace_id = d.workspace_id and s.id = d.stage_id
    where d.workspace_id = ${workspaceId} and d.deleted_at is null
    order by d.id
  `.execute(db)
  const deals: Deal[] = dealRows.rows.flatMap((d) =>
    d.accountId
      ? [
          {
            accountId: d.accountId,
            contactId: d.contactId,
            createdAt: d.createdAt.getTime(),
            closedAt: d.closedAt?.getTime() ?? null,
            outcome: d.isWon ? ('won' as const) : d.isLost ? ('lost' as const) : ('open' as const),
          },
        ]
      : [],
  )
  const accountRows = await db
    .selectFrom('accounts')
    .select(['id', 'createdAt'])
    .where('workspaceId', '=', workspaceId)
    .where('deletedAt', 'is', null)
    .where('mergedInto', 'is', null)
    .orderBy('id')
    .execute()
  const accounts = new Map<string, Account>(
    accountRows.map((a) => [a.id, { id: a.id, createdAt: a.createdAt.getTime(), contactIds: [] }]),
  )
  const contacts = await db
    .selectFrom('contacts')
    .select(['id', 'accountId'])
    .where('workspaceId', '=', workspaceId)
    .where('accountId', 'is not', null)
    .where('deletedAt', 'is', null)
    .where('mergedInto', 'is', null)
    .orderBy('id')
    .execute()
  for (const contact of contacts) accounts.get(contact.accountId ?? '')?.contactIds.push(contact.id)
  return {
    campaigns,
    costly: campaigns.find((c) => c.id === costlyId),
    deals,
    accounts,
    dealAccounts: new Set(deals.map((d) => d.accountId)),
    /** Accounts with a deal won or still open: the costly programme's clicks mostly miss them. */
    buyingAccounts: new Set(deals.filter((d) => d.outcome !== 'lost').map((d) => d.accountId)),
  }
}
