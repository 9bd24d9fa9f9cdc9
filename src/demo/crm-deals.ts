import type { ActivityType, ForecastCategory } from '../server/db/schema.ts'
import type { DemoPeople } from './crm.ts'
import type { SeededRandom } from './random.ts'

const day = 86_400_000

interface DemoAccount {
  id: string
  name: string
  industry: string
  employees: number
  region: string
  ownerId: string
  createdAt: Date
}
interface DemoContact {
  id: string
  accountId: string
  persona: string
  lifecycleStage: string
  createdAt: Date
}
interface DemoCampaign {
  id: string
  startsOn: string | null
  endsOn: string | null
}

export const demoProducts = [
  {
    name: 'AMR-100 Mobile Robot',
    family: 'mobile_robots',
    price: 4_500_000,
    icpIndustries: ['logistics', 'retail', 'food_and_beverage'],
    icpEmployeesMin: 200,
    icpEmployeesMax: null,
    icpRegions: ['na', 'emea', 'apac'],
    icpProblems: ['labor_shortage', 'pick_rate', 'warehouse_throughput'],
  },
  {
    name: 'PickArm Pro',
    family: 'arms',
    price: 6_500_000,
    icpIndustries: ['manufacturing', 'electronics', 'automotive'],
    icpEmployeesMin: 200,
    icpEmployeesMax: null,
    icpRegions: ['na', 'emea', 'apac'],
    icpProblems: ['pick_rate', 'quality'],
  },
  {
    name: 'Fleet Manager',
    family: 'software',
    price: 1_440_000,
    icpIndustries: [],
    icpEmployeesMin: 200,
    icpEmployeesMax: null,
    icpRegions: [],
    icpProblems: ['visibility', 'fleet_coordination'],
  },
  {
    name: 'Vision QA Cell',
    family: 'inspection',
    price: 3_800_000,
    icpIndustries: ['manufacturing', 'pharma', 'electronics', 'food_and_beverage'],
    icpEmployeesMin: 100,
    icpEmployeesMax: null,
    icpRegions: ['na', 'emea'],
    icpProblems: ['quality', 'compliance'],
  },
  {
    name: 'Cobot Lite',
    family: 'arms',
    price: 1_800_000,
    icpIndustries: ['manufacturing', 'food_and_beverage', 'retail'],
    icpEmployeesMin: 20,
    icpEmployeesMax: 500,
    icpRegions: ['na', 'emea'],
    icpProblems: ['labor_shortage', 'flexibility'],
  },
  {
    name: 'Service Plan',
    family: 'services',
    price: 900_000,
    icpIndustries: [],
    icpEmployeesMin: null,
    icpEmployeesMax: null,
    icpRegions: [],
    // A service plan goes with any robot: its profile sets no criteria (fit unknown, 50).
    icpProblems: [],
  },
] as const

const stagesNew = [
  { name: 'Qualification', winProbability: 0.1 },
  { name: 'Discovery', winProbability: 0.2 },
  { name: 'Demo', winProbability: 0.35 },
  { name: 'Proposal', winProbability: 0.55, isProposalOrLater: true },
  { name: 'Negotiation', winProbability: 0.75, isProposalOrLater: true },
  { name: 'Closed won', winProbability: 1, isWon: true, isProposalOrLater: true },
  { name: 'Closed lost', winProbability: 0, isLost: true },
]
const lossReasons = [
  ['price', 20],
  ['competitor', 18],
  ['no_decision', 20],
  ['timing', 10],
  ['budget_cut', 8],
  ['product_gap', 8],
  ['unresponsive', 6],
  ['no_access_to_decision_maker', 4],
  ['legal_security_procurement', 2],
  ['poor_fit_walked_away', 4],
] as const
const competitors = ['Locus Robotics', 'Fetch', 'Universal Robots', 'ABB', 'GreyOrange']
const needsByProduct: Record<string, string[]> = {
  'AMR-100 Mobile Robot': ['labor_shortage', 'warehouse_throughput'],
  'PickArm Pro': ['pick_rate', 'quality'],
  'Fleet Manager': ['visibility', 'fleet_coordination'],
  'Vision QA Cell': ['quality', 'compliance'],
  'Cobot Lite': ['labor_shortage', 'flexibility'],
  'Service Plan': ['uptime'],
}

function forecastOf(
  outcome: 'won' | 'lost' | 'open',
  stage: { name: string; isProposalOrLater: boolean },
): ForecastCategory {
  if (outcome === 'won') return 'closed_won'
  if (outcome === 'lost') return 'omitted'
  if (stage.name === 'Negotiation') return 'commit'
  return stage.isProposalOrLater ? 'best_case' : 'pipeline'
}

export function weighted<T>(rng: SeededRandom, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0)
  let r = rng.next() * total
  for (const [item, w] of items) {
    r -= w
    if (r <= 0) return item
  }
  return (items.at(-1) as readonly [T, number])[0]
}

function fits(
  product: {
    icpIndustries: readonly string[]
    icpEmployeesMin: number | null
    icpEmployeesMax: number | null
  },
  account: DemoAccount,
) {
  const industry =
    product.icpIndustries.length === 0 ||
    (product.icpIndustries as readonly string[]).includes(account.industry)
  const size =
    (product.icpEmployeesMin ?? 0) <= account.employees &&
    account.employees <= (product.icpEmployeesMax ?? Number.MAX_SAFE_INTEGER)
  return industry && size
}

/**
 * Three years of deals in two pipelines, each with a realistic walk through the stages (history kept),
 * line items, buying-group contacts, a source campaign, and the rep's activities around it. Planted:
 * Cobot Lite is also sold to accounts outside its profile (large or healthcare), the poor fits.
 */
export function buildDeals(
  input: DemoPeople & {
    accounts: DemoAccount[]
    contacts: DemoContact[]
    campaigns: DemoCampaign[]
  },
) {
  const { rng, workspaceId, asOf, start } = input
  const begin = start.getTime()
  const end = asOf.getTime()
  const products = demoProducts.map((p) => ({
    ...p,
    workspaceId,
    id: rng.uuidv7(start),
    currency: 'USD',
    icpIndustries: [...p.icpIndustries],
    icpRegions: [...p.icpRegions],
    icpProblems: [...p.icpProblems],
    createdAt: start,
    updatedAt: start,
  }))

  const pipelines = [
    {
      workspaceId,
      id: rng.uuidv7(start),
      name: 'New business',
      isDefault: true,
      position: 0,
      createdAt: start,
      updatedAt: start,
    },
    {
      workspaceId,
      id: rng.uuidv7(start),
      name: 'Expansion',
      isDefault: false,
      position: 1,
      createdAt: start,
      updatedAt: start,
    },
  ]
  const stageRows = pipelines.flatMap((p) =>
    stagesNew
      .filter((s) => p.name === 'New business' || !['Discovery', 'Demo'].includes(s.name))
      .map((s, position) => ({
        workspaceId,
        id: rng.uuidv7(start),
        pipelineId: p.id,
        position,
        name: s.name,
        winProbability: s.winProbability,
        isWon: s.isWon ?? false,
        isLost: s.isLost ?? false,
        isProposalOrLater: s.isProposalOrLater ?? false,
        createdAt: start,
      })),
  )

  const contactsByAccount = new Map<string, DemoContact[]>()
  for (const c of input.contacts)
    contactsByAccount.set(c.accountId, [...(contactsByAccount.get(c.accountId) ?? []), c])
  const deals = []
  const changes = []
  const dealContacts = []
  const lineItems = []
  const activities = []
  const touchpoints = []
  const wonAccounts = new Set<string>()
  const firstDealAt = new Map<string, Date>()
  const firstWonAt = new Map<string, Date>()
  const cobot = products.find((p) => p.name === 'Cobot Lite')

  for (let n = 0; n < 3000; n++) {
    const account = rng.pick(input.accounts)
    const createdAt = new Date(
      Math.max(account.createdAt.getTime(), begin + 30 * day) +
        rng.next() * (end - Math.max(account.createdAt.getTime(), begin + 30 * day)),
    )
    const expansion = wonAccounts.has(account.id) && rng.next() < 0.5
    const pipeline = expansion ? pipelines[1] : pipelines[0]
    if (!pipeline) continue
    const stages = stageRows.filter((s) => s.pipelineId === pipeline.id)
    const open = stages.filter((s) => !s.isWon && !s.isLost)
    const won = stages.find((s) => s.isWon)
    const lost = stages.find((s) => s.isLost)
    if (!won || !lost) continue

    // Hardware or inspection leads a deal; software and service plans ride along as add-ons.
    const leading = products.filter((p) => p.family !== 'services' && p.family !== 'software')
    const fitting = leading.filter((p) => fits(p, account))
    const poorFitCobot = cobot && !fits(cobot, account) && rng.next() < 0.12
    const main = poorFitCobot
      ? cobot
      : fitting.length > 0 && rng.next() < 0.9
        ? rng.pick(fitting)
        : rng.pick(leading)
    const id = rng.uuidv7(createdAt)
    // Fleet Manager (its profile: 200 employees or more) rides along only where it fits.
    const withFleet = rng.next() < 0.35 && account.employees >= 200
    const items = [
      main,
      ...(withFleet ? [products[2]] : []),
      ...(rng.next() < 0.4 ? [products[5]] : []),
    ]
      .filter(
        (p, i, all): p is (typeof products)[number] => p !== undefined && all.indexOf(p) === i,
      )
      .map((p, position) => ({
        workspaceId,
        id: rng.uuidv7(createdAt),
        dealId: id,
        productId: p.id,
        quantity:
          p.family === 'services' || p.family === 'software'
            ? 1
            : rng.int(1, account.employees >= 2000 ? 12 : 4),
        unitPrice: Math.round(p.price * (0.85 + rng.next() * 0.2)),
        position,
      }))
    lineItems.push(...items)
    const amount = items.reduce((s, li) => s + li.unitPrice * Number(li.quantity), 0)

    const cycle =
      (account.employees >= 2000
        ? rng.int(60, 200)
        : account.employees >= 200
          ? rng.int(35, 120)
          : rng.int(14, 60)) * day
    const ageAtEnd = end - createdAt.getTime()
    const closes = ageAtEnd > cycle
    const winChance =
      (poorFitCobot ? 0.45 : fits(main, account) ? 0.32 : 0.15) + (expansion ? 0.2 : 0)
    const outcome = !closes ? 'open' : rng.next() < winChance ? 'won' : 'lost'
    const lastOpen =
      outcome === 'won'
        ? open.length - 1
        : outcome === 'lost'
          ? rng.int(0, open.length - 1)
          : Math.min(open.length - 1, Math.floor((ageAtEnd / cycle) * open.length))
    let at = createdAt.getTime()
    let from: string | null = null
    const path = [
      ...open.slice(0, lastOpen + 1),
      ...(outcome === 'won' ? [won] : outcome === 'lost' ? [lost] : []),
    ]
    for (const [i, stage] of path.entries()) {
      if (i > 0) at = Math.min(end, at + (cycle / path.length) * (0.5 + rng.next()))
      changes.push({
        workspaceId,
        id: rng.uuidv7(new Date(at)),
        dealId: id,
        fromStageId: from,
        toStageId: stage.id,
        changedAt: new Date(at),
        changedBy: account.ownerId,
      })
      from = stage.id
    }
    const current = path.at(-1) ?? open[0]
    if (!current) continue
    const closedAt = outcome === 'open' ? null : new Date(at)
    const lossReason = outcome === 'lost' ? weighted(rng, lossReasons) : null
    if (outcome === 'won') wonAccounts.add(account.id)
    const firstDeal = firstDealAt.get(account.id)
    if (!firstDeal || createdAt < firstDeal) firstDealAt.set(account.id, createdAt)
    const firstWon = firstWonAt.get(account.id)
    if (closedAt && outcome === 'won' && (!firstWon || closedAt < firstWon))
      firstWonAt.set(account.id, closedAt)
    const campaign = input.campaigns.find(
      (c) =>
        c.startsOn &&
        c.endsOn &&
        c.startsOn <= createdAt.toISOString().slice(0, 10) &&
        createdAt.toISOString().slice(0, 10) <= c.endsOn &&
        rng.next() < 0.5,
    )
    deals.push({
      workspaceId,
      id,
      name: `${account.name} · ${main.name}${expansion ? ' (expansion)' : ''}`,
      accountId: account.id,
      pipelineId: pipeline.id,
      stageId: current.id,
      amount,
      currency: 'USD',
      closeDate: new Date(closedAt ? closedAt.getTime() : createdAt.getTime() + cycle)
        .toISOString()
        .slice(0, 10),
      ownerId: account.ownerId,
      forecastCategory: forecastOf(outcome, current),
      lossReason,
      lossCompetitor: lossReason === 'competitor' ? rng.pick(competitors) : null,
      marketingCouldHelp:
        outcome === 'lost'
          ? weighted(rng, [
              ['yes', 3],
              ['no', 5],
              ['unsure', 2],
            ] as const)
          : null,
      // A pushed Cobot Lite does not solve what the customer needs: the fit guard's case.
      needs: poorFitCobot
        ? ['warehouse_throughput', 'pick_rate', 'visibility']
        : [
            ...(needsByProduct[main.name] ?? []),
            ...(withFleet ? (needsByProduct['Fleet Manager'] ?? []) : []),
          ],
      sourceCampaignId: campaign?.id ?? null,
      closedAt,
      createdAt,
      updatedAt: new Date(at),
    })
    const buyers =
      rng.next() < 0.5
        ? (contactsByAccount.get(account.id) ?? []).slice(0, rng.int(1, 4))
        : (contactsByAccount.get(account.id) ?? []).slice(0, 1)
    for (const [i, c] of buyers.entries()) {
      dealContacts.push({
        workspaceId,
        dealId: id,
        contactId: c.id,
        role: i === 0 ? 'champion' : rng.pick(['decision_maker', 'user', 'technical_evaluator']),
        isPrimary: i === 0,
      })
    }
    const primary = buyers[0]
    const steps = rng.int(3, 9)
    for (let s = 0; s < steps; s++) {
      const occurred = new Date(
        createdAt.getTime() + ((at - createdAt.getTime()) * s) / steps + rng.int(0, 8) * 3_600_000,
      )
      const type: ActivityType = weighted(rng, [
        ['call', 4],
        ['email', 4],
        ['meeting', 2],
        ['note', 1],
      ] as const)
      const activityId = rng.uuidv7(occurred)
      activities.push({
        workspaceId,
        id: activityId,
        type,
        subject: `${type === 'meeting' ? 'Meeting' : type === 'call' ? 'Call' : type === 'email' ? 'Email' : 'Note'}: ${['intro', 'discovery', 'demo follow-up', 'pricing', 'next steps'][s % 5]}`,
        contactId: primary?.id ?? null,
        accountId: account.id,
        dealId: id,
        ownerId: account.ownerId,
        occurredAt: occurred,
        doneAt: occurred,
        outcome: type === 'call' ? rng.pick(['connected', 'left_voicemail', 'no_answer']) : null,
        createdAt: occurred,
        updatedAt: occurred,
      })
      if (type !== 'note') {
        touchpoints.push({
          workspaceId,
          occurredAt: occurred,
          id: rng.uuidv7(occurred),
          contactId: primary?.id ?? null,
          accountId: account.id,
          type: type === 'email' ? 'sales_email' : type,
          channel: 'sales',
          activityId,
          createdAt: occurred,
        })
      }
    }
    if (outcome === 'open' && rng.next() < 0.6) {
      const due = new Date(end + rng.int(-2, 10) * day)
      activities.push({
        workspaceId,
        id: rng.uuidv7(due),
        type: 'task' as const,
        subject: `Follow up: ${current.name.toLowerCase()}`,
        contactId: primary?.id ?? null,
        accountId: account.id,
        dealId: id,
        ownerId: account.ownerId,
        occurredAt: null,
        doneAt: null,
        dueAt: due,
        outcome: null,
        createdAt: new Date(end - day),
        updatedAt: new Date(end - day),
      })
    }
  }
  return {
    products,
    pipelines,
    stageRows,
    deals,
    changes,
    dealContacts,
    lineItems,
    activities,
    touchpoints,
    firstDealAt,
    firstWonAt,
  }
}
