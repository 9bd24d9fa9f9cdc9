import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'

let t: TestApp
let owner: Session
let workspaceId: string
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Pipelines Co'))
})
afterAll(async () => t.close())

interface Stage {
  id: string
  name: string
  winProbability: number
  isWon: boolean
  isLost: boolean
  isProposalOrLater: boolean
}
interface Pipeline {
  id: string
  name: string
  isDefault: boolean
  stages: Stage[]
}

const stages = [
  { name: 'Open', winProbability: 0.3 },
  { name: 'Won', winProbability: 1, isWon: true },
  { name: 'Lost', winProbability: 0, isLost: true },
]
const request = (
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
) => owner.request({ method, url: `/api/v1${url}`, workspaceId, payload: payload as object })
const listPipelines = async (): Promise<Pipeline[]> =>
  (await request('GET', '/pipelines')).json().data
const create = async (name: string, extra: Record<string, unknown> = {}): Promise<Pipeline> => {
  const response = await request('POST', '/pipelines', { name, stages, ...extra })
  if (response.statusCode !== 201) throw new Error(response.body)
  return response.json().data
}
const makeDeal = async (stageId: string, pipelineId: string) => {
  const response = await request('POST', '/deals', { name: 'Stage deal', pipelineId, stageId })
  if (response.statusCode !== 201) throw new Error(response.body)
  return response.json().data as { id: string }
}

describe('pipelines', () => {
  it('creates the default "Sales" pipeline on the first read, once', async () => {
    const [first, second] = await Promise.all([listPipelines(), listPipelines()])
    expect(first).toHaveLength(1)
    expect(second?.map((p) => p.id)).toEqual(first?.map((p) => p.id))
    const sales = first[0] as Pipeline
    expect(sales).toMatchObject({ name: 'Sales', isDefault: true })
    expect(
      sales.stages.map((s) => [s.name, s.winProbability, s.isProposalOrLater, s.isWon, s.isLost]),
    ).toEqual([
      ['Qualification', 0.1, false, false, false],
      ['Discovery', 0.2, false, false, false],
      ['Demo', 0.35, false, false, false],
      ['Proposal', 0.55, true, false, false],
      ['Negotiation', 0.75, true, false, false],
      ['Closed won', 1, false, true, false],
      ['Closed lost', 0, false, false, true],
    ])
    const stored = await t.ctx.db
      .selectFrom('pipelines')
      .select('id')
      .where('workspaceId', '=', workspaceId)
      .execute()
    expect(stored).toHaveLength(1)
  })

  it('refuses stages deals could not move through, naming stages', async () => {
    const cases: [unknown[], string][] = [
      [
        [{ name: 'Won', winProbability: 1, isWon: true }, stages[2]],
        'stages: a pipeline needs an open stage',
      ],
      [[stages[0], stages[2]], 'stages: a pipeline needs exactly one won stage (isWon), not 0'],
      [
        [...stages, { name: 'Won again', winProbability: 1, isWon: true }],
        'stages: a pipeline needs exactly one won stage (isWon), not 2',
      ],
      [[stages[0], stages[1]], 'stages: a pipeline needs a lost stage'],
      [
        [...stages, { name: 'Both', winProbability: 0, isWon: true, isLost: true }],
        'stages[3]: a stage cannot be both won and lost',
      ],
      [[...stages, { name: 'open', winProbability: 0.5 }], 'stages[3].name'],
      [
        [{ ...stages[0], winProbability: 1.5 }, stages[1], stages[2]],
        'body.stages.0.winProbability',
      ],
      [[], 'body.stages'],
    ]
    for (const [list, message] of cases) {
      const response = await request('POST', '/pipelines', { name: 'Bad', stages: list })
      expect(response.statusCode, JSON.stringify(list)).toBe(400)
      expect(response.json().error.message, JSON.stringify(list)).toContain(message)
    }
    expect((await listPipelines()).map((p) => p.name)).not.toContain('Bad')
  })

  it('makes one pipeline the default and un-defaults the others', async () => {
    const renewals = await create('Renewals', { isDefault: true })
    expect(renewals.isDefault).toBe(true)
    expect((await listPipelines()).filter((p) => p.isDefault).map((p) => p.name)).toEqual([
      'Renewals',
    ])
    const sales = (await listPipelines()).find((p) => p.name === 'Sales') as Pipeline
    const patched = await request('PATCH', `/pipelines/${sales.id}`, {
      isDefault: true,
      name: 'New business',
    })
    expect(patched.json().data).toMatchObject({ name: 'New business', isDefault: true })
    expect((await listPipelines()).filter((p) => p.isDefault).map((p) => p.name)).toEqual([
      'New business',
    ])
    const undefault = await request('PATCH', `/pipelines/${sales.id}`, { isDefault: false })
    expect(undefault.statusCode).toBe(400)
    expect(undefault.json().error.message).toMatch(/^isDefault: /)
    const clash = await request('PATCH', `/pipelines/${renewals.id}`, { name: 'new BUSINESS' })
    expect(clash.statusCode).toBe(409)
  })

  it('reorders and renames stages keeping their ids, adds and removes stages', async () => {
    const p = await create('Reorder')
    const [open, won, lost] = p.stages as [Stage, Stage, Stage]
    const response = await request('PUT', `/pipelines/${p.id}/stages`, {
      stages: [
        { name: 'Intro', winProbability: 0.05 },
        { id: open.id, name: 'Open (renamed)', winProbability: 0.4, isProposalOrLater: true },
        { id: won.id, name: 'Won', winProbability: 1, isWon: true },
        { id: lost.id, name: 'Lost', winProbability: 0, isLost: true },
      ],
    })
    expect(response.statusCode).toBe(200)
    const after: Stage[] = response.json().data.stages
    expect(after.map((s) => s.name)).toEqual(['Intro', 'Open (renamed)', 'Won', 'Lost'])
    expect(after.slice(1).map((s) => s.id)).toEqual([open.id, won.id, lost.id])
    expect(after[1]).toMatchObject({ winProbability: 0.4, isProposalOrLater: true })
    const removed = await request('PUT', `/pipelines/${p.id}/stages`, {
      stages: [
        { id: open.id, name: 'Open', winProbability: 0.4 },
        { id: won.id, name: 'Won', winProbability: 1, isWon: true },
        { id: lost.id, name: 'Lost', winProbability: 0, isLost: true },
      ],
    })
    expect(removed.json().data.stages.map((s: Stage) => s.name)).toEqual(['Open', 'Won', 'Lost'])
  })

  it('refuses to remove a stage that still has deals, naming it', async () => {
    const p = await create('Busy')
    const [open, won, lost] = p.stages as [Stage, Stage, Stage]
    await makeDeal(open.id, p.id)
    const response = await request('PUT', `/pipelines/${p.id}/stages`, {
      stages: [
        { name: 'Fresh', winProbability: 0.2 },
        { id: won.id, name: 'Won', winProbability: 1, isWon: true },
        { id: lost.id, name: 'Lost', winProbability: 0, isLost: true },
      ],
    })
    expect(response.statusCode).toBe(409)
    expect(response.json().error.message).toContain('the stage "Open" still has 1 deal(s)')
    const flip = await request('PUT', `/pipelines/${p.id}/stages`, {
      stages: [
        { id: open.id, name: 'Open', winProbability: 0, isLost: true },
        { id: won.id, name: 'Won', winProbability: 1, isWon: true },
        { name: 'Still open', winProbability: 0.5 },
      ],
    })
    expect(flip.statusCode).toBe(409)
    const unchanged = await request('GET', `/pipelines/${p.id}`)
    expect(unchanged.json().data.stages.map((s: Stage) => s.name)).toEqual(['Open', 'Won', 'Lost'])
  })

  it("refuses a stage id that is not this pipeline's", async () => {
    const a = await create('Pipeline A')
    const b = await create('Pipeline B')
    const response = await request('PUT', `/pipelines/${a.id}/stages`, {
      stages: [
        { id: b.stages[0]?.id, name: 'Open', winProbability: 0.3 },
        { name: 'Won', winProbability: 1, isWon: true },
        { name: 'Lost', winProbability: 0, isLost: true },
      ],
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toMatch(/^stages\[0\]\.id: /)
  })

  it('deletes a pipeline unless it is the default or has open deals', async () => {
    const [current] = (await listPipelines()).filter((p) => p.isDefault) as [Pipeline]
    const refusedDefault = await request('DELETE', `/pipelines/${current.id}`)
    expect(refusedDefault.statusCode).toBe(409)
    const p = await create('Short-lived')
    const [open, won] = p.stages as [Stage, Stage]
    const deal = await makeDeal(open.id, p.id)
    const refusedOpen = await request('DELETE', `/pipelines/${p.id}`)
    expect(refusedOpen.statusCode).toBe(409)
    expect(refusedOpen.json().error.message).toContain('1 open deal(s)')
    await request('PATCH', `/deals/${deal.id}`, { stageId: won.id })
    expect((await request('DELETE', `/pipelines/${p.id}`)).statusCode).toBe(204)
    expect((await listPipelines()).map((x) => x.name)).not.toContain('Short-lived')
    expect((await request('GET', `/pipelines/${p.id}`)).statusCode).toBe(404)
    // The closed deal keeps its stage and pipeline names.
    const kept = (await request('GET', `/deals/${deal.id}`)).json().data
    expect(kept.stage.name).toBe('Won')
    expect(kept.pipeline.name).toBe('Short-lived')
  })

  it('lets only catalog managers change pipelines; other workspaces see 404', async () => {
    const p = await create('Guarded')
    const rep = await addMember(t, owner, workspaceId, 'sales')
    const denied = await rep.request({
      method: 'PATCH',
      url: `/api/v1/pipelines/${p.id}`,
      workspaceId,
      payload: { name: 'Mine' },
    })
    expect(denied.statusCode).toBe(403)
    const other = await makeWorkspace(t, 'Other Pipelines')
    for (const [method, url, payload] of [
      ['GET', `/api/v1/pipelines/${p.id}`, undefined],
      ['PATCH', `/api/v1/pipelines/${p.id}`, { name: 'Stolen' }],
      ['PUT', `/api/v1/pipelines/${p.id}/stages`, { stages }],
      ['DELETE', `/api/v1/pipelines/${p.id}`, undefined],
      ['DELETE', `/api/v1/pipelines/${uuidv7()}`, undefined],
    ] as const) {
      const response = await other.owner.request({
        method,
        url,
        workspaceId: other.workspaceId,
        payload,
      })
      expect(response.statusCode, `${method} ${url}`).toBe(404)
    }
    const audit = await t.ctx.db
      .selectFrom('auditLog')
      .select('action')
      .where('workspaceId', '=', workspaceId)
      .where('targetId', '=', p.id)
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['pipeline.create'])
  })
})
