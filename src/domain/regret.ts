/**
 * Regret rate (DEFINITIONS.md "Regret rate"): among won deals closed at least 180 days before
 * today (mature), the share that churned, were refunded or downgraded within 180 days of closing
 * (the deal's own date or its account's, falling in [closing day, closing day + 180 days]), or were
 * won while flagged poor fit (won fit < the current product-fit threshold). Days are calendar days
 * (YYYY-MM-DD) of the workspace time zone; deals lost (e.g. as `poor_fit_walked_away`) are never in
 * the cohort, which is won deals only.
 */

/** Days after closing that a churn, refund or downgrade still counts, and that make a deal mature. */
export const regretWindowDays = 180

/** `day` (YYYY-MM-DD) plus `days` calendar days. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** The last closing day of a mature deal: today − 180 days (a deal closed that day is mature). */
export function lastMatureDay(today: string): string {
  return addDays(today, -regretWindowDays)
}

/** Closed at least 180 days before today. */
export function isMature(closedOn: string, today: string): boolean {
  return closedOn <= lastMatureDay(today)
}

export interface RegretDates {
  churnedOn: string | null
  refundedOn: string | null
  downgradedOn: string | null
}

export interface WonDealFacts {
  /** Won (a lost deal, e.g. lost as `poor_fit_walked_away`, is never in the cohort). */
  won: boolean
  /** The closing day, YYYY-MM-DD of the workspace time zone. */
  closedOn: string
  /** The deal's product fit when it was won (null: unknown, never poor fit). */
  wonFit: number | null
  deal: RegretDates
  /** The deal's account's dates; null without an account. */
  account: RegretDates | null
}

export interface RegretOutcome {
  churned: boolean
  refunded: boolean
  downgraded: boolean
  poorFit: boolean
  /** Any of the four. */
  regretted: boolean
}

/** Whether `day` falls in [closedOn, closedOn + 180 days]. */
export function withinWindow(day: string | null, closedOn: string): boolean {
  return day !== null && day >= closedOn && day <= addDays(closedOn, regretWindowDays)
}

/** Why a won deal is regretted (if it is), with the workspace's current product-fit threshold. */
export function regretOf(facts: WonDealFacts, threshold: number): RegretOutcome {
  const hit = (field: keyof RegretDates) =>
    withinWindow(facts.deal[field], facts.closedOn) ||
    withinWindow(facts.account?.[field] ?? null, facts.closedOn)
  const churned = hit('churnedOn')
  const refunded = hit('refundedOn')
  const downgraded = hit('downgradedOn')
  const poorFit = facts.wonFit !== null && facts.wonFit < threshold
  return {
    churned,
    refunded,
    downgraded,
    poorFit,
    regretted: churned || refunded || downgraded || poorFit,
  }
}

export interface RegretCounts {
  /** Mature won deals. */
  won: number
  /** Of those, the regretted (each once, whatever the number of reasons). */
  regretted: number
  /** regretted ÷ won; null when won is 0. */
  rate: number | null
  churned: number
  refunded: number
  downgraded: number
  poorFit: number
}

/** Counts over the outcomes of a cohort's mature won deals. */
export function regretCounts(outcomes: readonly RegretOutcome[]): RegretCounts {
  const count = (key: keyof RegretOutcome) => outcomes.filter((o) => o[key]).length
  const won = outcomes.length
  const regretted = count('regretted')
  return {
    won,
    regretted,
    rate: won === 0 ? null : regretted / won,
    churned: count('churned'),
    refunded: count('refunded'),
    downgraded: count('downgraded'),
    poorFit: count('poorFit'),
  }
}

/**
 * The regret counts of a cohort of closed deals as of `today`: only won deals count, and immature
 * ones (closed less than 180 days before today) are left out.
 */
export function regretRate(
  deals: readonly WonDealFacts[],
  today: string,
  threshold: number,
): RegretCounts {
  return regretCounts(
    deals.filter((d) => d.won && isMature(d.closedOn, today)).map((d) => regretOf(d, threshold)),
  )
}
