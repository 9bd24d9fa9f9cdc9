import { expect } from 'vitest'
import { asA, asAInB, asB, bDefaultPipeline, notFound } from './world.ts'

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
}
