import type { Kysely } from 'kysely'
import type { DB, FeedbackTagEntity, FeedbackTagKind } from '../server/db/schema.ts'
import { defaultObjections } from '../server/feedback/service.ts'
import type { SeededRandom } from './random.ts'

// The Bridge (issue 8) on the demo world: the default objections and a competitor tag for each
// competitor the lost deals name, and the tags sales put on lost deals, rejected handoffs and a
// share of its calls. Objections follow the record's reason (a no_budget rejection mostly says
// "No budget this year"), so the voice of sales tells the same story as the reasons.

interface FeedbackOptions {
  workspaceId: string
  rng: SeededRandom
  asOf: Date
}

interface Link {
  workspaceId: string
  tagId: string
  entity: FeedbackTagEntity
  entityId: string
  createdAt: Date
  createdBy: string | null
}

type Odds = readonly (readonly [string, number])[]

// Per reason: the objections a rep tags, each with its chance.
const byLossReason: Record<string, Odds> = {
  price: [
    ['Price too high', 0.85],
    ['Switching cost', 0.15],
  ],
  competitor: [
    ['Already uses a competitor', 0.35],
    ['Price too high', 0.25],
    ['Switching cost', 0.2],
  ],
  no_decision: [
    ['Needs approval', 0.6],
    ['Timing', 0.25],
  ],
  budget_cut: [['No budget this year', 0.9]],
  timing: [['Timing', 0.85]],
  product_gap: [['Missing integration', 0.7]],
  legal_security_procurement: [['Security/compliance review', 0.9]],
  no_access_to_decision_maker: [['Needs approval', 0.7]],
}
const byRejection: Record<string, Odds> = {
  no_budget: [
    ['No budget this year', 0.75],
    ['Price too high', 0.2],
  ],
  bad_timing: [['Timing', 0.7]],
  no_need: [['Already uses a competitor', 0.35]],
  no_response: [],
}
// What buyers say on calls, most often first.
const callObjections: Odds = [
  ['Price too high', 0.3],
  ['Timing', 0.18],
  ['Missing integration', 0.14],
  ['Needs approval', 0.12],
  ['Security/compliance review', 0.1],
  ['Already uses a competitor', 0.08],
  ['No budget this year', 0.05],
  ['Switching cost', 0.03],
]

function draw(rng: SeededRandom, odds: Odds): string[] {
  return odds.filter(([, chance]) => rng.next() < chance).map(([name]) => name)
}

/** One objection, weighted by the odds (which sum to at most 1). */
function weighted(rng: SeededRandom, odds: Odds): string {
  let x = rng.next() * odds.reduce((sum, [, chance]) => sum + chance, 0)
  for (const [name, chance] of odds) {
    x -= chance
    if (x < 0) return name
  }
  return odds[0]?.[0] ?? ''
}

export async function plantFeedback(db: Kysely<DB>, options: FeedbackOptions) {
  const { workspaceId, rng, asOf } = options
  const competitors = (
    await db
      .selectFrom('deals')
      .select('lossCompetitor')
      .distinct()
      .where('workspaceId', '=', workspaceId)
      .where('lossCompetitor', 'is not', null)
      .orderBy('lossCompetitor')
      .execute()
  ).map((row) => row.lossCompetitor as string)
  const tags = [
    ...defaultObjections.map((tag) => ({ kind: 'objection' as FeedbackTagKind, ...tag })),
    ...competitors.map((name) => ({
      kind: 'competitor' as FeedbackTagKind,
      name,
      description: null,
    })),
  ].map((tag) => ({ workspaceId, id: rng.uuidv7(asOf), createdAt: asOf, updatedAt: asOf, ...tag }))
  if (tags.length > 0) await db.insertInto('feedbackTags').values(tags).execute()
  const idOf = new Map(tags.map((tag) => [`${tag.kind}:${tag.name}`, tag.id]))
  const objection = (name: string) => idOf.get(`objection:${name}`)
  const competitor = (name: string) => idOf.get(`competitor:${name}`)
  const links: Link[] = []
  const add = (
    entity: FeedbackTagEntity,
    entityId: string,
    tagIds: (string | undefined)[],
    createdAt: Date,
    createdBy: string | null,
  ) => {
    for (const tagId of new Set(tagIds)) {
      if (tagId) links.push({ workspaceId, tagId, entity, entityId, createdAt, createdBy })
    }
  }

  // Lost deals: the competitor named on the loss, and the objections its reason suggests; four in
  // five reps bother to tag.
  const lost = await db
    .selectFrom('deals as d')
    .innerJoin('stages as s', (j) =>
      j.onRef('s.workspaceId', '=', 'd.workspaceId').onRef('s.id', '=', 'd.stageId'),
    )
    .select(['d.id', 'd.lossReason', 'd.lossCompetitor', 'd.ownerId', 'd.closedAt', 'd.createdAt'])
    .where('d.workspaceId', '=', workspaceId)
    .where('s.isLost', '=', true)
    .where('d.deletedAt', 'is', null)
    .orderBy('d.id')
    .execute()
  for (const deal of lost) {
    if (rng.next() >= 0.8) continue
    const names = draw(rng, byLossReason[deal.lossReason ?? ''] ?? [])
    add(
      'deal',
      deal.id,
      [...names.map(objection), deal.lossCompetitor ? competitor(deal.lossCompetitor) : undefined],
      deal.closedAt ?? deal.createdAt,
      deal.ownerId,
    )
  }

  // Rejected handoffs: two in three carry what the lead said; no_need leads often use a rival.
  const rejected = await db
    .selectFrom('handoffs')
    .select(['id', 'rejectionReason', 'decidedBy', 'decidedAt', 'createdAt'])
    .where('workspaceId', '=', workspaceId)
    .where('status', '=', 'rejected')
    .orderBy('id')
    .execute()
  for (const handoff of rejected) {
    if (rng.next() >= 0.65) continue
    const names = draw(rng, byRejection[handoff.rejectionReason ?? ''] ?? [])
    const rival =
      names.includes('Already uses a competitor') && competitors.length > 0 && rng.next() < 0.7
        ? competitor(rng.pick(competitors))
        : undefined
    add(
      'handoff',
      handoff.id,
      [...names.map(objection), rival],
      handoff.decidedAt ?? handoff.createdAt,
      handoff.decidedBy,
    )
  }

  // Calls: about one in eight records an objection, sometimes with a competitor mentioned.
  const calls = await db
    .selectFrom('activities')
    .select(['id', 'ownerId', 'occurredAt', 'createdAt'])
    .where('workspaceId', '=', workspaceId)
    .where('type', '=', 'call')
    .where('deletedAt', 'is', null)
    .orderBy('id')
    .execute()
  for (const call of calls) {
    if (rng.next() >= 0.12) continue
    const names = [weighted(rng, callObjections)]
    if (rng.next() < 0.2) names.push(weighted(rng, callObjections))
    const rival =
      competitors.length > 0 && rng.next() < 0.3 ? competitor(rng.pick(competitors)) : undefined
    add(
      'activity',
      call.id,
      [...names.map(objection), rival],
      call.occurredAt ?? call.createdAt,
      call.ownerId,
    )
  }

  for (let i = 0; i < links.length; i += 5000) {
    await db
      .insertInto('feedbackTagLinks')
      .values(links.slice(i, i + 5000))
      .execute()
  }
  return { feedbackTags: tags.length, feedbackTagLinks: links.length }
}
