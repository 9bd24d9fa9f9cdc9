import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import type { AttributionConversion } from '../db/schema.ts'
import { recomputeAttribution } from './recompute.ts'
import { runQueuedAttribution } from './runs.ts'

let t: TestApp
let admin: Session
let workspaceId: string

const day = 86_400_000
const t0 = Date.parse('2026-06-01T12:00:00Z')
const at = (days: number) => new Date(t0 + days * day)

const ids = {
  account: randomUUID(),
  c1: randomUUID(),
  c2: randomUUID(),
  c3: randomUUID(),
  c4: randomUUID(),
  spring: randomUUID(),
  webinar: randomUUID(),
  organic: randomUUID(),
  email: randomUUID(),
  bot: randomUUID(),
  talk: randomUUID(),
  paid: randomUUID(),
  won: randomUUID(),
  lost: randomUUID(),
  noTouch: randomUUID(),
  open: randomUUID(),
}

/**
 * Acme (account) with c1 (primary contact: an organic visit 200 days before the win, the spring
 * email that made them a lead 30 days before, a bot click 20 days before) and c2 (a webinar 10
 * days before); c3 without an account (a paid click 5 days before); c4 never touched. Deals: Acme
 * won at t0 (10,000), c3's lost, c4's won (5,000, no touch), Acme's open one (7,000).
 */
async function plant() {
  const db = t.ctx.db
  // The workspace's default pipeline is made when its pipelines are first listed.
  await admin.request({ method: 'GET', url: '/api/v1/pipelines', workspaceId })
  const stages = await db
    .selectFrom('stages')
    .select(['id', 'pipelineId', 'isWon', 'isLost', 'position'])
    .where('workspaceId', '=', workspaceId)
    .orderBy('position')
    .execute()
  const won = stages.find((s) => s.isWon)
  const lost = stages.find((s) => s.isLost)
  const open = stages.find((s) => !s.isWon && !s.isLost)
  if (!won || !lost || !open) throw new Error('the default pipeline has no won, lost or open stage')
  await db.insertInto('accounts').values({ workspaceId, id: ids.account, name: 'Acme' }).execute()
  await db
    .insertInto('campaigns')
    .values([
      {
        workspaceId,
        id: ids.spring,
        name: 'Spring email',
        channel: 'email',
        type: 'email',
        currency: 'USD',
      },
      {
        workspaceId,
        id: ids.webinar,
        name: 'Webinar',
        channel: 'events',
        type: 'webinar',
        currency: 'USD',
      },
    ])
    .execute()
  await db
    .insertInto('contacts')
    .values([
      { workspaceId, id: ids.c1, email: 'c1@acme.example', accountId: ids.account },
      { workspaceId, id: ids.c2, email: 'c2@acme.example', accountId: ids.account },
      { workspaceId, id: ids.c3, email: 'c3@solo.example' },
      { workspaceId, id: ids.c4, email: 'c4@quiet.example' },
    ])
    .execute()
  const touch = (
    id: string,
    contactId: string,
    days: number,
    channel: string,
    campaignId: string | null = null,
    isBot = false,
  ) => ({
    workspaceId,
    id,
    contactId,
    accountId: contactId === ids.c1 || contactId === ids.c2 ? ids.account : null,
    occurredAt: at(days),
    type: 'page_view',
    channel,
    campaignId,
    isBot,
  })
  await db
    .insertInto('touchpoints')
    .values([
      touch(ids.organic, ids.c1, -200, 'organic_search'),
      touch(ids.email, ids.c1, -30, 'email', ids.spring),
      touch(ids.bot, ids.c1, -20, 'paid_search', null, true),
      touch(ids.talk, ids.c2, -10, 'events', ids.webinar),
      touch(ids.paid, ids.c3, -5, 'paid_search'),
    ])
    .execute()
  await db
    .updateTable('contacts')
    .set({ leadCreationTouchpointId: ids.email })
    .where('id', '=', ids.c1)
    .execute()
  await db
    .insertInto('lifecycleEntries')
    .values([
      {
        workspaceId,
        id: randomUUID(),
        entity: 'contact',
        recordId: ids.c1,
        stage: 'lead',
        enteredAt: at(-30),
      },
      {
        workspaceId,
        id: randomUUID(),
        entity: 'contact',
        recordId: ids.c1,
        stage: 'mql',
        enteredAt: at(-25),
      },
      {
        workspaceId,
        id: randomUUID(),
        entity: 'contact',
        recordId: ids.c3,
        stage: 'lead',
        enteredAt: at(-5),
      },
    ])
    .execute()
  const deal = (
    id: string,
    name: string,
    stage: typeof won,
    created: number,
    closed: number | null,
    amount: number,
    accountId: string | null,
  ) => ({
    workspaceId,
    id,
    name,
    accountId,
    pipelineId: stage.pipelineId,
    stageId: stage.id,
    amount,
    currency: 'USD',
    createdAt: at(created),
    closedAt: closed === null ? null : at(closed),
  })
  await db
    .insertInto('deals')
    .values([
      deal(ids.won, 'Acme robots', won, -15, 0, 10_000, ids.account),
      deal(ids.lost, 'Solo robots', lost, -3, -1, 4_000, null),
      deal(ids.noTouch, 'Quiet robots', won, -8, 0, 5_000, null),
      deal(ids.open, 'Acme more robots', open, -12, null, 7_000, ids.account),
    ])
    .execute()
  await db
    .insertInto('dealContacts')
    .values([
      { workspaceId, dealId: ids.won, contactId: ids.c1, isPrimary: true },
      { workspaceId, dealId: ids.lost, contactId: ids.c3, isPrimary: true },
      { workspaceId, dealId: ids.noTouch, contactId: ids.c4, isPrimary: true },
      { workspaceId, dealId: ids.open, contactId: ids.c1, isPrimary: true },
    ])
    .execute()
}

beforeAll(async () => {
  t = await createTestApp()
  const made = await makeWorkspace(t, 'Journeys Co')
  admin = made.owner
  workspaceId = made.workspaceId
  await plant()
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
