import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What a receiver does with a request: answer with a status, or never answer. */
export type Behaviour = { status: number; body?: string } | 'hang'

export interface Received {
  path: string
  headers: IncomingHttpHeaders
  body: string
  at: number
}

/**
 * A real HTTP receiver on 127.0.0.1 for the webhook tests. Each path answers by the behaviour
 * set for it (a list is consumed one answer per request, the last one repeating).
 */
export interface Receiver {
  url(path: string): string
  on(path: string, ...behaviours: Behaviour[]): void
  requests(path?: string): Received[]
  close(): Promise<void>
}

export async function startReceiver(): Promise<Receiver> {
  const behaviours = new Map<string, Behaviour[]>()
  const received: Received[] = []
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const path = request.url ?? '/'
      received.push({
        path,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      })
      const queue = behaviours.get(path) ?? [{ status: 200 }]
      const next = (queue.length > 1 ? queue.shift() : queue[0]) ?? { status: 200 }
      if (next === 'hang') return
      response.writeHead(next.status, { 'content-type': 'text/plain' })
      response.end(next.body ?? 'ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    on: (path, ...list) => {
      behaviours.set(path, list)
    },
    requests: (path) => received.filter((r) => path === undefined || r.path === path),
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Verifies Tandem-Signature the way docs/webhooks.md tells receivers to. */
export function isSignedBy(
  secret: string,
  header: string | string[] | undefined,
  body: string,
): boolean {
  const parts = Object.fromEntries(
    String(header ?? '')
      .split(',')
      .map((part) => part.split('=', 2)),
  )
  if (!parts.t || !parts.v1) return false
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest('hex')
  const given = Buffer.from(String(parts.v1), 'hex')
  return (
    given.length === expected.length / 2 && timingSafeEqual(given, Buffer.from(expected, 'hex'))
  )
}
