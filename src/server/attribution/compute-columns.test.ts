import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { at, plantJourneys } from '../../../test/attribution-world.ts'
import { makeWorkspace } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { makeRandom } from '../../domain/random.ts'
import { poolOf, withConnection } from '../db/database.ts'
import { groupTouches, loadAttributionColumns } from './columns.ts'
import { type ComputedAttribution, computeAttribution, type RollupRow } from './compute.ts'
import { computeAttributionColumns, contactsRead } from './compute-columns.ts'
import { loadAttributionFacts } from './facts.ts'
import { type AttributionSettings, defaultAttributionSettings } from './settings.ts'

let t: TestApp
let workspaceId: string

/**
 * A random world made to catch where journeys built from columns could differ from journeys built
 * from objects: touches at the same millisecond (and microsecond) for one contact and across an
 * account's contacts, accounts' own touches, deleted and merged contacts still touched, a deal whose
 * primary contact was deleted, lead-creation touches of another contact, `sales` touches, bots,
 * deals without an account or a contact, a currency without a rate.
 */
async function plantRandomWorld(random: () => number) {
  const db = t.ctx.db
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T
  const stages = await db
    .selectFrom('stages')
    .select(['id', 'pipelineId', 'isWon', 'isLost'])
    .where('workspaceId', '=', workspaceId)
    .execute()
  const accounts = Array.from({ length: 6 }, () => randomUUID())
  await db
    .insertInto('accounts')
    .values(accounts.map((id, i) => ({ workspaceId, id, name: `Account ${i}` })))
    .execute()
  const campaigns = Array.from({ length: 3 }, () => randomUUID())
  await db
    .insertInto('campaigns')
    .values(
      campaigns.map((id, i) => ({
        workspaceId,
        id,
        name: `Campaign ${i}`,
        channel: 'paid_search',
        type: 'ads',
        currency: 'USD',
      })),
    )
    .execute()
  const contacts = Array.from({ length: 30 }, (_, i) => ({
    id: randomUUID(),
    accountId: i % 5 === 4 ? null : pick(accounts),
    deleted: i === 7 || i === 8,
    merged: i === 9,
  }))
  await db
    .insertInto('contacts')
    .values(
      contacts.map((c, i) => ({
        workspaceId,
        id: c.id,
        email: `random${i}@world.example`,
        accountId: c.accountId,
        deletedAt: c.deleted ? at(-1) : null,
      })),
    )
    .execute()
  const survivor = contacts[0] as (typeof contacts)[number]
  await db
    .updateTable('contacts')
    .set({ mergedInto: survivor.id })
    .where('id', '=', (contacts[9] as (typeof contacts)[number]).id)
    .execute()
  // Few distinct instants, so that many touches share a millisecond or a microsecond.
  const instants = Array.from({ length: 40 }, () => Math.floor(random() * 200) - 150)
  const channels = ['email', 'events', 'paid_search', 'organic_search', 'sales', 'direct']
  const touches = Array.from({ length: 400 }, () => {
    const ownOfAccount = random() < 0.1
    const contact = pick(contacts)
    const time = at(pick(instants)).getTime()
    const micros = pick([0, 0, 250, 999])
    return {
      workspaceId,
      id: randomUUID(),
      contactId: ownOfAccount ? null : contact.id,
      accountId: ownOfAccount ? pick(accounts) : contact.accountId,
      occurredAt: new Date(time),
      micros,
      type: 'page_view',
      channel: pick(channels),
      campaignId: random() < 0.5 ? pick(campaigns) : null,
      isBot: random() < 0.05,
    }
  })
  await db
    .insertInto('touchpoints')
    .values(touches.map(({ micros: _, ...touch }) => touch))
    .execute()
  // Microseconds within the millisecond (the API keeps them; Dates cannot carry them).
  for (const touch of touches.filter((x) => x.micros > 0)) {
    await sql`update touchpoints set occurred_at = occurred_at + make_interval(secs => ${touch.micros / 1e6})
      where workspace_id = ${workspaceId} and id = ${touch.id}`.execute(db)
  }
  for (const contact of contacts) {
    if (random() < 0.4) continue
    // Most lead-creation touches are the contact's own; some another contact's (not in its journey).
    const own = touches.filter((x) => x.contactId === contact.id)
    const touch = random() < 0.8 && own.length > 0 ? pick(own) : pick(touches)
    await db
      .updateTable('contacts')
      .set({ leadCreationTouchpointId: touch.id })
      .where('id', '=', contact.id)
      .execute()
    for (const stage of ['lead', 'mql', 'sql'].slice(0, Math.floor(random() * 4))) {
      await db
        .insertInto('lifecycleEntries')
        .values({
          workspaceId,
          id: randomUUID(),
          entity: 'contact',
          recordId: contact.id,
          stage,
          enteredAt: at(pick(instants) + 1),
        })
        .execute()
    }
  }
  for (let i = 0; i < 25; i++) {
    const stage = pick(stages)
    const created = pick(instants) + 20
    const primary = i === 0 ? (contacts[7] as (typeof contacts)[number]) : pick(contacts)
    const id = randomUUID()
    await db
      .insertInto('deals')
      .values({
        workspaceId,
        id,
        name: `Deal ${i}`,
        accountId: i % 3 === 0 ? null : pick(accounts),
        pipelineId: stage.pipelineId,
        stageId: stage.id,
        amount: 1_000 + Math.floor(random() * 9_000),
        currency: i === 5 ? 'XTS' : 'USD',
        createdAt: at(created),
        closedAt: stage.isWon || stage.isLost ? at(created + pick([0, 3, 40])) : null,
      })
      .execute()
    if (i % 7 !== 6) {
      await db
        .insertInto('dealContacts')
        .values({ workspaceId, dealId: id, contactId: primary.id, isPrimary: true })
        .execute()
    }
  }
}

beforeAll(async () => {
  t = await createTestApp()
  const made = await makeWorkspace(t, 'Columns Co')
  workspaceId = made.workspaceId
  await plantJourneys(t, made.owner, workspaceId)
  await plantRandomWorld(makeRandom(12))
})
afterAll(() => t.close())

/** A computation as sorted lines, credits rounded to 1e-9. */
function lines(computed: ComputedAttribution) {
  const round = (x: number) => x.toFixed(9)
  const rowLine = (r: RollupRow) =>
    [
      r.model,
      r.conversion,
      r.month,
      r.kind,
      r.channel,
      r.campaignId,
      round(r.conversions),
      r.revenue,
    ].join('|')
  return {
    rollups: computed.rollups.map(rowLine).sort(),
    contributions: computed.contributions
      .map((c) => [c.subjectId, c.conversion, ...c.rows.map(rowLine).sort()].join('\n'))
      .sort(),
    credits: computed.credits
      .map((c) =>
        [
          c.conversion,
          c.subjectId,
          c.convertedAt,
          c.kind,
          c.touchpointId,
          c.touchAt,
          c.channel,
          c.campaignId,
          round(c.credit),
          c.revenue,
        ].join('|'),
      )
      .sort(),
    weights: JSON.stringify(computed.weights, (_, value) =>
      typeof value === 'number' ? round(value) : value,
    ),
  }
}

async function bothWays(settings: AttributionSettings) {
  const facts = await loadAttributionFacts(t.ctx.db, workspaceId)
  const objects = computeAttribution(facts, settings)
  const columns = await withConnection(poolOf(t.ctx.db), async (db, client) => {
    const data = await loadAttributionColumns(db, client, workspaceId, {
      includeSales: settings.includeSalesTouches,
      withStages: true,
    })
    return { data, computed: computeAttributionColumns(data, groupTouches(data), settings) }
  })
  return { objects, columns: columns.computed, data: columns.data, facts }
}

describe('attribution over columns', () => {
  it('reads the same records as the object loader', async () => {
    const { data, facts } = await bothWays(defaultAttributionSettings)
    const touches = [...facts.touchesByContact.values(), ...facts.touchesByAccount.values()].flat()
    expect(data.touches.count).toBe(touches.length)
    expect(data.touches.count).toBeGreaterThan(350)
    expect(data.contactCount).toBe(facts.contacts.length)
    expect(data.deals).toEqual(facts.deals)
    expect(data.missingRates).toEqual(['XTS'])
    // Microseconds survive the binary read: the planted ones are there.
    expect(new Set(data.touches.micros)).toEqual(new Set([0, 250, 999]))
  })

  it('computes every kind and model exactly as the object path, ties and oddities included', async () => {
    const { objects, columns } = await bothWays(defaultAttributionSettings)
    expect(objects.credits.length).toBeGreaterThan(100)
    expect(lines(columns)).toEqual(lines(objects))
  })

  it('agrees without sales touches, with a short window and another default model', async () => {
    const settings: AttributionSettings = {
      ...defaultAttributionSettings,
      includeSalesTouches: false,
      lookbackDays: 30,
      defaultModel: 'time_decay',
    }
    const { objects, columns } = await bothWays(settings)
    expect(objects.credits.some((c) => c.channel === 'sales')).toBe(false)
    expect(lines(columns)).toEqual(lines(objects))
  })

  it('agrees for the deal conversions alone, touches grouped only for the contacts they read', async () => {
    const kinds = ['opportunity_created', 'won'] as const
    const facts = await loadAttributionFacts(t.ctx.db, workspaceId)
    const objects = computeAttribution(facts, defaultAttributionSettings, { kinds })
    const columns = await withConnection(poolOf(t.ctx.db), async (db, client) => {
      const data = await loadAttributionColumns(db, client, workspaceId, {
        includeSales: true,
        withStages: false,
      })
      const read = contactsRead(data, kinds)
      // Only primary contacts of deals without an account: far fewer than all contacts.
      expect(read?.filter((flag) => flag === 1).length).toBeLessThan(data.contactCount / 2)
      return computeAttributionColumns(data, groupTouches(data, read), defaultAttributionSettings, {
        kinds,
      })
    })
    expect(lines(columns)).toEqual(lines(objects))
  })

  it('agrees when touches lie over 34 years apart (grouping falls back to comparisons)', async () => {
    const contact = await t.ctx.db
      .selectFrom('contacts')
      .select(['id', 'accountId'])
      .where('workspaceId', '=', workspaceId)
      .where('accountId', 'is not', null)
      .where('deletedAt', 'is', null)
      .executeTakeFirstOrThrow()
    await t.ctx.db
      .insertInto('touchpoints')
      .values({
        workspaceId,
        id: randomUUID(),
        contactId: contact.id,
        accountId: contact.accountId,
        occurredAt: new Date('1985-02-03T04:05:06Z'),
        type: 'page_view',
        channel: 'direct',
      })
      .execute()
    const { objects, columns } = await bothWays(defaultAttributionSettings)
    expect(lines(columns)).toEqual(lines(objects))
  })
})
