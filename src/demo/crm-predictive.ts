import type { Kysely } from 'kysely'
import type { DB } from '../server/db/schema.ts'
import { trainModel } from '../server/predictive/train.ts'

/**
 * The predictive model (issue 10): trained on the demo's own history at `asOf`, exactly as the
 * weekly job would, so the model page shows a measured model at once. The planted truth it finds
 * (persona, company size and region drive conversion; see conversionPropensity in crm.ts) is one the
 * rule-based fit score only half knows, so the model beats it on the holdout. Scoring does not make
 * MQLs: the demo's past stays as it was generated.
 */
export async function plantPredictiveModel(
  db: Kysely<DB>,
  options: { workspaceId: string; asOf: Date },
) {
  const { report, scored } = await trainModel(db, options.workspaceId, options.asOf, {
    qualify: false,
  })
  return {
    predictiveLearner: report.chosen,
    predictiveAuc: Math.round(report.holdout.auc * 1000) / 1000,
    ruleScoreAuc:
      report.holdout.baselineAuc === null
        ? null
        : Math.round(report.holdout.baselineAuc * 1000) / 1000,
    predictiveScored: scored,
  }
}
