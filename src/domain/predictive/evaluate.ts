import { readCsvColumns } from '../csv-columns.ts'
import { encodeFrame, type FrameSchema, inferFrame, type RawColumn } from './frame.ts'
import { trainGbm } from './gbm.ts'
import { trainLogistic } from './logistic.ts'
import { auc } from './metrics.ts'

/**
 * The offline evaluator behind `tandem model evaluate`: reads any CSV, infers column kinds from the
 * training rows, fits both learners on the training rows and measures their AUC on the test rows.
 */

export interface EvaluateOptions {
  target: string
  /** The target value that counts as positive (case-insensitive); default any of 1, yes, true. */
  positive?: string
  /** Field delimiter (default ","). */
  sep?: string
  /** Columns left out (e.g. ones that leak the outcome). */
  drop?: string[]
  /** Extra tokens that mean missing, besides empty cells. */
  missing?: string[]
  /** mod5: data row i (0-based, header excluded) is a test row iff i % 5 == 4. */
  split: 'mod5'
}

export interface Evaluation {
  rows: number
  train: number
  test: number
  positives: number
  testPositives: number
  models: { logistic: { auc: number }; gbm: { auc: number } }
}

function labelOf(value: string, positive: string | undefined, missing: ReadonlySet<string>) {
  const text = value.trim()
  if (text === '' || missing.has(text)) return -1
  const lower = text.toLowerCase()
  if (positive !== undefined) return lower === positive.trim().toLowerCase() ? 1 : 0
  return lower === '1' || lower === 'yes' || lower === 'true' ? 1 : 0
}

/** Evaluates both learners on a CSV; throws Error with a clear message for bad input. */
export async function evaluateCsv(
  path: string,
  opts: EvaluateOptions,
  onWarning: (message: string) => void = () => {},
): Promise<Evaluation> {
  if (opts.split !== 'mod5') throw new Error(`--split: only mod5 is supported`)
  const table = await readCsvColumns(path, opts.sep)
  const missing = new Set((opts.missing ?? []).map((token) => token.trim()))
  const targetIndex = table.header.indexOf(opts.target)
  if (targetIndex < 0) {
    const only = table.header.length === 1 ? (table.header[0] ?? '') : ''
    const other = [',', ';', '\t', '|'].find((d) => d !== (opts.sep ?? ',') && only.includes(d))
    throw new Error(
      `target column "${opts.target}" not found; the columns are: ${table.header.join(', ')}${
        other ? ` (the header contains "${other === '\t' ? '\\t' : other}": try --sep)` : ''
      }`,
    )
  }
  const drop = new Set(opts.drop ?? [])
  for (const name of drop) {
    if (!table.header.includes(name)) {
      throw new Error(`--drop: no column "${name}"; the columns are: ${table.header.join(', ')}`)
    }
  }
  if (table.rows === 0) throw new Error(`${path}: no data rows`)
  if (table.shortRows > 0) {
    onWarning(`${table.shortRows} row(s) had fewer cells than the header: the rest are missing`)
  }

  const targetValues = table.columns[targetIndex] as string[]
  const trainRows: number[] = []
  const testRows: number[] = []
  const labels = new Int8Array(table.rows)
  let unlabelled = 0
  for (let i = 0; i < table.rows; i++) {
    const label = labelOf(targetValues[i] ?? '', opts.positive, missing)
    labels[i] = label
    if (label < 0) {
      unlabelled++
      continue
    }
    ;(i % 5 === 4 ? testRows : trainRows).push(i)
  }
  if (unlabelled > 0) onWarning(`${unlabelled} row(s) without a target value left out`)
  const count = (rows: number[]) => rows.reduce((n, i) => n + (labels[i] === 1 ? 1 : 0), 0)
  const trainPositives = count(trainRows)
  const testPositives = count(testRows)
  const positives = trainPositives + testPositives
  const labelled = trainRows.length + testRows.length
  if (labelled === 0) throw new Error(`target column "${opts.target}": no row has a value`)
  if (positives === 0 || positives === labelled) {
    const seen = [...new Set(targetValues.map((v) => v.trim()).filter((v) => v !== ''))]
    const which = positives === 0 ? 'positive' : 'negative'
    throw new Error(
      `target column "${opts.target}": only one class (no ${which} row; values seen: ${seen
        .slice(0, 10)
        .join(', ')}${
        opts.positive === undefined ? '; positive values are 1, yes, true unless --positive' : ''
      })`,
    )
  }
  if (testRows.length === 0) {
    throw new Error(
      `only ${labelled} row(s) with a target: mod5 needs at least 5 to have a test row`,
    )
  }
  if (trainPositives === 0 || trainPositives === trainRows.length) {
    throw new Error('the training rows have only one class: not enough rows to evaluate')
  }
  if (testPositives === 0 || testPositives === testRows.length) {
    throw new Error('the test rows have only one class: not enough rows to evaluate')
  }

  const pick = (values: string[], rows: number[]) => rows.map((i) => values[i] as string)
  const features = table.header
    .map((name, index) => ({ name, index }))
    .filter(({ name, index }) => index !== targetIndex && !drop.has(name))
  if (features.length === 0) throw new Error('no feature columns left besides the target')
  const trainColumns: RawColumn[] = features.map(({ name, index }) => ({
    name,
    values: pick(table.columns[index] as string[], trainRows),
  }))
  const inferred = inferFrame(trainColumns, { missing: opts.missing })
  for (const { name, reason } of inferred.dropped) onWarning(`column ${name} left out: ${reason}`)
  for (const warning of inferred.warnings) onWarning(warning)
  if (inferred.frame.features.length === 0) {
    throw new Error('no usable feature column (all are missing or constant in the training rows)')
  }
  const schema: FrameSchema = inferred.schema
  const testColumns: RawColumn[] = features.map(({ name, index }) => ({
    name,
    values: pick(table.columns[index] as string[], testRows),
  }))
  const testFrame = encodeFrame(schema, testColumns, testRows.length, { missing: opts.missing })
  const yTrain = Uint8Array.from(trainRows, (i) => labels[i] as number)
  const yTest = Uint8Array.from(testRows, (i) => labels[i] as number)

  const logistic = trainLogistic(inferred.frame, yTrain)
  const gbm = trainGbm(inferred.frame, yTrain)
  return {
    rows: labelled,
    train: trainRows.length,
    test: testRows.length,
    positives,
    testPositives,
    models: {
      logistic: { auc: auc(logistic.margins(testFrame), yTest) },
      gbm: { auc: auc(gbm.margins(testFrame), yTest) },
    },
  }
}
