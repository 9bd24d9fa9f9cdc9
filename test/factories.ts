import { randomBytes } from 'node:crypto'
import type { FastifyInstance, InjectOptions } from 'fastify'
import type { Response as InjectResponse } from 'light-my-request'
import type { Role } from '../src/server/db/schema.ts'
import type { TestApp } from './harness.ts'

/** A signed-in person: inject requests carrying their session cookie and CSRF token. */
export interface Session {
  userId: string
  email: string
  request(options: InjectOptions & { workspaceId?: string }): Promise<InjectResponse>
}

// Each factory request comes from its own address, so the sign-in rate limit does not trip.
function randomAddress() {
  const bytes = randomBytes(3)
  return `10.${bytes[0]}.${bytes[1]}.${bytes[2]}`
}

export function uniqueEmail(prefix = 'person') {
  return `${prefix}-${randomBytes(4).toString('hex')}@example.com`
}

export async function signUp(
  app: FastifyInstance,
  email = uniqueEmail(),
  password = 'correct-horse-1',
) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-up/email',
    payload: { email, password, name: email.split('@')[0] },
    remoteAddress: randomAddress(),
  })
  if (response.statusCode !== 200) throw new Error(`sign-up failed: ${response.body}`)
  return signIn(app, email, password)
}

export async function signIn(
  app: FastifyInstance,
  email: string,
  password: string,
): Promise<Session> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    payload: { email, password },
    remoteAddress: randomAddress(),
  })
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`)
  const cookie = response.cookies.find((c) => c.name.endsWith('session_token'))
  if (!cookie) throw new Error('no session cookie')
  const csrf = randomBytes(8).toString('hex')
  const userId = (response.json() as { user: { id: string } }).user.id
  return {
    userId,
    email,
    request: ({ workspaceId, headers, ...options }) =>
      app.inject({
        ...options,
        headers: {
          cookie: `${cookie.name}=${cookie.value}; tandem_csrf=${csrf}`,
          'x-csrf-token': csrf,
          ...(workspaceId ? { 'x-workspace-id': workspaceId } : {}),
          ...headers,
        },
      }),
  }
}

/** A person with a workspace of their own (they are its admin). */
export async function makeWorkspace(t: TestApp, name = 'Acme') {
  const owner = await signUp(t.app)
  const response = await owner.request({
    method: 'POST',
    url: '/api/v1/workspaces',
    payload: { name },
  })
  if (response.statusCode !== 201) throw new Error(`workspace failed: ${response.body}`)
  const workspaceId = (response.json() as { data: { id: string } }).data.id
  return { owner, workspaceId }
}

/** Adds a new person to the workspace with a role, through an invitation they accept. */
export async function addMember(t: TestApp, admin: Session, workspaceId: string, role: Role) {
  const person = await signUp(t.app)
  const invite = await admin.request({
    method: 'POST',
    url: '/api/v1/invitations',
    workspaceId,
    payload: { email: person.email, role },
  })
  const token = String(
    (invite.json() as { data: { acceptUrl: string } }).data.acceptUrl.split('/').pop(),
  )
  const accepted = await person.request({
    method: 'POST',
    url: '/api/v1/invitations/accept',
    payload: { token },
  })
  if (accepted.statusCode !== 200) throw new Error(`accept failed: ${accepted.body}`)
  return person
}

export async function makeApiKey(admin: Session, workspaceId: string, role: Role = 'admin') {
  const response = await admin.request({
    method: 'POST',
    url: '/api/v1/api-keys',
    workspaceId,
    payload: { name: 'test key', role },
  })
  if (response.statusCode !== 201) throw new Error(`api key failed: ${response.body}`)
  return (response.json() as { data: { id: string; key: string } }).data
}

/** A write key of the workspace, for the /v1/* tracking API. */
export async function makeWriteKey(admin: Session, workspaceId: string) {
  const response = await admin.request({
    method: 'POST',
    url: '/api/v1/write-keys',
    workspaceId,
    payload: { name: 'test site' },
  })
  if (response.statusCode !== 201) throw new Error(`write key failed: ${response.body}`)
  return (response.json() as { data: { id: string; key: string } }).data.key
}

/** The workspace's default pipeline (made on first read) and a lookup of its stage ids by name. */
export async function defaultPipeline(session: Session, workspaceId: string) {
  const [sales] = (
    await session.request({ method: 'GET', url: '/api/v1/pipelines', workspaceId })
  ).json().data as { id: string; stages: { id: string; name: string }[] }[]
  if (!sales) throw new Error('the workspace has no pipeline')
  const ids = new Map(sales.stages.map((s) => [s.name, s.id]))
  return {
    id: sales.id,
    stage(name: string) {
      const id = ids.get(name)
      if (!id) throw new Error(`no stage ${name}`)
      return id
    },
  }
}
