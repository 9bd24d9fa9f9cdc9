import { expect } from 'vitest'
import { drainScoreQueue } from '../../src/server/scoring/queue.ts'
import { asA, asAInB, asB, b, bContact, notFound, t } from './world.ts'

let bSetup: Promise<{ ruleId: string }> | undefined

/** A fit rule of B that every B contact with an email matches, B scored (made once, on first use). */
function bRuleOnce() {
  bSetup ??= (async () => {
    const created = await asB('POST', '/api/v1/scoring/rules', {
      kind: 'fit',
      name: 'B has an email',
      points: 35,
      condition: { all: [{ field: 'email', op: 'exists', value: true }] },
    })
    expect(created.statusCode, created.body).toBe(201)
    await drainScoreQueue(t.ctx.db)
    return { ruleId: String(created.json().data.id) }
  })()
  return bSetup
}

/** B's rules, settings and its contact's scores as stored, to compare before and after A's attempt. */
async function bState() {
  const db = t.ctx.db
  return {
    rules: await db
      .selectFrom('scoringRules')
      .selectAll()
      .where('workspaceId', '=', b.workspaceId)
      .execute(),
    settings: await db
      .selectFrom('scoringSettings')
      .selectAll()
      .where('workspaceId', '=', b.workspaceId)
      .execute(),
    scores: await db
      .selectFrom('contactScores')
      .selectAll()
      .where('workspaceId', '=', b.workspaceId)
      .execute(),
    history: await db
      .selectFrom('scoreHistory')
      .selectAll()
      .where('workspaceId', '=', b.workspaceId)
      .execute(),
  }
}

async function keepsB(attempt: () => Promise<void>) {
  await bRuleOnce()
  const before = await bState()
  await attempt()
  expect(await bState()).toEqual(before)
}

/** Issue 9: tenancy cases of the scoring operations (one per /api/v1 operation). */
export const scoringCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/scoring/rules': async () => {
    const { ruleId } = await bRuleOnce()
    notFound(await asAInB('GET', '/api/v1/scoring/rules'))
    const inA = await asA('GET', '/api/v1/scoring/rules')
    expect(inA.statusCode, inA.body).toBe(200)
    expect(inA.json().data.map((rule: { id: string }) => rule.id)).not.toContain(ruleId)
  },
  'POST /api/v1/scoring/rules': async () => {
    await keepsB(async () => {
      notFound(
        await asAInB('POST', '/api/v1/scoring/rules', {
          kind: 'engagement',
          name: 'Sneaky',
          points: 10,
          condition: { types: ['webinar'] },
        }),
      )
    })
    // The same condition in A is no conflict with B's rule.
    const own = await asA('POST', '/api/v1/scoring/rules', {
      kind: 'fit',
      name: 'A has an email',
      points: 35,
      condition: { all: [{ field: 'email', op: 'exists', value: true }] },
    })
    expect(own.statusCode, own.body).toBe(201)
    expect((await asA('DELETE', `/api/v1/scoring/rules/${own.json().data.id}`)).statusCode).toBe(
      204,
    )
  },
  'PATCH /api/v1/scoring/rules/{id}': async () => {
    const { ruleId } = await bRuleOnce()
    await keepsB(async () => {
      notFound(await asA('PATCH', `/api/v1/scoring/rules/${ruleId}`, { points: 90 }))
      notFound(await asAInB('PATCH', `/api/v1/scoring/rules/${ruleId}`, { isActive: false }))
    })
  },
  'DELETE /api/v1/scoring/rules/{id}': async () => {
    const { ruleId } = await bRuleOnce()
    await keepsB(async () => {
      notFound(await asA('DELETE', `/api/v1/scoring/rules/${ruleId}`))
      notFound(await asAInB('DELETE', `/api/v1/scoring/rules/${ruleId}`))
    })
  },
  'GET /api/v1/scoring/settings': async () => {
    await bRuleOnce()
    notFound(await asAInB('GET', '/api/v1/scoring/settings'))
  },
  'PATCH /api/v1/scoring/settings': async () => {
    await keepsB(async () => {
      notFound(await asAInB('PATCH', '/api/v1/scoring/settings', { halfLifeDays: 7 }))
    })
  },
  'POST /api/v1/scoring/preview': async () => {
    await bRuleOnce()
    notFound(
      await asAInB('POST', '/api/v1/scoring/preview', {
        rules: [{ kind: 'engagement', name: 'x', points: 5, condition: { types: ['webinar'] } }],
      }),
    )
    // A's preview counts none of B's contacts: B's rule condition matches every contact with an email.
    const inA = await asA('POST', '/api/v1/scoring/preview', {
      rules: [
        {
          kind: 'fit',
          name: 'email',
          points: 35,
          condition: {
            all: [{ field: 'email', op: 'eq', value: 'b-scoring-only@nowhere.example' }],
          },
        },
      ],
    })
    expect(inA.statusCode, inA.body).toBe(200)
    expect(inA.json().data.rules[0].contacts).toBe(0)
  },
  'GET /api/v1/contacts/{id}/scores': async () => {
    await bRuleOnce()
    notFound(await asA('GET', `/api/v1/contacts/${bContact.id}/scores`))
    notFound(await asAInB('GET', `/api/v1/contacts/${bContact.id}/scores`))
    const inB = await asB('GET', `/api/v1/contacts/${bContact.id}/scores`)
    expect(inB.statusCode, inB.body).toBe(200)
  },
  'POST /api/v1/contacts/{id}/scores/recompute': async () => {
    await keepsB(async () => {
      notFound(await asA('POST', `/api/v1/contacts/${bContact.id}/scores/recompute`))
      notFound(await asAInB('POST', `/api/v1/contacts/${bContact.id}/scores/recompute`))
    })
  },
}
