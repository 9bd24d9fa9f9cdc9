import { type Command, InvalidArgumentError } from 'commander'
import { backtestEts, type EtsResult, fitEts } from '../domain/ets/index.ts'
import { readSeries, type Series } from './forecast-series.ts'

interface ForecastFlags {
  dateCol?: string
  valueCol?: string
  horizon: number
  holdout?: number
  season?: number
  json: boolean
}

type Forecast = EtsResult & { holdout: { rmse: number; mape: number | null } | null }

function wholeNumber(min: number) {
  return (value: string): number => {
    const n = Number(value)
    if (!/^\d+$/.test(value.trim()) || n < min)
      throw new InvalidArgumentError(`a whole number ≥ ${min}`)
    return n
  }
}

function parseColumn(value: string): string {
  const name = value.trim()
  if (name === '') throw new InvalidArgumentError('a column name')
  return name
}

/** The JSON of the issue: the model, the forecast and its bounds, the holdout's errors (or null). */
export function toJson(result: Forecast) {
  return {
    model: result.model,
    forecast: result.forecast,
    lower80: result.lower80,
    upper80: result.upper80,
    lower95: result.lower95,
    upper95: result.upper95,
    holdout: result.holdout,
  }
}

const fixed = (digits: number) => (value: number) =>
  value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })

/** The table printed without --json: one row per forecast period. */
export function formatForecast(series: Series, fitted: number, result: Forecast): string {
  const number = fixed(Math.max(...series.values.map(Math.abs)) >= 100 ? 1 : 3)
  const lines = [
    `${result.model}, season ${result.season}, fitted on ${fitted} ${series.frequency} points of ${series.valueColumn}`,
  ]
  if (result.holdout) {
    const mape =
      result.holdout.mape === null ? 'n/a (an actual is 0)' : `${result.holdout.mape.toFixed(2)}%`
    lines.push(
      `holdout of ${series.values.length - fitted}: RMSE ${number(result.holdout.rmse)}, MAPE ${mape}`,
    )
  }
  const rows = result.forecast.map((f, h) => [
    series.labelAfter(h + 1 - (series.values.length - fitted)),
    number(f),
    `${number(result.lower80[h] as number)} – ${number(result.upper80[h] as number)}`,
    `${number(result.lower95[h] as number)} – ${number(result.upper95[h] as number)}`,
  ])
  const head = ['period', 'forecast', '80% interval', '95% interval']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)))
  const row = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ')
  lines.push('', row(head), ...rows.map(row))
  return `${lines.join('\n')}\n`
}

/** `tandem forecast`: the long-range forecast (ETS) of any dated series (docs/long-range-forecast.md). */
export function registerForecastCommand(program: Command) {
  program
    .command('forecast')
    .description(
      'Forecast a dated series by exponential smoothing (ETS) with 80% and 95% intervals',
    )
    .argument('<series.csv>', 'a header row, then one row per period: date and value')
    .option('--date-col <name>', 'the date column (default: the first)', parseColumn)
    .option('--value-col <name>', 'the value column (default: the second)', parseColumn)
    .requiredOption('--horizon <n>', 'periods to forecast', wholeNumber(1))
    .option(
      '--holdout <n>',
      'fit on all but the last n points and score the forecast of them',
      wholeNumber(1),
    )
    .option(
      '--season <n>',
      'seasonal period (default: from the dates: 12 monthly, 4 quarterly, 52 weekly, 7 daily, 1 yearly)',
      wholeNumber(1),
    )
    .option('--json', 'print one JSON object instead of a table', false)
    .action(async (file: string, flags: ForecastFlags) => {
      try {
        const series = await readSeries(file, { dateCol: flags.dateCol, valueCol: flags.valueCol })
        const n = series.values.length
        const options = { horizon: flags.horizon, season: flags.season ?? series.season }
        if (flags.holdout !== undefined && flags.holdout >= n)
          throw new Error(
            `--holdout ${flags.holdout} leaves nothing to fit: the series has ${n} points`,
          )
        if (flags.holdout !== undefined && n - flags.holdout < 3)
          throw new Error(
            `--holdout ${flags.holdout} leaves ${n - flags.holdout} points to fit; at least 3 are needed`,
          )
        const result: Forecast =
          flags.holdout === undefined
            ? { ...fitEts(series.values, options), holdout: null }
            : backtestEts(series.values, { ...options, holdout: flags.holdout })
        for (const note of result.notes) process.stderr.write(`note: ${note}\n`)
        const fitted = n - (flags.holdout ?? 0)
        process.stdout.write(
          flags.json
            ? `${JSON.stringify(toJson(result))}\n`
            : formatForecast(series, fitted, result),
        )
      } catch (error) {
        process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`)
        process.exitCode = 1
      }
    })
}
