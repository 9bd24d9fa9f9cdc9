/**
 * The one data representation every learner takes: a column-oriented frame of numeric features
 * (Float64Array, NaN = missing) and categorical features (Int32Array codes into `levels`, −1 = missing).
 */

export type Feature =
  | { name: string; kind: 'numeric'; values: Float64Array }
  | { name: string; kind: 'categorical'; codes: Int32Array; levels: string[] }

export interface Frame {
  rows: number
  features: Feature[]
}

export type FeatureSpec =
  | { name: string; kind: 'numeric' }
  | { name: string; kind: 'categorical'; levels: string[] }

export interface FrameSchema {
  features: FeatureSpec[]
}

export type RawValue = string | number | boolean | null | undefined

export interface RawColumn {
  name: string
  values: RawValue[]
}

/** The level every category beyond the `maxLevels` most frequent is folded into. */
export const otherLevel = '(other)'

const numberPattern = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

/** A raw value as a finite number, or NaN (text that is not a plain decimal number, booleans…). */
export function parseNumber(value: RawValue): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN
  if (typeof value !== 'string') return Number.NaN
  const text = value.trim()
  if (!numberPattern.test(text)) return Number.NaN
  const parsed = Number(text)
  return Number.isFinite(parsed) ? parsed : Number.NaN
}

function isMissing(value: RawValue, missing: ReadonlySet<string>): boolean {
  if (value === null || value === undefined) return true
  if (typeof value === 'number') return Number.isNaN(value)
  if (typeof value === 'boolean') return false
  const text = value.trim()
  return text === '' || missing.has(text)
}

function asText(value: RawValue): string {
  return typeof value === 'string' ? value.trim() : String(value)
}

function checkLengths(columns: readonly RawColumn[], rows: number) {
  for (const column of columns) {
    if (column.values.length < rows) {
      throw new Error(`column ${column.name}: ${column.values.length} values, expected ${rows}`)
    }
  }
}

/**
 * Training: infers each column's kind — numeric when ≥ 95 % of its non-missing values parse as finite
 * numbers (the rest become missing, counted in a warning), else categorical with the `maxLevels`
 * (default 100) most frequent levels and the rest folded into "(other)". Columns that are all missing
 * or constant (one value in every row, missing counting as a value) are dropped and reported.
 */
export function inferFrame(
  columns: RawColumn[],
  opts: { maxLevels?: number; missing?: string[] } = {},
): {
  frame: Frame
  schema: FrameSchema
  dropped: { name: string; reason: string }[]
  warnings: string[]
} {
  const maxLevels = opts.maxLevels ?? 100
  if (!Number.isInteger(maxLevels) || maxLevels < 1) throw new Error('maxLevels: at least 1')
  const missing = new Set((opts.missing ?? []).map((token) => token.trim()))
  const rows = columns[0]?.values.length ?? 0
  checkLengths(columns, rows)
  const features: Feature[] = []
  const specs: FeatureSpec[] = []
  const dropped: { name: string; reason: string }[] = []
  const warnings: string[] = []
  const seen = new Set<string>()

  for (const column of columns) {
    if (seen.has(column.name)) throw new Error(`column ${column.name}: appears twice`)
    seen.add(column.name)
    let present = 0
    let numeric = 0
    const numbers = new Float64Array(rows)
    for (let i = 0; i < rows; i++) {
      const value = column.values[i]
      if (isMissing(value, missing)) {
        numbers[i] = Number.NaN
        continue
      }
      present++
      const parsed = parseNumber(value)
      numbers[i] = parsed
      if (!Number.isNaN(parsed)) numeric++
    }
    if (present === 0) {
      dropped.push({ name: column.name, reason: 'all values missing' })
      continue
    }
    if (numeric >= 0.95 * present) {
      const junk = present - numeric
      if (junk > 0) {
        const example = column.values.find(
          (value) => !isMissing(value, missing) && Number.isNaN(parseNumber(value)),
        )
        warnings.push(
          `column ${column.name}: ${junk} value(s) that are not numbers (e.g. ${JSON.stringify(
            asText(example ?? ''),
          )}) treated as missing`,
        )
      }
      if (isConstantNumeric(numbers)) {
        dropped.push({ name: column.name, reason: 'constant' })
        continue
      }
      features.push({ name: column.name, kind: 'numeric', values: numbers })
      specs.push({ name: column.name, kind: 'numeric' })
      continue
    }
    const counts = new Map<string, number>()
    for (let i = 0; i < rows; i++) {
      const value = column.values[i]
      if (isMissing(value, missing)) continue
      const text = asText(value)
      counts.set(text, (counts.get(text) ?? 0) + 1)
    }
    if (counts.size === 1 && present === rows) {
      dropped.push({ name: column.name, reason: 'constant' })
      continue
    }
    // Most frequent first; ties by name so that the schema does not depend on row order.
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    const levels = ranked.slice(0, maxLevels).map(([level]) => level)
    if (ranked.length > maxLevels) {
      if (!levels.includes(otherLevel)) levels.push(otherLevel)
      warnings.push(
        `column ${column.name}: ${ranked.length} categories; the ${maxLevels} most frequent kept, the rest grouped as "${otherLevel}"`,
      )
    }
    const spec: FeatureSpec = { name: column.name, kind: 'categorical', levels }
    specs.push(spec)
    features.push(encodeCategorical(spec, column.values, rows, missing))
  }
  return { frame: { rows, features }, schema: { features: specs }, dropped, warnings }
}

function isConstantNumeric(values: Float64Array): boolean {
  const first = values[0] ?? Number.NaN
  for (let i = 1; i < values.length; i++) {
    const value = values[i] ?? Number.NaN
    if (Number.isNaN(first) ? !Number.isNaN(value) : value !== first) return false
  }
  return true
}

function encodeCategorical(
  spec: { name: string; levels: string[] },
  values: readonly RawValue[],
  rows: number,
  missing: ReadonlySet<string>,
): Feature {
  const index = new Map(spec.levels.map((level, code) => [level, code]))
  const other = index.get(otherLevel) ?? -1
  const codes = new Int32Array(rows)
  for (let i = 0; i < rows; i++) {
    const value = values[i]
    codes[i] = isMissing(value, missing) ? -1 : (index.get(asText(value)) ?? other)
  }
  return { name: spec.name, kind: 'categorical', codes, levels: spec.levels }
}

/**
 * Scoring: encodes raw columns with a trained schema, features in schema order. An unknown level
 * becomes "(other)" when the schema has it, else missing; a schema column absent from `columns` is
 * all missing; text in a numeric column is missing.
 */
export function encodeFrame(
  schema: FrameSchema,
  columns: RawColumn[],
  rows: number,
  opts: { missing?: string[] } = {},
): Frame {
  const missing = new Set((opts.missing ?? []).map((token) => token.trim()))
  const byName = new Map(columns.map((column) => [column.name, column]))
  checkLengths(columns, rows)
  const features = schema.features.map((spec): Feature => {
    const values = byName.get(spec.name)?.values ?? []
    if (spec.kind === 'categorical') return encodeCategorical(spec, values, rows, missing)
    const numbers = new Float64Array(rows)
    for (let i = 0; i < rows; i++) {
      const value = values[i]
      numbers[i] = isMissing(value, missing) ? Number.NaN : parseNumber(value)
    }
    return { name: spec.name, kind: 'numeric', values: numbers }
  })
  return { rows, features }
}

/** The rows of a frame at the given indices (in that order), as a new frame. */
export function subsetFrame(frame: Frame, rows: ArrayLike<number>): Frame {
  const n = rows.length
  const features = frame.features.map((feature): Feature => {
    if (feature.kind === 'numeric') {
      const values = new Float64Array(n)
      for (let i = 0; i < n; i++) values[i] = feature.values[rows[i] as number] as number
      return { name: feature.name, kind: 'numeric', values }
    }
    const codes = new Int32Array(n)
    for (let i = 0; i < n; i++) codes[i] = feature.codes[rows[i] as number] as number
    return { name: feature.name, kind: 'categorical', codes, levels: feature.levels }
  })
  return { rows: n, features }
}

/** The schema a frame was encoded with (the levels of each categorical feature). */
export function schemaOf(frame: Frame): FrameSchema {
  return {
    features: frame.features.map(
      (feature): FeatureSpec =>
        feature.kind === 'numeric'
          ? { name: feature.name, kind: 'numeric' }
          : { name: feature.name, kind: 'categorical', levels: feature.levels },
    ),
  }
}
