import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signIn } from '../../test/factories.ts'
import { createTestApp, type TestApp } from '../../test/harness.ts'
import type { Database } from '../server/db/database.ts'
import { demoLogins, demoPassword, seedDemo } from './seed.ts'

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
  return { workspace, users, memberships, teams }
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
  })

  it('signs in every demo login with its role', async () => {
    for (const login of demoLogins) {
      const session = await signIn(t.app, login.email, demoPassword)
      const me = (await session.request({ method: 'GET', url: '/api/v1/me' })).json().data
      expect(me).toMatchObject({ role: login.role, workspace: { name: 'Northwind Robotics' } })
    }
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
  })
})
