import { applyPlatt, fitPlatt, type Platt } from './calibration.ts'
import type { Frame, FrameSchema } from './frame.ts'
import { subsetFrame } from './frame.ts'
import { trainGbm } from './gbm.ts'
import { trainLogistic } from './logistic.ts'
import { auc, brier, type CalibrationBin, calibrationBins, gains, logLoss } from './metrics.ts'
import { type Contribution, loadModel, type TrainedModel } from './model.ts'

/** A trained learner with its Platt calibration and the schema its frames must be encoded with. */
export interface CalibratedModel {
  learner: TrainedModel
  platt: Platt
  schema: FrameSchema
}

export interface LearnerReport {
  auc: number
  logLoss: number
  brier: number
}

export interface TrainingReport {
  chosen: 'logistic' | 'gbm'
  sizes: {
    train: number
    calibration: number
    holdout: number
    positives: number
    holdoutPositives: number
  }
  /** Measured on the holdout, calibrated. */
  learners: { logistic: LearnerReport; gbm: LearnerReport }
  holdout: {
    auc: number
    baselineAuc: number | null
    calibration: CalibrationBin[]
    gains: { share: number; model: number; baseline: number | null }[]
  }
  importance: { feature: string; importance: number }[]
}

/** Calibrated probabilities of every row of a frame encoded with the model's schema. */
export function probabilities(m: CalibratedModel, frame: Frame): Float64Array {
  const margins = m.learner.margins(frame)
  return margins.map((margin) => applyPlatt(m.platt, margin))
}

/**
 * The n features that move a row's log-odds most (largest |contribution|, sign kept); features that
 * do not move it at all are left out.
 */
export function topFactors(m: CalibratedModel, frame: Frame, row: number, n = 5): Contribution[] {
  return m.learner
    .explain(frame, row)
    .contributions.filter((c) => c.contribution !== 0)
    .slice(0, n)
}

interface CalibratedJson {
  version: 1
  learner: unknown
  platt: Platt
  schema: FrameSchema
}

/** Plain JSON of a calibrated model (loadCalibratedModel gives identical probabilities). */
export function serializeModel(m: CalibratedModel): unknown {
  const json: CalibratedJson = {
    version: 1,
    learner: m.learner.toJSON(),
    platt: { ...m.platt },
    schema: structuredClone(m.schema),
  }
  return json
}

/** Rebuilds a calibrated model from serializeModel's JSON. */
export function loadCalibratedModel(json: unknown): CalibratedModel {
  const data = json as Partial<CalibratedJson> | null
  if (
    data?.version !== 1 ||
    typeof data.platt?.a !== 'number' ||
    typeof data.platt.b !== 'number' ||
    !Array.isArray(data.schema?.features)
  ) {
    throw new Error('predictive model: malformed JSON')
  }
  return {
    learner: loadModel(data.learner),
    platt: { a: data.platt.a, b: data.platt.b },
    schema: structuredClone(data.schema),
  }
}

function range(from: number, to: number): Int32Array {
  return Int32Array.from({ length: to - from }, (_, i) => from + i)
}

function countPositives(y: Uint8Array): number {
  let n = 0
  for (let i = 0; i < y.length; i++) n += y[i] === 1 ? 1 : 0
  return n
}

function requireBothClasses(y: Uint8Array, what: string) {
  const positives = countPositives(y)
  if (y.length === 0) throw new Error(`the ${what} has no rows`)
  if (positives === 0) throw new Error(`the ${what} has no conversions: a model cannot be trained`)
  if (positives === y.length) {
    throw new Error(`the ${what} has only conversions: a model cannot be trained`)
  }
}

/**
 * Rows must be ordered oldest first. Time-ordered split: train = first 70 %, calibration = next
 * 10 %, holdout = newest 20 %. Both learners fit on train, Platt-calibrated on calibration and
 * measured on the holdout; the higher holdout AUC is chosen (logistic on a tie, being simpler).
 * `baseline` (e.g. each row's rule-based score) is measured on the same holdout. Throws Error with
 * a clear message when a split lacks a class.
 */
export function trainAndSelect(
  frame: Frame,
  schema: FrameSchema,
  y: Uint8Array,
  opts: { baseline?: ArrayLike<number>; seed?: number } = {},
): { model: CalibratedModel; report: TrainingReport } {
  const n = frame.rows
  if (y.length !== n) throw new Error(`labels: ${y.length}, expected ${n}`)
  if (opts.baseline && opts.baseline.length !== n) {
    throw new Error(`baseline: ${opts.baseline.length} values, expected ${n}`)
  }
  const trainEnd = Math.floor(n * 0.7)
  const calibrationEnd = Math.floor(n * 0.8)
  const parts = {
    train: range(0, trainEnd),
    calibration: range(trainEnd, calibrationEnd),
    holdout: range(calibrationEnd, n),
  }
  const labels = {
    train: y.slice(0, trainEnd),
    calibration: y.slice(trainEnd, calibrationEnd),
    holdout: y.slice(calibrationEnd, n),
  }
  requireBothClasses(labels.train, 'training set (oldest 70 % of the leads)')
  requireBothClasses(labels.calibration, 'calibration set (the next 10 % of the leads)')
  requireBothClasses(labels.holdout, 'holdout (newest 20 % of the leads)')
  const frames = {
    train: subsetFrame(frame, parts.train),
    calibration: subsetFrame(frame, parts.calibration),
    holdout: subsetFrame(frame, parts.holdout),
  }
  const learners = {
    logistic: trainLogistic(frames.train, labels.train),
    gbm: trainGbm(frames.train, labels.train, { seed: opts.seed ?? 42 }),
  }
  const measured = (learner: TrainedModel) => {
    const platt = fitPlatt(learner.margins(frames.calibration), labels.calibration)
    const model: CalibratedModel = { learner, platt, schema }
    const probs = probabilities(model, frames.holdout)
    const report: LearnerReport = {
      auc: auc(probs, labels.holdout),
      logLoss: logLoss(probs, labels.holdout),
      brier: brier(probs, labels.holdout),
    }
    return { model, probs, report }
  }
  const logistic = measured(learners.logistic)
  const gbm = measured(learners.gbm)
  const chosen = gbm.report.auc > logistic.report.auc ? 'gbm' : 'logistic'
  const best = chosen === 'gbm' ? gbm : logistic

  const baseline = opts.baseline
    ? Float64Array.from(parts.holdout, (i) => opts.baseline?.[i] as number)
    : null
  const modelGains = gains(best.probs, labels.holdout)
  const baselineGains = baseline ? gains(baseline, labels.holdout) : null
  const report: TrainingReport = {
    chosen,
    sizes: {
      train: trainEnd,
      calibration: calibrationEnd - trainEnd,
      holdout: n - calibrationEnd,
      positives: countPositives(y),
      holdoutPositives: countPositives(labels.holdout),
    },
    learners: { logistic: logistic.report, gbm: gbm.report },
    holdout: {
      auc: best.report.auc,
      baselineAuc: baseline ? auc(baseline, labels.holdout) : null,
      calibration: calibrationBins(best.probs, labels.holdout),
      gains: modelGains.map((point, g) => ({
        share: point.share,
        model: point.captured,
        baseline: baselineGains ? (baselineGains[g]?.captured ?? null) : null,
      })),
    },
    importance: best.model.learner.importance(),
  }
  return { model: best.model, report }
}
