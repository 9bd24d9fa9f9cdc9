import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeWorkspace, signIn, signUp, uniqueEmail } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t.close())

function signInRaw(email: string, password: string, remoteAddress = '127.0.0.9') {
  return t.app.inject({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    payload: { email, password },
    remoteAddress,
  })
}

describe('people and sessions', () => {
  it('signs a person up, in and out', async () => {
    const session = await signUp(t.app)
    const me = await session.request({ method: 'GET', url: '/api/v1/me' })
    expect(me.statusCode).toBe(200)
    expect(me.json().data).toMatchObject({
      user: { email: session.email },
      workspace: null,
      workspaces: [],
    })
    const out = await session.request({ method: 'POST', url: '/api/auth/sign-out', payload: {} })
    expect(out.statusCode).toBe(200)
    const after = await session.request({ method: 'GET', url: '/api/v1/me' })
    expect(after.statusCode).toBe(401)
  })

  it('refuses a wrong password', async () => {
    const email = uniqueEmail()
    await signUp(t.app, email, 'right-password-1')
    const response = await signInRaw(email, 'wrong-password-1', '127.0.0.2')
    expect(response.statusCode).toBe(401)
  })

  it('issues a new session token at every sign-in', async () => {
    const email = uniqueEmail()
    await signUp(t.app, email, 'rotate-me-please')
    const first = await signInRaw(email, 'rotate-me-please', '127.0.0.3')
    const second = await signInRaw(email, 'rotate-me-please', '127.0.0.3')
    const token = (r: typeof first) =>
      r.cookies.find((c) => c.name.endsWith('session_token'))?.value
    expect(token(first)).toBeTruthy()
    expect(token(first)).not.toBe(token(second))
    const cookie = first.cookies.find((c) => c.name.endsWith('session_token'))
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' })
  })

  it('limits sign-in attempts from one address to 10 a minute', async () => {
    const codes: number[] = []
    for (let i = 0; i < 11; i++) {
      codes.push((await signInRaw('nobody@example.com', 'whatever-123', '127.0.0.77')).statusCode)
    }
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true)
    expect(codes[10]).toBe(429)
    const limited = await signInRaw('nobody@example.com', 'whatever-123', '127.0.0.77')
    expect(limited.json().error.code).toBe('rate_limited')
  })

  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const session = await signUp(t.app)
    const response = await session.request({
      method: 'POST',
      url: '/api/v1/workspaces',
      payload: { name: 'Forged' },
      headers: { 'x-csrf-token': 'something-else' },
    })
    expect(response.statusCode).toBe(403)
    expect(response.json().error.message).toMatch(/CSRF/)
  })

  it('resets a forgotten password through the emailed link', async () => {
    const email = uniqueEmail()
    await signUp(t.app, email, 'old-password-1')
    const sent: string[] = []
    const original = t.ctx.mailer
    t.ctx.mailer = { send: async (_to, _subject, text) => void sent.push(text) }
    try {
      const request = await t.app.inject({
        method: 'POST',
        url: '/api/auth/request-password-reset',
        payload: { email, redirectTo: '/reset-password' },
      })
      expect(request.statusCode).toBe(200)
    } finally {
      t.ctx.mailer = original
    }
    const link = sent[0]?.match(/https?:\/\/\S+/)?.[0]
    expect(link).toBeDefined()
    const token = new URL(String(link)).pathname.split('/').pop()
    const reset = await t.app.inject({
      method: 'POST',
      url: '/api/auth/reset-password',
      payload: { newPassword: 'new-password-2', token },
    })
    expect(reset.statusCode).toBe(200)
    expect((await signInRaw(email, 'old-password-1', '127.0.0.4')).statusCode).toBe(401)
    expect((await signInRaw(email, 'new-password-2', '127.0.0.4')).statusCode).toBe(200)
  })

  it('lets a person pick among their workspaces with X-Workspace-Id, and hides others', async () => {
    const a = await makeWorkspace(t, 'Alpha')
    const b = await makeWorkspace(t, 'Beta')
    const second = await a.owner.request({
      method: 'POST',
      url: '/api/v1/workspaces',
      payload: { name: 'Alpha Two' },
    })
    const secondId = second.json().data.id
    const picked = await a.owner.request({
      method: 'GET',
      url: '/api/v1/me',
      workspaceId: secondId,
    })
    expect(picked.json().data.workspace.name).toBe('Alpha Two')
    expect(picked.json().data.workspaces.map((w: { name: string }) => w.name)).toEqual([
      'Alpha',
      'Alpha Two',
    ])
    const foreign = await a.owner.request({
      method: 'GET',
      url: '/api/v1/me',
      workspaceId: b.workspaceId,
    })
    expect(foreign.statusCode).toBe(404)
    const again = await signIn(t.app, a.owner.email, 'correct-horse-1')
    expect(
      (await again.request({ method: 'GET', url: '/api/v1/me' })).json().data.workspace.name,
    ).toBe('Alpha')
  })
})
