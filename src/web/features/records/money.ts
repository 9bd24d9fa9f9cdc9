/** Money travels as integer minor units plus an ISO 4217 currency (ARCHITECTURE.md, API conventions). */

/** How many minor units make one major unit: 2 for USD and EUR, 0 for JPY, 3 for KWD. */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    )
  } catch {
    return 2
  }
}

export function toMinor(major: number, currency: string): number {
  return Math.round(major * 10 ** minorDigits(currency))
}

export function toMajor(minor: number, currency: string): number {
  return minor / 10 ** minorDigits(currency)
}

export function formatMoney(minor: number, currency: string, compact = false): string {
  const major = toMajor(minor, currency)
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      notation: compact ? 'compact' : 'standard',
      maximumFractionDigits: compact ? 1 : minorDigits(currency),
    }).format(major)
  } catch {
    return `${major.toLocaleString()} ${currency}`
  }
}

/** Sums amounts per currency, so totals never silently add euros to dollars. */
export function sumByCurrency(items: { amount: number; currency: string }[]): Map<string, number> {
  const totals = new Map<string, number>()
  for (const item of items)
    totals.set(item.currency, (totals.get(item.currency) ?? 0) + item.amount)
  return totals
}

export function formatTotals(totals: Map<string, number>, compact = true): string {
  if (totals.size === 0) return 'nothing'
  return [...totals].map(([currency, amount]) => formatMoney(amount, currency, compact)).join(' + ')
}

const currencies = new Set(Intl.supportedValuesOf('currency'))

export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && currencies.has(code)
}
