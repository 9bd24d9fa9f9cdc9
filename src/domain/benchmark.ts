/**
 * Benchmarks (issue 14; DEFINITIONS.md "Benchmark"): a campaign against similar past campaigns
 * (same channel and type, started before it) on cost per MQL, acceptance rate and ROI. Where it
 * stands is its percentile rank among the peers' values; better or worse means beyond the middle
 * half (better than 75% of peers, or worse than 75%); fewer than 3 peers are too few to say.
 */
import { median } from './decay.ts'

export type BenchmarkMetric = 'cost_per_mql' | 'acceptance_rate' | 'roi'

export const benchmarkMetrics: readonly BenchmarkMetric[] = [
  'cost_per_mql',
  'acceptance_rate',
  'roi',
]

/** Lower cost per MQL is better; higher acceptance rate and ROI are. */
const lowerIsBetter: Record<BenchmarkMetric, boolean> = {
  cost_per_mql: true,
  acceptance_rate: false,
  roi: false,
}

export type BenchmarkVerdict = 'better' | 'worse' | 'typical' | 'too_few_peers' | 'no_value'

export interface Benchmark {
  metric: BenchmarkMetric
  /** The campaign's own value; null when it has none (no MQLs, no decided handoffs, no cost). */
  value: number | null
  /** The median of the peers that have a value; null without any. */
  peerMedian: number | null
  /** Percent of peers with a lower value (ties count half), 0-100; null below 3 peers or without a value. */
  percentile: number | null
  /** Peers with a value. */
  peers: number
  verdict: BenchmarkVerdict
}

export const minimumPeers = 3

/** Where `value` stands among the peers' values (nulls are peers without a value: not counted). */
export function benchmarkOf(
  metric: BenchmarkMetric,
  value: number | null,
  peerValues: readonly (number | null)[],
): Benchmark {
  const values = peerValues.filter((v): v is number => v !== null && Number.isFinite(v))
  const peerMedian = values.length > 0 ? median(values) : null
  const base = { metric, value, peerMedian, peers: values.length }
  if (value === null) return { ...base, percentile: null, verdict: 'no_value' }
  if (values.length < minimumPeers) return { ...base, percentile: null, verdict: 'too_few_peers' }
  const below = values.filter((v) => v < value).length
  const ties = values.filter((v) => v === value).length
  const percentile = (100 * (below + ties / 2)) / values.length
  // The share of peers this campaign does better than, in the metric's good direction.
  const beats = lowerIsBetter[metric] ? 100 - percentile : percentile
  const verdict: BenchmarkVerdict = beats >= 75 ? 'better' : beats <= 25 ? 'worse' : 'typical'
  return { ...base, percentile: Math.round(percentile * 10) / 10, verdict }
}
