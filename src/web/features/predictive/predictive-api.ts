import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { getData, patchData, postData } from '../../api/client.ts'
import { type MqlRules, mqlRulesKey } from '../mql/mql-api.ts'

/** One learner measured on the holdout, calibrated (src/domain/predictive/select.ts). */
export interface LearnerReport {
  auc: number
  logLoss: number
  brier: number
}

/** Holdout leads whose predicted probability falls in [lower, upper). */
export interface CalibrationBin {
  lower: number
  upper: number
  /** Mean predicted probability of the bin. */
  predicted: number
  /** Share of the bin's leads that converted. */
  observed: number
  count: number
}

/** Cumulative share of conversions captured in the top `share` of holdout leads. */
export interface GainsPoint {
  share: number
  model: number
  baseline: number | null
}

export type Learner = 'logistic' | 'gbm'
export type TrainingStatus = 'idle' | 'queued' | 'running' | 'failed'

/** The trained model of GET /api/v1/predictive/model. */
export interface PredictiveModel {
  id: string
  trainedAt: string
  learner: Learner
  /** Lead-creation dates covered, YYYY-MM-DD. */
  leadsFrom: string
  leadsTo: string
  sizes: {
    train: number
    calibration: number
    holdout: number
    positives: number
    holdoutPositives: number
  }
  learners: Record<Learner, LearnerReport>
  holdout: {
    auc: number
    /** The rule-based score (fit + engagement at lead creation) on the same holdout. */
    baselineAuc: number | null
    calibration: CalibrationBin[]
    gains: GainsPoint[]
  }
  importance: { feature: string; label: string; importance: number }[]
  /** Contacts with a predictive score. */
  scored: number
}

/** GET /api/v1/predictive/model. */
export interface PredictiveModelState {
  eligibility: {
    /** Leads created in the last 200 days. */
    leads: number
    /** Contacts that became customers in the last 200 days. */
    conversions: number
    minLeads: number
    minConversions: number
    eligible: boolean
  }
  inCharge: boolean
  predictiveMin: number
  training: { status: TrainingStatus; error: string | null; startedAt: string | null }
  model: PredictiveModel | null
}

export const predictiveModelKey = ['predictive', 'model'] as const

export const learnerLabels: Record<Learner, string> = {
  logistic: 'Logistic regression',
  gbm: 'Gradient-boosted trees',
}

export function isTraining(state: PredictiveModelState | undefined): boolean {
  return state?.training.status === 'queued' || state?.training.status === 'running'
}

export function usePredictiveModel() {
  return useQuery({
    queryKey: predictiveModelKey,
    queryFn: () => getData<PredictiveModelState>('/api/v1/predictive/model'),
    // While a training is queued or running, watch it finish.
    refetchInterval: (query) => (isTraining(query.state.data) ? 2_000 : false),
  })
}

/** Queues a training now; the answer (202) is the new state, polled until it settles. */
export function useRetrain() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => postData<PredictiveModelState>('/api/v1/predictive/model/retrain', {}),
    onSuccess: (state) => queryClient.setQueryData(predictiveModelKey, state),
  })
}

export interface PredictiveRulesInput {
  predictiveInCharge: boolean
  predictiveMin: number
}

/** Puts the model in charge of MQLs (or the rules back) through PATCH /api/v1/mql/rules. */
export function useSetPredictiveRules() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: PredictiveRulesInput) => patchData<MqlRules>('/api/v1/mql/rules', input),
    onSuccess: async (rules) => {
      queryClient.setQueryData(mqlRulesKey, rules)
      await queryClient.invalidateQueries({ queryKey: predictiveModelKey })
    },
  })
}

/** "0.81": an AUC with two decimals, or "—" when it could not be measured. */
export function formatAuc(auc: number | null): string {
  return auc === null || !Number.isFinite(auc) ? '—' : auc.toFixed(2)
}

/** "81%" of a 0-1 share, whole percent ("0.4%" under 1%). */
export function formatPercent(share: number): string {
  const percent = share * 100
  return percent > 0 && percent < 1 ? `${percent.toFixed(1)}%` : `${Math.round(percent)}%`
}

/** "0.123": a log loss or Brier score. */
export function formatLoss(value: number): string {
  return Number.isFinite(value) ? value.toFixed(3) : '—'
}
