import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, defaultPipeline, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let owner: Session
let viewer: Session
let workspaceId: string
let pipeline: Awaited<ReturnType<typeof defaultPipeline>>

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Forecast Co'))
  viewer = await addMember(t, owner, workspaceId, 'viewer')
  pipeline = await defaultPipeline(owner, workspaceId)
})
afterAll(async () => t.close())

const stage = (name: string) => pipeline.stage(name)

/** A deal created in Qualification and moved through `path` (stage names). */
async function dealThrough(path: string[]) {
  const created = await owner.request({
    method: 'POST',
    url: '/api/v1/deals',
    workspaceId,
    payload: { name: `Deal ${path.join(' → ')}`, amount: 1000, stageId: stage('Qualification') },
  })
  if (created.statusCode !== 201) throw new Error(created.body)
  const id = created.json().data.id as string
  for (const name of path) {
    const lost = name === 'Closed lost'
    const moved = await owner.request({
      method: 'PATCH',
      url: `/api/v1/deals/${id}`,
      workspaceId,
      payload: {
        stageId: stage(name),
        ...(lost ? { lossReason: 'price', marketingCouldHelp: 'no' } : {}),
      },
    })
    if (moved.statusCode !== 200) throw new Error(moved.body)
  }
  return id
}

const probabilities = async (session: Session, query = '') => {
  const response = await session.request({
    method: 'GET',
    url: `/api/v1/forecast/stage-probabilities${query}`,
    workspaceId,
  })
  expect(response.statusCode, response.body).toBe(200)
  return Object.fromEntries(
    response
      .json()
      .data.map((s: { name: string; closed: number; won: number; probability: number }) => [
        s.name,
        s,
      ]),
  )
}

describe('GET /api/v1/forecast/stage-probabilities', () => {
  it('keeps the configured probabilities before any deal closed', async () => {
    const stages = await probabilities(viewer)
    expect(stages.Qualification).toMatchObject({ prior: 0.1, closed: 0, won: 0, probability: 0.1 })
    expect(stages['Closed won'].probability).toBe(1)
    expect(stages['Closed lost'].probability).toBe(0)
  })

  it('learns each stage from the closed deals that were in it, a revisit counted once', async () => {
    for (let i = 0; i < 3; i++) await dealThrough(['Discovery', 'Closed won'])
    for (let i = 0; i < 2; i++) await dealThrough(['Closed lost'])
    await dealThrough(['Discovery', 'Qualification', 'Discovery', 'Closed lost'])
    await dealThrough(['Discovery']) // still open: not counted
    const deleted = await dealThrough(['Closed won'])
    const gone = await owner.request({
      method: 'DELETE',
      url: `/api/v1/deals/${deleted}`,
      workspaceId,
    })
    expect(gone.statusCode, gone.body).toBe(204)

    const stages = await probabilities(viewer, `?pipelineId=${pipeline.id}`)
    // Hand-computed: Qualification saw 6 closed deals, 3 won: (3 + 10 × 0.1) ÷ (6 + 10) = 0.25.
    expect(stages.Qualification).toMatchObject({ closed: 6, won: 3 })
    expect(stages.Qualification.probability).toBeCloseTo(0.25, 12)
    // Discovery: 4 closed (the revisiting deal once), 3 won: (3 + 10 × 0.2) ÷ (4 + 10) = 5 ÷ 14.
    expect(stages.Discovery).toMatchObject({ closed: 4, won: 3 })
    expect(stages.Discovery.probability).toBeCloseTo(5 / 14, 12)
    // No closed deal reached Demo: its configured probability stands.
    expect(stages.Demo).toMatchObject({ closed: 0, probability: 0.35 })
  })

  it('answers clearly for a bad or unknown pipeline', async () => {
    const bad = await viewer.request({
      method: 'GET',
      url: '/api/v1/forecast/stage-probabilities?pipelineId=sales',
      workspaceId,
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('pipelineId')
    const unknown = await viewer.request({
      method: 'GET',
      url: `/api/v1/forecast/stage-probabilities?pipelineId=${randomUUID()}`,
      workspaceId,
    })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error.message).toContain('pipelineId')
  })
})
