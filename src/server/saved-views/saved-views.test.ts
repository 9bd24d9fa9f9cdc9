import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeApiKey, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let owner: Session
let workspaceId: string
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Views Co'))
})
afterAll(async () => t.close())

const save = (payload: Record<string, unknown>, as = owner) =>
  as.request({ method: 'POST', url: '/api/v1/saved-views', workspaceId, payload })
const listOf = async (entity: string, as = owner) =>
  (
    await as.request({ method: 'GET', url: `/api/v1/saved-views?entity=${entity}`, workspaceId })
  ).json()
const filter = { all: [{ field: 'employees', op: 'gte', value: 200 }] }

describe('saved views', () => {
  it("saves a person's view of a list and gives it back by entity", async () => {
    const created = await save({
      entity: 'account',
      name: 'Mid-market',
      filter,
      sort: '-employees',
      columns: ['name', 'employees'],
    })
    expect(created.statusCode).toBe(201)
    expect(created.json().data).toMatchObject({
      entity: 'account',
      name: 'Mid-market',
      filter,
      sort: '-employees',
      columns: ['name', 'employees'],
    })
    await save({ entity: 'account', name: 'All accounts' })
    await save({ entity: 'deal', name: 'Big deals' })
    const accounts = await listOf('account')
    expect(accounts.data.map((v: { name: string }) => v.name)).toEqual([
      'All accounts',
      'Mid-market',
    ])
    const again = await save({ entity: 'account', name: 'mid-MARKET' })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.message).toMatch(/^name: /)
  })

  it('validates the filter with the filter language and names the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ entity: 'account', name: 'Bad', filter: { every: [] } }, 'body.filter'],
      [
        { entity: 'account', name: 'Bad', filter: { all: [{ field: 'x', op: 'near', value: 1 }] } },
        'body.filter',
      ],
      [{ entity: 'lead', name: 'Bad' }, 'body.entity'],
      [{ entity: 'account', name: '' }, 'body.name'],
      [{ entity: 'account', name: 'Bad', sort: 'name; drop table' }, 'body.sort'],
    ]
    for (const [payload, message] of cases) {
      const response = await save(payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().error.message, JSON.stringify(payload)).toContain(message)
    }
  })

  it("keeps each person's views their own: another's view is not listed and not deletable", async () => {
    const colleague = await addMember(t, owner, workspaceId, 'sales')
    const mine = (await save({ entity: 'contact', name: 'My leads' })).json().data
    expect((await listOf('contact', colleague)).data).toEqual([])
    const theirDelete = await colleague.request({
      method: 'DELETE',
      url: `/api/v1/saved-views/${mine.id}`,
      workspaceId,
    })
    expect(theirDelete.statusCode).toBe(404)
    const { workspaceId: otherWorkspace } = await makeWorkspace(t, 'Elsewhere')
    const fromElsewhere = await owner.request({
      method: 'DELETE',
      url: `/api/v1/saved-views/${mine.id}`,
      workspaceId: otherWorkspace,
    })
    expect(fromElsewhere.statusCode).toBe(404)
    expect((await listOf('contact')).data.map((v: { id: string }) => v.id)).toEqual([mine.id])
    const own = await owner.request({
      method: 'DELETE',
      url: `/api/v1/saved-views/${mine.id}`,
      workspaceId,
    })
    expect(own.statusCode).toBe(204)
    expect((await listOf('contact')).data).toEqual([])
  })

  it('refuses API keys, which act for no person', async () => {
    const key = await makeApiKey(owner, workspaceId, 'admin')
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/saved-views?entity=account',
      headers: { authorization: `Bearer ${key.key}` },
    })
    expect(response.statusCode).toBe(403)
  })

  it('documents its routes, the recursive filter included, in OpenAPI', async () => {
    const spec = await t.app.inject({ method: 'GET', url: '/api/openapi.json' })
    expect(spec.statusCode).toBe(200)
    const body = spec.json().paths['/api/v1/saved-views'].post.requestBody
    expect(JSON.stringify(body)).toContain('filter')
  })
})
