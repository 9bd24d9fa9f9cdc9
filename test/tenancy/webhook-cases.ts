import { expect } from 'vitest'
import { asA, asAInB, asB, b, idsOf, notFound, t } from './world.ts'

const hookBody = {
  name: 'B hook',
  // Nothing delivers in this test; the discard port would swallow it anyway.
  url: 'http://127.0.0.1:9/b-hook',
  eventTypes: ['handoff.created'],
}

let bHook: Promise<{ hookId: string; deliveryId: string }> | undefined

/** B's webhook and one delivery of it (a test ping), made on first use. */
function bHookOnce() {
  bHook ??= (async () => {
    const created = await asB('POST', '/api/v1/webhooks', hookBody)
    if (created.statusCode !== 201) throw new Error(`setup failed: ${created.body}`)
    const hookId: string = created.json().data.id
    const ping = await asB('POST', `/api/v1/webhooks/${hookId}/test`)
    if (ping.statusCode !== 202) throw new Error(`setup failed: ${ping.body}`)
    return { hookId, deliveryId: ping.json().data.id }
  })()
  return bHook
}

/** B's webhook and its deliveries as stored, secret included. */
async function bHookState() {
  const { hookId } = await bHookOnce()
  const db = t.ctx.db
  return {
    hook: await db
      .selectFrom('webhookSubscriptions')
      .selectAll()
      .where('workspaceId', '=', b.workspaceId)
      .where('id', '=', hookId)
      .executeTakeFirst(),
    deliveries: await db
      .selectFrom('webhookDeliveries')
      .selectAll()
      .where('workspaceId', '=', b.workspaceId)
      .where('subscriptionId', '=', hookId)
      .orderBy('id')
      .execute(),
  }
}

/** Runs A's attempts and checks B's webhook and its log read exactly the same afterwards. */
async function keepsBHook(attempt: (ids: { hookId: string; deliveryId: string }) => Promise<void>) {
  const ids = await bHookOnce()
  const before = await bHookState()
  expect(before.hook).toBeDefined()
  await attempt(ids)
  expect(await bHookState()).toEqual(before)
}

/** Outbound webhooks (issue 7). */
export const webhookCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/webhooks': async () => {
    const { hookId } = await bHookOnce()
    notFound(await asAInB('GET', '/api/v1/webhooks'))
    expect(idsOf(await asA('GET', '/api/v1/webhooks'))).not.toContain(hookId)
  },
  'POST /api/v1/webhooks': async () => {
    notFound(await asAInB('POST', '/api/v1/webhooks', hookBody))
  },
  'PATCH /api/v1/webhooks/{id}': () =>
    keepsBHook(async ({ hookId }) => {
      notFound(await asA('PATCH', `/api/v1/webhooks/${hookId}`, { url: 'https://a.example' }))
      notFound(await asAInB('PATCH', `/api/v1/webhooks/${hookId}`, { isActive: false }))
    }),
  'DELETE /api/v1/webhooks/{id}': () =>
    keepsBHook(async ({ hookId }) => {
      notFound(await asA('DELETE', `/api/v1/webhooks/${hookId}`))
      notFound(await asAInB('DELETE', `/api/v1/webhooks/${hookId}`))
    }),
  'POST /api/v1/webhooks/{id}/rotate-secret': () =>
    keepsBHook(async ({ hookId }) => {
      notFound(await asA('POST', `/api/v1/webhooks/${hookId}/rotate-secret`))
      notFound(await asAInB('POST', `/api/v1/webhooks/${hookId}/rotate-secret`))
    }),
  'POST /api/v1/webhooks/{id}/test': () =>
    keepsBHook(async ({ hookId }) => {
      notFound(await asA('POST', `/api/v1/webhooks/${hookId}/test`))
      notFound(await asAInB('POST', `/api/v1/webhooks/${hookId}/test`))
    }),
  'GET /api/v1/webhooks/{id}/deliveries': async () => {
    const { hookId } = await bHookOnce()
    notFound(await asA('GET', `/api/v1/webhooks/${hookId}/deliveries`))
    notFound(await asAInB('GET', `/api/v1/webhooks/${hookId}/deliveries`))
  },
  'POST /api/v1/webhooks/deliveries/{id}/replay': () =>
    keepsBHook(async ({ deliveryId }) => {
      notFound(await asA('POST', `/api/v1/webhooks/deliveries/${deliveryId}/replay`))
      notFound(await asAInB('POST', `/api/v1/webhooks/deliveries/${deliveryId}/replay`))
    }),
}
