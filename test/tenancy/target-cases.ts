import { expect } from 'vitest'
import { asA, asAInB, asB, b, bTeam, notFound, refused } from './world.ts'

let bTarget: { id: string } | undefined

/** A revenue target of B's team, made once by B's owner. */
async function targetOfB() {
  if (!bTarget) {
    const response = await asB('POST', '/api/v1/targets', {
      subjectKind: 'team',
      subjectId: bTeam.id,
      metric: 'revenue',
      period: '2026-03',
      amount: 1000,
    })
    expect(response.statusCode, response.body).toBe(201)
    bTarget = { id: response.json().data.id }
  }
  return bTarget
}

/** Issue 13: tenancy cases of the target operations (one per /api/v1 operation). */
export const targetCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/targets': async () => {
    const target = await targetOfB()
    notFound(await asAInB('GET', '/api/v1/targets'))
    const inA = await asA('GET', `/api/v1/targets?subjectId=${bTeam.id}`)
    expect(inA.statusCode, inA.body).toBe(200)
    expect(inA.json().data).toEqual([])
    const inB = await asB('GET', `/api/v1/targets?subjectId=${bTeam.id}`)
    expect(inB.json().data.map((r: { id: string }) => r.id)).toEqual([target.id])
  },
  'GET /api/v1/targets/{id}': async () => {
    const { id } = await targetOfB()
    notFound(await asAInB('GET', `/api/v1/targets/${id}`))
    notFound(await asA('GET', `/api/v1/targets/${id}`))
    expect((await asB('GET', `/api/v1/targets/${id}`)).statusCode).toBe(200)
  },
  'POST /api/v1/targets': async () => {
    const payload = {
      subjectKind: 'team',
      subjectId: bTeam.id,
      metric: 'deals_won',
      period: '2026-04',
      amount: 3,
    }
    notFound(await asAInB('POST', '/api/v1/targets', payload))
    // B's team is no team of A's.
    refused(await asA('POST', '/api/v1/targets', payload), 'subjectId')
    refused(
      await asA('POST', '/api/v1/targets', {
        subjectKind: 'rep',
        subjectId: b.owner.userId,
        metric: 'sqls',
        period: '2026-04',
        amount: 3,
      }),
      'subjectId',
    )
  },
  'PATCH /api/v1/targets/{id}': async () => {
    const { id } = await targetOfB()
    notFound(await asAInB('PATCH', `/api/v1/targets/${id}`, { amount: 1 }))
    notFound(await asA('PATCH', `/api/v1/targets/${id}`, { amount: 1 }))
    expect((await asB('GET', `/api/v1/targets/${id}`)).json().data.amount).toBe(1000)
  },
  'DELETE /api/v1/targets/{id}': async () => {
    const { id } = await targetOfB()
    notFound(await asAInB('DELETE', `/api/v1/targets/${id}`))
    notFound(await asA('DELETE', `/api/v1/targets/${id}`))
    expect((await asB('GET', `/api/v1/targets/${id}`)).statusCode).toBe(200)
  },
}
