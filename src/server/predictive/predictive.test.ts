import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { drainScoreQueue } from '../scoring/queue.ts'
import { recordTouchpoint } from '../touchpoints/service.ts'
import { extractLeads } from './features.ts'
import { enforceEligibilityEverywhere, runQueuedTraining } from './service.ts'

let t: TestApp
let admin: Session
let marketing: Session
let viewer: Session
let workspaceId: string
let small: { admin: Session; workspaceId: string }

const day = 86_400_000

/**
 * Plants `n` leads created over the last `spanDays` days (one every spanDays/n days, the newest
 * today). The planted truth: every fourth lead is an economic buyer and 60 % of those become
 * customers 30 days after lead creation; of the others 8 % do. One converter in ten converts only
 * after 120 days, which is not a conversion within 90 days (label 0). "Random" draws are a hash of
 * the lead's number, so the data is the same on every run.
 */
async function plantLeads(ws: string, n: number, spanDays: number, prefix: string) {
  await sql`
    with src as (
      select i, gen_random_uuid() as id,
        now() - make_interval(secs => (${n} - i)::float8 * ${spanDays}::float8 * 86400 / ${n}) as t0,
        case when i % 4 = 0 then 'economic_buyer' else 'user' end as persona,
        ((hashtext(${prefix} || i::text) & 65535)::float8 / 65536) as u,
        ((hashtext(${prefix} || 'late' || i::text) & 65535)::float8 / 65536) as v
      from generate_series(1, ${n}) as i
    ),
    planted as (
      select *, u < case when persona = 'economic_buyer' then 0.6 else 0.08 end as converts from src
    ),
    c as (
      insert into contacts (workspace_id, id, email, persona, lifecycle_stage, created_at, updated_at)
      select ${ws}::uuid, id, ${prefix} || i || '@leads.example', persona,
        case when converts and t0 + interval '30 days' <= now() then 'customer' else 'lead' end, t0, t0
      from planted returning id
    )
    insert into lifecycle_entries (workspace_id, id, entity, record_id, stage, entered_at)
    select ${ws}::uuid, gen_random_uuid(), 'contact', id, 'lead', t0 from planted
    union all
    select ${ws}::uuid, gen_random_uuid(), 'contact', id, 'customer',
      t0 + case when v < 0.1 then interval '120 days' else interval '30 days' end
    from planted
    where converts and t0 + case when v < 0.1 then interval '120 days' else interval '30 days' end <= now()
  `.execute(t.ctx.db)
}

const state = async (who: Session, ws = workspaceId) => {
  const response = await who.request({
    method: 'GET',
    url: '/api/v1/predictive/model',
    workspaceId: ws,
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().data
}

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner: admin, workspaceId } = await makeWorkspace(t, 'Predictive Co'))
  marketing = await addMember(t, admin, workspaceId, 'marketing')
  viewer = await addMember(t, admin, workspaceId, 'viewer')
  const other = await makeWorkspace(t, 'Small Co')
  small = { admin: other.owner, workspaceId: other.workspaceId }
  // 2,400 leads over 400 days: 1,200 in the last 200 days, well over 120 conversions there.
  await plantLeads(workspaceId, 2400, 400, 'p')
  await plantLeads(small.workspaceId, 150, 400, 's')
  await drainScoreQueue(t.ctx.db)
}, 120_000)
afterAll(async () => t?.close())

describe('features at lead creation', () => {
  it('counts only touches up to lead creation and never bots', async () => {
    const [contact] = await t.ctx.db
      .selectFrom('contacts')
      .select('id')
      .where('workspaceId', '=', workspaceId)
      .where('email', '=', 'p1000@leads.example')
      .execute()
    const id = contact?.id as string
    const leadAt = await t.ctx.db
      .selectFrom('lifecycleEntries')
      .select('enteredAt')
      .where('recordId', '=', id)
      .where('stage', '=', 'lead')
      .executeTakeFirstOrThrow()
    const at = (offsetDays: number) => new Date(leadAt.enteredAt.getTime() + offsetDays * day)
    const touch = (occurredAt: Date, type: string, isBot = false) =>
      recordTouchpoint(t.ctx.db, {
        workspaceId,
        contactId: id,
        occurredAt,
        type: type as 'page_view',
        channel: 'email',
        isBot,
      })
    await touch(at(-10), 'email_open')
    await touch(at(-2), 'page_view')
    await touch(at(0), 'form_submit')
    await touch(at(-1), 'page_view', true)
    await touch(at(3), 'meeting')
    const leads = await extractLeads(t.ctx.db, workspaceId, [id], new Date())
    const value = (name: string) => leads.columns.find((c) => c.name === name)?.values[0]
    expect(leads.leadAt[0]?.getTime()).toBe(leadAt.enteredAt.getTime())
    expect(value('touches.total')).toBe(3)
    expect(value('touches.type.email_open')).toBe(1)
    expect(value('touches.type.page_view')).toBe(1)
    expect(value('touches.type.form_submit')).toBe(1)
    expect(value('touches.type.meeting')).toBeUndefined()
    expect(value('touches.channel.email')).toBe(3)
    expect(value('touches.daysEngaged')).toBeCloseTo(10, 6)
    expect(value('contact.persona')).toBe('economic_buyer')
    expect(leads.labels['touches.type.email_open']).toBe('Email open touches before lead creation')
  })
})

describe('training', () => {
  it('says what is missing below the minimum, and rules stay in charge', async () => {
    const queued = await small.admin.request({
      method: 'POST',
      url: '/api/v1/predictive/model/retrain',
      workspaceId: small.workspaceId,
    })
    expect(queued.statusCode, queued.body).toBe(202)
    expect(queued.json().data.training.status).toBe('queued')
    expect(await runQueuedTraining(t.ctx.db)).toEqual({
      workspaceId: small.workspaceId,
      status: 'idle',
    })
    const after = await state(small.admin, small.workspaceId)
    expect(after.model).toBeNull()
    expect(after.training.error).toMatch(
      /^Not enough history to train: \d+ leads created more than 90 days ago \(at least 200 needed\)/,
    )
    expect(after.eligibility).toMatchObject({
      leads: 75,
      eligible: false,
      minLeads: 1000,
      minConversions: 120,
    })
  })

  it('refuses retraining to roles without scoring:manage', async () => {
    const response = await viewer.request({
      method: 'POST',
      url: '/api/v1/predictive/model/retrain',
      workspaceId,
    })
    expect(response.statusCode).toBe(403)
    expect(await runQueuedTraining(t.ctx.db)).toBeNull()
  })

  it('trains on mature leads, beats the empty rule score on the time-ordered holdout and scores everyone', async () => {
    const before = await state(viewer)
    expect(before.model).toBeNull()
    // 1,200 leads in the last 200 days; conversions there counted from the planted data.
    const conversions = await sql<{ n: number }>`
      select count(*)::int as n from lifecycle_entries where workspace_id = ${workspaceId}
        and stage = 'customer' and entered_at > now() - interval '200 days'`.execute(t.ctx.db)
    expect(before.eligibility).toMatchObject({
      leads: 1200,
      conversions: conversions.rows[0]?.n,
      eligible: true,
    })
    const queued = await marketing.request({
      method: 'POST',
      url: '/api/v1/predictive/model/retrain',
      workspaceId,
    })
    expect(queued.statusCode, queued.body).toBe(202)
    expect(await runQueuedTraining(t.ctx.db)).toEqual({ workspaceId, status: 'idle' })
    const { model, training } = await state(viewer)
    expect(training).toMatchObject({ status: 'idle', error: null })
    // Leads created more than 90 days ago: 2,400 × 310 / 400, give or take the boundary lead.
    const mature = model.sizes.train + model.sizes.calibration + model.sizes.holdout
    expect(Math.abs(mature - 1860)).toBeLessThanOrEqual(1)
    expect(model.sizes.holdout).toBe(Math.round(mature * 0.2))
    // The planted truth (60 % vs 8 %) ranks a converter first about 80 % of the time.
    expect(model.holdout.auc).toBeGreaterThan(0.72)
    expect(model.holdout.baselineAuc).toBeCloseTo(0.5, 6)
    expect(model.importance[0]).toMatchObject({ feature: 'contact.persona', label: 'Persona' })
    expect(model.scored).toBe(2400)
    const bins = model.holdout.calibration as {
      predicted: number
      observed: number
      count: number
    }[]
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(model.sizes.holdout)
    expect(model.holdout.gains.at(-1)).toMatchObject({ share: 1, model: 1 })

    const probability = async (email: string) => {
      const row = await t.ctx.db
        .selectFrom('contacts')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
      const response = await viewer.request({
        method: 'GET',
        url: `/api/v1/contacts/${row.id}/scores`,
        workspaceId,
      })
      expect(response.statusCode, response.body).toBe(200)
      return response.json().data.predictive
    }
    const buyer = await probability('p2400@leads.example')
    const user = await probability('p2399@leads.example')
    expect(buyer.probability).toBeGreaterThan(0.35)
    expect(user.probability).toBeLessThan(0.15)
    expect(buyer.factors[0]).toMatchObject({
      feature: 'contact.persona',
      label: 'Persona',
      value: 'economic_buyer',
    })
    expect(buyer.factors[0].contribution).toBeGreaterThan(0)
    expect(user.factors[0].contribution).toBeLessThan(0)
  })
})

describe('the model in charge of MQLs', () => {
  const patch = (who: Session, body: Record<string, unknown>, ws = workspaceId) =>
    who.request({ method: 'PATCH', url: '/api/v1/mql/rules', workspaceId: ws, payload: body })

  it('only an admin, only with a model and enough history', async () => {
    const byMarketing = await patch(marketing, { predictiveInCharge: true })
    expect(byMarketing.statusCode).toBe(403)
    expect(byMarketing.json().error.message).toMatch(/^predictiveInCharge: only an admin/)
    const noModel = await patch(small.admin, { predictiveInCharge: true }, small.workspaceId)
    expect(noModel.statusCode).toBe(409)
    expect(noModel.json().error.message).toMatch(/no predictive model has been trained/)
    const ok = await patch(admin, { predictiveInCharge: true, predictiveMin: 0.3 })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json().data).toMatchObject({ predictiveInCharge: true, predictiveMin: 0.3 })
  })

  it('a new lead the model rates ≥ P becomes an MQL; one below stays a lead', async () => {
    const make = async (email: string, persona: string) => {
      const response = await admin.request({
        method: 'POST',
        url: '/api/v1/contacts',
        workspaceId,
        payload: { email, persona, lifecycleStage: 'lead' },
      })
      expect(response.statusCode, response.body).toBe(201)
      return response.json().data.id as string
    }
    const buyer = await make('new-buyer@leads.example', 'economic_buyer')
    const user = await make('new-user@leads.example', 'user')
    await drainScoreQueue(t.ctx.db)
    const stage = async (id: string) =>
      (
        await t.ctx.db
          .selectFrom('contacts')
          .select('lifecycleStage')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).lifecycleStage
    expect(await stage(buyer)).toBe('mql')
    expect(await stage(user)).toBe('lead')
    const handoff = await t.ctx.db
      .selectFrom('handoffs')
      .select(['mqlSource'])
      .where('contactId', '=', buyer)
      .executeTakeFirstOrThrow()
    expect(handoff.mqlSource).toBe('predictive')
  })

  it('a retraining without the history hands MQLs back to the rules, and says so in the audit log', async () => {
    await t.ctx.db
      .updateTable('predictiveTraining')
      .set({ status: 'queued' })
      .where('workspaceId', '=', workspaceId)
      .execute()
    // A year on, nobody new: no leads and no conversions in the last 200 days.
    const later = new Date(Date.now() + 365 * day)
    expect(await runQueuedTraining(t.ctx.db, () => later)).toEqual({ workspaceId, status: 'idle' })
    const rules = await t.ctx.db
      .selectFrom('mqlRules')
      .select('predictiveInCharge')
      .where('workspaceId', '=', workspaceId)
      .executeTakeFirstOrThrow()
    expect(rules.predictiveInCharge).toBe(false)
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('workspaceId', '=', workspaceId)
      .where('action', '=', 'mql_rules.update')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(JSON.stringify(audit.details)).toMatch(/0 leads and 0 conversions in the last 200 days/)
    // The nightly check does the same between trainings, and only where the model is in charge.
    expect(await enforceEligibilityEverywhere(t.ctx.db, later)).toBe(0)
    await t.ctx.db
      .updateTable('mqlRules')
      .set({ predictiveInCharge: true })
      .where('workspaceId', '=', workspaceId)
      .execute()
    expect(await enforceEligibilityEverywhere(t.ctx.db, new Date())).toBe(0)
    expect(await enforceEligibilityEverywhere(t.ctx.db, later)).toBe(1)
    const again = await t.ctx.db
      .selectFrom('mqlRules')
      .select('predictiveInCharge')
      .where('workspaceId', '=', workspaceId)
      .executeTakeFirstOrThrow()
    expect(again.predictiveInCharge).toBe(false)
  })
})
