import type { Frame } from './frame.ts'
import { loadGbm } from './gbm.ts'
import { loadLogistic } from './logistic.ts'

/** One feature's share of a row's margin, in log-odds units (positive pushes towards conversion). */
export interface Contribution {
  feature: string
  value: string | number | null
  contribution: number
}

/** What every learner gives once trained; frames must be encoded with the training schema. */
export interface TrainedModel {
  kind: 'logistic' | 'gbm'
  /** Log-odds per row. */
  margins(frame: Frame): Float64Array
  /** Σ contributions + bias = margin (±1e-9); one entry per feature, sorted by |contribution| desc. */
  explain(frame: Frame, row: number): { bias: number; contributions: Contribution[] }
  /** ≥ 0, sums to 1, descending. */
  importance(): { feature: string; importance: number }[]
  /** Plain JSON; loadModel(JSON.parse(JSON.stringify(m.toJSON()))) gives identical margins. */
  toJSON(): unknown
}

/** The raw value of a frame cell as shown next to a contribution (null when missing). */
export function cellValue(frame: Frame, feature: number, row: number): string | number | null {
  const column = frame.features[feature]
  if (!column) return null
  if (column.kind === 'numeric') {
    const value = column.values[row] ?? Number.NaN
    return Number.isNaN(value) ? null : value
  }
  const code = column.codes[row] ?? -1
  return code < 0 ? null : (column.levels[code] ?? null)
}

/** Rebuilds a model from its toJSON(), dispatching on its kind. */
export function loadModel(json: unknown): TrainedModel {
  const kind =
    typeof json === 'object' && json !== null ? (json as { kind?: unknown }).kind : undefined
  if (kind === 'logistic') return loadLogistic(json)
  if (kind === 'gbm') return loadGbm(json)
  throw new Error(`model: unknown kind ${JSON.stringify(kind)}`)
}
