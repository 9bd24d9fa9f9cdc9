import { describe, expect, it } from 'vitest'
import { benchmarkOf } from './benchmark.ts'

describe('benchmarkOf', () => {
  it('ranks a cost per MQL among its peers: cheaper than most is better', () => {
    const result = benchmarkOf('cost_per_mql', 9_000, [10_000, 12_000, 14_000, 16_000, null])
    expect(result).toEqual({
      metric: 'cost_per_mql',
      value: 9_000,
      peerMedian: 13_000,
      percentile: 0,
      peers: 4,
      verdict: 'better',
    })
  })

  it('calls a high cost per MQL worse and a middling one typical, ties counting half', () => {
    expect(benchmarkOf('cost_per_mql', 20_000, [10_000, 12_000, 14_000]).verdict).toBe('worse')
    const middle = benchmarkOf('cost_per_mql', 12_000, [10_000, 12_000, 14_000])
    expect(middle.percentile).toBe(50)
    expect(middle.verdict).toBe('typical')
  })

  it('reads acceptance rate and ROI the other way: higher is better', () => {
    expect(benchmarkOf('acceptance_rate', 0.9, [0.5, 0.6, 0.7, 0.8]).verdict).toBe('better')
    const roi = benchmarkOf('roi', -0.5, [0.2, 1.5, 3])
    expect(roi).toMatchObject({ percentile: 0, verdict: 'worse', peerMedian: 1.5 })
  })

  it('says so when there are fewer than 3 peers or no value of its own', () => {
    expect(benchmarkOf('roi', 1, [0.5, 2])).toMatchObject({
      verdict: 'too_few_peers',
      percentile: null,
      peers: 2,
      peerMedian: 1.25,
    })
    expect(benchmarkOf('roi', null, [1, 2, 3])).toMatchObject({ verdict: 'no_value', peers: 3 })
    expect(benchmarkOf('acceptance_rate', 0.5, [])).toMatchObject({
      verdict: 'too_few_peers',
      peerMedian: null,
    })
  })
})
