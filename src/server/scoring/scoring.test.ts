import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { recordTouchpoint } from '../touchpoints/service.ts'
import { rescore } from './engine.ts'
import { decayScores, drainScoreQueue, wholeWorkspace } from './queue.ts'

let t: TestApp
let admin: Session
let marketing: Session
let sales: Session
let viewer: Session
let workspaceId: string

const call = (
  who: Session,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
) =>
  who.request({
    method,
    url,
    workspaceId,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  })

function badRequest(response: {
  statusCode: number
  body: string
  json(): { error: { message: string } }
}) {
  expect(response.statusCode, response.body).toBe(400)
  return response.json().error.message
}

async function created(response: {
  statusCode: number
  body: string
  json(): { data: { id: string } }
}) {
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data
}

const ruleCount = async () =>
  Number(
    (
      await t.ctx.db
        .selectFrom('scoringRules')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('workspaceId', '=', workspaceId)
        .executeTakeFirstOrThrow()
    ).n,
  )

const queued = async (contactId: string) =>
  (await t.ctx.db
    .selectFrom('scoreQueue')
    .select('cause')
    .where('workspaceId', '=', workspaceId)
    .where('contactId', '=', contactId)
    .executeTakeFirst()) ?? null

const scoresOf = async (contactId: string) => {
  const response = await call(viewer, 'GET', `/api/v1/contacts/${contactId}/scores`)
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data as {
    fit: number | null
    engagement: number | null
    explanation: { ruleId: string; name: string; points: number; touches?: number }[]
    history: { fit: number; engagement: number; cause: string }[]
    mql: { fitMin: number; engagementMin: number; qualifies: boolean }
  }
}

const touch = (
  contactId: string,
  over: { type?: string; daysAgo?: number; isBot?: boolean; url?: string } = {},
) =>
  recordTouchpoint(t.ctx.db, {
    workspaceId,
    contactId,
    occurredAt: new Date(Date.now() - (over.daysAgo ?? 0) * 86_400_000),
    type: (over.type ?? 'page_view') as 'page_view',
    channel: 'direct',
    url: over.url ?? 'https://example.com/pricing',
    isBot: over.isBot ?? false,
  })

const historyCount = async (contactId: string) =>
  Number(
    (
      await t.ctx.db
        .selectFrom('scoreHistory')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('contactId', '=', contactId)
        .executeTakeFirstOrThrow()
    ).n,
  )

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner: admin, workspaceId } = await makeWorkspace(t, 'Scoring Co'))
  marketing = await addMember(t, admin, workspaceId, 'marketing')
  sales = await addMember(t, admin, workspaceId, 'sales')
  viewer = await addMember(t, admin, workspaceId, 'viewer')
})
afterAll(async () => t?.close())

describe('rule validation', () => {
  it('refuses unknown fields (scores are none: no circular rules), ops and values, naming them', async () => {
    const post = (condition: unknown) =>
      call(admin, 'POST', '/api/v1/scoring/rules', {
        kind: 'fit',
        name: 'x',
        points: 10,
        condition,
      })
    expect(badRequest(await post({ all: [{ field: 'foo', op: 'eq', value: 'x' }] }))).toMatch(
      /^condition\.all\[0\]\.field: unknown field "foo"/,
    )
    expect(badRequest(await post({ all: [{ field: 'fit', op: 'gte', value: 50 }] }))).toMatch(
      /^condition\.all\[0\]\.field: unknown field "fit"/,
    )
    expect(
      badRequest(await post({ any: [{ field: 'account.employees', op: 'contains', value: 'x' }] })),
    ).toMatch(/^condition\.any\[0\]\.op:/)
    expect(
      badRequest(
        await post({ all: [{ all: [{ field: 'lifecycleStage', op: 'eq', value: 'guru' }] }] }),
      ),
    ).toMatch(/^condition\.all\[0\]\.all\[0\]\.value:/)
    expect(badRequest(await post({ all: [] }))).toMatch(/^condition: /)
    expect(badRequest(await post('title = CEO'))).toMatch(/^condition: /)
    expect(await ruleCount()).toBe(0)
  })

  it('refuses unknown touch types, channels and keys, and empty touch conditions', async () => {
    const post = (condition: unknown) =>
      call(admin, 'POST', '/api/v1/scoring/rules', {
        kind: 'engagement',
        name: 'x',
        points: 10,
        condition,
      })
    expect(badRequest(await post({ types: ['page_view', 'smoke_signal'] }))).toMatch(
      /^condition\.types: unknown touch type "smoke_signal"/,
    )
    expect(badRequest(await post({ channels: ['tv'] }))).toMatch(/^condition\.channels: /)
    expect(badRequest(await post({ colour: ['red'] }))).toMatch(/^condition\.colour: /)
    expect(badRequest(await post({}))).toMatch(/^condition: give at least one/)
    expect(badRequest(await post({ campaignIds: ['nope'] }))).toMatch(/^condition\.campaignIds: /)
    expect(await ruleCount()).toBe(0)
  })

  it('refuses points 0 or out of -100..100 and names over 100 characters', async () => {
    const post = (points: unknown, name = 'x') =>
      call(admin, 'POST', '/api/v1/scoring/rules', {
        kind: 'engagement',
        name,
        points,
        condition: { types: ['webinar'] },
      })
    for (const points of [0, 101, -101, 2.5, '10']) {
      expect(badRequest(await post(points))).toMatch(/^body\.points: /)
    }
    expect(badRequest(await post(10, 'n'.repeat(101)))).toMatch(/^body\.name: /)
    expect(await ruleCount()).toBe(0)
  })

  it('lets only scoring:manage roles change rules and settings (403 for sales and viewer)', async () => {
    const rule = {
      kind: 'engagement',
      name: 'Webinar',
      points: 10,
      condition: { types: ['webinar'] },
    }
    for (const who of [sales, viewer]) {
      expect((await call(who, 'POST', '/api/v1/scoring/rules', rule)).statusCode).toBe(403)
      expect(
        (await call(who, 'PATCH', '/api/v1/scoring/settings', { halfLifeDays: 10 })).statusCode,
      ).toBe(403)
      expect(
        (await call(who, 'POST', '/api/v1/scoring/preview', { rules: [rule] })).statusCode,
      ).toBe(403)
      expect((await call(who, 'GET', '/api/v1/scoring/rules')).statusCode).toBe(200)
    }
    const made = await created(await call(marketing, 'POST', '/api/v1/scoring/rules', rule))
    for (const who of [sales, viewer]) {
      expect(
        (await call(who, 'PATCH', `/api/v1/scoring/rules/${made.id}`, { points: 5 })).statusCode,
      ).toBe(403)
      expect((await call(who, 'DELETE', `/api/v1/scoring/rules/${made.id}`)).statusCode).toBe(403)
    }
    expect((await call(admin, 'DELETE', `/api/v1/scoring/rules/${made.id}`)).statusCode).toBe(204)
    expect((await call(admin, 'DELETE', `/api/v1/scoring/rules/${made.id}`)).statusCode).toBe(404)
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select('action')
      .where('workspaceId', '=', workspaceId)
      .where('targetId', '=', made.id)
      .orderBy('at')
      .execute()
    expect(audit.map((row) => row.action)).toEqual(['scoring_rule.create', 'scoring_rule.delete'])
  })

  it('refuses a rule with the same condition as another active rule', async () => {
    const first = await created(
      await call(admin, 'POST', '/api/v1/scoring/rules', {
        kind: 'engagement',
        name: 'Events',
        points: 10,
        condition: { types: ['event', 'webinar'] },
      }),
    )
    // The same set of types in another order is the same condition.
    expect(
      badRequest(
        await call(admin, 'POST', '/api/v1/scoring/rules', {
          kind: 'engagement',
          name: 'Events again',
          points: 20,
          condition: { types: ['webinar', 'event'] },
        }),
      ),
    ).toBe('condition: the same condition as rule "Events"')
    // Inactive, it is no conflict; activating it is refused.
    const second = await created(
      await call(admin, 'POST', '/api/v1/scoring/rules', {
        kind: 'engagement',
        name: 'Events again',
        points: 20,
        isActive: false,
        condition: { types: ['webinar', 'event'] },
      }),
    )
    expect(
      badRequest(
        await call(admin, 'PATCH', `/api/v1/scoring/rules/${second.id}`, { isActive: true }),
      ),
    ).toBe('condition: the same condition as rule "Events"')
    for (const id of [first.id, second.id])
      expect((await call(admin, 'DELETE', `/api/v1/scoring/rules/${id}`)).statusCode).toBe(204)
  })

  it('validates the settings', async () => {
    expect(
      badRequest(await call(admin, 'PATCH', '/api/v1/scoring/settings', { halfLifeDays: 0 })),
    ).toMatch(/^body\.halfLifeDays: /)
    expect(
      badRequest(await call(admin, 'PATCH', '/api/v1/scoring/settings', { halfLifeDays: 3651 })),
    ).toMatch(/^body\.halfLifeDays: /)
    expect(
      badRequest(
        await call(admin, 'PATCH', '/api/v1/scoring/settings', { productFitThreshold: 40.5 }),
      ),
    ).toMatch(/^body\.productFitThreshold: /)
    const settings = await call(viewer, 'GET', '/api/v1/scoring/settings')
    expect(settings.json().data).toMatchObject({ halfLifeDays: 30, productFitThreshold: 40 })
  })
})

describe('scoring contacts', () => {
  let accountId: string
  let ann: string
  let bob: string
  let fitRuleId: string
  let visitRuleId: string
  let internsRuleId: string

  beforeAll(async () => {
    await drainScoreQueue(t.ctx.db)
    accountId = (
      await created(
        await call(admin, 'POST', '/api/v1/accounts', {
          name: 'Retail Ltd',
          industry: 'Retail',
          employees: 300,
        }),
      )
    ).id
    ann = (
      await created(
        await call(admin, 'POST', '/api/v1/contacts', {
          email: 'ann@retail.example',
          accountId,
          lifecycleStage: 'lead',
        }),
      )
    ).id
    bob = (
      await created(
        await call(admin, 'POST', '/api/v1/contacts', {
          email: 'bob@retail.example',
          title: 'Intern',
          lifecycleStage: 'subscriber',
        }),
      )
    ).id
  })

  it('queues new contacts and scores them 0/0 while no rule fires', async () => {
    expect(await queued(ann)).toMatchObject({ cause: 'record' })
    expect(await scoresOf(ann)).toMatchObject({ fit: null, engagement: null, explanation: [] })
    await drainScoreQueue(t.ctx.db)
    expect(await queued(ann)).toBeNull()
    expect(await scoresOf(ann)).toMatchObject({ fit: 0, engagement: 0, explanation: [] })
  })

  it('rescores everyone after a rule change, in the background', async () => {
    fitRuleId = (
      await created(
        await call(marketing, 'POST', '/api/v1/scoring/rules', {
          kind: 'fit',
          name: 'Software',
          points: 40,
          condition: { all: [{ field: 'account.industry', op: 'eq', value: 'Software' }] },
        }),
      )
    ).id
    visitRuleId = (
      await created(
        await call(marketing, 'POST', '/api/v1/scoring/rules', {
          kind: 'engagement',
          name: 'Pricing visit',
          points: 30,
          condition: { types: ['page_view'], urlContains: '/pricing' },
        }),
      )
    ).id
    internsRuleId = (
      await created(
        await call(marketing, 'POST', '/api/v1/scoring/rules', {
          kind: 'fit',
          name: 'Interns',
          points: -20,
          position: 0,
          condition: { all: [{ field: 'title', op: 'eq', value: 'Intern' }] },
        }),
      )
    ).id
    expect(await queued(wholeWorkspace)).toMatchObject({ cause: 'rules' })
    const settings = await call(viewer, 'GET', '/api/v1/scoring/settings')
    expect(settings.json().data.queued).toBe(2)
    // The answer did not wait: nothing is scored yet.
    expect((await scoresOf(ann)).fit).toBe(0)
    await drainScoreQueue(t.ctx.db)
    expect((await call(viewer, 'GET', '/api/v1/scoring/settings')).json().data.queued).toBe(0)
    expect(await scoresOf(bob)).toMatchObject({ fit: 0, engagement: 0 })
    const rules = (await call(sales, 'GET', '/api/v1/scoring/rules')).json().data
    expect(rules.map((rule: { name: string }) => rule.name)).toEqual([
      'Interns',
      'Software',
      'Pricing visit',
    ])
  })

  it('rescores a contact when its account changes', async () => {
    const patched = await call(admin, 'PATCH', `/api/v1/accounts/${accountId}`, {
      industry: 'Software',
    })
    expect(patched.statusCode, patched.body).toBe(200)
    expect(await queued(ann)).toMatchObject({ cause: 'record' })
    await drainScoreQueue(t.ctx.db)
    const scores = await scoresOf(ann)
    expect(scores.fit).toBe(40)
    expect(scores.explanation).toEqual([
      { ruleId: fitRuleId, kind: 'fit', name: 'Software', points: 40 },
    ])
  })

  it('rescores a contact when it changes', async () => {
    const patched = await call(admin, 'PATCH', `/api/v1/contacts/${ann}`, { title: 'Intern' })
    expect(patched.statusCode, patched.body).toBe(200)
    expect(await queued(ann)).not.toBeNull()
    await drainScoreQueue(t.ctx.db)
    const scores = await scoresOf(ann)
    // Interns (position 0) first: 40 - 20 = 20.
    expect(scores.fit).toBe(20)
    expect(scores.explanation.map((reason) => reason.name)).toEqual(['Interns', 'Software'])
    await call(admin, 'PATCH', `/api/v1/contacts/${ann}`, { title: 'CTO' })
    await drainScoreQueue(t.ctx.db)
    expect((await scoresOf(ann)).fit).toBe(40)
  })

  it('rescores after a touch, with decay; bot touches never score', async () => {
    await touch(bob, { isBot: true })
    expect(await queued(bob)).toBeNull()
    await touch(bob, { daysAgo: 30 })
    expect(await queued(bob)).toMatchObject({ cause: 'touch' })
    await drainScoreQueue(t.ctx.db)
    // 30 × 2^(−30/30) = 15 (the bot's touch would have made it 45).
    let scores = await scoresOf(bob)
    expect(scores.engagement).toBe(15)
    // Bob is an intern: the fit rule fired too (fit floors at 0), and fit rules come first.
    expect(scores.explanation).toEqual([
      { ruleId: internsRuleId, kind: 'fit', name: 'Interns', points: -20 },
      { ruleId: visitRuleId, kind: 'engagement', name: 'Pricing visit', points: 15, touches: 1 },
    ])
    // A touch outside the rule's URL scores nothing.
    await touch(bob, { url: 'https://example.com/careers' })
    await drainScoreQueue(t.ctx.db)
    expect((await scoresOf(bob)).engagement).toBe(15)
    // Even a full rescoring leaves the bot out.
    await rescore(t.ctx.db, workspaceId, 'all', 'manual')
    scores = await scoresOf(bob)
    expect(scores.engagement).toBe(15)
    expect(scores.explanation.at(-1)?.touches).toBe(1)
  })

  it('writes history only when a score changes', async () => {
    const before = await historyCount(bob)
    const history = (await scoresOf(bob)).history
    expect(history.map((h) => `${h.fit}/${h.engagement}/${h.cause}`)).toEqual([
      '0/0/record',
      '0/15/touch',
    ])
    const again = await call(sales, 'POST', `/api/v1/contacts/${bob}/scores/recompute`)
    expect(again.statusCode, again.body).toBe(200)
    expect(again.json().data.engagement).toBe(15)
    await rescore(t.ctx.db, workspaceId, [bob], 'manual')
    expect(await historyCount(bob)).toBe(before)
    // The nightly decay, 15 days on: 30 × 2^(−45/30) = 10.6 → 11; one more history row.
    await decayScores(t.ctx.db, new Date(Date.now() + 15 * 86_400_000))
    const decayed = await scoresOf(bob)
    expect(decayed.engagement).toBe(11)
    expect(decayed.history.at(-1)).toMatchObject({ engagement: 11, cause: 'decay' })
    expect(await historyCount(bob)).toBe(before + 1)
    expect(
      (await call(viewer, 'POST', `/api/v1/contacts/${bob}/scores/recompute`)).statusCode,
    ).toBe(403)
  })

  it('makes a contact crossing fit ≥ 50 and engagement ≥ 50 an MQL with an open handoff', async () => {
    await created(
      await call(admin, 'POST', '/api/v1/scoring/rules', {
        kind: 'engagement',
        name: 'Demo request',
        points: 60,
        condition: { types: ['form_submit'] },
      }),
    )
    await drainScoreQueue(t.ctx.db)
    // Ann: fit 40, engagement 0: not yet.
    await touch(ann, { type: 'form_submit', url: 'https://example.com/demo' })
    await drainScoreQueue(t.ctx.db)
    let scores = await scoresOf(ann)
    expect(scores).toMatchObject({ fit: 40, engagement: 60 })
    expect(scores.mql).toEqual({
      fitMin: 50,
      engagementMin: 50,
      predictiveInCharge: false,
      predictiveMin: 0.3,
      qualifies: false,
    })
    const stage = async () =>
      (
        await t.ctx.db
          .selectFrom('contacts')
          .select('lifecycleStage')
          .where('id', '=', ann)
          .executeTakeFirstOrThrow()
      ).lifecycleStage
    expect(await stage()).toBe('lead')
    // Employees ≥ 200 adds 15: fit 55 crosses 50.
    await created(
      await call(admin, 'POST', '/api/v1/scoring/rules', {
        kind: 'fit',
        name: 'Mid-market',
        points: 15,
        condition: { all: [{ field: 'account.employees', op: 'gte', value: 200 }] },
      }),
    )
    await drainScoreQueue(t.ctx.db)
    scores = await scoresOf(ann)
    expect(scores).toMatchObject({ fit: 55, engagement: 60 })
    expect(scores.mql.qualifies).toBe(true)
    expect(await stage()).toBe('mql')
    const handoffs = await t.ctx.db
      .selectFrom('handoffs')
      .select(['status', 'mqlSource'])
      .where('contactId', '=', ann)
      .execute()
    expect(handoffs).toEqual([{ status: 'open', mqlSource: 'score' }])
    // The stage change queued Ann again; rescoring her changes nothing and opens nothing more.
    await drainScoreQueue(t.ctx.db)
    expect(
      await t.ctx.db.selectFrom('handoffs').select('id').where('contactId', '=', ann).execute(),
    ).toHaveLength(1)
  })

  it('previews a proposed rule set without saving it', async () => {
    const rulesBefore = await ruleCount()
    const response = await call(marketing, 'POST', '/api/v1/scoring/preview', {
      rules: [
        {
          kind: 'engagement',
          name: 'Any page',
          points: 100,
          condition: { types: ['page_view'] },
        },
        {
          kind: 'fit',
          name: 'Everyone with an email',
          points: 95,
          condition: { all: [{ field: 'email', op: 'exists', value: true }] },
        },
      ],
    })
    expect(response.statusCode, response.body).toBe(200)
    const data = response.json().data
    // Only Bob has page views (the bot's excluded); both contacts have an email.
    expect(data.rules).toEqual([
      { index: 0, id: null, contacts: 1 },
      { index: 1, id: null, contacts: 2 },
    ])
    // Now: Ann 55/60 (an MQL already), Bob 0/15 (rescored after the last rule changes).
    expect(data.proposed.fit).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 2])
    // Bob: 100 × (2^-1 + 1) ≥ 100 → 100; Ann: no page view → 0.
    expect(data.proposed.engagement).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    // Bob (subscriber) would qualify; Ann is past MQL already.
    expect(data.proposed.mql).toBe(1)
    expect(data.current.mql).toBe(0)
    expect(await ruleCount()).toBe(rulesBefore)
    expect(
      badRequest(
        await call(marketing, 'POST', '/api/v1/scoring/preview', {
          rules: [
            { kind: 'engagement', name: 'a', points: 5, condition: { types: ['page_view'] } },
            {
              kind: 'fit',
              name: 'b',
              points: 5,
              condition: { all: [{ field: 'x', op: 'eq', value: 1 }] },
            },
          ],
        }),
      ),
    ).toMatch(/^rules\[1\]\.condition\.all\[0\]\.field: unknown field "x"/)
  })

  it('rescores everyone after a half-life change', async () => {
    const patched = await call(admin, 'PATCH', '/api/v1/scoring/settings', { halfLifeDays: 10 })
    expect(patched.statusCode, patched.body).toBe(200)
    expect(patched.json().data).toMatchObject({ halfLifeDays: 10, queued: 2 })
    await drainScoreQueue(t.ctx.db)
    // Bob's pricing visit 30 days ago now weighs 2^-3: 30 / 8 = 3.75 → 4.
    expect((await scoresOf(bob)).engagement).toBe(4)
    const threshold = await call(admin, 'PATCH', '/api/v1/scoring/settings', {
      productFitThreshold: 55,
    })
    expect(threshold.json().data).toMatchObject({ productFitThreshold: 55, queued: 0 })
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select('details')
      .where('workspaceId', '=', workspaceId)
      .where('action', '=', 'scoring_settings.update')
      .orderBy('at')
      .execute()
    expect(audit.map((row) => row.details)).toEqual([
      { halfLifeDays: { from: 30, to: 10 } },
      { productFitThreshold: { from: 40, to: 55 } },
    ])
  })

  it('answers 404 for an unknown contact', async () => {
    const missing = '0190aaaa-0000-7000-8000-000000000000'
    expect((await call(admin, 'GET', `/api/v1/contacts/${missing}/scores`)).statusCode).toBe(404)
    expect(
      (await call(admin, 'POST', `/api/v1/contacts/${missing}/scores/recompute`)).statusCode,
    ).toBe(404)
    await sql`select 1`.execute(t.ctx.db)
  })
})
