import type { BenchReport } from './report.ts'

/** Predictive model (issue 10): the bank evaluation end to end and scoring throughput (placeholder). */
export async function benchModel(): Promise<BenchReport> {
  return { name: 'model', metrics: [], notes: ['not built yet'] }
}
