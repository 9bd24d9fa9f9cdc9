import type { Insertable, Kysely } from 'kysely'
import type { DB } from '../server/db/schema.ts'
import { ensureTouchpointPartitions } from '../server/touchpoints/partitions.ts'
import { buildDeals } from './crm-deals.ts'
import type { SeededRandom } from './random.ts'

/** What the CRM part of the demo needs to know of the people generated before it. */
export interface DemoPeople {
  workspaceId: string
  rng: SeededRandom
  asOf: Date
  start: Date
  /** Reps (sales and sales managers) by team name. */
  teams: Record<'Enterprise' | 'Mid-Market' | 'SMB', string[]>
  marketingUserId: string
}

const day = 86_400_000
export const industries = [
  'logistics',
  'manufacturing',
  'retail',
  'healthcare',
  'food_and_beverage',
  'automotive',
  'electronics',
  'pharma',
] as const
const regions = {
  na: ['US', 'US', 'US', 'CA', 'MX'],
  emea: ['DE', 'GB', 'FR', 'NL', 'SE', 'PL', 'ES'],
  apac: ['JP', 'AU', 'SG', 'IN', 'KR'],
  latam: ['BR', 'AR', 'CL', 'CO'],
} as const
const nameParts = {
  first: [
    'Kestrel',
    'Orbis',
    'Harbor',
    'Summit',
    'Lumen',
    'Vega',
    'Cobalt',
    'Pioneer',
    'Atlas',
    'Meridian',
    'Juniper',
    'Granite',
    'Falcon',
    'Silver',
    'Northstar',
    'Redwood',
    'Evergreen',
    'Blue',
    'Iron',
    'Crescent',
    'Nimbus',
    'Beacon',
    'Polar',
    'Quartz',
    'Sable',
    'Tidal',
    'Union',
    'Vertex',
    'Willow',
    'Zenith',
  ],
  second: [
    'Freight',
    'Foods',
    'Motors',
    'Health',
    'Supply',
    'Works',
    'Distribution',
    'Pharma',
    'Electronics',
    'Retail',
    'Logistics',
    'Industries',
    'Fabrication',
    'Parts',
    'Labs',
    'Systems',
    'Goods',
    'Components',
    'Brands',
    'Markets',
  ],
  suffix: ['', '', ' Group', ' Inc', ' GmbH', ' Ltd', ' & Co', ' Holdings'],
}
export const firstNames = [
  'Ana',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemi',
  'Liam',
  'Mei',
  'Noah',
  'Olga',
  'Priya',
  'Quinn',
  'Rosa',
  'Tariq',
  'Uma',
  'Victor',
  'Wen',
  'Yara',
  'Zoe',
  'Aaron',
  'Bianca',
  'Carlos',
  'Daria',
  'Emil',
  'Fatima',
  'Gustav',
  'Hana',
  'Ivan',
  'Julia',
  'Kofi',
  'Lena',
  'Marco',
  'Nora',
  'Omar',
  'Paula',
]
export const lastNames = [
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Tanaka',
  'Silva',
  'Novak',
  'Haddad',
  'Kowalski',
  'Brennan',
  'Iyer',
  'Schulz',
  'Duarte',
  'Ahmed',
  'Park',
  'Rossi',
  'Fischer',
  'Nakamura',
  'Costa',
  'Berg',
  'Walsh',
  'Mendes',
  'Kaur',
  'Dubois',
  'Petrov',
  'Hughes',
  'Sato',
  'Romero',
  'Larsen',
  'Chen',
  'Abara',
]
const personaTitles = {
  economic_buyer: ['VP Operations', 'COO', 'Head of Supply Chain', 'CFO', 'Plant Director'],
  technical_buyer: ['Head of Automation', 'Engineering Manager', 'IT Director', 'Robotics Lead'],
  user: ['Warehouse Manager', 'Shift Supervisor', 'Process Engineer', 'Logistics Coordinator'],
  champion: ['Continuous Improvement Lead', 'Operations Excellence Manager', 'Innovation Manager'],
} as const
type Persona = keyof typeof personaTitles

export const demoCampaigns = [
  ['Robotics ROI webinar', 'events', 'webinar'],
  ['Warehouse automation guide', 'email', 'ebook'],
  ['Search: warehouse robots', 'paid_search', 'ppc'],
  ['Search: pick and place', 'paid_search', 'ppc'],
  ['LinkedIn: operations leaders', 'paid_social', 'sponsored_content'],
  ['LinkedIn: plant managers', 'paid_social', 'sponsored_content'],
  ['ProMat trade show', 'events', 'conference'],
  ['LogiMAT trade show', 'events', 'conference'],
  ['Monthly newsletter', 'email', 'newsletter'],
  ['Integrator partner program', 'partner', 'partner'],
  ['Display retargeting', 'display', 'retargeting'],
  ['Case study: cold storage', 'organic_social', 'content'],
  ['Automation readiness assessment', 'email', 'assessment'],
  ['Cobot launch', 'paid_social', 'launch'],
  ['Student robotics challenge', 'organic_social', 'sponsorship'],
] as const

/**
 * The programme whose latest round spends far more than any other and wins almost nothing back
 * (issue 12's planted truth: negative ROI under every attribution model; see crm-journeys.ts).
 */
export const costlyProgramme = 'Cobot launch'
/** Its latest round's budget, spent month by month like any campaign's: $800k (others ≤ $120k). */
const costlyBudget = 80_000_000

function pickWeighted<T>(rng: SeededRandom, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0)
  let r = rng.next() * total
  for (const [item, weight] of items) {
    r -= weight
    if (r <= 0) return item
  }
  const last = items.at(-1)
  if (!last) throw new Error('empty choice')
  return last[0]
}

/** How much likelier than average a contact is to reach opportunity and customer (the demo's planted truth). */
function conversionPropensity(persona: Persona, employees: number, region: string): number {
  const byPersona = { economic_buyer: 2.2, champion: 1.4, technical_buyer: 0.8, user: 0.3 }[persona]
  const bySize = employees >= 2000 ? 0.35 : employees >= 200 ? 1.8 : 0.9
  const byRegion = region === 'emea' ? 1.7 : region === 'apac' ? 0.6 : 1
  return byPersona * bySize * byRegion
}

/** Seasonality planted in lead volume: more leads in Q1 and September-October, fewer in summer. */
export function seasonalDate(rng: SeededRandom, from: number, to: number): Date {
  const monthWeight = [1.3, 1.3, 1.2, 1.0, 0.9, 0.7, 0.6, 0.7, 1.2, 1.3, 1.0, 0.8]
  for (;;) {
    const t = from + rng.next() * (to - from)
    if (rng.next() * 1.3 < (monthWeight[new Date(t).getUTCMonth()] ?? 1)) return new Date(t)
  }
}

function budgetOf(programme: string, round: number, drawn: number): number {
  return programme === costlyProgramme && round === 1 ? costlyBudget : drawn
}

async function insertInChunks<T extends keyof DB & string>(
  db: Kysely<DB>,
  table: T,
  rows: Insertable<DB[T]>[],
) {
  for (let i = 0; i < rows.length; i += 1000) {
    // Kysely cannot resolve the insert type of a generic table; the rows are typed by the caller.
    const chunk = rows.slice(i, i + 1000) as unknown as Insertable<DB['accounts']>[]
    await db
      .insertInto(table as 'accounts')
      .values(chunk)
      .execute()
  }
}

export { insertInChunks }

/**
 * Accounts, contacts, products, pipelines, campaigns with costs, deals with stage histories, line
 * items and contacts, and the reps' activities (each call, meeting and email also a `sales` touch).
 */
export async function seedCrm(db: Kysely<DB>, people: DemoPeople) {
  const { rng, workspaceId, asOf, start } = people
  const begin = start.getTime()
  const end = asOf.getTime()

  const campaigns = demoCampaigns.flatMap(([name, channel, type], index) => {
    // Fifteen programmes, each run twice (last year and this year): thirty campaigns.
    return [0, 1].map((round) => {
      const startsAt = begin + (index / demoCampaigns.length) * 400 * day + round * 540 * day
      const length = (channel === 'events' ? 30 : 150) * day
      const utm = `${name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')}-${round + 1}`
      return {
        workspaceId,
        id: rng.uuidv7(new Date(startsAt)),
        name: `${name} ${new Date(startsAt).getUTCFullYear()}`,
        channel,
        type,
        startsOn: new Date(startsAt).toISOString().slice(0, 10),
        endsOn: new Date(Math.min(startsAt + length, end)).toISOString().slice(0, 10),
        // Drawn for every campaign, so the generator's later draws stay as they were.
        budget: budgetOf(name, round, rng.int(20, 120) * 100_000),
        currency: 'USD',
        utmCampaigns: [utm],
        goalLeads: rng.int(100, 600),
        goalMqls: rng.int(30, 150),
        goalPipeline: rng.int(20, 200) * 1_000_000,
        ownerId: people.marketingUserId,
        createdAt: new Date(startsAt - 14 * day),
        updatedAt: new Date(startsAt - 14 * day),
      }
    })
  })
  await insertInChunks(db, 'campaigns', campaigns)
  const costs = campaigns.flatMap((c) => {
    const rows = []
    const from = Date.parse(`${c.startsOn}T00:00:00Z`)
    const to = Date.parse(`${c.endsOn}T00:00:00Z`)
    for (let t = from; t <= to; t += 30 * day) {
      rows.push({
        workspaceId,
        id: rng.uuidv7(new Date(t)),
        campaignId: c.id,
        incurredOn: new Date(t).toISOString().slice(0, 10),
        amount: Math.round(
          ((c.budget ?? 0) / Math.max(1, (to - from) / (30 * day) + 1)) * (0.8 + rng.next() * 0.4),
        ),
        currency: 'USD',
        note: 'Monthly spend',
      })
    }
    return rows
  })
  await insertInChunks(db, 'campaignCosts', costs)

  const usedDomains = new Set<string>()
  const accounts = []
  for (let i = 0; accounts.length < 2000; i++) {
    const name = `${rng.pick(nameParts.first)} ${rng.pick(nameParts.second)}${rng.pick(nameParts.suffix)}`
    const base = name
      .toLowerCase()
      .replace(/&/g, 'and')
      .replace(/[^a-z0-9]+/g, '')
    const domain = `${base}${usedDomains.has(`${base}.example`) ? i : ''}.example`
    if (usedDomains.has(domain)) continue
    usedDomains.add(domain)
    const employees = Math.round(Math.exp(3 + rng.next() * 6.5))
    const region = pickWeighted(rng, [
      ['na', 45],
      ['emea', 35],
      ['apac', 15],
      ['latam', 5],
    ] as const)
    const team = employees >= 2000 ? 'Enterprise' : employees >= 200 ? 'Mid-Market' : 'SMB'
    const createdAt = new Date(begin + rng.next() * (end - begin) * 0.9)
    accounts.push({
      workspaceId,
      id: rng.uuidv7(createdAt),
      name,
      domain,
      industry: rng.pick(industries),
      employees,
      annualRevenue: employees * rng.int(80, 250) * 100_000,
      annualRevenueCurrency: 'USD',
      country: rng.pick(regions[region]),
      region,
      tier: team === 'Enterprise' ? 'enterprise' : team === 'Mid-Market' ? 'mid_market' : 'smb',
      ownerId: rng.pick(people.teams[team]),
      lifecycleStage: 'lead' as string,
      createdAt,
      updatedAt: createdAt,
    })
  }
  const accountEntries: Insertable<DB['lifecycleEntries']>[] = accounts.flatMap((a) =>
    (['subscriber', 'lead'] as const).map((stage) => ({
      workspaceId,
      id: rng.uuidv7(a.createdAt),
      entity: 'account' as const,
      recordId: a.id,
      stage,
      enteredAt: a.createdAt,
    })),
  )

  const contacts = []
  const stageEntries = []
  const personas = Object.keys(personaTitles) as Persona[]
  const lifecycle = ['subscriber', 'lead', 'mql', 'sal', 'sql', 'opportunity', 'customer'] as const
  for (const account of accounts) {
    const count = Math.max(
      1,
      Math.round(
        account.employees >= 2000
          ? rng.int(12, 25)
          : account.employees >= 200
            ? rng.int(8, 14)
            : rng.int(3, 8),
      ),
    )
    const usedEmails = new Set<string>()
    for (let k = 0; k < count; k++) {
      const first = rng.pick(firstNames)
      const last = rng.pick(lastNames)
      let email = `${first}.${last}@${account.domain}`.toLowerCase()
      if (usedEmails.has(email)) email = email.replace('@', `${k}@`)
      usedEmails.add(email)
      const createdAt = seasonalDate(rng, Math.max(begin, account.createdAt.getTime()), end)
      const persona = rng.pick(personas)
      // Planted truth for the predictive model (issue 10): how far a contact goes depends on who
      // they are. Economic buyers and champions at mid-market accounts in EMEA close most often;
      // enterprises buy slowly and users rarely. The rule-based fit score only half knows this.
      const late = conversionPropensity(persona, account.employees, account.region)
      const reach = pickWeighted(rng, [
        [0, 25],
        [1, 40],
        [2, 15],
        [3, 6],
        [4, 5 * late],
        [5, 5 * late],
        [6, 4 * late],
      ] as const)
      const stage = lifecycle[reach] ?? 'lead'
      const id = rng.uuidv7(createdAt)
      contacts.push({
        workspaceId,
        id,
        email,
        firstName: first,
        lastName: last,
        title: rng.pick(personaTitles[persona]),
        persona,
        accountId: account.id,
        lifecycleStage: stage,
        leadStatus:
          stage === 'mql'
            ? rng.pick(['new', 'attempting', 'connected'] as const)
            : stage === 'sal'
              ? 'connected'
              : null,
        ownerId: account.ownerId,
        source: rng.pick(['website', 'event', 'paid', 'referral', 'import'] as const),
        emailOptIn: rng.next() < 0.7,
        doNotContact: rng.next() < 0.03,
        createdAt,
        updatedAt: createdAt,
      })
      let at = createdAt.getTime()
      for (let s = 0; s <= reach; s++) {
        // Jumps happen: a demo request goes straight from subscriber to mql, both stamped together.
        if (s > 0 && rng.next() < 0.7) at += rng.int(1, 40) * day
        stageEntries.push({
          workspaceId,
          id: rng.uuidv7(new Date(Math.min(at, end))),
          entity: 'contact' as const,
          recordId: id,
          stage: lifecycle[s] ?? 'lead',
          enteredAt: new Date(Math.min(at, end)),
        })
      }
    }
  }

  const built = buildDeals({ ...people, accounts, contacts, campaigns })
  // Accounts become opportunities at their first deal and customers at their first win.
  for (const account of accounts) {
    const opened = built.firstDealAt.get(account.id)
    if (opened) {
      for (const stage of ['mql', 'sal', 'sql', 'opportunity'] as const) {
        accountEntries.push({
          workspaceId,
          id: rng.uuidv7(opened),
          entity: 'account',
          recordId: account.id,
          stage,
          enteredAt: opened,
        })
      }
      account.lifecycleStage = 'opportunity'
    }
    const won = built.firstWonAt.get(account.id)
    if (won) {
      accountEntries.push({
        workspaceId,
        id: rng.uuidv7(won),
        entity: 'account',
        recordId: account.id,
        stage: 'customer',
        enteredAt: won,
      })
      account.lifecycleStage = 'customer'
    }
  }
  await insertInChunks(db, 'accounts', accounts)
  await insertInChunks(db, 'lifecycleEntries', accountEntries)
  await insertInChunks(db, 'contacts', contacts)
  await insertInChunks(db, 'lifecycleEntries', stageEntries)
  await insertInChunks(db, 'products', built.products)
  await insertInChunks(db, 'pipelines', built.pipelines)
  await insertInChunks(db, 'stages', built.stageRows)
  await insertInChunks(db, 'deals', built.deals)
  await insertInChunks(db, 'dealStageChanges', built.changes)
  await insertInChunks(db, 'dealContacts', built.dealContacts)
  await insertInChunks(db, 'dealLineItems', built.lineItems)
  await insertInChunks(db, 'activities', built.activities)
  const touchTimes = built.touchpoints.map((t) => t.occurredAt.getTime()).sort((x, y) => x - y)
  const [firstTouch, lastTouch] = [touchTimes[0], touchTimes.at(-1)]
  if (firstTouch !== undefined && lastTouch !== undefined) {
    // Monthly partitions first, so three years of touches do not pile up in the default one.
    await ensureTouchpointPartitions(db, new Date(firstTouch), new Date(lastTouch))
  }
  await insertInChunks(db, 'touchpoints', built.touchpoints)
  const stats = {
    deals: built.deals.length,
    activities: built.activities.length,
    touchpoints: built.touchpoints.length,
  }
  return {
    accounts: accounts.length,
    contacts: contacts.length,
    campaigns: campaigns.length,
    ...stats,
  }
}
