import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let admin: Session
let marketing: Session
let sales: Session
let workspaceId: string

const settings = (who: Session, method: 'GET' | 'PATCH' = 'GET', payload?: object) =>
  who.request({ method, url: '/api/v1/attribution/settings', workspaceId, payload })

beforeAll(async () => {
  t = await createTestApp()
  const made = await makeWorkspace(t, 'Attribution Co')
  admin = made.owner
  workspaceId = made.workspaceId
  marketing = await addMember(t, admin, workspaceId, 'marketing')
  sales = await addMember(t, admin, workspaceId, 'sales')
})
afterAll(() => t.close())

describe('attribution settings', () => {
  it('starts with the defaults: W-shaped, 90 days, half-life 7, sales touches included', async () => {
    const response = await settings(sales)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data).toEqual({
      defaultModel: 'w_shaped',
      lookbackDays: 90,
      halfLifeDays: 7,
      customWeights: { FT: 0.3, LC: 0.3, OC: 0.2, CW: 0.1, others: 0.1 },
      includeSalesTouches: true,
      sourcedBy: 'first_touch',
      updatedAt: null,
    })
  })

  it('lets marketing change them, keeps what was not sent, and audits each change', async () => {
    const response = await settings(marketing, 'PATCH', {
      defaultModel: 'markov',
      lookbackDays: 120,
      customWeights: { FT: 0.25, LC: 0.25, OC: 0.25, CW: 0.25, others: 0 },
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data).toMatchObject({
      defaultModel: 'markov',
      lookbackDays: 120,
      halfLifeDays: 7,
      customWeights: { FT: 0.25, LC: 0.25, OC: 0.25, CW: 0.25, others: 0 },
    })
    const again = await settings(sales)
    expect(again.json().data.defaultModel).toBe('markov')
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('workspaceId', '=', workspaceId)
      .where('action', '=', 'attribution_settings.update')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]?.details).toMatchObject({
      defaultModel: { from: 'w_shaped', to: 'markov' },
      lookbackDays: { from: 90, to: 120 },
    })
  })

  it('refuses sales (403) and leaves the settings as they were', async () => {
    const response = await settings(sales, 'PATCH', { lookbackDays: 10 })
    expect(response.statusCode).toBe(403)
    expect((await settings(admin)).json().data.lookbackDays).toBe(120)
  })

  it.each([
    [{ defaultModel: 'magic' }, /^body\.defaultModel: must be one of first_touch, /],
    [{ lookbackDays: 0 }, /^body\.lookbackDays: must be a whole number of days from 1 to 730/],
    [{ lookbackDays: 1.5 }, /^body\.lookbackDays: /],
    [{ halfLifeDays: -1 }, /^body\.halfLifeDays: must be a number of days above 0/],
    [
      { customWeights: { FT: 0.5, LC: 0.5, OC: 0.5, CW: 0, others: 0 } },
      /^body\.customWeights: the five weights must add up to 1/,
    ],
    [{ sourcedBy: 'last_touch' }, /^body\.sourcedBy: must be first_touch or lead_creation/],
  ])('answers 400 naming the field for %j, writing nothing', async (payload, message) => {
    const before = (await settings(admin)).json().data
    const response = await settings(admin, 'PATCH', payload)
    expect(response.statusCode, response.body).toBe(400)
    expect(response.json().error.message).toMatch(message)
    expect((await settings(admin)).json().data).toEqual(before)
  })
})
