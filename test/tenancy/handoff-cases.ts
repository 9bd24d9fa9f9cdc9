import { expect } from 'vitest'
import { asA, asAInB, asB, b, idsOf, notFound, t } from './world.ts'

let bHandoffId: string | undefined

/** A handoff of B: a new contact of B marked MQL by B's owner (made once, on first use). */
async function bHandoff(): Promise<string> {
  if (bHandoffId) return bHandoffId
  const created = await asB('POST', '/api/v1/contacts', { email: 'b-mql@example.com' })
  expect(created.statusCode, created.body).toBe(201)
  const marked = await asB('POST', `/api/v1/contacts/${created.json().data.id}/lifecycle`, {
    stage: 'mql',
    reason: 'B wants a demo',
  })
  expect(marked.statusCode, marked.body).toBe(200)
  bHandoffId = String(marked.json().data.handoffId)
  return bHandoffId
}

async function handoffRow(id: string) {
  return t.ctx.db
    .selectFrom('handoffs')
    .select(['status', 'ownerId', 'quality', 'updatedAt'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
}

/** Every handoff action of A on B's handoff answers 404 and leaves it as it was. */
async function untouched(attempt: (id: string) => Promise<void>) {
  const id = await bHandoff()
  const before = await handoffRow(id)
  await attempt(id)
  expect(await handoffRow(id)).toEqual(before)
}

/** The handoff (issue 7): the inbox, decisions and the lifecycle endpoint. */
export const handoffCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/handoffs': async () => {
    const id = await bHandoff()
    notFound(await asAInB('GET', '/api/v1/handoffs'))
    expect(idsOf(await asA('GET', '/api/v1/handoffs?limit=200'))).not.toContain(id)
  },
  'GET /api/v1/handoffs/counts': async () => {
    await bHandoff()
    notFound(await asAInB('GET', '/api/v1/handoffs/counts'))
    const counts = await asA('GET', '/api/v1/handoffs/counts')
    expect(counts.json().data.open).toBe(0)
  },
  'GET /api/v1/handoffs/{id}': async () => {
    const id = await bHandoff()
    notFound(await asA('GET', `/api/v1/handoffs/${id}`))
    notFound(await asAInB('GET', `/api/v1/handoffs/${id}`))
  },
  'POST /api/v1/handoffs/{id}/accept': () =>
    untouched(async (id) => {
      notFound(await asA('POST', `/api/v1/handoffs/${id}/accept`))
      notFound(await asAInB('POST', `/api/v1/handoffs/${id}/accept`))
    }),
  'POST /api/v1/handoffs/{id}/reject': () =>
    untouched(async (id) => {
      notFound(await asA('POST', `/api/v1/handoffs/${id}/reject`, { reason: 'no_budget' }))
      notFound(await asAInB('POST', `/api/v1/handoffs/${id}/reject`, { reason: 'no_budget' }))
    }),
  'POST /api/v1/handoffs/{id}/reassign': () =>
    untouched(async (id) => {
      notFound(await asA('POST', `/api/v1/handoffs/${id}/reassign`, { reroute: true }))
      notFound(await asAInB('POST', `/api/v1/handoffs/${id}/reassign`, { reroute: true }))
    }),
  'POST /api/v1/handoffs/{id}/rating': () =>
    untouched(async (id) => {
      notFound(await asA('POST', `/api/v1/handoffs/${id}/rating`, { quality: 1 }))
      notFound(await asAInB('POST', `/api/v1/handoffs/${id}/rating`, { quality: 1 }))
    }),
  'POST /api/v1/contacts/{id}/lifecycle': async () => {
    const created = await asB('POST', '/api/v1/contacts', { email: 'b-lead@example.com' })
    const id = String(created.json().data.id)
    notFound(await asA('POST', `/api/v1/contacts/${id}/lifecycle`, { stage: 'mql', reason: 'x' }))
    notFound(
      await asAInB('POST', `/api/v1/contacts/${id}/lifecycle`, { stage: 'mql', reason: 'x' }),
    )
    const handoffs = await t.ctx.db
      .selectFrom('handoffs')
      .select('id')
      .where('workspaceId', '=', b.workspaceId)
      .where('contactId', '=', id)
      .execute()
    expect(handoffs).toHaveLength(0)
  },
}
