/**
 * Money arithmetic (ARCHITECTURE.md, API conventions): amounts are integer minor units of an ISO 4217
 * currency; sums are kept per currency, or converted to the workspace's base currency with its
 * exchange rates, saying which rates were missing.
 */
export interface Money {
  currency: string
  amount: number
}

export interface BaseSum {
  /** One entry per currency, in alphabetical order of currency. */
  amounts: Money[]
  /** The sum converted to the base currency in its minor units, or null when a rate is missing. */
  amountInBase: number | null
  /** Currencies with an amount but no rate to the base currency, alphabetical. */
  missing: string[]
}

const digitsCache = new Map<string, number>()

/** Digits of a currency's minor unit (USD 2, JPY 0, BHD 3), so JPY 100 is 100 yen, not 1 yen. */
export function minorUnitDigits(currency: string): number {
  let digits = digitsCache.get(currency)
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    digitsCache.set(currency, digits)
  }
  return digits
}

/** Adds amounts of the same currency together; currencies in alphabetical order. */
export function sumPerCurrency(items: readonly Money[]): Money[] {
  const totals = new Map<string, number>()
  for (const item of items)
    totals.set(item.currency, (totals.get(item.currency) ?? 0) + item.amount)
  return [...totals.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, amount]) => ({ currency, amount }))
}

/**
 * Sums amounts per currency and converts the total to the base currency, where `rates` gives how many
 * units of the base one unit of a currency is worth (the base itself is always 1). Rounded once, at
 * the end, to whole minor units of the base; null with the missing currencies named when a rate is
 * missing, so a partial total is never mistaken for the whole.
 */
export function sumInBase(
  items: readonly Money[],
  baseCurrency: string,
  rates: ReadonlyMap<string, number>,
): BaseSum {
  const amounts = sumPerCurrency(items)
  const missing: string[] = []
  const baseDigits = minorUnitDigits(baseCurrency)
  let total = 0
  for (const { currency, amount } of amounts) {
    const rate = currency === baseCurrency ? 1 : rates.get(currency)
    if (rate === undefined) {
      if (amount !== 0) missing.push(currency)
      continue
    }
    total += amount * rate * 10 ** (baseDigits - minorUnitDigits(currency))
  }
  return { amounts, amountInBase: missing.length > 0 ? null : Math.round(total), missing }
}

/**
 * Splits an integer amount of minor units in proportion to `shares` (non-negative, positive sum) by
 * the largest remainder: each part is floored, and the units left over go one by one to the parts with
 * the largest remainders (the earlier part on a tie), so the parts always add up to the amount.
 */
export function splitByLargestRemainder(amount: number, shares: readonly number[]): number[] {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount ${amount} is not an integer`)
  const total = shares.reduce((sum, share) => sum + share, 0)
  if (!(total > 0) || shares.some((share) => !(share >= 0))) {
    throw new RangeError('shares must be non-negative with a positive sum')
  }
  const sign = amount < 0 ? -1 : 1
  const whole = Math.abs(amount)
  const exact = shares.map((share) => (whole * share) / total)
  const parts = exact.map((value) => Math.floor(value))
  let left = whole - parts.reduce((sum, part) => sum + part, 0)
  const order = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index)
  for (let k = 0; left > 0; k = (k + 1) % order.length) {
    const entry = order[k]
    if (entry === undefined) break
    // A zero share never receives a unit, even when rounding leaves units over.
    if ((shares[entry.index] ?? 0) > 0) {
      parts[entry.index] = (parts[entry.index] ?? 0) + 1
      left--
    }
  }
  return parts.map((part) => sign * part + 0)
}
