import { describe, expect, it } from 'vitest'
import {
  effectiveForecast,
  forecastAccuracy,
  lastSubmissionBefore,
  pipelineCoverage,
  reverseWaterfall,
  stageWinProbabilities,
  submissionAccuracy,
  weightedPipeline,
} from './forecast.ts'

describe('stage win probabilities', () => {
  const stages = [
    { stageId: 'discovery', defaultProbability: 0.2 },
    { stageId: 'proposal', defaultProbability: 0.5 },
    { stageId: 'negotiation', defaultProbability: 0.8 },
  ]

  it('blend the configured default (10 deals of weight) with the closed deals of each stage', () => {
    // Hand-computed: 12 closed deals went through discovery, 3 of them won;
    // 5 reached proposal (3 won); none reached negotiation.
    const closed = [
      ...Array.from({ length: 3 }, () => ({ stageIds: ['discovery', 'proposal'], won: true })),
      ...Array.from({ length: 2 }, () => ({ stageIds: ['discovery', 'proposal'], won: false })),
      ...Array.from({ length: 7 }, () => ({ stageIds: ['discovery'], won: false })),
    ]
    const learned = stageWinProbabilities(stages, closed)
    expect(learned.map((s) => [s.stageId, s.closed, s.won])).toEqual([
      ['discovery', 12, 3],
      ['proposal', 5, 3],
      ['negotiation', 0, 0],
    ])
    // (3 + 10 × 0.2) ÷ (12 + 10) = 5 ÷ 22; (3 + 10 × 0.5) ÷ (5 + 10) = 8 ÷ 15; no history: 0.8.
    expect(learned[0]?.probability).toBeCloseTo(5 / 22, 12)
    expect(learned[1]?.probability).toBeCloseTo(8 / 15, 12)
    expect(learned[2]?.probability).toBe(0.8)
  })

  it('count a deal once per stage however often it came back to it', () => {
    const learned = stageWinProbabilities(stages, [
      { stageIds: ['discovery', 'proposal', 'discovery', 'proposal'], won: true },
    ])
    expect(learned[0]).toMatchObject({ closed: 1, won: 1 })
    expect(learned[0]?.probability).toBeCloseTo((1 + 2) / 11, 12)
  })

  it('refuse a default outside 0-1, naming the stage', () => {
    expect(() => stageWinProbabilities([{ stageId: 'odd', defaultProbability: 1.5 }], [])).toThrow(
      /stage odd: 1.5/,
    )
  })
})

describe('weighted pipeline and coverage', () => {
  it('weights each open deal by its stage probability', () => {
    const probabilities = new Map([
      ['discovery', 0.25],
      ['proposal', 0.5],
    ])
    const deals = [
      { amount: 10_000, stageId: 'discovery' },
      { amount: 4_000, stageId: 'proposal' },
      { amount: 99_000, stageId: 'unknown' },
    ]
    expect(weightedPipeline(deals, probabilities)).toBe(4_500)
  })

  it('divides the open pipeline by what is left of the target, met when nothing is', () => {
    expect(pipelineCoverage(300_000, 200_000, 100_000)).toBe(3)
    expect(pipelineCoverage(0, 200_000, 50_000)).toBe(0)
    expect(pipelineCoverage(10, 200_000, 200_000)).toBe('met')
    expect(pipelineCoverage(10, 0, 0)).toBe('met')
  })
})

describe('forecast accuracy', () => {
  it('is 1 − WAPE over the periods', () => {
    // |120 − 100| + |80 − 100| + |0 − 50| = 90 over 250 actual: 1 − 0.36.
    const pairs = [
      { forecast: 120, actual: 100 },
      { forecast: 80, actual: 100 },
      { forecast: 0, actual: 50 },
    ]
    expect(forecastAccuracy(pairs)).toBeCloseTo(0.64, 12)
    expect(forecastAccuracy([{ forecast: 100, actual: 100 }])).toBe(1)
  })

  it('goes below 0 for a forecast off by more than the actuals, and is null without actuals', () => {
    expect(forecastAccuracy([{ forecast: 300, actual: 100 }])).toBe(-1)
    expect(forecastAccuracy([{ forecast: 10, actual: 0 }])).toBeNull()
    expect(forecastAccuracy([])).toBeNull()
  })
})

describe('the reverse waterfall', () => {
  it('turns a revenue target into won deals, SQLs and MQLs, rounding each up', () => {
    // 1,000,000 at 45,000 a deal: 22.2 → 23 won; at 25 % SQL → won: 92 SQLs; at 40 % MQL → SQL: 230.
    expect(
      reverseWaterfall({
        revenueTarget: 1_000_000,
        averageDealSize: 45_000,
        sqlToWonRate: 0.25,
        mqlToSqlRate: 0.4,
      }),
    ).toEqual({ wonDeals: 23, sqls: 92, mqls: 230 })
  })

  it('does not round an exact quotient up by a floating-point hair', () => {
    expect(
      reverseWaterfall({
        revenueTarget: 100,
        averageDealSize: 1,
        sqlToWonRate: 0.1,
        mqlToSqlRate: 1,
      }),
    ).toEqual({ wonDeals: 100, sqls: 1000, mqls: 1000 })
  })

  it('names an assumption that cannot work', () => {
    const base = { revenueTarget: 1, averageDealSize: 1, sqlToWonRate: 0.5, mqlToSqlRate: 0.5 }
    expect(() => reverseWaterfall({ ...base, averageDealSize: 0 })).toThrow(/averageDealSize/)
    expect(() => reverseWaterfall({ ...base, sqlToWonRate: 0 })).toThrow(/sqlToWonRate/)
    expect(() => reverseWaterfall({ ...base, mqlToSqlRate: 1.2 })).toThrow(/mqlToSqlRate/)
    expect(() => reverseWaterfall({ ...base, revenueTarget: -5 })).toThrow(/revenueTarget/)
  })
})

describe('submissions and their accuracy', () => {
  const at = (iso: string) => new Date(iso)
  const figures = (commit: number, bestCase: number, pipeline: number) => ({
    commit,
    bestCase,
    pipeline,
  })

  it('takes the last submission made strictly before the period started', () => {
    const subs = [
      { id: 'a', submittedAt: at('2026-09-20T10:00:00Z') },
      { id: 'b', submittedAt: at('2026-09-28T10:00:00Z') },
      { id: 'c', submittedAt: at('2026-10-01T00:00:00Z') },
      { id: 'd', submittedAt: at('2026-10-05T10:00:00Z') },
    ]
    expect(lastSubmissionBefore(subs, at('2026-10-01T00:00:00Z'))?.id).toBe('b')
    expect(lastSubmissionBefore(subs, at('2026-09-01T00:00:00Z'))).toBeUndefined()
  })

  it('goes by the adjustment only when it is newer than the latest submission', () => {
    const submission = { ...figures(100, 150, 300), submittedAt: at('2026-10-02T00:00:00Z') }
    const adjustment = { ...figures(80, 150, 300), submittedAt: at('2026-10-03T00:00:00Z') }
    expect(effectiveForecast(submission, adjustment)).toMatchObject({
      commit: 80,
      source: 'adjustment',
    })
    const resubmitted = { ...submission, commit: 120, submittedAt: at('2026-10-04T00:00:00Z') }
    expect(effectiveForecast(resubmitted, adjustment)).toMatchObject({
      commit: 120,
      source: 'submission',
    })
    expect(effectiveForecast(undefined, undefined)).toBeUndefined()
  })

  it('is 1 − WAPE per category over the periods with a submission, pooled', () => {
    // Hand-computed. Periods: (commit 100, best 150, pipeline 300; won 80),
    // (commit 200, best 250, pipeline 400; won 250), (no submission; won 999: left out),
    // (commit 50, best 60, pipeline 70; won 0).
    // commit: |100−80| + |200−250| + |50−0| = 120 over 330 won → 1 − 120/330 = 0.636363…
    // best case: 70 + 0 + 60 = 130 → 1 − 130/330; pipeline: 220 + 150 + 70 = 440 → 1 − 440/330.
    const result = submissionAccuracy([
      { submission: figures(100, 150, 300), actual: 80 },
      { submission: figures(200, 250, 400), actual: 250 },
      { submission: undefined, actual: 999 },
      { submission: figures(50, 60, 70), actual: 0 },
    ])
    expect(result.commit).toMatchObject({ periods: 3, forecast: 350, actual: 330, error: 120 })
    expect(result.commit.accuracy).toBeCloseTo(1 - 120 / 330, 12)
    expect(result.bestCase.accuracy).toBeCloseTo(1 - 130 / 330, 12)
    expect(result.pipeline.accuracy).toBeCloseTo(1 - 440 / 330, 12)
    expect(result.pipeline.forecast).toBe(770)
  })

  it('has no accuracy without a submitted period or without actuals', () => {
    expect(submissionAccuracy([{ submission: undefined, actual: 10 }]).commit).toEqual({
      accuracy: null,
      periods: 0,
      forecast: 0,
      actual: 0,
      error: 0,
    })
    expect(
      submissionAccuracy([{ submission: figures(10, 10, 10), actual: 0 }]).commit.accuracy,
    ).toBeNull()
  })
})
