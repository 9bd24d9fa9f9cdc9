/**
 * The demo world's always-on programmes (issue 14): three campaigns that run through the last
 * fifteen months to today with steady weekly spend, so the Telescope's weekly trends have
 * campaigns running now. Planted truths: brand search and the newsletter are stable; the LinkedIn
 * lead-gen programme, steady for a year, decays over the last five weeks — its MQLs fall by half
 * every week and a half and sales accepts fewer of them, while its spend stays the same, so its cost
 * per MQL climbs. The change test must flag it and leave the stable ones alone.
 *
 * They take MQLs that had no campaign (most of the demo's people came before tracking), a week at
 * a time: a share of the week's campaign-less handoffs, capped so that a stable programme stays
 * stable while the world grows.
 */
import { type Kysely, sql } from 'kysely'
import type { DB } from '../server/db/schema.ts'
import { insertInChunks } from './crm.ts'
import type { SeededRandom } from './random.ts'

const day = 86_400_000
const week = 7 * day

interface TrendsOptions {
  workspaceId: string
  rng: SeededRandom
  asOf: Date
  ownerId: string | null
}

interface Programme {
  name: string
  channel: string
  type: string
  utm: string
  /** Share of the week's campaign-less MQLs it takes, and at most how many. */
  share: number
  cap: number
  /** Weekly spend in minor units (USD). */
  weeklySpend: number
  decays: boolean
}

export const decayingProgramme = 'Always-on: LinkedIn lead gen'

const programmes: Programme[] = [
  {
    name: 'Always-on: brand search',
    channel: 'paid_search',
    type: 'ppc',
    utm: 'always-on-brand-search',
    share: 0.3,
    cap: 8,
    weeklySpend: 60_000,
    decays: false,
  },
  {
    name: decayingProgramme,
    channel: 'paid_social',
    type: 'lead_gen',
    utm: 'always-on-linkedin-lead-gen',
    share: 0.5,
    cap: 20,
    weeklySpend: 90_000,
    decays: true,
  },
  {
    name: 'Always-on: newsletter',
    channel: 'email',
    type: 'newsletter',
    utm: 'always-on-newsletter',
    share: 0.25,
    cap: 7,
    weeklySpend: 15_000,
    decays: false,
  },
]

/** How long it has been decaying (weeks before the demo's day), and how fast (halving time). */
const decayWeeks = 5
const halvingWeeks = 1.5

/** The decaying programme's strength at `at`: 1 until its decay began, then halving every week and a half. */
function strength(at: number, asOf: number): number {
  const began = asOf - decayWeeks * week
  return at <= began ? 1 : 0.5 ** ((at - began) / (halvingWeeks * week))
}

export async function plantTrends(db: Kysely<DB>, options: TrendsOptions) {
  const { rng, workspaceId, asOf } = options
  const now = asOf.getTime()
  const startsAt = now - 65 * week
  const campaigns = programmes.map((p) => ({
    workspaceId,
    id: rng.uuidv7(new Date(startsAt)),
    name: p.name,
    channel: p.channel,
    type: p.type,
    startsOn: new Date(startsAt).toISOString().slice(0, 10),
    endsOn: null,
    budget: Math.round((p.weeklySpend * 52) / 100_000) * 100_000,
    currency: 'USD',
    utmCampaigns: [p.utm],
    goalLeads: null,
    goalMqls: p.cap * 52,
    goalPipeline: null,
    ownerId: options.ownerId,
    createdAt: new Date(startsAt - 14 * day),
    updatedAt: new Date(startsAt - 14 * day),
  }))
  await insertInChunks(db, 'campaigns', campaigns)
  const costs = []
  for (const [i, p] of programmes.entries()) {
    const campaign = campaigns[i]
    if (!campaign) continue
    for (let t = startsAt; t < now; t += week) {
      costs.push({
        workspaceId,
        id: rng.uuidv7(new Date(t)),
        campaignId: campaign.id,
        incurredOn: new Date(t).toISOString().slice(0, 10),
        amount: Math.round(p.weeklySpend * (0.95 + rng.next() * 0.1)),
        currency: 'USD',
        note: 'Weekly spend',
      })
    }
  }
  await insertInChunks(db, 'campaignCosts', costs)

  // The campaign-less MQLs of the programmes' span, week by week.
  const pool = await db
    .selectFrom('handoffs')
    .select(['id', 'createdAt', 'status'])
    .where('workspaceId', '=', workspaceId)
    .where('campaignId', 'is', null)
    .where('createdAt', '>=', new Date(startsAt))
    .orderBy('createdAt')
    .orderBy('id')
    .execute()
  const weeks = new Map<number, typeof pool>()
  for (const h of pool) {
    const w = Math.floor((h.createdAt.getTime() - startsAt) / week)
    weeks.set(w, [...(weeks.get(w) ?? []), h])
  }
  const assigned: { id: string; campaignId: string }[] = []
  for (const handoffs of weeks.values()) {
    let left = rng.shuffle(handoffs)
    for (const [i, p] of programmes.entries()) {
      const campaign = campaigns[i]
      if (!campaign || left.length === 0) continue
      const at = left[0]?.createdAt.getTime() ?? now
      const level = p.decays ? strength(at, now) : 1
      const wanted = Math.min(
        Math.round(handoffs.length * p.share * level * (0.85 + rng.next() * 0.3)),
        Math.round(p.cap * level),
      )
      // A decaying programme's leads are turned down more: it takes the rejected ones first, the
      // more so the further it has decayed.
      const ranked = p.decays
        ? left
            .map((h) => ({ h, key: weight(h.status, level, rng.next()) }))
            .sort((a, b) => a.key - b.key)
            .map(({ h }) => h)
        : left
      const taken = new Set(ranked.slice(0, wanted).map((h) => h.id))
      for (const id of taken) assigned.push({ id, campaignId: campaign.id })
      left = left.filter((h) => !taken.has(h.id))
    }
  }
  for (let i = 0; i < assigned.length; i += 1000) {
    const chunk = assigned.slice(i, i + 1000)
    await sql`
      update handoffs h set campaign_id = a.campaign_id::uuid
      from jsonb_to_recordset(${JSON.stringify(chunk.map((a) => ({ id: a.id, campaign_id: a.campaignId })))}::jsonb)
        as a (id uuid, campaign_id text)
      where h.workspace_id = ${workspaceId} and h.id = a.id
    `.execute(db)
  }
  return {
    alwaysOnCampaigns: campaigns.length,
    decayingCampaign: decayingProgramme,
    alwaysOnMqls: assigned.length,
  }
}

/** Lower comes first: rejected handoffs rank ahead of accepted ones as the programme decays. */
function weight(status: string, level: number, draw: number): number {
  const penalty = status === 'accepted' ? 1 - level : 0
  return draw + penalty * 1.5
}
