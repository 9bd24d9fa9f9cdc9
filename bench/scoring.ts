import type { BenchReport } from './report.ts'

/** Scores (issue 9): rescoring 100,000 contacts after a rule change, one contact after a touch. Placeholder. */
export async function benchScoring(): Promise<BenchReport> {
  return { name: 'scoring', metrics: [], notes: ['not built yet'] }
}
