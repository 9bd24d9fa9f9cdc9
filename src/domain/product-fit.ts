/**
 * Product fit (DEFINITIONS.md "Scores", "Product fit"): how well a deal's customer fits a product's
 * ideal customer profile, 0-100, with the reasons in plain words.
 *
 * The criteria are those the product's profile sets: industry (when it lists industries), employees
 * (when it sets a minimum or a maximum), region (when it lists regions) and one per need of the deal
 * (when it lists problems it solves). Each counts 1 (match), 0 (no match) or 0.5 (unknown: the
 * account does not say, or the deal has no account). fit = 100 × the mean, rounded. A profile with
 * no criteria gives 50: fit unknown. Text is compared trimmed and case-insensitively.
 */

export interface FitProfile {
  industries: readonly string[]
  employeesMin: number | null
  employeesMax: number | null
  regions: readonly string[]
  problems: readonly string[]
}

/** The customer side: the deal's account (all null when the deal has none) and the deal's needs. */
export interface FitSubject {
  industry: string | null
  employees: number | null
  region: string | null
  needs: readonly string[]
}

export interface ProductFit {
  /** 0-100, an integer. */
  fit: number
  /** One per criterion that did not match (0) or is unknown (0.5), in criterion order. */
  reasons: string[]
}

/** The fit of a profile with no criteria. */
export const unknownFit = 50

const norm = (value: string) => value.trim().toLowerCase()
const among = (value: string, list: readonly string[]) =>
  list.some((item) => norm(item) === norm(value))

/** "200-5000", "200 or more", "up to 5000". */
export function employeeRange(min: number | null, max: number | null): string {
  if (min !== null && max !== null) return `${min}-${max}`
  if (min !== null) return `${min} or more`
  return `up to ${max}`
}

export function productFit(profile: FitProfile, subject: FitSubject): ProductFit {
  const scores: number[] = []
  const reasons: string[] = []
  if (profile.industries.length > 0) {
    if (subject.industry === null || subject.industry.trim() === '') {
      scores.push(0.5)
      reasons.push('industry unknown')
    } else if (among(subject.industry, profile.industries)) {
      scores.push(1)
    } else {
      scores.push(0)
      reasons.push(`industry ${subject.industry} not in ${profile.industries.join(', ')}`)
    }
  }
  const { employeesMin: min, employeesMax: max } = profile
  if (min !== null || max !== null) {
    const n = subject.employees
    if (n === null) {
      scores.push(0.5)
      reasons.push('employees unknown')
    } else if ((min === null || n >= min) && (max === null || n <= max)) {
      scores.push(1)
    } else {
      scores.push(0)
      reasons.push(`employees ${n} outside ${employeeRange(min, max)}`)
    }
  }
  if (profile.regions.length > 0) {
    if (subject.region === null || subject.region.trim() === '') {
      scores.push(0.5)
      reasons.push('region unknown')
    } else if (among(subject.region, profile.regions)) {
      scores.push(1)
    } else {
      scores.push(0)
      reasons.push(`region ${subject.region} not in ${profile.regions.join(', ')}`)
    }
  }
  if (profile.problems.length > 0) {
    for (const need of subject.needs) {
      if (among(need, profile.problems)) {
        scores.push(1)
      } else {
        scores.push(0)
        reasons.push(`need \`${need}\` not solved by this product`)
      }
    }
  }
  if (scores.length === 0) {
    return {
      fit: unknownFit,
      reasons: ['fit unknown: the product has no ideal customer profile to compare with'],
    }
  }
  const mean = scores.reduce((sum, s) => sum + s, 0) / scores.length
  return { fit: Math.round(100 * mean), reasons }
}

/** A deal's fit: the lowest of its lines' fits; null when it has no lines. */
export function dealFit(lines: readonly { fit: number }[]): number | null {
  if (lines.length === 0) return null
  return Math.min(...lines.map((line) => line.fit))
}

/** Whether a fit is flagged poor fit under the workspace's threshold (null: no lines, never). */
export function isPoorFit(fit: number | null, threshold: number): boolean {
  return fit !== null && fit < threshold
}

/** The loss reason that is a good outcome (DEFINITIONS "Regret rate"): not a loss in win rate. */
export const walkedAwayReason = 'poor_fit_walked_away'

/**
 * Win rate = won ÷ (won + lost), where deals lost as `poor_fit_walked_away` are left out of the
 * denominator (DEFINITIONS: not losses). null when there is nothing to divide by.
 */
export function winRate(won: number, lostReasons: readonly (string | null)[]): number | null {
  const lost = lostReasons.filter((reason) => reason !== walkedAwayReason).length
  return won + lost === 0 ? null : won / (won + lost)
}
