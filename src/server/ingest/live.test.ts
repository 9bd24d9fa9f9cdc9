import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeWorkspace, makeWriteKey } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t.close())

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`

async function send(key: string, batch: unknown[]) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/batch',
    headers: { 'content-type': 'application/json', authorization: basic(key) },
    payload: { batch },
  })
}

describe('live tracking view', () => {
  it('lists the latest events newest first with their contact, and the requests refused', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const key = await makeWriteKey(owner, workspaceId)
    const at = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()
    const sent = await send(key, [
      {
        type: 'page',
        anonymousId: 'v-1',
        timestamp: at(3),
        properties: { url: 'https://n.example/' },
      },
      {
        type: 'page',
        anonymousId: 'v-2',
        timestamp: at(2),
        properties: { url: 'https://n.example/pricing' },
      },
      {
        type: 'identify',
        anonymousId: 'v-2',
        userId: 'u-2',
        traits: { email: 'ada@n.example', firstName: 'Ada' },
      },
      { type: 'track', userId: 'u-2', event: 'Form Submitted', timestamp: at(1) },
    ])
    expect(sent.statusCode, sent.body).toBe(200)
    await t.app.ingest.settle()
    const bad = await send(key, [{ type: 'track', anonymousId: 'v-3' }])
    expect(bad.statusCode).toBe(400)
    // A second refusal within the second is not recorded again (a broken sender cannot flood it).
    expect((await send(key, [{ type: 'track', anonymousId: 'v-3' }])).statusCode).toBe(400)

    const live = await owner.request({ method: 'GET', url: '/api/v1/tracking/live', workspaceId })
    expect(live.statusCode, live.body).toBe(200)
    const data = live.json().data
    expect(data.waiting).toBe(0)
    expect(
      data.events.map(
        (e: { type: string; url: string | null; contact: { email: string } | null }) => [
          e.type,
          e.url,
          e.contact?.email ?? null,
        ],
      ),
    ).toEqual([
      ['form_submit', null, 'ada@n.example'],
      ['page_view', 'https://n.example/pricing', 'ada@n.example'],
      ['page_view', 'https://n.example/', null],
    ])
    expect(data.events[0].contact.name).toBe('Ada')
    await expect
      .poll(async () => {
        const again = await owner.request({
          method: 'GET',
          url: '/api/v1/tracking/live',
          workspaceId,
        })
        return again
          .json()
          .data.rejections.map((r: { endpoint: string; message: string }) => r.endpoint)
      })
      .toEqual(['batch'])
    const after = await owner.request({ method: 'GET', url: '/api/v1/tracking/live', workspaceId })
    expect(after.json().data.rejections[0].message).toContain('batch[0].event')
  })

  it('shows an empty view before anything was sent, and refuses a limit over 200', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const live = await owner.request({ method: 'GET', url: '/api/v1/tracking/live', workspaceId })
    expect(live.json().data).toEqual({ waiting: 0, events: [], setAside: [], rejections: [] })
    const tooMany = await owner.request({
      method: 'GET',
      url: '/api/v1/tracking/live?limit=500',
      workspaceId,
    })
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.json().error.message).toContain('limit')
  })
})
