import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  defaultPipeline,
  makeApiKey,
  makeWorkspace,
  type Session,
} from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let pipeline: Awaited<ReturnType<typeof defaultPipeline>>
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Stages Co'))
  pipeline = await defaultPipeline(owner, workspaceId)
})
afterAll(async () => t.close())

const stage = (name: string) => pipeline.stage(name)
const create = async (payload: Record<string, unknown> = {}) => {
  const response = await owner.request({
    method: 'POST',
    url: '/api/v1/deals',
    workspaceId,
    payload: { name: 'Moving deal', amount: 1000, ...payload },
  })
  if (response.statusCode !== 201) throw new Error(response.body)
  return response.json().data as { id: string }
}
const patch = (id: string, payload: Record<string, unknown>) =>
  owner.request({ method: 'PATCH', url: `/api/v1/deals/${id}`, workspaceId, payload })
const get = async (id: string) =>
  (await owner.request({ method: 'GET', url: `/api/v1/deals/${id}`, workspaceId })).json().data
const moves = (deal: {
  stageHistory: { fromStage: { name: string } | null; toStage: { name: string } }[]
}) => deal.stageHistory.map((h) => `${h.fromStage?.name ?? '-'} → ${h.toStage.name}`)

describe('deal stage history', () => {
  it('adds a stage change for every move, forward or back, and never rewrites one', async () => {
    const deal = await create()
    await patch(deal.id, { stageId: stage('Demo') })
    const before = await get(deal.id)
    await patch(deal.id, { stageId: stage('Discovery') })
    await patch(deal.id, { stageId: stage('Discovery'), name: 'Same stage' })
    const after = await get(deal.id)
    expect(moves(after)).toEqual(['- → Qualification', 'Qualification → Demo', 'Demo → Discovery'])
    expect(after.stageHistory.slice(0, 2)).toEqual(before.stageHistory)
    expect(after.stageHistory[2].changedBy).toEqual({ id: owner.userId, name: expect.any(String) })
    const times = after.stageHistory.map((h: { changedAt: string }) => Date.parse(h.changedAt))
    expect([...times].sort((a, b) => a - b)).toEqual(times)
  })

  it('refuses a move into a lost stage without a loss reason and marketingCouldHelp', async () => {
    const deal = await create()
    const noReason = await patch(deal.id, { stageId: stage('Closed lost') })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.json().error.message).toMatch(/^lossReason: /)
    const noFeedback = await patch(deal.id, { stageId: stage('Closed lost'), lossReason: 'price' })
    expect(noFeedback.statusCode).toBe(400)
    expect(noFeedback.json().error.message).toMatch(/^marketingCouldHelp: /)
    const noCompetitor = await patch(deal.id, {
      stageId: stage('Closed lost'),
      lossReason: 'competitor',
      marketingCouldHelp: 'yes',
    })
    expect(noCompetitor.statusCode).toBe(400)
    expect(noCompetitor.json().error.message).toMatch(/^lossCompetitor: /)
    const unchanged = await get(deal.id)
    expect(unchanged).toMatchObject({ stage: { name: 'Qualification' }, lossReason: null })
    expect(moves(unchanged)).toEqual(['- → Qualification'])
    const creating = await owner.request({
      method: 'POST',
      url: '/api/v1/deals',
      workspaceId,
      payload: { name: 'Born lost', stageId: stage('Closed lost') },
    })
    expect(creating.statusCode).toBe(400)
    expect(creating.json().error.message).toMatch(/^lossReason: /)
  })

  it('closes a lost deal as omitted, with its reason, and keeps the reason required', async () => {
    const deal = await create({ forecastCategory: 'best_case' })
    const lost = await patch(deal.id, {
      stageId: stage('Closed lost'),
      lossReason: 'competitor',
      lossCompetitor: 'Fetch',
      lossNotes: 'Cheaper fleet software',
      marketingCouldHelp: 'unsure',
    })
    expect(lost.statusCode).toBe(200)
    const data = lost.json().data
    expect(data).toMatchObject({
      forecastCategory: 'omitted',
      lossReason: 'competitor',
      lossCompetitor: 'Fetch',
      marketingCouldHelp: 'unsure',
    })
    expect(Date.parse(data.closedAt)).toBeGreaterThan(Date.now() - 60_000)
    const cleared = await patch(deal.id, { lossReason: null })
    expect(cleared.statusCode).toBe(400)
    expect(cleared.json().error.message).toMatch(/^lossReason: /)
    const recategorised = await patch(deal.id, { forecastCategory: 'commit' })
    expect(recategorised.json().error.message).toMatch(/^forecastCategory: /)
  })

  it('closes a won deal as closed_won, and reopening puts it back in the pipeline', async () => {
    const deal = await create({ forecastCategory: 'commit' })
    const won = (await patch(deal.id, { stageId: stage('Closed won') })).json().data
    expect(won).toMatchObject({ forecastCategory: 'closed_won', stage: { isWon: true } })
    expect(won.closedAt).not.toBeNull()
    const reopened = (await patch(deal.id, { stageId: stage('Negotiation') })).json().data
    expect(reopened).toMatchObject({ forecastCategory: 'pipeline', closedAt: null })
    expect(moves(reopened)).toEqual([
      '- → Qualification',
      'Qualification → Closed won',
      'Closed won → Negotiation',
    ])
  })

  it('creates a deal straight into a won stage with its one stage change', async () => {
    const deal = await create({ stageId: stage('Closed won') })
    const got = await get(deal.id)
    expect(got).toMatchObject({ forecastCategory: 'closed_won', stage: { name: 'Closed won' } })
    expect(moves(got)).toEqual(['- → Closed won'])
  })

  it('records a bulk move for each deal, and a program as no person', async () => {
    const key = await makeApiKey(owner, workspaceId, 'sales')
    const ids = [(await create()).id, (await create()).id]
    const response = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/deals/bulk',
      headers: { authorization: `Bearer ${key.key}` },
      payload: {
        ids,
        patch: { stageId: stage('Closed lost'), lossReason: 'timing', marketingCouldHelp: 'no' },
      },
    })
    expect(response.statusCode).toBe(200)
    for (const id of ids) {
      const deal = await get(id)
      expect(moves(deal)).toEqual(['- → Qualification', 'Qualification → Closed lost'])
      expect(deal.stageHistory[1].changedBy).toBeNull()
      expect(deal.forecastCategory).toBe('omitted')
    }
  })
})
