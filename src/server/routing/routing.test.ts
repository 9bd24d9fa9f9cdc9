import type { Kysely } from 'kysely'
import type { Response as InjectResponse } from 'light-my-request'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import type { DB } from '../db/schema.ts'
import { leadOf, type RoutingResult, routeLead } from './route-lead.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let reps: Session[]
let viewer: Session
let marketer: Session
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Routing Co'))
  reps = []
  for (let i = 0; i < 3; i++) reps.push(await addMember(t, owner, workspaceId, 'sales'))
  viewer = await addMember(t, owner, workspaceId, 'viewer')
  marketer = await addMember(t, owner, workspaceId, 'marketing')
})
afterAll(async () => t.close())

type Method = 'POST' | 'PATCH' | 'DELETE' | 'GET'
const send = (method: Method, url: string, payload?: unknown, as: Session = owner) =>
  as.request({ method, url, workspaceId, ...(payload ? { payload } : {}) })

async function created(response: Promise<InjectResponse>) {
  const done = await response
  if (done.statusCode !== 201) throw new Error(`setup failed: ${done.body}`)
  return done.json().data
}

const makeTeam = async (name: string, members: Session[]) =>
  (await created(send('POST', '/api/v1/teams', { name, memberIds: members.map((m) => m.userId) })))
    .id as string

const makeRule = async (body: Record<string, unknown>) =>
  (await created(send('POST', '/api/v1/routing/rules', body))).id as string

async function makeContact(account: Record<string, unknown> | null = null) {
  const accountId = account
    ? (await created(send('POST', '/api/v1/accounts', { name: `Acc ${uuidv7()}`, ...account }))).id
    : undefined
  return (
    await created(send('POST', '/api/v1/contacts', { email: `${uuidv7()}@example.com`, accountId }))
  ).id as string
}

/** A handoff row as the handoff service would insert it after routing. */
async function insertHandoff(
  db: Kysely<DB>,
  contactId: string,
  route: RoutingResult,
  at: Date,
  status: 'open' | 'accepted' = 'open',
) {
  await db
    .insertInto('handoffs')
    .values({
      workspaceId,
      id: uuidv7(),
      contactId,
      ownerId: route.ownerId,
      teamId: route.teamId,
      routingRuleId: route.ruleId,
      unassignedReason: route.unassignedReason,
      assignedAt: route.ownerId ? at : null,
      mqlSource: 'manual',
      mqlReason: 'test',
      status,
      decidedAt: status === 'open' ? null : at,
      createdAt: at,
      firstTouchDueAt: at,
      decisionDueAt: at,
      escalateAt: at,
    })
    .execute()
}

/** Routes a lead for the contact and stores its handoff, like the handoff service does. */
async function routeAndAssign(contactId: string, at: Date) {
  return t.ctx.db.transaction().execute(async (trx) => {
    const route = await routeLead(trx, workspaceId, await leadOf(trx, workspaceId, contactId), at)
    await insertHandoff(trx, contactId, route, at)
    return route
  })
}

async function clearRouting() {
  await t.ctx.db.deleteFrom('handoffs').where('workspaceId', '=', workspaceId).execute()
  await t.ctx.db.deleteFrom('routingRules').where('workspaceId', '=', workspaceId).execute()
  await t.ctx.db.deleteFrom('routingReps').where('workspaceId', '=', workspaceId).execute()
}

describe('routing rules API', () => {
  let teamId: string
  beforeAll(async () => {
    await clearRouting()
    teamId = await makeTeam('Rules Team', reps)
  })

  it('creates rules at the end of the order, with their team, audited', async () => {
    const first = await send('POST', '/api/v1/routing/rules', {
      name: 'DACH enterprise',
      teamId,
      conditions: [
        { field: 'country', op: 'in', value: ['DE', ' AT '] },
        { field: 'employees', op: 'gte', value: 2000 },
      ],
    })
    expect(first.statusCode).toBe(201)
    expect(first.json().data).toMatchObject({
      name: 'DACH enterprise',
      position: 0,
      team: { id: teamId, name: 'Rules Team' },
      conditions: [
        { field: 'country', op: 'in', value: ['DE', 'AT'] },
        { field: 'employees', op: 'gte', value: 2000 },
      ],
      isActive: true,
    })
    const second = await send('POST', '/api/v1/routing/rules', { name: 'Rest', teamId })
    expect(second.json().data).toMatchObject({ position: 1, conditions: [] })
    const list = (await send('GET', '/api/v1/routing/rules')).json()
    expect(list.data.map((r: { name: string }) => r.name)).toEqual(['DACH enterprise', 'Rest'])
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select('action')
      .where('targetId', '=', first.json().data.id)
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['routing_rule.create'])
  })

  it('refuses bad rules with a 400 naming the field, writing nothing', async () => {
    const before = (await send('GET', '/api/v1/routing/rules')).json().data.length
    const cases: [Record<string, unknown>, string][] = [
      [{ name: ' ', teamId }, 'body.name: '],
      [{ name: 'x', teamId: 'nope' }, 'body.teamId: '],
      [{ name: 'x', teamId: uuidv7() }, 'teamId: '],
      [
        { name: 'x', teamId, conditions: [{ field: 'country', op: 'gte', value: 5 }] },
        'body.conditions.0.op: ',
      ],
      [
        { name: 'x', teamId, conditions: [{ field: 'employees', op: 'lt', value: -3 }] },
        'body.conditions.0.value: ',
      ],
      [
        { name: 'x', teamId, conditions: [{ field: 'title', op: 'eq', value: 'CEO' }] },
        'body.conditions.0.field: ',
      ],
    ]
    for (const [body, prefix] of cases) {
      const response = await send('POST', '/api/v1/routing/rules', body)
      expect(response.statusCode, JSON.stringify(body)).toBe(400)
      expect(response.json().error.message, JSON.stringify(body)).toMatch(
        new RegExp(`^${prefix.replace(/\./g, '\\.')}`),
      )
    }
    expect((await send('GET', '/api/v1/routing/rules')).json().data).toHaveLength(before)
  })

  it('updates, reorders and deletes rules; refuses an order that is not the full list', async () => {
    const [dach, rest] = (await send('GET', '/api/v1/routing/rules')).json().data
    const patched = await send('PATCH', `/api/v1/routing/rules/${rest.id}`, {
      name: 'Everyone else',
      isActive: false,
    })
    expect(patched.json().data).toMatchObject({ name: 'Everyone else', isActive: false })
    const partial = await send('POST', '/api/v1/routing/rules/reorder', { ids: [rest.id] })
    expect(partial.statusCode).toBe(400)
    expect(partial.json().error.message).toMatch(/^ids: /)
    const twice = await send('POST', '/api/v1/routing/rules/reorder', {
      ids: [rest.id, rest.id, dach.id],
    })
    expect(twice.statusCode).toBe(400)
    const reordered = await send('POST', '/api/v1/routing/rules/reorder', {
      ids: [rest.id, dach.id],
    })
    expect(reordered.statusCode).toBe(200)
    expect(reordered.json().data.map((r: { id: string }) => r.id)).toEqual([rest.id, dach.id])
    expect((await send('DELETE', `/api/v1/routing/rules/${rest.id}`)).statusCode).toBe(204)
    expect((await send('DELETE', `/api/v1/routing/rules/${rest.id}`)).statusCode).toBe(404)
    const left = (await send('GET', '/api/v1/routing/rules')).json().data
    expect(left.map((r: { id: string }) => r.id)).toEqual([dach.id])
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('workspaceId', '=', workspaceId)
      .where('action', 'like', 'routing_rule.%')
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual([
      'routing_rule.create',
      'routing_rule.create',
      'routing_rule.update',
      'routing_rule.reorder',
      'routing_rule.delete',
    ])
    expect(audit[2]?.details).toMatchObject({ name: { from: 'Rest', to: 'Everyone else' } })
  })

  it('lets every member read the rules and only routing managers change them', async () => {
    expect((await send('GET', '/api/v1/routing/rules', undefined, viewer)).statusCode).toBe(200)
    const denied = await send('POST', '/api/v1/routing/rules', { name: 'x', teamId }, reps[0])
    expect(denied.statusCode).toBe(403)
    const deniedRep = await send(
      'PATCH',
      `/api/v1/routing/reps/${reps[0]?.userId}`,
      { capacity: 1 },
      marketer,
    )
    expect(deniedRep.statusCode).toBe(403)
  })
})

describe('routing reps API', () => {
  beforeAll(clearRouting)

  it('lists members in a team with defaults, teams and load', async () => {
    const response = await send('GET', '/api/v1/routing/reps')
    expect(response.statusCode).toBe(200)
    const rep = response.json().data.find((r: { userId: string }) => r.userId === reps[0]?.userId)
    expect(rep).toMatchObject({
      acceptsLeads: true,
      capacity: null,
      dailyCap: null,
      absentFrom: null,
      isEligible: true,
      openCount: 0,
      todayCount: 0,
    })
    expect(rep.teams.map((team: { name: string }) => team.name)).toContain('Rules Team')
    // The owner is in no team, so is not listed.
    const ids = response.json().data.map((r: { userId: string }) => r.userId)
    expect(ids).not.toContain(owner.userId)
  })

  it('sets capacity, cap and absence; refuses bad values naming the field', async () => {
    const url = `/api/v1/routing/reps/${reps[1]?.userId}`
    const ok = await send('PATCH', url, {
      capacity: 5,
      dailyCap: 2,
      absentFrom: '2026-12-01T00:00:00Z',
      absentUntil: '2026-12-10T00:00:00Z',
    })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json().data).toMatchObject({
      capacity: 5,
      dailyCap: 2,
      absentFrom: '2026-12-01T00:00:00.000Z',
      absentUntil: '2026-12-10T00:00:00.000Z',
    })
    const cases: [Record<string, unknown>, string][] = [
      [{ capacity: -1 }, 'body.capacity: '],
      [{ dailyCap: 1.5 }, 'body.dailyCap: '],
      [{ absentFrom: 'soon' }, 'body.absentFrom: '],
      [{ absentUntil: '2026-11-30T00:00:00Z' }, 'absentUntil: '],
      [
        { absentFrom: '2026-12-05T00:00:00Z', absentUntil: '2026-12-05T00:00:00Z' },
        'absentUntil: ',
      ],
    ]
    for (const [body, prefix] of cases) {
      const response = await send('PATCH', url, body)
      expect(response.statusCode, JSON.stringify(body)).toBe(400)
      expect(response.json().error.message.startsWith(prefix), response.body).toBe(true)
    }
    const kept = await send('PATCH', url, { acceptsLeads: false })
    expect(kept.json().data).toMatchObject({ capacity: 5, dailyCap: 2, acceptsLeads: false })
    expect(kept.json().data.isEligible).toBe(false)
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select('details')
      .where('action', '=', 'routing_rep.update')
      .where('targetId', '=', reps[1]?.userId ?? '')
      .orderBy('id')
      .execute()
    expect(audit).toHaveLength(2)
    expect(audit[1]?.details).toEqual({ acceptsLeads: { from: true, to: false } })
  })

  it('answers 404 for someone who is not a member', async () => {
    const stranger = await makeWorkspace(t, 'Stranger Co')
    const response = await send('PATCH', `/api/v1/routing/reps/${stranger.owner.userId}`, {
      capacity: 1,
    })
    expect(response.statusCode).toBe(404)
  })
})

describe('routeLead', () => {
  let emea: string
  let enterprise: string
  let emeaRule: string
  const at = (minutes: number) => new Date(Date.UTC(2026, 10, 27, 10, minutes))

  beforeAll(async () => {
    await clearRouting()
    emea = await makeTeam('EMEA', [...reps, viewer, marketer])
    enterprise = await makeTeam('Enterprise', [reps[2] as Session])
    await makeRule({
      name: 'German enterprise',
      teamId: enterprise,
      conditions: [
        { field: 'country', op: 'eq', value: 'de' },
        { field: 'segment', op: 'in', value: ['enterprise'] },
      ],
    })
    emeaRule = await makeRule({
      name: 'Europe',
      teamId: emea,
      conditions: [{ field: 'country', op: 'in', value: ['DE', 'FR', 'ES'] }],
    })
  })

  it('reads the lead from the contact and its account', async () => {
    const contactId = await makeContact({
      country: 'DE',
      region: 'Bavaria',
      industry: 'Software',
      employees: 2500,
    })
    const lead = await leadOf(t.ctx.db, workspaceId, contactId)
    expect(lead).toEqual({
      country: 'DE',
      region: 'Bavaria',
      industry: 'Software',
      employees: 2500,
      segment: 'enterprise',
    })
    const bare = await leadOf(t.ctx.db, workspaceId, await makeContact())
    expect(bare).toMatchObject({ country: null, employees: null, segment: null })
  })

  it('routes by the first matching rule', async () => {
    const big = await makeContact({ country: 'DE', employees: 5000 })
    const route = await routeLead(
      t.ctx.db,
      workspaceId,
      await leadOf(t.ctx.db, workspaceId, big),
      at(0),
    )
    expect(route).toEqual({
      ownerId: reps[2]?.userId,
      teamId: enterprise,
      ruleId: expect.any(String),
      unassignedReason: null,
    })
    const small = await makeContact({ country: 'FR', employees: 50 })
    const other = await routeLead(
      t.ctx.db,
      workspaceId,
      await leadOf(t.ctx.db, workspaceId, small),
      at(0),
    )
    expect(other).toMatchObject({ teamId: emea, ruleId: emeaRule })
  })

  it('gives no owner and no_rule when no rule matches', async () => {
    const contactId = await makeContact({ country: 'US' })
    const route = await routeLead(
      t.ctx.db,
      workspaceId,
      await leadOf(t.ctx.db, workspaceId, contactId),
      at(0),
    )
    expect(route).toEqual({
      ownerId: null,
      teamId: null,
      ruleId: null,
      unassignedReason: 'no_rule',
    })
  })

  it('turns round robin through the sales reps of the team, never the viewer or marketer', async () => {
    const owners: (string | null)[] = []
    for (let i = 0; i < 9; i++) {
      const contactId = await makeContact({ country: 'FR' })
      owners.push((await routeAndAssign(contactId, at(i))).ownerId)
    }
    const sales = reps.map((r) => r.userId).sort()
    // Each rep once per turn of three, in the same order every turn.
    expect([...owners.slice(0, 3)].sort()).toEqual(sales)
    expect(owners.slice(3, 6)).toEqual(owners.slice(0, 3))
    expect(owners.slice(6, 9)).toEqual(owners.slice(0, 3))
  })

  it('skips absent reps and reps at capacity, who lose their turn', async () => {
    await t.ctx.db.deleteFrom('handoffs').where('workspaceId', '=', workspaceId).execute()
    const [a, b, c] = reps as [Session, Session, Session]
    expect(
      (
        await send('PATCH', `/api/v1/routing/reps/${a.userId}`, {
          absentFrom: at(-60).toISOString(),
          absentUntil: at(60).toISOString(),
        })
      ).statusCode,
    ).toBe(200)
    await send('PATCH', `/api/v1/routing/reps/${b.userId}`, { capacity: 1 })
    const owners: (string | null)[] = []
    for (let i = 0; i < 4; i++) {
      owners.push((await routeAndAssign(await makeContact({ country: 'ES' }), at(i))).ownerId)
    }
    // b takes one (then is full), c takes the rest while a is away.
    expect(owners.filter((o) => o === b.userId)).toHaveLength(1)
    expect(owners.filter((o) => o === c.userId)).toHaveLength(3)
    expect(owners).not.toContain(a.userId)
    // Back from absence, a goes next (it waited longest), with no catch-up after that.
    const back = [await routeAndAssign(await makeContact({ country: 'ES' }), at(61))]
    back.push(await routeAndAssign(await makeContact({ country: 'ES' }), at(62)))
    expect(back.map((r) => r.ownerId)).toEqual([a.userId, c.userId])
  })

  it('says why nobody got the lead: capacity, daily cap, absence, no rep', async () => {
    const route = async (country: string, minute: number) =>
      routeAndAssign(await makeContact({ country }), at(minute))
    const [a, b, c] = reps as [Session, Session, Session]
    await clearRouting()
    await makeRule({ name: 'Europe', teamId: emea, conditions: [] })
    for (const rep of [a, b, c])
      await send('PATCH', `/api/v1/routing/reps/${rep.userId}`, { capacity: 1 })
    for (let i = 0; i < 3; i++) expect((await route('FR', i)).ownerId).not.toBeNull()
    expect((await route('FR', 3)).unassignedReason).toBe('all_at_capacity')
    // Accepted handoffs no longer count against capacity, but today's count stays.
    await t.ctx.db
      .updateTable('handoffs')
      .set({ status: 'accepted', decidedAt: at(4) })
      .where('workspaceId', '=', workspaceId)
      .where('ownerId', 'is not', null)
      .execute()
    for (const rep of [a, b, c])
      await send('PATCH', `/api/v1/routing/reps/${rep.userId}`, { capacity: null, dailyCap: 1 })
    expect((await route('FR', 5)).unassignedReason).toBe('all_at_daily_cap')
    for (const rep of [a, b, c])
      await send('PATCH', `/api/v1/routing/reps/${rep.userId}`, {
        dailyCap: null,
        absentFrom: at(0).toISOString(),
        absentUntil: null,
      })
    expect((await route('FR', 6)).unassignedReason).toBe('all_absent')
    for (const rep of [a, b, c])
      await send('PATCH', `/api/v1/routing/reps/${rep.userId}`, { acceptsLeads: false })
    const none = await route('FR', 7)
    expect(none).toMatchObject({ ownerId: null, teamId: emea, unassignedReason: 'no_active_rep' })
  })

  it('gives two concurrent routings of one team two different reps', async () => {
    await clearRouting()
    await makeRule({ name: 'All', teamId: emea, conditions: [] })
    const contacts = [await makeContact(), await makeContact()]
    let started = 0
    const bothStarted = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (started === 2) {
          clearInterval(check)
          resolve()
        }
      }, 5)
    })
    const routes = await Promise.all(
      contacts.map((contactId) =>
        t.ctx.db.transaction().execute(async (trx) => {
          await trx.selectFrom('workspaces').select('id').execute()
          started++
          await bothStarted
          const lead = await leadOf(trx, workspaceId, contactId)
          const route = await routeLead(trx, workspaceId, lead, at(0))
          // Hold the transaction open: without the team lock the other would pick the same rep.
          await new Promise((resolve) => setTimeout(resolve, 150))
          await insertHandoff(trx, contactId, route, at(0))
          return route
        }),
      ),
    )
    const owners = routes.map((r) => r.ownerId)
    expect(owners.every((o) => o !== null)).toBe(true)
    expect(new Set(owners).size).toBe(2)
  })
})
