/**
 * Forecast accuracy (issue 13; DEFINITIONS.md "Forecast accuracy"): per rep and closed period,
 * the rep's last own submission made before the period started against the revenue they won in it
 * (deals in a won stage, closed_at in the period, converted to the base currency; deals in a
 * currency without a rate are left out and named). The forecast call and the alignment index's
 * forecast_accuracy part both use it.
 */
import type { Kysely } from 'kysely'
import { DateTime } from 'luxon'
import { lastSubmissionBefore, type SubmittedFigures } from '../../domain/forecast.ts'
import { sumInBase } from '../../domain/money.ts'
import type { DB } from '../db/schema.ts'
import { loadRates } from '../exchange-rates/service.ts'
import { selectWonByMonth } from './call-queries.ts'
import { type ForecastCalendar, type ForecastPeriod, forecastPeriodAt } from './period.ts'
import { selectRepSubmissions } from './submissions-queries.ts'

export interface RepPeriodPair {
  repId: string
  periodKey: string
  /** The last own submission made before the period started, if any. */
  submission: SubmittedFigures | undefined
  /** Revenue won in the period, minor units of the base currency. */
  actual: number
}

/**
 * Each rep's (submission, actual) pair for each of `periods` (closed periods of one kind), for
 * every rep who submitted for one of them or won something in one of them.
 */
export async function accuracyPairs(
  db: Kysely<DB>,
  workspaceId: string,
  calendar: ForecastCalendar,
  periods: readonly ForecastPeriod[],
): Promise<{ pairs: RepPeriodPair[]; missingRates: string[] }> {
  const first = periods[0]
  const last = periods.at(-1)
  if (!first || !last) return { pairs: [], missingRates: [] }
  const kind = first.kind
  const [won, submissions, { baseCurrency, rates }] = await Promise.all([
    selectWonByMonth(db, workspaceId, calendar.timeZone, first.start, last.end),
    selectRepSubmissions(
      db,
      workspaceId,
      kind,
      periods.map((p) => p.key),
    ),
    loadRates(db, workspaceId),
  ])
  // A month's period key (the month itself, or its fiscal quarter).
  const keyOfMonth = new Map<string, string>()
  const periodKeyOf = (month: string) => {
    let key = keyOfMonth.get(month)
    if (key === undefined) {
      const start = DateTime.fromISO(`${month}-01`, { zone: calendar.timeZone }).toJSDate()
      key = forecastPeriodAt(kind, start, calendar).key
      keyOfMonth.set(month, key)
    }
    return key
  }
  const amounts = new Map<string, { currency: string; amount: number }[]>()
  for (const row of won) {
    const id = `${row.ownerId}\u0000${periodKeyOf(row.month)}`
    amounts.set(id, [...(amounts.get(id) ?? []), { currency: row.currency, amount: row.amount }])
  }
  const missing = new Set<string>()
  const actualOf = (repId: string, key: string) => {
    const parts = amounts.get(`${repId}\u0000${key}`) ?? []
    const sum = sumInBase(parts, baseCurrency, rates)
    for (const currency of sum.missing) missing.add(currency)
    // Without a rate, the amounts that have one (the sum says which are missing).
    return (
      sum.amountInBase ??
      sumInBase(
        parts.filter((p) => !sum.missing.includes(p.currency)),
        baseCurrency,
        rates,
      ).amountInBase ??
      0
    )
  }
  const reps = new Set([...won.map((r) => r.ownerId), ...submissions.map((s) => s.repId)])
  const pairs: RepPeriodPair[] = []
  for (const repId of reps) {
    for (const period of periods) {
      const own = submissions.filter((s) => s.repId === repId && s.periodKey === period.key)
      pairs.push({
        repId,
        periodKey: period.key,
        submission: lastSubmissionBefore(own, period.start),
        actual: actualOf(repId, period.key),
      })
    }
  }
  return { pairs, missingRates: [...missing].sort() }
}
