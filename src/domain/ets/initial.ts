import type { SeasonType } from './model.ts'

/**
 * Seasonal indices of a classical decomposition (centred moving average of one period, then the
 * mean deviation or ratio per position), normalised to sum 0 (additive) or average 1 (multiplicative).
 * Uses the first three seasons at most, like R's forecast::ets. Needs at least two full seasons.
 */
export function decomposeSeason(y: readonly number[], m: number, type: SeasonType): number[] {
  const n = Math.min(y.length, 3 * m)
  const half = Math.floor(m / 2)
  const sums = new Array<number>(m).fill(0)
  const counts = new Array<number>(m).fill(0)
  for (let t = half; t < n - half; t++) {
    let ma = 0
    if (m % 2 === 0) {
      ma = ((y[t - half] as number) + (y[t + half] as number)) / (2 * m)
      for (let k = t - half + 1; k < t + half; k++) ma += (y[k] as number) / m
    } else {
      for (let k = t - half; k <= t + half; k++) ma += (y[k] as number) / m
    }
    const v = y[t] as number
    const j = t % m
    sums[j] = (sums[j] as number) + (type === 'M' ? v / ma : v - ma)
    counts[j] = (counts[j] as number) + 1
  }
  const raw = sums.map((s, j) => ((counts[j] as number) > 0 ? s / (counts[j] as number) : 0))
  const mean = raw.reduce((a, b) => a + b, 0) / m
  if (type === 'M') return raw.map((v) => (mean > 0 && v > 0 ? v / mean : 1))
  return raw.map((v) => v - mean)
}

/**
 * Initial level and trend: a straight line through the first max(10, 2m) seasonally adjusted values
 * (its value one step before the data and its slope), as R's forecast::ets starts its search.
 */
export function initialLevelTrend(
  adjusted: readonly number[],
  m: number,
  withTrend: boolean,
): { level: number; trend: number } {
  const n = Math.min(adjusted.length, Math.max(10, 2 * m))
  const xs = adjusted.slice(0, n)
  const meanY = xs.reduce((a, b) => a + b, 0) / n
  if (!withTrend || n < 2) return { level: meanY, trend: 0 }
  const meanX = (n + 1) / 2
  let sxy = 0
  let sxx = 0
  xs.forEach((v, i) => {
    sxy += (i + 1 - meanX) * (v - meanY)
    sxx += (i + 1 - meanX) ** 2
  })
  const trend = sxy / sxx
  return { level: meanY - trend * meanX, trend }
}
