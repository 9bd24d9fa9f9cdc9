import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let other: { owner: Session; workspaceId: string }
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Fields Co'))
  other = await makeWorkspace(t, 'Elsewhere')
})
afterAll(async () => t.close())

const define = (payload: Record<string, unknown>, as = owner, ws = workspaceId) =>
  as.request({ method: 'POST', url: '/api/v1/custom-fields', workspaceId: ws, payload })
const patch = (id: string, payload: Record<string, unknown>) =>
  owner.request({ method: 'PATCH', url: `/api/v1/custom-fields/${id}`, workspaceId, payload })
const remove = (id: string) =>
  owner.request({ method: 'DELETE', url: `/api/v1/custom-fields/${id}`, workspaceId })
const account = async (custom: Record<string, unknown>, as = owner, ws = workspaceId) => {
  const response = await as.request({
    method: 'POST',
    url: '/api/v1/accounts',
    workspaceId: ws,
    payload: { name: `Custom ${Math.random()}`, custom },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().data as { id: string }
}
const customOf = async (id: string) =>
  (
    await t.ctx.db
      .selectFrom('accounts')
      .select('custom')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).custom

describe('custom fields', () => {
  it('defines a field that records then accept, and lists it by entity', async () => {
    const created = await define({
      entity: 'account',
      key: 'fleet_type',
      label: 'Fleet type',
      type: 'select',
      options: ['vans', 'trucks'],
    })
    expect(created.statusCode).toBe(201)
    expect(created.json().data).toMatchObject({ key: 'fleet_type', options: ['vans', 'trucks'] })
    await account({ fleet_type: 'vans' })
    const listed = await owner.request({
      method: 'GET',
      url: '/api/v1/custom-fields?entity=account',
      workspaceId,
    })
    expect(listed.json().data.map((d: { key: string }) => d.key)).toContain('fleet_type')
    const contacts = await owner.request({
      method: 'GET',
      url: '/api/v1/custom-fields?entity=contact',
      workspaceId,
    })
    expect(contacts.json()).toEqual({ data: [], nextCursor: null })
  })

  it('names the field of a bad definition', async () => {
    await define({ entity: 'deal', key: 'deal_size_band', label: 'Band', type: 'text' })
    const cases: [Record<string, unknown>, number, string][] = [
      [{ entity: 'deal', key: 'DealSize', label: 'x', type: 'text' }, 400, 'body.key'],
      [{ entity: 'deal', key: 'x', label: 'x', type: 'colour' }, 400, 'body.type'],
      [{ entity: 'lead', key: 'x', label: 'x', type: 'text' }, 400, 'body.entity'],
      [{ entity: 'deal', key: 'x', label: 'x', type: 'select' }, 400, 'options: a select field'],
      [
        { entity: 'deal', key: 'x', label: 'x', type: 'multi_select', options: [] },
        400,
        'options: a multi_select field',
      ],
      [{ entity: 'deal', key: 'x', label: 'x', type: 'number', options: ['a'] }, 400, 'options: '],
      [
        { entity: 'deal', key: 'x', label: 'x', type: 'select', options: ['a', 'a'] },
        400,
        'options: "a" is listed twice',
      ],
      [
        { entity: 'deal', key: 'deal_size_band', label: 'Again', type: 'text' },
        409,
        'key: deals already have',
      ],
    ]
    for (const [payload, status, message] of cases) {
      const response = await define(payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(status)
      expect(response.json().error.message, JSON.stringify(payload)).toContain(message)
    }
  })

  it('refuses to remove an option that records still hold, naming it', async () => {
    const single = (
      await define({
        entity: 'account',
        key: 'tier_band',
        label: 'Tier band',
        type: 'select',
        options: ['gold', 'silver', 'bronze'],
      })
    ).json().data
    const multi = (
      await define({
        entity: 'account',
        key: 'regions_served',
        label: 'Regions served',
        type: 'multi_select',
        options: ['emea', 'apac', 'na'],
      })
    ).json().data
    await account({ tier_band: 'gold', regions_served: ['emea', 'na'] })
    await account({ tier_band: 'gold' })
    const inUse = await patch(single.id, { options: ['silver', 'bronze'] })
    expect(inUse.statusCode).toBe(409)
    expect(inUse.json().error).toMatchObject({
      message: 'options: "gold" is still used by 2 accounts',
      details: { field: 'options', option: 'gold', count: 2 },
    })
    const multiInUse = await patch(multi.id, { options: ['emea', 'apac'] })
    expect(multiInUse.json().error.message).toBe('options: "na" is still used by 1 account')
    const ok = await patch(single.id, { options: ['gold', 'platinum'], label: 'Band' })
    expect(ok.json().data).toMatchObject({ label: 'Band', options: ['gold', 'platinum'] })
    expect((await patch(multi.id, { options: ['emea', 'na'] })).statusCode).toBe(200)
  })

  it('deletes a definition together with its values on every record, and nothing else', async () => {
    const field = (
      await define({ entity: 'account', key: 'churn_risk', label: 'Churn risk', type: 'number' })
    ).json().data
    await define({ entity: 'account', key: 'keeps', label: 'Keeps', type: 'text' })
    const live = await account({ churn_risk: 3, keeps: 'yes' })
    const trashed = await account({ churn_risk: 9 })
    await owner.request({ method: 'DELETE', url: `/api/v1/accounts/${trashed.id}`, workspaceId })
    await define(
      { entity: 'account', key: 'churn_risk', label: 'Theirs', type: 'number' },
      other.owner,
      other.workspaceId,
    )
    const theirs = await account({ churn_risk: 5 }, other.owner, other.workspaceId)
    expect((await remove(field.id)).statusCode).toBe(204)
    expect(await customOf(live.id)).toEqual({ keeps: 'yes' })
    expect(await customOf(trashed.id)).toEqual({})
    expect(await customOf(theirs.id)).toEqual({ churn_risk: 5 })
    const rejected = await owner.request({
      method: 'POST',
      url: '/api/v1/accounts',
      workspaceId,
      payload: { name: 'Late', custom: { churn_risk: 1 } },
    })
    expect(rejected.json().error.message).toMatch(/^custom\.churn_risk: no custom field/)
  })

  it("answers 404 for another workspace's definition and leaves it be; only admins define", async () => {
    const theirs = (
      await define(
        { entity: 'contact', key: 'hobby', label: 'Hobby', type: 'text' },
        other.owner,
        other.workspaceId,
      )
    ).json().data
    expect((await patch(theirs.id, { label: 'Mine' })).statusCode).toBe(404)
    expect((await remove(theirs.id)).statusCode).toBe(404)
    const still = await t.ctx.db
      .selectFrom('customFieldDefinitions')
      .select('label')
      .where('id', '=', theirs.id)
      .executeTakeFirstOrThrow()
    expect(still.label).toBe('Hobby')
    const marketer = await addMember(t, owner, workspaceId, 'marketing')
    const denied = await define(
      { entity: 'contact', key: 'hobby', label: 'Hobby', type: 'text' },
      marketer,
    )
    expect(denied.statusCode).toBe(403)
    const read = await marketer.request({
      method: 'GET',
      url: '/api/v1/custom-fields',
      workspaceId,
    })
    expect(read.statusCode).toBe(200)
  })
})
