import { randomBytes } from 'node:crypto'
import { fromNodeHeaders } from 'better-auth/node'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withAuthLibrary } from '../auth/async-context.ts'
import type { Principal } from '../auth/principal.ts'
import type { AppContext } from '../context.ts'
import { AppError } from '../errors.ts'
import { selectMemberships } from '../workspaces/queries.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A download link cannot send X-Workspace-Id: such a route reads `?workspaceId=` instead. */
    workspaceFromQuery?: boolean
  }
}

export const csrfCookie = 'tandem_csrf'
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Finds who is calling: a Bearer API key (bound to its workspace) or a session cookie. A person
 * acts in the workspace named by X-Workspace-Id, else their first one; a workspace they do not
 * belong to is not_found, so its existence is never revealed.
 */
export async function authenticate(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<Principal> {
  const authorization = request.headers.authorization
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization)
    if (!match?.[1])
      throw new AppError('unauthenticated', 'Authorization must be "Bearer <API key>"')
    const key = await ctx.apiKeys.verify(match[1])
    if (!key) throw new AppError('unauthenticated', 'The API key is not valid or was revoked')
    return {
      kind: 'api_key',
      keyId: key.id,
      name: key.name,
      workspaceId: key.workspaceId,
      role: key.role,
    }
  }
  const session = await withAuthLibrary(() =>
    ctx.auth.api.getSession({ headers: fromNodeHeaders(request.headers) }),
  )
  if (!session)
    throw new AppError(
      'unauthenticated',
      'Sign in, or send an API key as "Authorization: Bearer <key>"',
    )
  checkCsrf(request, reply)
  const memberships = await selectMemberships(ctx.db, session.user.id)
  const wanted = request.headers['x-workspace-id'] ?? workspaceInQuery(request)
  const chosen =
    typeof wanted === 'string' && wanted.length > 0
      ? memberships.find((m) => m.id === wanted)
      : memberships[0]
  if (typeof wanted === 'string' && wanted.length > 0 && !chosen) {
    throw new AppError('not_found', 'Workspace not found')
  }
  return {
    kind: 'user',
    userId: session.user.id,
    name: session.user.name,
    email: session.user.email,
    workspaceId: chosen?.id ?? null,
    role: chosen?.role ?? null,
  }
}

function workspaceInQuery(request: FastifyRequest): string | undefined {
  if (!request.routeOptions.config.workspaceFromQuery) return undefined
  const query = request.query as Record<string, unknown> | undefined
  const value = query?.workspaceId
  return typeof value === 'string' ? value : undefined
}

/**
 * Cookie-authenticated writes must echo the tandem_csrf cookie in X-CSRF-Token (double submit):
 * another site can make the browser send our cookie, but cannot read it to set the header.
 */
function checkCsrf(request: FastifyRequest, reply: FastifyReply) {
  const cookie = request.cookies[csrfCookie]
  if (!cookie) {
    reply.setCookie(csrfCookie, randomBytes(18).toString('base64url'), {
      path: '/',
      sameSite: 'lax',
      httpOnly: false,
      secure: request.protocol === 'https',
    })
  }
  if (!unsafeMethods.has(request.method)) return
  const header = request.headers['x-csrf-token']
  if (!cookie || header !== cookie) {
    throw new AppError(
      'forbidden',
      'Missing or wrong X-CSRF-Token header (it must equal the tandem_csrf cookie)',
    )
  }
}
