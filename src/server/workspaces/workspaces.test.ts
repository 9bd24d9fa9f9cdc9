import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeApiKey, makeWorkspace } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { buildApp } from '../app.ts'
import { createContext } from '../context.ts'
import { getEnv } from '../env.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t.close())

describe('workspaces', () => {
  it('makes the creator admin with sensible default settings', async () => {
    const { owner, workspaceId } = await makeWorkspace(t, 'Initech')
    const me = (await owner.request({ method: 'GET', url: '/api/v1/me' })).json().data
    expect(me.role).toBe('admin')
    expect(me.workspace).toMatchObject({
      id: workspaceId,
      name: 'Initech',
      timeZone: 'UTC',
      baseCurrency: 'USD',
      fiscalYearStartMonth: 1,
    })
    expect(me.permissions).toContain('api_keys:manage')
  })

  it('lets an admin change the settings and records who changed what', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const patch = {
      name: 'Renamed',
      timeZone: 'Europe/Berlin',
      baseCurrency: 'eur',
      fiscalYearStartMonth: 4,
    }
    const response = await owner.request({
      method: 'PATCH',
      url: '/api/v1/workspace',
      workspaceId,
      payload: patch,
    })
    expect(response.statusCode).toBe(200)
    expect(response.json().data).toMatchObject({ ...patch, baseCurrency: 'EUR' })
    const audit = (
      await owner.request({ method: 'GET', url: '/api/v1/audit-log', workspaceId })
    ).json().data
    expect(audit[0]).toMatchObject({
      action: 'workspace.update',
      actor: { type: 'user', id: owner.userId },
      details: { timeZone: { from: 'UTC', to: 'Europe/Berlin' } },
    })
  })

  it('names the field when a setting is not valid', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    const tz = await owner.request({
      method: 'PATCH',
      url: '/api/v1/workspace',
      workspaceId,
      payload: { timeZone: 'Mars/Base' },
    })
    expect(tz.statusCode).toBe(400)
    expect(tz.json().error.message).toContain('body.timeZone')
    const currency = await owner.request({
      method: 'PATCH',
      url: '/api/v1/workspace',
      workspaceId,
      payload: { baseCurrency: 'XYZ1' },
    })
    expect(currency.json().error.message).toContain('body.baseCurrency')
    const name = await owner.request({
      method: 'PATCH',
      url: '/api/v1/workspace',
      workspaceId,
      payload: { name: '   ' },
    })
    expect(name.json().error.message).toContain('body.name')
  })

  it('refuses settings changes by a non-admin and leaves them unchanged', async () => {
    const { owner, workspaceId } = await makeWorkspace(t, 'Stable')
    const marketer = await addMember(t, owner, workspaceId, 'marketing')
    const response = await marketer.request({
      method: 'PATCH',
      url: '/api/v1/workspace',
      workspaceId,
      payload: { name: 'Hijacked' },
    })
    expect(response.statusCode).toBe(403)
    expect(response.json().error.code).toBe('forbidden')
    const read = await marketer.request({ method: 'GET', url: '/api/v1/workspace', workspaceId })
    expect(read.json().data.name).toBe('Stable')
  })

  it('keeps the audit log for admins only, newest first, paginated', async () => {
    const { owner, workspaceId } = await makeWorkspace(t)
    for (const name of ['One', 'Two', 'Three']) {
      await owner.request({
        method: 'PATCH',
        url: '/api/v1/workspace',
        workspaceId,
        payload: { name },
      })
    }
    const first = (
      await owner.request({ method: 'GET', url: '/api/v1/audit-log?limit=2', workspaceId })
    ).json()
    expect(first.data.map((e: { details: { name: { to: string } } }) => e.details.name.to)).toEqual(
      ['Three', 'Two'],
    )
    const next = (
      await owner.request({
        method: 'GET',
        url: `/api/v1/audit-log?limit=2&cursor=${first.nextCursor}`,
        workspaceId,
      })
    ).json()
    expect(next.data.map((e: { action: string }) => e.action)).toEqual([
      'workspace.update',
      'workspace.create',
    ])
    expect(next.nextCursor).toBeNull()
    const viewer = await addMember(t, owner, workspaceId, 'viewer')
    expect(
      (await viewer.request({ method: 'GET', url: '/api/v1/audit-log', workspaceId })).statusCode,
    ).toBe(403)
  })

  it('shows a renamed workspace at once in another process that had it cached', async () => {
    const { owner, workspaceId } = await makeWorkspace(t, 'Before')
    const key = await makeApiKey(owner, workspaceId, 'viewer')
    const otherCtx = await createContext(getEnv(), t.url, {
      log: pino({ level: 'silent' }),
      poolSize: 2,
    })
    const other = await buildApp(otherCtx)
    const name = async () =>
      (
        await other.inject({
          method: 'GET',
          url: '/api/v1/me',
          headers: { authorization: `Bearer ${key.key}` },
        })
      ).json().data.workspace.name
    try {
      expect(await name()).toBe('Before')
      await owner.request({
        method: 'PATCH',
        url: '/api/v1/workspace',
        workspaceId,
        payload: { name: 'After' },
      })
      let seen = await name()
      for (let i = 0; i < 50 && seen === 'Before'; i++) {
        await new Promise((r) => setTimeout(r, 20))
        seen = await name()
      }
      expect(seen).toBe('After')
    } finally {
      await other.close()
      await otherCtx.close()
    }
  })
})
