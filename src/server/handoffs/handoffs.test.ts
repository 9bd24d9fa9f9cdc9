import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { runSlaScan } from '../sla/scan.ts'
import { reengageRecycled } from './reengage.ts'
import { qualifyByScore } from './score-hook.ts'

let t: TestApp
let admin: Session
let marketing: Session
let repA: Session
let repB: Session
let manager: Session
let workspaceId: string
let teamId: string

interface HandoffBody {
  id: string
  status: string
  owner: { id: string } | null
  unassignedReason: string | null
  isReMql: boolean
  mqlSource: string
  contact: { id: string; lifecycleStage: string | null; leadStatus: string | null }
  sla: {
    firstTouch: string
    decision: string
    firstTouchAt: string | null
    firstTouchDueAt: string
    timeToFirstTouchMinutes: number | null
    firstTouchBreachedAt: string | null
    decisionBreachedAt: string | null
    escalatedAt: string | null
  }
  rejectionReason: string | null
  rejectionOutcome: string | null
  recycleOn: string | null
  quality: number | null
  events?: { kind: string }[]
}

async function contact(fields: Record<string, unknown> = {}) {
  const response = await admin.request({
    method: 'POST',
    url: '/api/v1/contacts',
    workspaceId,
    payload: { email: `lead-${Math.random().toString(16).slice(2)}@example.com`, ...fields },
  })
  expect(response.statusCode, response.body).toBe(201)
  return (response.json() as { data: { id: string } }).data.id
}

async function markMql(contactId: string, by: Session = marketing) {
  const response = await by.request({
    method: 'POST',
    url: `/api/v1/contacts/${contactId}/lifecycle`,
    workspaceId,
    payload: { stage: 'mql', reason: 'Asked for pricing at the booth' },
  })
  expect(response.statusCode, response.body).toBe(200)
  const handoffId = (response.json() as { data: { handoffId: string } }).data.handoffId
  return handoff(handoffId)
}

async function handoff(id: string) {
  const response = await admin.request({
    method: 'GET',
    url: `/api/v1/handoffs/${id}`,
    workspaceId,
  })
  expect(response.statusCode, response.body).toBe(200)
  return (response.json() as { data: HandoffBody }).data
}

function act(by: Session, id: string, action: string, payload?: unknown) {
  return by.request({
    method: 'POST',
    url: `/api/v1/handoffs/${id}/${action}`,
    workspaceId,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  })
}

async function notificationsOf(userId: string) {
  return t.ctx.db
    .selectFrom('notifications')
    .select(['kind', 'title', 'link'])
    .where('workspaceId', '=', workspaceId)
    .where('userId', '=', userId)
    .execute()
}

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner: admin, workspaceId } = await makeWorkspace(t))
  marketing = await addMember(t, admin, workspaceId, 'marketing')
  repA = await addMember(t, admin, workspaceId, 'sales')
  repB = await addMember(t, admin, workspaceId, 'sales')
  manager = await addMember(t, admin, workspaceId, 'sales_manager')
  const team = await admin.request({
    method: 'POST',
    url: '/api/v1/teams',
    workspaceId,
    payload: { name: 'Inbound', managerId: manager.userId, memberIds: [repA.userId, repB.userId] },
  })
  expect(team.statusCode, team.body).toBe(201)
  teamId = (team.json() as { data: { id: string } }).data.id
})

afterAll(async () => {
  await t?.close()
})

describe('unassigned queue', () => {
  it('opens a handoff with no owner when no routing rule matches, and tells the admins', async () => {
    const id = await contact({ firstName: 'Nora', lastName: 'Rule' })
    const opened = await markMql(id)
    expect(opened.owner).toBeNull()
    expect(opened.unassignedReason).toBe('no_rule')
    expect(opened.status).toBe('open')
    const queue = await admin.request({
      method: 'GET',
      url: '/api/v1/handoffs?status=open&ownerId=none',
      workspaceId,
    })
    expect((queue.json() as { data: { id: string }[] }).data.map((h) => h.id)).toContain(opened.id)
    const told = await notificationsOf(admin.userId)
    expect(told.some((n) => n.kind === 'handoff.unassigned' && n.title.includes('Nora Rule'))).toBe(
      true,
    )
    // A rep may not move it; a manager gives it to a rep.
    expect((await act(repA, opened.id, 'reassign', { ownerId: repA.userId })).statusCode).toBe(403)
    const moved = await act(manager, opened.id, 'reassign', { ownerId: repB.userId })
    expect(moved.statusCode, moved.body).toBe(200)
    expect((moved.json() as { data: HandoffBody }).data.owner?.id).toBe(repB.userId)
    expect(
      (await notificationsOf(repB.userId)).some((n) => n.link === `/microscope/inbox/${opened.id}`),
    ).toBe(true)
  })
})

describe('with a catch-all routing rule', () => {
  beforeAll(async () => {
    const rule = await admin.request({
      method: 'POST',
      url: '/api/v1/routing/rules',
      workspaceId,
      payload: { name: 'Everyone', teamId, conditions: [] },
    })
    expect(rule.statusCode, rule.body).toBe(201)
  })

  it('routes MQLs by round robin, stamps the skipped stages, and starts the lead at new', async () => {
    const first = await markMql(await contact())
    const second = await markMql(await contact())
    const owners = [first.owner?.id, second.owner?.id]
    expect(new Set(owners)).toEqual(new Set([repA.userId, repB.userId]))
    expect(first.contact.lifecycleStage).toBe('mql')
    expect(first.contact.leadStatus).toBe('new')
    const stages = await t.ctx.db
      .selectFrom('lifecycleEntries')
      .select('stage')
      .where('recordId', '=', first.contact.id)
      .execute()
    expect(stages.map((s) => s.stage).sort()).toEqual(['lead', 'mql', 'subscriber'])
    expect(first.events?.map((e) => e.kind)).toEqual(['created'])
    expect(first.sla.firstTouch).toBe('running')
  })

  it('refuses a second MQL while a handoff is open, and a reason-less MQL', async () => {
    const id = await contact()
    await markMql(id)
    const again = await marketing.request({
      method: 'POST',
      url: `/api/v1/contacts/${id}/lifecycle`,
      workspaceId,
      payload: { stage: 'mql', reason: 'again' },
    })
    expect(again.statusCode).toBe(409)
    const noReason = await marketing.request({
      method: 'POST',
      url: `/api/v1/contacts/${await contact()}/lifecycle`,
      workspaceId,
      payload: { stage: 'mql' },
    })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.json().error.details.field).toBe('reason')
  })

  it('opens the handoff when a contact is set to mql through the records API too', async () => {
    const id = await contact()
    const patched = await admin.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${id}`,
      workspaceId,
      payload: { lifecycleStage: 'mql' },
    })
    expect(patched.statusCode, patched.body).toBe(200)
    const listed = await admin.request({
      method: 'GET',
      url: `/api/v1/handoffs?contactId=${id}`,
      workspaceId,
    })
    const [only, ...rest] = (listed.json() as { data: HandoffBody[] }).data
    expect(rest).toHaveLength(0)
    expect(only?.mqlSource).toBe('manual')
    expect(only?.owner).not.toBeNull()
  })

  it('accepts once: the contact becomes a SAL, a second accept is 409, and only the owner may', async () => {
    const opened = await markMql(await contact())
    const owner = opened.owner?.id === repA.userId ? repA : repB
    const other = owner === repA ? repB : repA
    expect((await act(other, opened.id, 'accept')).statusCode).toBe(403)
    const accepted = await act(owner, opened.id, 'accept')
    expect(accepted.statusCode, accepted.body).toBe(200)
    const body = (accepted.json() as { data: HandoffBody }).data
    expect(body.status).toBe('accepted')
    expect(body.contact.lifecycleStage).toBe('sal')
    expect(body.sla.decision).toBe('met')
    const twice = await act(owner, opened.id, 'accept')
    expect(twice.statusCode).toBe(409)
    expect((await act(owner, opened.id, 'reject', { reason: 'no_budget' })).statusCode).toBe(409)
  })

  it('lets exactly one of two concurrent decisions win', async () => {
    const opened = await markMql(await contact())
    const results = await Promise.all([
      act(manager, opened.id, 'accept'),
      act(manager, opened.id, 'accept'),
      act(manager, opened.id, 'reject', { reason: 'no_need' }),
    ])
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409])
    const events = (await handoff(opened.id)).events?.filter(
      (e) => e.kind === 'accepted' || e.kind === 'rejected',
    )
    expect(events).toHaveLength(1)
  })

  it('rejects with a reason: recycle by default with a +90-day date, disqualify per the table', async () => {
    const a = await markMql(await contact())
    const missing = await act(manager, a.id, 'reject', {})
    expect(missing.statusCode).toBe(400)
    expect(missing.body).toContain('reason')
    const past = await act(manager, a.id, 'reject', {
      reason: 'no_budget',
      recycleOn: '2020-01-01',
    })
    expect(past.statusCode).toBe(400)
    expect(past.json().error.details.field).toBe('recycleOn')
    expect((await handoff(a.id)).status).toBe('open')

    const recycled = await act(manager, a.id, 'reject', { reason: 'no_budget' })
    expect(recycled.statusCode, recycled.body).toBe(200)
    const r = (recycled.json() as { data: HandoffBody }).data
    expect(r.rejectionOutcome).toBe('recycle')
    const expected = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10)
    expect(Math.abs(Date.parse(String(r.recycleOn)) - Date.parse(expected))).toBeLessThanOrEqual(
      86_400_000,
    )
    expect(r.contact.lifecycleStage).toBe('recycled')

    const b = await markMql(await contact())
    const dq = (await act(manager, b.id, 'reject', { reason: 'not_icp' })).json() as {
      data: HandoffBody
    }
    expect(dq.data.rejectionOutcome).toBe('disqualify')
    expect(dq.data.contact.lifecycleStage).toBe('disqualified')
    expect(dq.data.recycleOn).toBeNull()

    const c = await markMql(await contact())
    const overridden = await act(manager, c.id, 'reject', {
      reason: 'spam_or_test',
      outcome: 'recycle',
      recycleOn: '2099-03-01',
    })
    expect((overridden.json() as { data: HandoffBody }).data.recycleOn).toBe('2099-03-01')
    const contradict = await act(manager, (await markMql(await contact())).id, 'reject', {
      reason: 'not_icp',
      recycleOn: '2099-03-01',
    })
    expect(contradict.statusCode).toBe(400)
  })

  it('detects the first touch from a logged call (not from a note), and the lead moves to attempting', async () => {
    const opened = await markMql(await contact())
    const note = await admin.request({
      method: 'POST',
      url: '/api/v1/activities',
      workspaceId,
      payload: { type: 'note', subject: 'Looked them up', contactId: opened.contact.id },
    })
    expect(note.statusCode, note.body).toBe(201)
    expect((await handoff(opened.id)).sla.firstTouchAt).toBeNull()
    const call = await admin.request({
      method: 'POST',
      url: '/api/v1/activities',
      workspaceId,
      payload: { type: 'call', subject: 'Intro call', contactId: opened.contact.id },
    })
    expect(call.statusCode, call.body).toBe(201)
    const touched = await handoff(opened.id)
    expect(touched.sla.firstTouchAt).not.toBeNull()
    expect(touched.sla.firstTouch).toBe('met')
    expect(touched.contact.leadStatus).toBe('attempting')
    expect(touched.events?.map((e) => e.kind)).toContain('first_touch')
  })

  it('rates quality 1-5 and refuses anything else', async () => {
    const opened = await markMql(await contact())
    expect((await act(manager, opened.id, 'rating', { quality: 6 })).statusCode).toBe(400)
    const rated = await act(manager, opened.id, 'rating', { quality: 4 })
    expect((rated.json() as { data: HandoffBody }).data.quality).toBe(4)
  })
})

describe('the SLA scan', () => {
  it('flags each breach once, tells the owner, escalates to the team manager and queues webhooks', async () => {
    await t.ctx.db
      .insertInto('webhookSubscriptions')
      .values({
        workspaceId,
        id: crypto.randomUUID(),
        name: 'ops',
        url: 'http://127.0.0.1:9/never',
        eventTypes: ['handoff.breached', 'handoff.escalated'],
        secret: 'whsec_test',
      })
      .execute()
    const opened = await markMql(await contact({ firstName: 'Late', lastName: 'Lead' }))
    const ownerId = String(opened.owner?.id)
    // Before any window ends nothing happens.
    expect(Date.parse(opened.sla.firstTouchDueAt)).toBeGreaterThan(Date.now())
    const early = await runSlaScan(t.ctx.db, new Date())
    expect(early).toEqual({ firstTouchBreaches: 0, decisionBreaches: 0, escalations: 0 })
    const later = new Date(Date.now() + 30 * 86_400_000)
    const first = await runSlaScan(t.ctx.db, later)
    expect(first.firstTouchBreaches).toBeGreaterThanOrEqual(1)
    expect(first.escalations).toBeGreaterThanOrEqual(1)
    const again = await runSlaScan(t.ctx.db, later)
    expect(again).toEqual({ firstTouchBreaches: 0, decisionBreaches: 0, escalations: 0 })

    const flagged = await handoff(opened.id)
    expect(flagged.sla.firstTouchBreachedAt).not.toBeNull()
    expect(flagged.sla.decisionBreachedAt).not.toBeNull()
    expect(flagged.sla.escalatedAt).not.toBeNull()
    const kinds = flagged.events?.map((e) => e.kind) ?? []
    expect(kinds.filter((k) => k === 'first_touch_breached')).toHaveLength(1)
    expect(kinds).toContain('escalated')
    expect(
      (await notificationsOf(ownerId)).some(
        (n) => n.kind === 'handoff.first_touch_breached' && n.title.includes('Late Lead'),
      ),
    ).toBe(true)
    expect(
      (await notificationsOf(manager.userId)).some(
        (n) => n.kind === 'handoff.escalated' && n.link === `/microscope/inbox/${opened.id}`,
      ),
    ).toBe(true)
    const deliveries = await t.ctx.db
      .selectFrom('webhookDeliveries')
      .select(['eventType', 'payload'])
      .where('workspaceId', '=', workspaceId)
      .execute()
    const forThis = deliveries.filter(
      (d) => (d.payload as { data?: { handoffId?: string } }).data?.handoffId === opened.id,
    )
    expect(forThis.map((d) => d.eventType).sort()).toEqual([
      'handoff.breached',
      'handoff.breached',
      'handoff.escalated',
    ])
  })
})

describe('recycled contacts', () => {
  it('come back as leads on their re-engage date, and qualifying again is a re-MQL', async () => {
    const opened = await markMql(await contact())
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    await act(manager, opened.id, 'reject', { reason: 'bad_timing', recycleOn: tomorrow })
    expect(await reengageRecycled(t.ctx.db)).toBe(0)
    await t.ctx.db
      .updateTable('contacts')
      .set({ recycleUntil: '2000-01-01' })
      .where('id', '=', opened.contact.id)
      .execute()
    expect(await reengageRecycled(t.ctx.db)).toBe(1)
    const again = await markMql(opened.contact.id)
    expect(again.contact.lifecycleStage).toBe('mql')
    expect(again.isReMql).toBe(true)
    expect(opened.isReMql).toBe(false)
  })
})

describe('the score hook', () => {
  it('qualifies a contact whose scores cross the thresholds, once', async () => {
    const id = await contact()
    const below = await t.ctx.db
      .transaction()
      .execute((trx) =>
        qualifyByScore(trx, workspaceId, id, { fit: 80, engagement: 49, predictive: null }),
      )
    expect(below).toBeNull()
    const above = await t.ctx.db
      .transaction()
      .execute((trx) =>
        qualifyByScore(trx, workspaceId, id, { fit: 50, engagement: 50, predictive: null }),
      )
    expect(above).not.toBeNull()
    const opened = await handoff(String(above?.handoffId))
    expect(opened.mqlSource).toBe('score')
    expect(opened.contact.lifecycleStage).toBe('mql')
    const again = await t.ctx.db
      .transaction()
      .execute((trx) =>
        qualifyByScore(trx, workspaceId, id, { fit: 90, engagement: 90, predictive: null }),
      )
    expect(again).toBeNull()
  })
})

describe('lifecycle.changed', () => {
  it('goes out for every stage change through the API, by PATCH or the lifecycle endpoint', async () => {
    const subscriptionId = crypto.randomUUID()
    await t.ctx.db
      .insertInto('webhookSubscriptions')
      .values({
        workspaceId,
        id: subscriptionId,
        name: 'stages',
        url: 'http://127.0.0.1:9/never',
        eventTypes: ['lifecycle.changed'],
        secret: 'whsec_test',
      })
      .execute()
    const id = await contact()
    const patched = await admin.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${id}`,
      workspaceId,
      payload: { lifecycleStage: 'lead' },
    })
    expect(patched.statusCode, patched.body).toBe(200)
    const moved = await admin.request({
      method: 'POST',
      url: `/api/v1/contacts/${id}/lifecycle`,
      workspaceId,
      payload: { stage: 'recycled', recycleOn: '2099-01-01' },
    })
    expect(moved.statusCode, moved.body).toBe(200)
    const sent = await t.ctx.db
      .selectFrom('webhookDeliveries')
      .select('payload')
      .where('subscriptionId', '=', subscriptionId)
      .orderBy('createdAt')
      .execute()
    const changes = sent
      .map((d) => (d.payload as { data: { contactId: string; from: string; to: string } }).data)
      .filter((d) => d.contactId === id)
      .map((d) => `${d.from}→${d.to}`)
    expect(changes).toEqual(['null→lead', 'lead→recycled'])
  })
})
