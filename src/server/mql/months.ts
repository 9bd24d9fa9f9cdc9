/** Calendar months as `YYYY-MM`, and the arithmetic the MQL targets need. */

export const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/

/** Months since year 0, so months can be added and compared as numbers. */
export function monthIndex(month: string): number {
  const [year, number] = month.split('-').map(Number)
  return (year ?? 0) * 12 + (number ?? 1) - 1
}

export function monthOfIndex(index: number): string {
  const year = Math.floor(index / 12)
  const number = (index % 12) + 1
  return `${String(year).padStart(4, '0')}-${String(number).padStart(2, '0')}`
}

export function addMonths(month: string, count: number): string {
  return monthOfIndex(monthIndex(month) + count)
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = []
  for (let i = monthIndex(from); i <= monthIndex(to); i++) out.push(monthOfIndex(i))
  return out
}

/** The month it is now in the given time zone (a workspace's month turns at its own midnight). */
export function currentMonth(timeZone: string, now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(now)
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}`
}

/** The first day of the month, as the `date` column stores it. */
export const firstDay = (month: string) => `${month}-01`
/** `YYYY-MM` of a `YYYY-MM-DD` date. */
export const monthOfDate = (date: string) => date.slice(0, 7)
