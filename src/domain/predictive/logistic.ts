import { type Frame, otherLevel } from './frame.ts'
import { type Design, fitWeights } from './logistic-fit.ts'
import { type Contribution, cellValue, type TrainedModel } from './model.ts'

/**
 * L2-regularised logistic regression, as scikit-learn fits it (penalty ½‖w‖²/C, intercept free):
 * numerics standardised with the training mean and standard deviation (missing → the mean, plus a
 * missing indicator when the training rows had missing values), categoricals one-hot over every level
 * (and a missing column when the training rows had missing values). Fitted by L-BFGS on the full data.
 */

type Term =
  | {
      name: string
      kind: 'numeric'
      mean: number
      sd: number
      /** Weight of the standardised value; 0 when the column was constant (sd 0). */
      weight: number
      /** Weight of the missing indicator; null when no training row was missing. */
      missingWeight: number | null
    }
  | {
      name: string
      kind: 'categorical'
      levels: string[]
      weights: number[]
      missingWeight: number | null
    }

interface LogisticJson {
  kind: 'logistic'
  version: 1
  intercept: number
  terms: Term[]
  importance: { feature: string; importance: number }[]
}

export interface LogisticOptions {
  /** Inverse regularisation strength (default 1, like scikit-learn). */
  C?: number
  /** L-BFGS iterations at most (default 500). */
  maxIter?: number
  /** Stop when the largest gradient component of the mean objective is below this (default 1e-6). */
  tol?: number
}

/** Where each term's parameters sit in the parameter vector. */
interface Layout {
  dense: { term: number; missing: boolean }[]
  /** Per categorical term: the parameter index of its level 0, and of its missing column (or −1). */
  oneHot: { term: number; offset: number; missing: number }[]
}

function buildTerms(frame: Frame): Term[] {
  return frame.features.map((feature): Term => {
    if (feature.kind === 'categorical') {
      let hasMissing = false
      for (let i = 0; i < frame.rows; i++) if ((feature.codes[i] ?? -1) < 0) hasMissing = true
      return {
        name: feature.name,
        kind: 'categorical',
        levels: [...feature.levels],
        weights: feature.levels.map(() => 0),
        missingWeight: hasMissing ? 0 : null,
      }
    }
    // Running mean and variance (Welford), which do not overflow on huge values.
    let count = 0
    let mean = 0
    let squares = 0
    for (let i = 0; i < frame.rows; i++) {
      const value = feature.values[i] ?? Number.NaN
      if (Number.isNaN(value)) continue
      count++
      const delta = value - mean
      mean += delta / count
      squares += delta * (value - mean)
    }
    let sd = count > 0 ? Math.sqrt(squares / count) : 0
    if (!Number.isFinite(mean) || !Number.isFinite(sd)) {
      mean = 0
      sd = 0
    }
    return {
      name: feature.name,
      kind: 'numeric',
      mean,
      sd: sd > 1e-12 * Math.max(1, Math.abs(mean)) ? sd : 0,
      weight: 0,
      missingWeight: count < frame.rows ? 0 : null,
    }
  })
}

function layoutOf(terms: readonly Term[]): { layout: Layout; size: number } {
  const layout: Layout = { dense: [], oneHot: [] }
  let size = 1
  terms.forEach((term, index) => {
    if (term.kind === 'numeric') {
      if (term.sd > 0) layout.dense.push({ term: index, missing: false })
      if (term.missingWeight !== null) layout.dense.push({ term: index, missing: true })
    }
  })
  size += layout.dense.length
  terms.forEach((term, index) => {
    if (term.kind !== 'categorical') return
    const offset = size
    size += term.levels.length
    const missing = term.missingWeight !== null ? size++ : -1
    layout.oneHot.push({ term: index, offset, missing })
  })
  return { layout, size }
}

/** Finds each term's feature in the frame by name (−1 when absent: every row missing). */
function matchFeatures(terms: readonly Term[], frame: Frame): number[] {
  const byName = new Map(frame.features.map((feature, index) => [feature.name, index]))
  return terms.map((term) => {
    const index = byName.get(term.name)
    if (index === undefined) return -1
    if (frame.features[index]?.kind !== term.kind) {
      throw new Error(`feature ${term.name}: expected ${term.kind}`)
    }
    return index
  })
}

/** Maps the frame's codes of a categorical to the term's level indices (by level name). */
function levelMap(termLevels: readonly string[], frameLevels: readonly string[]): Int32Array {
  const index = new Map(termLevels.map((level, code) => [level, code]))
  const other = index.get(otherLevel) ?? -1
  return Int32Array.from(frameLevels, (level) => index.get(level) ?? other)
}

function buildDesign(terms: readonly Term[], frame: Frame): { design: Design; layout: Layout } {
  const { layout, size } = layoutOf(terms)
  const matched = matchFeatures(terms, frame)
  const rows = frame.rows
  const dense = layout.dense.map(({ term: t, missing }) => {
    const term = terms[t] as Extract<Term, { kind: 'numeric' }>
    const feature = frame.features[matched[t] ?? -1]
    const column = new Float64Array(rows)
    for (let i = 0; i < rows; i++) {
      const value = feature?.kind === 'numeric' ? (feature.values[i] ?? Number.NaN) : Number.NaN
      if (missing) column[i] = Number.isNaN(value) ? 1 : 0
      else column[i] = Number.isNaN(value) ? 0 : (value - term.mean) / term.sd
    }
    return column
  })
  const sparse = layout.oneHot.map(({ term: t, offset, missing }) => {
    const term = terms[t] as Extract<Term, { kind: 'categorical' }>
    const feature = frame.features[matched[t] ?? -1]
    const column = new Int32Array(rows)
    if (feature?.kind !== 'categorical') {
      column.fill(missing)
      return column
    }
    const map = levelMap(term.levels, feature.levels)
    for (let i = 0; i < rows; i++) {
      const code = feature.codes[i] ?? -1
      const level = code < 0 ? -1 : (map[code] ?? -1)
      column[i] = level < 0 ? missing : offset + level
    }
    return column
  })
  // Each categorical's one-hot parameters that have rows (see logistic-fit.ts, centre).
  const counts = new Int32Array(size)
  for (const column of sparse) for (const p of column) if (p >= 0) counts[p] = (counts[p] ?? 0) + 1
  const groups = layout.oneHot.map(({ offset, missing }, k) => {
    const end = missing >= 0 ? missing + 1 : (layout.oneHot[k + 1]?.offset ?? size)
    const members: number[] = []
    for (let p = offset; p < end; p++) if ((counts[p] ?? 0) > 0) members.push(p)
    return Int32Array.from(members)
  })
  return { design: { rows, dense, sparse, size, groups }, layout }
}

/** Fits the logistic regression on a frame and 0/1 labels; throws when a class is absent. */
export function trainLogistic(
  frame: Frame,
  y: Uint8Array,
  opts: LogisticOptions = {},
): TrainedModel {
  const C = opts.C ?? 1
  if (!(C > 0)) throw new Error('C: a positive number')
  if (y.length !== frame.rows) throw new Error(`labels: ${y.length}, expected ${frame.rows}`)
  let positives = 0
  for (let i = 0; i < y.length; i++) positives += y[i] === 1 ? 1 : 0
  if (positives === 0 || positives === y.length) {
    throw new Error('logistic regression needs both classes among the training rows')
  }
  const terms = buildTerms(frame)
  const { design, layout } = buildDesign(terms, frame)
  const theta = fitWeights(design, y, {
    C,
    maxIter: opts.maxIter ?? 200,
    tol: opts.tol ?? 1e-8,
  })
  layout.dense.forEach(({ term: t, missing }, j) => {
    const term = terms[t] as Extract<Term, { kind: 'numeric' }>
    if (missing) term.missingWeight = theta[1 + j] as number
    else term.weight = theta[1 + j] as number
  })
  for (const { term: t, offset, missing } of layout.oneHot) {
    const term = terms[t] as Extract<Term, { kind: 'categorical' }>
    term.weights = term.levels.map((_, level) => theta[offset + level] as number)
    if (missing >= 0) term.missingWeight = theta[missing] as number
  }
  const intercept = theta[0] as number
  const model = new LogisticModel(intercept, terms, [])
  return new LogisticModel(intercept, terms, model.measureImportance(frame))
}

/** Rebuilds a logistic model from its toJSON(). */
export function loadLogistic(json: unknown): TrainedModel {
  const data = json as Partial<LogisticJson> | null
  if (data?.kind !== 'logistic' || !Array.isArray(data.terms)) {
    throw new Error('logistic model: malformed JSON')
  }
  return new LogisticModel(
    Number(data.intercept),
    structuredClone(data.terms),
    structuredClone(data.importance ?? []),
  )
}

class LogisticModel implements TrainedModel {
  readonly kind = 'logistic'

  constructor(
    private readonly intercept: number,
    private readonly terms: Term[],
    private readonly shares: { feature: string; importance: number }[],
  ) {}

  /** Per frame (explain is called row by row): each term's feature index and level map. */
  private readonly bindings = new WeakMap<
    Frame,
    { matched: number[]; maps: (Int32Array | undefined)[] }
  >()

  private bind(frame: Frame) {
    let binding = this.bindings.get(frame)
    if (!binding) {
      const matched = matchFeatures(this.terms, frame)
      const maps = this.terms.map((term, t) => {
        const feature = frame.features[matched[t] ?? -1]
        return term.kind === 'categorical' && feature?.kind === 'categorical'
          ? levelMap(term.levels, feature.levels)
          : undefined
      })
      binding = { matched, maps }
      this.bindings.set(frame, binding)
    }
    return binding
  }

  /** Each term's contribution per row (rows × terms, row-major). */
  private contributions(frame: Frame, from = 0, to = frame.rows): Float64Array {
    const { matched, maps } = this.bind(frame)
    const width = this.terms.length
    const out = new Float64Array((to - from) * width)
    this.terms.forEach((term, t) => {
      const feature = frame.features[matched[t] ?? -1]
      if (term.kind === 'numeric') {
        const values = feature?.kind === 'numeric' ? feature.values : undefined
        for (let i = from; i < to; i++) {
          const value = values ? (values[i] ?? Number.NaN) : Number.NaN
          out[(i - from) * width + t] = Number.isNaN(value)
            ? (term.missingWeight ?? 0)
            : term.sd > 0
              ? (term.weight * (value - term.mean)) / term.sd
              : 0
        }
        return
      }
      const codes = feature?.kind === 'categorical' ? feature.codes : undefined
      const map = maps[t]
      for (let i = from; i < to; i++) {
        const code = codes ? (codes[i] ?? -1) : -1
        const level = code < 0 || !map ? -1 : (map[code] ?? -1)
        out[(i - from) * width + t] =
          level < 0 ? (term.missingWeight ?? 0) : (term.weights[level] ?? 0)
      }
    })
    return out
  }

  margins(frame: Frame): Float64Array {
    const width = this.terms.length
    const parts = this.contributions(frame)
    const out = new Float64Array(frame.rows)
    for (let i = 0; i < frame.rows; i++) {
      let m = this.intercept
      for (let t = 0; t < width; t++) m += parts[i * width + t] as number
      out[i] = m
    }
    return out
  }

  explain(frame: Frame, row: number): { bias: number; contributions: Contribution[] } {
    if (!(row >= 0 && row < frame.rows)) throw new Error(`row ${row}: out of range`)
    const parts = this.contributions(frame, row, row + 1)
    const { matched } = this.bind(frame)
    const contributions = this.terms.map((term, t) => ({
      feature: term.name,
      value: (matched[t] ?? -1) < 0 ? null : cellValue(frame, matched[t] as number, row),
      contribution: parts[t] as number,
    }))
    contributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    return { bias: this.intercept, contributions }
  }

  /** Mean |contribution| of each feature over the frame's rows, normalised to sum 1. */
  measureImportance(frame: Frame): { feature: string; importance: number }[] {
    const width = this.terms.length
    const totals = new Float64Array(width)
    const chunk = 4096
    for (let from = 0; from < frame.rows; from += chunk) {
      const to = Math.min(frame.rows, from + chunk)
      const parts = this.contributions(frame, from, to)
      for (let k = 0; k < parts.length; k++) {
        totals[k % width] = (totals[k % width] as number) + Math.abs(parts[k] as number)
      }
    }
    const sum = totals.reduce((a, b) => a + b, 0)
    return this.terms
      .map((term, t) => ({
        feature: term.name,
        importance: sum > 0 ? (totals[t] as number) / sum : 1 / width,
      }))
      .sort((a, b) => b.importance - a.importance)
  }

  importance(): { feature: string; importance: number }[] {
    return this.shares.map((share) => ({ ...share }))
  }

  toJSON(): LogisticJson {
    return {
      kind: 'logistic',
      version: 1,
      intercept: this.intercept,
      terms: structuredClone(this.terms),
      importance: this.importance(),
    }
  }
}
