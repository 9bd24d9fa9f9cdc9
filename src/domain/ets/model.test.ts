import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { objectiveOf } from './estimate.ts'
import {
  type EtsParams,
  type EtsSpec,
  type EtsState,
  forecastEts,
  runEts,
  specName,
} from './model.ts'

interface Fixture {
  y: number[]
  cases: {
    spec: EtsSpec
    params: EtsParams
    initial: EtsState
    fitted: number[]
    forecast: number[]
    llf: number
  }[]
}

// statsmodels' ETSModel with fixed parameters and initial states (fixtures/make-fixtures.py).
const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/statsmodels-ets.json', import.meta.url), 'utf8'),
) as Fixture

function expectClose(actual: readonly number[], expected: readonly number[]) {
  expect(actual).toHaveLength(expected.length)
  actual.forEach((value, i) => {
    expect(Math.abs(value - (expected[i] as number))).toBeLessThan(1e-6)
  })
}

describe('ETS recursions against statsmodels', () => {
  it('covers all 18 combinations of error, trend and season', () => {
    expect(new Set(fixture.cases.map((c) => specName(c.spec))).size).toBe(18)
  })

  for (const c of fixture.cases) {
    it(`${specName(c.spec)}: fitted values, forecasts and log-likelihood`, () => {
      const run = runEts(c.spec, c.params, c.initial, fixture.y)
      expect(run.ok).toBe(true)
      expectClose(run.fitted, c.fitted)
      expectClose(forecastEts(c.spec, c.params, run.state, 8), c.forecast)
      const n = fixture.y.length
      const llf = -0.5 * (objectiveOf(c.spec, run, n, 1) + n * (Math.log(2 * Math.PI) + 1))
      expect(Math.abs(llf - c.llf)).toBeLessThan(1e-6)
    })
  }
})
