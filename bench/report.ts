import { median } from './stats.ts'

export interface Target {
  op: '>=' | '<='
  value: number
}

/** One measured quantity: every run's value, their median and, when there is one, the goal. */
export interface Metric {
  name: string
  unit: string
  values: number[]
  median: number
  target?: Target
  digits: number
}

export interface BenchReport {
  name: string
  metrics: Metric[]
  notes: string[]
}

export function makeMetric(
  name: string,
  unit: string,
  values: number[],
  options: { target?: Target; digits?: number } = {},
): Metric {
  return {
    name,
    unit,
    values,
    median: median(values),
    target: options.target,
    digits: options.digits ?? 0,
  }
}

export function isMet(metric: Metric): boolean {
  const { target } = metric
  if (!target) return true
  return target.op === '>=' ? metric.median >= target.value : metric.median <= target.value
}

/** A compact table: one line per metric, median first, then the runs and the verdict. */
export function formatTable(reports: readonly BenchReport[]): string {
  const header = ['benchmark', 'metric', 'median', 'runs', 'target', '']
  const rows = reports.flatMap((report) =>
    report.metrics.map((metric) => {
      const show = (value: number) => value.toFixed(metric.digits)
      const unit = metric.unit ? ` ${metric.unit}` : ''
      return [
        report.name,
        metric.name,
        `${show(metric.median)}${unit}`,
        metric.values.map(show).join(' '),
        metric.target ? `${metric.target.op} ${show(metric.target.value)}${unit}` : '',
        metric.target ? (isMet(metric) ? 'ok' : 'MISSED') : '',
      ]
    }),
  )
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd()
  const notes = reports.flatMap((report) => report.notes.map((note) => `  ${report.name}: ${note}`))
  return [
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    ...notes,
  ].join('\n')
}
