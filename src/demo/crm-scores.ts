import { type Insertable, type Kysely, sql } from 'kysely'
import { productFit } from '../domain/product-fit.ts'
import type { DB, DealLineFit } from '../server/db/schema.ts'
import { rescore } from '../server/scoring/engine.ts'
import { ensureTouchpointPartitions } from '../server/touchpoints/partitions.ts'
import { weighted } from './crm-deals.ts'
import type { SeededRandom } from './random.ts'

// Scores and the product-fit guard (issue 9) on the demo world: marketing's fit and engagement
// rules; every deal's product fit from its products' ideal customer profiles; customers that
// churned, asked for a refund or downgraded — far more often after buying Cobot Lite while not
// fitting it (the demo's deals push it onto small and off-profile accounts), which the regret
// report must show; and a sales manager's overrides of the fit guard on a few of those deals.

interface ScoresOptions {
  workspaceId: string
  rng: SeededRandom
  asOf: Date
  /** The sales manager who overrides the fit guard, and the name shown in the audit log. */
  manager: { id: string; name: string }
}

const day = 86_400_000

/** The demo's scoring rules: what marketing agreed with sales makes a lead worth a call. */
export const demoScoringRules = [
  {
    kind: 'fit',
    name: 'Target industry',
    condition: {
      all: [
        {
          field: 'account.industry',
          op: 'in',
          value: ['logistics', 'manufacturing', 'automotive', 'electronics'],
        },
      ],
    },
    points: 30,
  },
  {
    kind: 'fit',
    name: 'Mid-market or larger',
    condition: { all: [{ field: 'account.employees', op: 'gte', value: 200 }] },
    points: 25,
  },
  {
    kind: 'fit',
    name: 'Economic buyer',
    condition: { all: [{ field: 'persona', op: 'eq', value: 'economic_buyer' }] },
    points: 20,
  },
  {
    kind: 'fit',
    name: 'Technical buyer or champion',
    condition: { all: [{ field: 'persona', op: 'in', value: ['technical_buyer', 'champion'] }] },
    points: 10,
  },
  {
    kind: 'fit',
    name: 'Very small company',
    condition: { all: [{ field: 'account.employees', op: 'lt', value: 20 }] },
    points: -20,
  },
  {
    kind: 'engagement',
    name: 'Form submitted',
    condition: { types: ['form_submit'] },
    points: 25,
  },
  {
    kind: 'engagement',
    name: 'Webinar attended',
    condition: { types: ['webinar'] },
    points: 20,
  },
  {
    kind: 'engagement',
    name: 'Pricing page',
    condition: { types: ['page_view'], urlContains: '/pricing' },
    points: 15,
  },
  {
    kind: 'engagement',
    name: 'Content download',
    condition: { types: ['content_download'] },
    points: 10,
  },
  {
    kind: 'engagement',
    name: 'Email click',
    condition: { types: ['email_click'] },
    points: 5,
  },
  {
    kind: 'engagement',
    name: 'Any page view',
    condition: { types: ['page_view'] },
    points: 2,
  },
] as const

/** Inserts the demo's scoring rules (created a year before asOf). */
export async function plantScoringRules(
  db: Kysely<DB>,
  options: Pick<ScoresOptions, 'workspaceId' | 'rng' | 'asOf'>,
) {
  const createdAt = new Date(options.asOf.getTime() - 365 * day)
  const positions = { fit: 0, engagement: 0 }
  await db
    .insertInto('scoringRules')
    .values(
      demoScoringRules.map((rule) => ({
        workspaceId: options.workspaceId,
        id: options.rng.uuidv7(createdAt),
        kind: rule.kind,
        name: rule.name,
        position: positions[rule.kind]++,
        condition: JSON.stringify(rule.condition),
        points: rule.points,
        createdAt,
        updatedAt: createdAt,
      })),
    )
    .execute()
  return { scoringRules: demoScoringRules.length }
}

interface DealRow {
  id: string
  name: string
  accountId: string | null
  needs: string[]
  closedAt: Date | null
  isWon: boolean
  isProposalOrLater: boolean
  industry: string | null
  employees: number | null
  region: string | null
}

/**
 * Each deal's product fit (the lowest line's, DEFINITIONS.md "Product fit"), the fit of won deals
 * when they were won, what happened to customers after the sale, and the fit guard's overrides.
 */
export async function plantProductFit(db: Kysely<DB>, options: ScoresOptions) {
  const { workspaceId, rng, asOf } = options
  const products = await db
    .selectFrom('products')
    .select(['id', 'name', 'icpIndustries', 'icpEmployeesMin', 'icpEmployeesMax'])
    .select(['icpRegions', 'icpProblems'])
    .where('workspaceId', '=', workspaceId)
    .execute()
  const productOf = new Map(products.map((p) => [p.id, p]))
  const deals = (
    await sql<DealRow>`
      select d.id, d.name, d.account_id, d.needs, d.closed_at, s.is_won, s.is_proposal_or_later,
        a.industry, a.employees, a.region
      from deals d
      join stages s on s.workspace_id = d.workspace_id and s.id = d.stage_id
      left join accounts a on a.workspace_id = d.workspace_id and a.id = d.account_id
      where d.workspace_id = ${workspaceId} and d.deleted_at is null
      order by d.id`.execute(db)
  ).rows
  const lines = await db
    .selectFrom('dealLineItems')
    .select(['dealId', 'productId'])
    .where('workspaceId', '=', workspaceId)
    .orderBy('dealId')
    .orderBy('position')
    .execute()
  const linesOf = new Map<string, string[]>()
  for (const line of lines) {
    const list = linesOf.get(line.dealId) ?? []
    list.push(line.productId)
    linesOf.set(line.dealId, list)
  }

  const updates: {
    id: string
    productFit: number | null
    fitDetails: DealLineFit[]
    wonFit: number | null
    churnedOn: string | null
    refundedOn: string | null
    downgradedOn: string | null
    override: boolean
  }[] = []
  const threshold = 40
  let overrides = 0
  for (const deal of deals) {
    const details: DealLineFit[] = []
    for (const productId of new Set(linesOf.get(deal.id) ?? [])) {
      const product = productOf.get(productId)
      if (!product) continue
      const result = productFit(
        {
          industries: product.icpIndustries,
          employeesMin: product.icpEmployeesMin,
          employeesMax: product.icpEmployeesMax,
          regions: product.icpRegions,
          problems: product.icpProblems,
        },
        {
          industry: deal.industry,
          employees: deal.employees,
          region: deal.region,
          needs: deal.needs,
        },
      )
      details.push({ productId, productName: product.name, ...result })
    }
    const fit = details.length === 0 ? null : Math.min(...details.map((d) => d.fit))
    const poorFit = fit !== null && fit < threshold
    const won = deal.isWon && deal.closedAt !== null
    // What happened after the sale: a customer sold what does not fit churns far more often.
    const after = (odds: number) => {
      if (!won || !deal.closedAt || rng.next() >= odds) return null
      const at = deal.closedAt.getTime() + rng.int(20, 170) * day
      return at <= asOf.getTime() ? new Date(at).toISOString().slice(0, 10) : null
    }
    const churnedOn = after(poorFit ? 0.4 : 0.06)
    const refundedOn = churnedOn ? null : after(poorFit ? 0.1 : 0.02)
    const downgradedOn = churnedOn || refundedOn ? null : after(poorFit ? 0.15 : 0.05)
    // A manager let a few poor-fit deals go to the proposal anyway, saying why.
    const override = poorFit && deal.isProposalOrLater && overrides < 12 && rng.next() < 0.05
    if (override) overrides++
    updates.push({
      id: deal.id,
      productFit: fit,
      fitDetails: details,
      wonFit: won ? fit : null,
      churnedOn,
      refundedOn,
      downgradedOn,
      override,
    })
  }

  const reasons = [
    'Customer insists on a pilot at one site first; we agreed on a 90-day exit clause.',
    'Strategic logo for the region; the account manager will review fit after the pilot.',
    'The buyer accepted the size gap in writing; support plan upgraded to cover it.',
  ]
  for (let i = 0; i < updates.length; i += 1000) {
    const chunk = updates.slice(i, i + 1000)
    await sql`
      update deals d set product_fit = u.product_fit, fit_details = u.fit_details,
        won_fit = u.won_fit, churned_on = u.churned_on, refunded_on = u.refunded_on,
        downgraded_on = u.downgraded_on,
        fit_override_by = case when u.override then ${options.manager.id}::uuid end,
        fit_override_reason = case when u.override then u.reason end,
        fit_override_at = case when u.override then d.created_at + interval '10 days' end
      from jsonb_to_recordset(${JSON.stringify(
        chunk.map((u, n) => ({
          id: u.id,
          product_fit: u.productFit,
          fit_details: u.fitDetails,
          won_fit: u.wonFit,
          churned_on: u.churnedOn,
          refunded_on: u.refundedOn,
          downgraded_on: u.downgradedOn,
          override: u.override,
          reason: reasons[(i + n) % reasons.length],
        })),
      )}::jsonb) as u(id uuid, product_fit smallint, fit_details jsonb, won_fit smallint,
        churned_on date, refunded_on date, downgraded_on date, override boolean, reason text)
      where d.workspace_id = ${workspaceId} and d.id = u.id`.execute(db)
  }
  const overridden = await db
    .selectFrom('deals')
    .select(['id', 'name', 'productFit', 'fitOverrideReason', 'fitOverrideAt'])
    .where('workspaceId', '=', workspaceId)
    .where('fitOverrideBy', 'is not', null)
    .execute()
  if (overridden.length > 0) {
    await db
      .insertInto('auditLog')
      .values(
        overridden.map((deal) => ({
          workspaceId,
          id: rng.uuidv7(deal.fitOverrideAt ?? asOf),
          at: deal.fitOverrideAt ?? asOf,
          actorType: 'user' as const,
          actorId: options.manager.id,
          actorName: options.manager.name,
          action: 'deal.fit_override',
          targetType: 'deal',
          targetId: deal.id,
          details: JSON.stringify({
            name: deal.name,
            productFit: deal.productFit,
            threshold,
            reason: deal.fitOverrideReason,
          }),
        })),
      )
      .execute()
  }
  return {
    poorFitDeals: updates.filter((u) => u.productFit !== null && u.productFit < threshold).length,
    churnedDeals: updates.filter((u) => u.churnedOn).length,
    fitOverrides: overridden.length,
  }
}

const engagementTouches = [
  ['page_view', 34],
  ['pricing', 10],
  ['email_open', 20],
  ['email_click', 14],
  ['content_download', 10],
  ['webinar', 6],
  ['form_submit', 6],
] as const

/**
 * What the last 120 days of marketing look like: a share of the open leads and subscribers keep
 * reading emails, visiting the site (some the pricing page), downloading and attending webinars —
 * a few of them a lot, lately (the hot leads the engagement score must find). Sales touches and
 * the leads' creation touches are planted with the CRM; these are the nurture that follows.
 */
export async function plantEngagement(
  db: Kysely<DB>,
  options: Pick<ScoresOptions, 'workspaceId' | 'rng' | 'asOf'>,
) {
  const { workspaceId, rng, asOf } = options
  const from = new Date(asOf.getTime() - 120 * day)
  await ensureTouchpointPartitions(db, from, asOf)
  const contacts = await db
    .selectFrom('contacts')
    .select(['id', 'accountId'])
    .where('workspaceId', '=', workspaceId)
    .where('lifecycleStage', 'in', ['subscriber', 'lead', 'recycled'])
    .where('email', 'is not', null)
    .where('deletedAt', 'is', null)
    .where('mergedInto', 'is', null)
    .orderBy('id')
    .execute()
  const touchpoints: Insertable<DB['touchpoints']>[] = []
  for (const contact of contacts) {
    const draw = rng.next()
    if (draw >= 0.2) continue
    // One in ten of the engaged is hot: many touches, most in the last three weeks.
    const hot = draw < 0.02
    const count = hot ? rng.int(6, 14) : rng.int(1, 5)
    for (let i = 0; i < count; i++) {
      const ageDays = hot && rng.next() < 0.8 ? rng.next() * 21 : rng.next() * 120
      const occurredAt = new Date(asOf.getTime() - ageDays * day)
      const kind = weighted(rng, engagementTouches)
      const type = kind === 'pricing' ? 'page_view' : kind
      const path =
        kind === 'pricing'
          ? '/pricing'
          : type === 'page_view'
            ? rng.pick(['/', '/products/amr-100', '/customers', '/blog/warehouse-automation'])
            : null
      touchpoints.push({
        workspaceId,
        occurredAt,
        id: rng.uuidv7(occurredAt),
        contactId: contact.id,
        accountId: contact.accountId,
        type,
        eventName: null,
        channel: type.startsWith('email') ? 'email' : type === 'webinar' ? 'events' : 'direct',
        campaignId: null,
        url: path ? `https://northwind.example${path}` : null,
        properties: JSON.stringify(path ? { path } : {}),
        createdAt: occurredAt,
        receivedAt: occurredAt,
      })
    }
  }
  for (let i = 0; i < touchpoints.length; i += 1000) {
    await db
      .insertInto('touchpoints')
      .values(touchpoints.slice(i, i + 1000))
      .execute()
  }
  return { engagementTouches: touchpoints.length }
}

/**
 * Every contact's fit and engagement as of asOf, with a history: the workspace is scored as it
 * stood at a few past moments (the touches made by then, decayed), then at asOf. The MQL hook does
 * not run (the demo's lifecycle and handoffs are planted as they happened), and the queue the
 * seeding's inserts filled is emptied: nothing waits to be rescored when the demo starts.
 */
export async function plantScores(
  db: Kysely<DB>,
  options: Pick<ScoresOptions, 'workspaceId' | 'asOf'>,
) {
  const { workspaceId, asOf } = options
  // The seeding's tables have no statistics yet: without them the planner joins touches and
  // contacts by nested loops, and scoring takes minutes instead of seconds.
  await sql`analyze contacts, accounts, touchpoints, lifecycle_entries`.execute(db)
  let changed = 0
  for (const daysAgo of [90, 60, 30, 7, 0]) {
    const at = new Date(asOf.getTime() - daysAgo * day)
    const result = await rescore(db, workspaceId, 'all', daysAgo === 0 ? 'rules' : 'decay', at, {
      qualify: false,
    })
    changed += result.changed
  }
  await db.deleteFrom('scoreQueue').where('workspaceId', '=', workspaceId).execute()
  return { scoreChanges: changed }
}
