import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../context.ts'
import { withAuthLibrary } from './async-context.ts'

// Sign-in, sign-up and reset requests are limited per client address (ARCHITECTURE.md, Security).
const limited = [
  '/api/auth/sign-in/email',
  '/api/auth/sign-up/email',
  '/api/auth/request-password-reset',
]

/** Mounts better-auth's handler at /api/auth/*, translating between Fastify and Fetch. */
export async function authRoutes(app: FastifyInstance, ctx: AppContext) {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const url = new URL(request.url, `${request.protocol}://${request.host}`)
    const headers = new Headers()
    for (const [name, value] of Object.entries(request.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v)
      else if (value !== undefined) headers.set(name, value)
    }
    const hasBody =
      request.method !== 'GET' && request.method !== 'HEAD' && request.body !== undefined
    const response = await withAuthLibrary(() =>
      ctx.auth.handler(
        new Request(url, {
          method: request.method,
          headers,
          body: hasBody ? JSON.stringify(request.body) : undefined,
        }),
      ),
    )
    reply.status(response.status)
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') reply.header(name, value)
    })
    const cookies = response.headers.getSetCookie()
    if (cookies.length > 0) reply.header('set-cookie', cookies)
    return reply.send(response.body ? await response.text() : null)
  }
  for (const url of limited) {
    app.post(
      url,
      { config: { rateLimit: { max: 10, timeWindow: '1 minute' } }, schema: { hide: true } },
      handler,
    )
  }
  app.route({ method: ['GET', 'POST'], url: '/api/auth/*', schema: { hide: true }, handler })
}
