import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let owner: Session
let workspaceId: string
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Personas Co'))
})
afterAll(async () => t.close())

const get = (session: Session, ws = workspaceId) =>
  session.request({ method: 'GET', url: '/api/v1/personas', workspaceId: ws })
const put = (payload: Record<string, unknown>, session: Session = owner) =>
  session.request({ method: 'PUT', url: '/api/v1/personas', workspaceId, payload })
const keys = (response: { json(): { data: { key: string }[] } }) =>
  response.json().data.map((p) => p.key)

describe('personas', () => {
  it('starts a workspace with the default personas, readable by a viewer', async () => {
    const viewer = await addMember(t, owner, workspaceId, 'viewer')
    const response = await get(viewer)
    expect(response.statusCode).toBe(200)
    expect(response.json().data).toEqual([
      { key: 'economic_buyer', label: 'Economic buyer', position: 0 },
      { key: 'technical_buyer', label: 'Technical buyer', position: 1 },
      { key: 'user', label: 'User', position: 2 },
      { key: 'champion', label: 'Champion', position: 3 },
    ])
    const denied = await put({ personas: [{ key: 'user', label: 'User' }] }, viewer)
    expect(denied.statusCode).toBe(403)
  })

  it('replaces the list in the order given, relabelling kept keys, and audits it', async () => {
    const response = await put({
      personas: [
        { key: 'champion', label: 'Internal champion' },
        { key: 'economic_buyer', label: 'Economic buyer' },
        { key: 'procurement', label: 'Procurement' },
      ],
    })
    expect(response.statusCode).toBe(200)
    expect(response.json().data).toEqual([
      { key: 'champion', label: 'Internal champion', position: 0 },
      { key: 'economic_buyer', label: 'Economic buyer', position: 1 },
      { key: 'procurement', label: 'Procurement', position: 2 },
    ])
    expect(keys(await get(owner))).toEqual(['champion', 'economic_buyer', 'procurement'])
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select('action')
      .where('workspaceId', '=', workspaceId)
      .where('action', '=', 'personas.replace')
      .execute()
    expect(audit).toHaveLength(1)
  })

  it('refuses keys that are not snake_case, duplicates and an empty list', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ personas: [{ key: 'Economic Buyer', label: 'X' }] }, 'body.personas.0.key'],
      [{ personas: [{ key: 'ok', label: '' }] }, 'body.personas.0.label'],
      [
        {
          personas: [
            { key: 'ok', label: 'A' },
            { key: 'ok', label: 'B' },
          ],
        },
        'body.personas.1.key',
      ],
      [{ personas: [] }, 'body.personas'],
    ]
    for (const [payload, field] of cases) {
      const response = await put(payload)
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().error.message, JSON.stringify(payload)).toMatch(
        new RegExp(`^${field.replaceAll('.', '\\.')}:`),
      )
    }
    expect(keys(await get(owner))).toEqual(['champion', 'economic_buyer', 'procurement'])
  })

  it('will not remove a persona contacts still use, naming it, until they move', async () => {
    const contact = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      workspaceId,
      payload: { email: 'buyer@example.com', persona: 'procurement' },
    })
    expect(contact.statusCode).toBe(201)
    const refused = await put({ personas: [{ key: 'champion', label: 'Champion' }] })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.message).toContain('"procurement" is used by 1 contact')
    expect(keys(await get(owner))).toEqual(['champion', 'economic_buyer', 'procurement'])
    await owner.request({
      method: 'DELETE',
      url: `/api/v1/contacts/${contact.json().data.id}`,
      workspaceId,
    })
    const allowed = await put({ personas: [{ key: 'champion', label: 'Champion' }] })
    expect(allowed.statusCode).toBe(200)
    expect(keys(allowed)).toEqual(['champion'])
  })

  it('keeps each workspace its own list', async () => {
    const other = await makeWorkspace(t, 'Other Personas Co')
    expect(keys(await get(other.owner, other.workspaceId))).toEqual([
      'economic_buyer',
      'technical_buyer',
      'user',
      'champion',
    ])
    expect(keys(await get(owner))).toEqual(['champion'])
  })
})
