import { DateTime } from 'luxon'
import { expect } from 'vitest'
import {
  asA,
  asAInB,
  asB,
  bDeal,
  bDefaultPipeline,
  bMember,
  bTeam,
  notFound,
  refused,
  t,
} from './world.ts'

const month = () => DateTime.utc().plus({ months: 1 }).toFormat('yyyy-MM')
const figures = { commit: 100, bestCase: 200, pipeline: 300 }

let bSubmissionId: string | undefined
/** A submission of B's rep for next month, made once by B's admin. */
async function bSubmission() {
  if (bSubmissionId) return bSubmissionId
  const made = await asB('POST', '/api/v1/forecast/submissions', {
    periodKind: 'month',
    periodKey: month(),
    ...figures,
    repId: bMember.userId,
  })
  expect(made.statusCode, made.body).toBe(201)
  bSubmissionId = made.json().data.id as string
  return bSubmissionId
}

const submissionRows = () =>
  t.ctx.db.selectFrom('forecastSubmissions').selectAll().orderBy('id').execute()

/** Issue 13: tenancy cases of the forecast operations (one per /api/v1 operation). */
export const forecastCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/forecast/stage-probabilities': async () => {
    const url = `/api/v1/forecast/stage-probabilities?pipelineId=${bDefaultPipeline.id}`
    notFound(await asAInB('GET', url))
    // B's pipeline is unknown in A; A's own stages never include B's.
    notFound(await asA('GET', url))
    const inA = await asA('GET', '/api/v1/forecast/stage-probabilities')
    expect(inA.statusCode, inA.body).toBe(200)
    const aStages = inA.json().data.map((s: { stageId: string }) => s.stageId)
    expect(aStages.some((id: string) => bDefaultPipeline.stageIds.includes(id))).toBe(false)
    const inB = await asB('GET', url)
    expect(inB.statusCode, inB.body).toBe(200)
    expect(
      inB
        .json()
        .data.map((s: { stageId: string }) => s.stageId)
        .sort(),
    ).toEqual([...bDefaultPipeline.stageIds].sort())
  },
  'POST /api/v1/forecast/submissions': async () => {
    await bSubmission()
    const before = await submissionRows()
    const payload = { periodKind: 'month', periodKey: month(), ...figures, repId: bMember.userId }
    notFound(await asAInB('POST', '/api/v1/forecast/submissions', payload))
    // B's rep is no member of A: A cannot submit a forecast for them.
    refused(await asA('POST', '/api/v1/forecast/submissions', payload), 'repId')
    expect(await submissionRows()).toEqual(before)
  },
  'POST /api/v1/forecast/submissions/{id}/adjust': async () => {
    const id = await bSubmission()
    const before = await submissionRows()
    const url = `/api/v1/forecast/submissions/${id}/adjust`
    notFound(await asAInB('POST', url, { commit: 1, note: 'from A' }))
    notFound(await asA('POST', url, { commit: 1, note: 'from A' }))
    expect(await submissionRows()).toEqual(before)
    const inB = await asB('POST', url, { commit: 50, note: "B's manager" })
    expect(inB.statusCode, inB.body).toBe(201)
  },
  'GET /api/v1/forecast/submissions': async () => {
    const id = await bSubmission()
    notFound(await asAInB('GET', '/api/v1/forecast/submissions'))
    notFound(await asA('GET', `/api/v1/forecast/submissions?repId=${bMember.userId}`))
    const inA = await asA('GET', '/api/v1/forecast/submissions?limit=200')
    expect(inA.statusCode, inA.body).toBe(200)
    expect(JSON.stringify(inA.json())).not.toContain(id)
    const inB = await asB('GET', `/api/v1/forecast/submissions?repId=${bMember.userId}`)
    expect(inB.statusCode, inB.body).toBe(200)
    expect(inB.json().data.map((s: { id: string }) => s.id)).toContain(id)
  },
  'GET /api/v1/forecast/call': async () => {
    await bSubmission()
    const url = `/api/v1/forecast/call?periodKind=month&periodKey=${month()}`
    notFound(await asAInB('GET', url))
    notFound(await asA('GET', `${url}&teamId=${bTeam.id}`))
    const inA = await asA('GET', url)
    expect(inA.statusCode, inA.body).toBe(200)
    const text = JSON.stringify(inA.json())
    for (const id of [bMember.userId, bTeam.id, bDeal.id]) expect(text).not.toContain(id)
    const inB = await asB('GET', `${url}&teamId=${bTeam.id}`)
    expect(inB.statusCode, inB.body).toBe(200)
    expect(inB.json().data.reps.map((r: { rep: { id: string } }) => r.rep.id)).toEqual([
      bMember.userId,
    ])
    expect(inB.json().data.reps[0].submission.commit).toBe(figures.commit)
  },
}
