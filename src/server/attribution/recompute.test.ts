import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { at, type journeyIds, plantJourneys } from '../../../test/attribution-world.ts'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import type { AttributionConversion } from '../db/schema.ts'
import { recomputeAttribution } from './recompute.ts'
import { runQueuedAttribution } from './runs.ts'

let t: TestApp
let admin: Session
let workspaceId: string
let ids: ReturnType<typeof journeyIds>

beforeAll(async () => {
  t = await createTestApp()
  const made = await makeWorkspace(t, 'Journeys Co')
  admin = made.owner
  workspaceId = made.workspaceId
  ids = await plantJourneys(t, admin, workspaceId)
})
afterAll(() => t.close())

async function rollup(model: string, conversion: AttributionConversion) {
  const rows = await t.ctx.db
    .selectFrom('attributionRollups')
    .select(['kind', 'channel', 'campaignId', 'conversions', 'revenue'])
    .where('workspaceId', '=', workspaceId)
    .where('model', '=', model)
    .where('conversion', '=', conversion)
    .execute()
  const byKey = new Map<string, { conversions: number; revenue: number }>()
  for (const row of rows) {
    const key = row.kind === 'touch' ? (row.channel ?? '') : `(${row.kind})`
    const sum = byKey.get(key) ?? { conversions: 0, revenue: 0 }
    sum.conversions = +(sum.conversions + row.conversions).toFixed(6)
    sum.revenue += Number(row.revenue)
    byKey.set(key, sum)
  }
  return Object.fromEntries([...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
}

describe('attribution recompute over the workspace’s journeys', () => {
  it('builds deal journeys from the account’s touches inside the lookback window, bots left out', async () => {
    await recomputeAttribution(t.ctx.db, workspaceId)
    // Acme's win: c1's spring email and c2's webinar (the organic visit is 200 days old, the bot
    // click never counts); the quiet deal has no touch and is reported as such, not dropped.
    expect(await rollup('linear', 'won')).toEqual({
      '(no_touch)': { conversions: 1, revenue: 5000 },
      email: { conversions: 0.5, revenue: 5000 },
      events: { conversions: 0.5, revenue: 5000 },
    })
  })

  it('uses the contact’s touches for a deal without an account', async () => {
    // Solo's lost deal has no account: c3's paid click. Both Acme deals were created after the
    // spring email and (the open one) before the webinar: the email is their last touch.
    expect(await rollup('last_touch', 'opportunity_created')).toEqual({
      '(no_touch)': { conversions: 1, revenue: 5000 },
      email: { conversions: 2, revenue: 17_000 },
      paid_search: { conversions: 1, revenue: 4000 },
    })
  })

  it('keeps an open deal’s share pending under full path only', async () => {
    const full = await rollup('full_path', 'won')
    expect(full['(pending)']).toEqual({ conversions: 0.3, revenue: 2100 })
    const sum = (rows: Record<string, { conversions: number; revenue: number }>) =>
      Object.values(rows).reduce(
        (total, row) => ({
          conversions: +(total.conversions + row.conversions).toFixed(6),
          revenue: total.revenue + row.revenue,
        }),
        { conversions: 0, revenue: 0 },
      )
    expect(sum(full)).toEqual({ conversions: 3, revenue: 22_000 })
    for (const model of [
      'first_touch',
      'last_touch',
      'linear',
      'u_shaped',
      'w_shaped',
      'markov',
      'shapley',
    ]) {
      expect(sum(await rollup(model, 'won')), model).toEqual({ conversions: 2, revenue: 15_000 })
    }
  })

  it('counts contacts’ conversions at their first entry into the stage', async () => {
    expect(await rollup('first_touch', 'lead_created')).toEqual({
      email: { conversions: 1, revenue: 0 },
      paid_search: { conversions: 1, revenue: 0 },
    })
    expect(await rollup('last_touch', 'mql')).toEqual({ email: { conversions: 1, revenue: 0 } })
  })

  it('stores the default model’s credits per touch for drill-down', async () => {
    const credits = await t.ctx.db
      .selectFrom('attributionCredits')
      .select(['subjectId', 'kind', 'touchpointId', 'credit', 'revenue'])
      .where('workspaceId', '=', workspaceId)
      .where('conversion', '=', 'won')
      .orderBy('subjectId')
      .execute()
    // W-shaped on Acme's win: FT (the organic visit) is outside the window; LC and OC are both the
    // spring email and nothing lies between it and CW, so the email earns it all.
    expect(
      credits.map((c) => [c.subjectId, c.kind, c.touchpointId, c.credit, Number(c.revenue)]),
    ).toEqual(
      [
        [ids.won, 'touch', ids.email, 1, 10_000],
        [ids.noTouch, 'no_touch', null, 1, 5000],
      ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
    )
  })

  it('recomputes only the conversion kinds asked for, keeping the others', async () => {
    const won = await rollup('w_shaped', 'won')
    const influenced = await rollup('influenced:channel', 'won')
    const leads = await rollup('first_touch', 'lead_created')
    expect(Object.keys(won).length).toBeGreaterThan(0)
    expect(Object.keys(influenced).length).toBeGreaterThan(0)
    await t.ctx.db
      .deleteFrom('attributionRollups')
      .where('workspaceId', '=', workspaceId)
      .where('conversion', 'in', ['won', 'mql'])
      .execute()
    await recomputeAttribution(t.ctx.db, workspaceId, { kinds: ['won'] })
    expect(await rollup('w_shaped', 'won')).toEqual(won)
    // Influence on wins is recounted with them (it once came only with opportunity_created).
    expect(await rollup('influenced:channel', 'won')).toEqual(influenced)
    expect(await rollup('last_touch', 'mql')).toEqual({})
    expect(await rollup('first_touch', 'lead_created')).toEqual(leads)
    await expect(
      recomputeAttribution(t.ctx.db, workspaceId, { kinds: ['signup' as 'won'] }),
    ).rejects.toThrow('unknown conversion signup')
    await recomputeAttribution(t.ctx.db, workspaceId)
    expect(await rollup('last_touch', 'mql')).toEqual({ email: { conversions: 1, revenue: 0 } })
  })

  it('follows the workspace’s lookback window', async () => {
    const patch = await admin.request({
      method: 'PATCH',
      url: '/api/v1/attribution/settings',
      workspaceId,
      payload: { lookbackDays: 365 },
    })
    expect(patch.statusCode, patch.body).toBe(200)
    await recomputeAttribution(t.ctx.db, workspaceId)
    const linear = await rollup('linear', 'won')
    expect(linear.organic_search).toEqual({ conversions: 0.333333, revenue: 3334 })
    expect(linear.paid_search).toBeUndefined()
  })

  it('counts reps’ logged activities unless the workspace excludes them', async () => {
    await t.ctx.db
      .insertInto('touchpoints')
      .values({
        workspaceId,
        id: randomUUID(),
        contactId: ids.c2,
        accountId: ids.account,
        occurredAt: at(-2),
        type: 'call',
        channel: 'sales',
      })
      .execute()
    await recomputeAttribution(t.ctx.db, workspaceId)
    expect((await rollup('linear', 'won')).sales).toEqual({ conversions: 0.25, revenue: 2500 })
    const patch = await admin.request({
      method: 'PATCH',
      url: '/api/v1/attribution/settings',
      workspaceId,
      payload: { includeSalesTouches: false },
    })
    expect(patch.statusCode, patch.body).toBe(200)
    await recomputeAttribution(t.ctx.db, workspaceId)
    expect((await rollup('linear', 'won')).sales).toBeUndefined()
  })
})

describe('attribution recompute queue', () => {
  const status = async () =>
    (await admin.request({ method: 'GET', url: '/api/v1/attribution/status', workspaceId })).json()
      .data

  it('runs a recompute asked for by the button, then by a settings change', async () => {
    while (await runQueuedAttribution(t.ctx.db)) {
      // drains what the settings changes above queued
    }
    const asked = await admin.request({
      method: 'POST',
      url: '/api/v1/attribution/recompute',
      workspaceId,
    })
    expect(asked.statusCode, asked.body).toBe(202)
    expect(asked.json().data.status).toBe('queued')
    const ran = await runQueuedAttribution(t.ctx.db)
    expect(ran).toEqual({ workspaceId, status: 'idle' })
    const after = await status()
    expect(after).toMatchObject({
      status: 'idle',
      model: 'w_shaped',
      error: null,
      missingRates: [],
    })
    expect(Date.parse(after.finishedAt)).toBeGreaterThanOrEqual(Date.parse(after.startedAt))
    expect(await runQueuedAttribution(t.ctx.db)).toBeNull()

    await admin.request({
      method: 'PATCH',
      url: '/api/v1/attribution/settings',
      workspaceId,
      payload: { defaultModel: 'linear' },
    })
    expect((await status()).status).toBe('queued')
    await runQueuedAttribution(t.ctx.db)
    expect(await status()).toMatchObject({ status: 'idle', model: 'linear' })
  })

  it('lets only admins and marketing ask for a recompute', async () => {
    const viewer = await addMember(t, admin, workspaceId, 'viewer')
    const refused = await viewer.request({
      method: 'POST',
      url: '/api/v1/attribution/recompute',
      workspaceId,
    })
    expect(refused.statusCode).toBe(403)
    expect((await status()).status).toBe('idle')
  })
})
