import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signIn } from '../../test/factories.ts'
import { createTestApp, type TestApp } from '../../test/harness.ts'
import type { Database } from '../server/db/database.ts'
import { demoDomain, demoLogins, demoPassword, seedDemo } from './seed.ts'

let t: TestApp
let other: TestApp
beforeAll(async () => {
  ;[t, other] = await Promise.all([createTestApp(), createTestApp()])
})
afterAll(async () => Promise.all([t.close(), other.close()]))

const asOf = new Date('2026-06-30T12:00:00Z')

async function snapshot(db: Database) {
  const workspace = await db.selectFrom('workspaces').selectAll().execute()
  const users = await db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'createdAt'])
    .orderBy('email')
    .execute()
  const memberships = await db.selectFrom('memberships').selectAll().orderBy('userId').execute()
  const teams = await db
    .selectFrom('teams')
    .innerJoin('teamMembers', 'teamMembers.teamId', 'teams.id')
    .select(['teams.id', 'teams.name', 'teams.managerId', 'teamMembers.userId'])
    .orderBy('teams.name')
    .orderBy('teamMembers.userId')
    .execute()
  const deals = await db
    .selectFrom('deals')
    .select(['id', 'name', 'amount', 'stageId', 'closeDate'])
    .orderBy('id')
    .execute()
  const accounts = await db
    .selectFrom('accounts')
    .select(['id', 'name', 'domain', 'lifecycleStage'])
    .orderBy('id')
    .execute()
  const contacts = await db
    .selectFrom('contacts')
    .select(['id', 'email', 'createdAt'])
    .orderBy('id')
    .execute()
  return { workspace, users, memberships, teams, deals, accounts, contacts }
}

describe('demo world', () => {
  it('gives the same data for the same seed and date', async () => {
    await seedDemo(t.ctx.db, { seed: 7, asOf, reset: false })
    await seedDemo(other.ctx.db, { seed: 7, asOf, reset: false })
    const [one, two] = await Promise.all([snapshot(t.ctx.db), snapshot(other.ctx.db)])
    expect(one).toEqual(two)
    expect(one.teams.map((r) => r.name)).toEqual(
      expect.arrayContaining(['Enterprise', 'Mid-Market', 'SMB']),
    )
    expect(one.users.length).toBeGreaterThanOrEqual(15)
    // Dates are relative to --as-of: the workspace starts three years before it.
    expect(one.workspace[0]?.createdAt.getUTCFullYear()).toBe(2023)
    // Sales touches sit in monthly partitions, none in the default one.
    const partitions = await sql<{ name: string; rows: number }>`
      select tableoid::regclass::text as name, count(*)::int as rows
      from touchpoints group by 1 order by 1
    `.execute(t.ctx.db)
    expect(partitions.rows.length).toBeGreaterThan(24)
    expect(partitions.rows.map((r) => r.name)).not.toContain('touchpoints_default')
  }, 180_000)

  it('plants its truths: seasonal lead volume and a product sold to poor-fit accounts', async () => {
    const byMonth = await t.ctx.db
      .selectFrom('contacts')
      .select((eb) => [
        sql<number>`extract(month from created_at)::int`.as('month'),
        eb.fn.countAll<number>().as('n'),
      ])
      .groupBy(sql`1`)
      .execute()
    const n = (m: number) => byMonth.find((r) => r.month === m)?.n ?? 0
    expect(n(9) + n(10)).toBeGreaterThan(1.4 * (n(6) + n(7)))
    const cobot = await t.ctx.db
      .selectFrom('dealLineItems as li')
      .innerJoin('products as p', 'p.id', 'li.productId')
      .innerJoin('deals as d', 'd.id', 'li.dealId')
      .innerJoin('accounts as a', 'a.id', 'd.accountId')
      .select((eb) => [
        eb.fn.countAll<number>().as('all'),
        sql<number>`count(*) filter (where a.employees > 500 or a.industry not in ('manufacturing', 'food_and_beverage', 'retail'))::int`.as(
          'poorFit',
        ),
      ])
      .where('p.name', '=', 'Cobot Lite')
      .executeTakeFirstOrThrow()
    expect(cobot.poorFit / cobot.all).toBeGreaterThan(0.3)
    const stages = await t.ctx.db
      .selectFrom('dealStageChanges')
      .select('dealId')
      .distinct()
      .execute()
    expect(stages.length).toBe((await t.ctx.db.selectFrom('deals').select('id').execute()).length)
  })

  it('signs in every demo login with its role', async () => {
    for (const login of demoLogins) {
      const session = await signIn(t.app, login.email, demoPassword)
      const me = (await session.request({ method: 'GET', url: '/api/v1/me' })).json().data
      expect(me).toMatchObject({ role: login.role, workspace: { name: 'Northwind Robotics' } })
    }
  })

  it('plants duplicates the Duplicates pages find, for every reason', async () => {
    const admin = await signIn(t.app, demoLogins[0]?.email ?? '', demoPassword)
    const reasons = async (entity: 'contacts' | 'accounts') => {
      const count: Record<string, number> = {}
      let cursor: string | null = null
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
        const response = await admin.request({
          method: 'GET',
          url: `/api/v1/duplicates/${entity}?limit=100${query}`,
        })
        expect(response.statusCode, response.body).toBe(200)
        const page = response.json() as { data: { reason: string }[]; nextCursor: string | null }
        for (const group of page.data) count[group.reason] = (count[group.reason] ?? 0) + 1
        cursor = page.nextCursor
      } while (cursor)
      return count
    }
    // 30 planted people, ten per reason; 8 planted companies, four per reason.
    const people = await reasons('contacts')
    for (const reason of ['email', 'name_phone', 'name_company'])
      expect(people[reason] ?? 0, reason).toBeGreaterThanOrEqual(10)
    const companies = await reasons('accounts')
    for (const reason of ['domain', 'name'])
      expect(companies[reason] ?? 0, reason).toBeGreaterThanOrEqual(4)
  }, 120_000)

  it('replays two weeks of website tracking through ingestion: merges, forms, bots', async () => {
    const admin = await signIn(t.app, demoLogins[0]?.email ?? '', demoPassword)
    const get = async (url: string) => {
      const response = await admin.request({ method: 'GET', url })
      expect(response.statusCode, response.body).toBe(200)
      return response.json().data
    }
    const keys = await get('/api/v1/write-keys')
    expect(keys.map((k: { name: string }) => k.name)).toContain('Website')
    const merges = await get('/api/v1/identity-merges?limit=200')
    expect(merges.length).toBeGreaterThanOrEqual(12)
    expect(merges.every((m: { touchpointsMoved: number }) => m.touchpointsMoved >= 2)).toBe(true)
    const bots = await get(
      `/api/v1/touchpoints?limit=200&filter=${encodeURIComponent('{"all":[{"field":"isBot","op":"eq","value":true}]}')}`,
    )
    expect(bots.map((b: { botReason: string }) => b.botReason).sort()).toEqual(
      expect.arrayContaining(['bot_user_agent', 'scanner_user_agent']),
    )
    const bySource = encodeURIComponent('{"all":[{"field":"source","op":"eq","value":"tracking"}]}')
    const leads = await get(`/api/v1/contacts?limit=200&filter=${bySource}`)
    expect(leads).toHaveLength(10)
    for (const lead of leads) {
      expect(lead.leadCreation, lead.email).toMatchObject({ type: 'form_submit' })
      expect(lead.firstTouchUtm, lead.email).not.toBeNull()
    }
  })

  it('plants a hosted form whose submissions are the tracked leads’ form fills', async () => {
    const marketer = await signIn(t.app, `marketing@${demoDomain}`, demoPassword)
    const forms = (await marketer.request({ method: 'GET', url: '/api/v1/forms' })).json().data
    expect(forms).toHaveLength(1)
    expect(forms[0]).toMatchObject({ name: 'Request a demo', isHighIntent: true })
    expect(forms[0].stats.submissions).toBe(10)
    expect(forms[0].stats.views).toBeGreaterThan(forms[0].stats.submissions)
    const submissions = (
      await marketer.request({ method: 'GET', url: `/api/v1/forms/${forms[0].id}/submissions` })
    ).json().data
    expect(submissions.every((s: { contact: unknown }) => s.contact !== null)).toBe(true)
  })

  it('leaves an existing demo alone unless reset, and a reset with another seed changes it', async () => {
    const before = await snapshot(other.ctx.db)
    const again = await seedDemo(other.ctx.db, { seed: 8, asOf, reset: false })
    expect(again.created).toBe(false)
    expect(await snapshot(other.ctx.db)).toEqual(before)
    const reset = await seedDemo(other.ctx.db, { seed: 8, asOf, reset: true })
    expect(reset.created).toBe(true)
    const after = await snapshot(other.ctx.db)
    expect(after.workspace).toHaveLength(1)
    expect(after.workspace[0]?.id).not.toBe(before.workspace[0]?.id)
    expect(after.users.map((u) => u.email)).toEqual(
      expect.arrayContaining(demoLogins.map((l) => l.email)),
    )
  }, 180_000)
})
