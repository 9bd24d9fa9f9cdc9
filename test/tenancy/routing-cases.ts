import { expect } from 'vitest'
import { asA, asAInB, asB, b, bMember, bTeam, idsOf, notFound, refused, t } from './world.ts'

let bRuleId: string | undefined

/** A routing rule of B sending every lead to B's team (made once, on first use). */
async function bRule(): Promise<string> {
  if (bRuleId) return bRuleId
  const created = await asB('POST', '/api/v1/routing/rules', {
    name: 'B rule',
    teamId: bTeam.id,
    conditions: [{ field: 'country', op: 'in', value: ['DE'] }],
  })
  expect(created.statusCode, created.body).toBe(201)
  bRuleId = created.json().data.id as string
  return bRuleId
}

/** B's routing rules and rep settings as stored, to compare before and after A's attempt. */
async function bRouting() {
  const db = t.ctx.db
  return {
    rules: await db
      .selectFrom('routingRules')
      .selectAll()
      .where('workspaceId', '=', b.workspaceId)
      .orderBy('id')
      .execute(),
    reps: await db
      .selectFrom('routingReps')
      .selectAll()
      .where('workspaceId', '=', b.workspaceId)
      .execute(),
  }
}

async function keepsBRouting(attempt: () => Promise<void>) {
  await bRule()
  const before = await bRouting()
  await attempt()
  expect(await bRouting()).toEqual(before)
}

/** Lead routing (issue 7): rules and rep settings. */
export const routingCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/routing/rules': async () => {
    const id = await bRule()
    notFound(await asAInB('GET', '/api/v1/routing/rules'))
    expect(idsOf(await asA('GET', '/api/v1/routing/rules'))).not.toContain(id)
  },
  'POST /api/v1/routing/rules': async () => {
    await keepsBRouting(async () => {
      notFound(await asAInB('POST', '/api/v1/routing/rules', { name: 'x', teamId: bTeam.id }))
      // B's team is no team of A: 400 naming the field, nothing written.
      refused(await asA('POST', '/api/v1/routing/rules', { name: 'x', teamId: bTeam.id }), 'teamId')
    })
    expect(idsOf(await asA('GET', '/api/v1/routing/rules'))).toEqual([])
  },
  'PATCH /api/v1/routing/rules/{id}': async () => {
    const id = await bRule()
    await keepsBRouting(async () => {
      notFound(
        await asA('PATCH', `/api/v1/routing/rules/${id}`, { name: 'Taken', isActive: false }),
      )
      notFound(await asAInB('PATCH', `/api/v1/routing/rules/${id}`, { name: 'Taken' }))
    })
  },
  'DELETE /api/v1/routing/rules/{id}': async () => {
    const id = await bRule()
    await keepsBRouting(async () => {
      notFound(await asA('DELETE', `/api/v1/routing/rules/${id}`))
      notFound(await asAInB('DELETE', `/api/v1/routing/rules/${id}`))
    })
  },
  'POST /api/v1/routing/rules/reorder': async () => {
    const id = await bRule()
    await keepsBRouting(async () => {
      notFound(await asAInB('POST', '/api/v1/routing/rules/reorder', { ids: [id] }))
      // A's own order cannot take in B's rule.
      refused(await asA('POST', '/api/v1/routing/rules/reorder', { ids: [id] }), 'ids')
    })
  },
  'GET /api/v1/routing/reps': async () => {
    notFound(await asAInB('GET', '/api/v1/routing/reps'))
    const response = await asA('GET', '/api/v1/routing/reps')
    expect(response.statusCode).toBe(200)
    const ids = (response.json().data as { userId: string }[]).map((r) => r.userId)
    expect(ids).not.toContain(bMember.userId)
  },
  'PATCH /api/v1/routing/reps/{userId}': async () => {
    await keepsBRouting(async () => {
      const url = `/api/v1/routing/reps/${bMember.userId}`
      notFound(await asA('PATCH', url, { acceptsLeads: false, capacity: 0 }))
      notFound(await asAInB('PATCH', url, { acceptsLeads: false }))
    })
  },
}
