import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { at, type journeyIds, plantJourneys } from '../../../test/attribution-world.ts'
import { makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { makeRandom } from '../../domain/random.ts'
import type { ComputedAttribution } from './compute.ts'
import { runIncrementalAttribution } from './incremental.ts'
import { recomputeAttribution } from './recompute.ts'

let t: TestApp
let admin: Session
let workspaceId: string
let ids: ReturnType<typeof journeyIds>
let stages: { id: string; pipelineId: string; isWon: boolean; isLost: boolean }[]

beforeAll(async () => {
  t = await createTestApp()
  const made = await makeWorkspace(t, 'Incremental Co')
  admin = made.owner
  workspaceId = made.workspaceId
  ids = await plantJourneys(t, admin, workspaceId)
  stages = await t.ctx.db
    .selectFrom('stages')
    .select(['id', 'pipelineId', 'isWon', 'isLost'])
    .where('workspaceId', '=', workspaceId)
    .orderBy('position')
    .execute()
})
afterAll(() => t.close())

/**
 * Every rollup (credits rounded to 1e-6), every credit and every contribution's subject and date
 * (what the drill-down under other models lists), in a stable order.
 */
async function snapshot() {
  const rollups = await t.ctx.db
    .selectFrom('attributionRollups')
    .select([
      'model',
      'conversion',
      'month',
      'kind',
      'channel',
      'campaignId',
      'conversions',
      'revenue',
    ])
    .where('workspaceId', '=', workspaceId)
    .execute()
  const credits = await t.ctx.db
    .selectFrom('attributionCredits')
    .select(['conversion', 'subjectId', 'kind', 'touchpointId', 'credit', 'revenue', 'convertedAt'])
    .where('workspaceId', '=', workspaceId)
    .execute()
  const contributions = await t.ctx.db
    .selectFrom('attributionContributions')
    .select(['conversion', 'subjectId', 'convertedAt'])
    .where('workspaceId', '=', workspaceId)
    .execute()
  const line = (values: unknown[]) => values.map((v) => String(v)).join('|')
  return {
    contributions: contributions
      .map((c) => line([c.conversion, c.subjectId, c.convertedAt.toISOString()]))
      .sort(),
    rollups: rollups
      .map((r) =>
        line([
          r.model,
          r.conversion,
          r.month,
          r.kind,
          r.channel,
          r.campaignId,
          r.conversions.toFixed(6),
          r.revenue,
        ]),
      )
      .sort(),
    credits: credits
      .map((c) =>
        line([
          c.conversion,
          c.subjectId,
          c.kind,
          c.touchpointId,
          c.credit.toFixed(6),
          c.revenue,
          c.convertedAt.toISOString(),
        ]),
      )
      .sort(),
  }
}

async function weights() {
  const run = await t.ctx.db
    .selectFrom('attributionRuns')
    .select('weights')
    .where('workspaceId', '=', workspaceId)
    .executeTakeFirstOrThrow()
  return run.weights as ComputedAttribution['weights']
}

async function drain() {
  let runs = 0
  while (await runIncrementalAttribution(t.ctx.db, workspaceId)) runs++
  return runs
}

async function queued() {
  return t.ctx.db
    .selectFrom('attributionQueue')
    .select(['subject', 'id'])
    .where('workspaceId', '=', workspaceId)
    .execute()
}

/** The incremental result must be what a full run gives with the same data-driven weights. */
async function expectSameAsFull() {
  const incremental = await snapshot()
  await recomputeAttribution(t.ctx.db, workspaceId, { weights: await weights() })
  const full = await snapshot()
  expect(incremental.rollups).toEqual(full.rollups)
  expect(incremental.credits).toEqual(full.credits)
  return full
}

const channels = ['email', 'events', 'paid_search', 'organic_search', 'social', 'sales']

describe('incremental attribution', () => {
  it('waits for a first full run', async () => {
    expect((await queued()).length).toBeGreaterThan(0)
    expect(await runIncrementalAttribution(t.ctx.db, workspaceId)).toBeNull()
    await recomputeAttribution(t.ctx.db, workspaceId)
    // The full run counted every change made before it.
    expect(await queued()).toEqual([])
  })

  it('queues only what changed, and gives the same rollups and credits as a full run', async () => {
    const before = await snapshot()
    const db = t.ctx.db
    // A new webinar touch for c2 before the Acme deals were created, and a bot click (ignored).
    await db
      .insertInto('touchpoints')
      .values([
        {
          workspaceId,
          id: randomUUID(),
          contactId: ids.c2,
          accountId: ids.account,
          occurredAt: at(-20),
          type: 'page_view',
          channel: 'events',
          campaignId: ids.webinar,
        },
        {
          workspaceId,
          id: randomUUID(),
          contactId: ids.c4,
          occurredAt: at(-2),
          type: 'page_view',
          channel: 'paid_search',
          isBot: true,
        },
      ])
      .execute()
    expect((await queued()).map((q) => `${q.subject}:${q.id}`)).toEqual([`contact:${ids.c2}`])
    // The open deal is won, the lost one's amount changes, c3 becomes an MQL.
    const won = stages.find((s) => s.isWon)
    await db
      .updateTable('deals')
      .set({ stageId: won?.id as string, closedAt: at(-1) })
      .where('id', '=', ids.open)
      .execute()
    await db.updateTable('deals').set({ amount: 4500 }).where('id', '=', ids.lost).execute()
    await db
      .insertInto('lifecycleEntries')
      .values({
        workspaceId,
        id: randomUUID(),
        entity: 'contact',
        recordId: ids.c3,
        stage: 'mql',
        enteredAt: at(-4),
      })
      .execute()
    // A name change does not queue anything.
    await db
      .updateTable('deals')
      .set({ name: 'Acme robots, phase 1' })
      .where('id', '=', ids.won)
      .execute()
    expect((await queued()).map((q) => q.subject).sort()).toEqual([
      'contact',
      'contact',
      'deal',
      'deal',
    ])
    expect(await drain()).toBe(1)
    expect(await queued()).toEqual([])
    const after = await expectSameAsFull()
    expect(after.rollups).not.toEqual(before.rollups)
  })

  it('follows contacts moving account, deleted touches and deleted deals', async () => {
    const db = t.ctx.db
    await db.updateTable('contacts').set({ accountId: null }).where('id', '=', ids.c2).execute()
    await db.deleteFrom('touchpoints').where('id', '=', ids.email).execute()
    await db
      .updateTable('deals')
      .set({ deletedAt: new Date() })
      .where('id', '=', ids.noTouch)
      .execute()
    await drain()
    await expectSameAsFull()
  })

  it('matches a full run after random changes to many journeys', async () => {
    const random = makeRandom(12)
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T
    const db = t.ctx.db
    const accounts = Array.from({ length: 6 }, () => randomUUID())
    await db
      .insertInto('accounts')
      .values(accounts.map((id, i) => ({ workspaceId, id, name: `Random ${i}` })))
      .execute()
    const contacts = Array.from({ length: 24 }, () => randomUUID())
    await db
      .insertInto('contacts')
      .values(
        contacts.map((id, i) => ({
          workspaceId,
          id,
          email: `r${i}@random.example`,
          accountId: i % 5 === 0 ? null : pick(accounts),
        })),
      )
      .execute()
    const campaigns = [ids.spring, ids.webinar, null]
    const touches = (n: number) =>
      Array.from({ length: n }, () => {
        const contactId = random() < 0.9 ? pick(contacts) : null
        return {
          workspaceId,
          id: randomUUID(),
          contactId,
          accountId: contactId ? null : pick(accounts),
          occurredAt: at(-Math.floor(random() * 150)),
          type: 'page_view',
          channel: pick(channels),
          campaignId: pick(campaigns),
          isBot: random() < 0.05,
        }
      })
    const open = stages.filter((s) => !s.isWon && !s.isLost)
    const deals = Array.from({ length: 10 }, () => randomUUID())
    const dealStage = () => pick([...stages, ...open])
    await db.insertInto('touchpoints').values(touches(200)).execute()
    await db
      .insertInto('deals')
      .values(
        deals.map((id, i) => {
          const stage = dealStage()
          return {
            workspaceId,
            id,
            name: `Random deal ${i}`,
            accountId: i % 4 === 0 ? null : pick(accounts),
            pipelineId: stage.pipelineId,
            stageId: stage.id,
            amount: Math.floor(random() * 50_000),
            currency: 'USD',
            createdAt: at(-Math.floor(random() * 60)),
            closedAt: stage.isWon || stage.isLost ? at(-Math.floor(random() * 10)) : null,
          }
        }),
      )
      .execute()
    await db
      .insertInto('dealContacts')
      .values(
        deals.map((dealId) => ({
          workspaceId,
          dealId,
          contactId: pick(contacts),
          isPrimary: true,
        })),
      )
      .execute()
    await drain()
    await expectSameAsFull()

    for (let round = 0; round < 3; round++) {
      await db.insertInto('touchpoints').values(touches(40)).execute()
      for (let i = 0; i < 3; i++) {
        const stage = dealStage()
        await db
          .updateTable('deals')
          .set({
            stageId: stage.id,
            amount: Math.floor(random() * 50_000),
            closedAt: stage.isWon || stage.isLost ? at(-Math.floor(random() * 5)) : null,
          })
          .where('id', '=', pick(deals))
          .execute()
      }
      await db
        .updateTable('contacts')
        .set({ accountId: pick([...accounts, null]) })
        .where('id', '=', pick(contacts))
        .execute()
      await db
        .insertInto('lifecycleEntries')
        .values({
          workspaceId,
          id: randomUUID(),
          entity: 'contact',
          recordId: pick(contacts),
          stage: pick(['lead', 'mql', 'sql']),
          enteredAt: at(-Math.floor(random() * 30)),
        })
        .execute()
      await drain()
      await expectSameAsFull()
    }
  })
})
