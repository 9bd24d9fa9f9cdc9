/**
 * The alignment index (DEFINITIONS.md "Alignment index"): its parts and owners, a part's value
 * (100 × clamp(x, 0, 1)), the index of a period (the mean of the parts that have data), the
 * MQL→SQL part (the month's rate against its trailing 6-month median), and the choice of the
 * biggest current problems from facts the server gathers. Pure: no clock, no database.
 */

export type AlignmentPartKey =
  | 'sla_attainment'
  | 'acceptance_rate'
  | 'mql_to_sql'
  | 'feedback_coverage'
  | 'marketing_commitment'
  | 'insight_loop'
  | 'content_coverage'
  | 'forecast_accuracy'

export type AlignmentOwner = 'sales' | 'marketing' | 'both'

export interface AlignmentPartDefinition {
  key: AlignmentPartKey
  label: string
  /** What x is, in plain words. */
  meaning: string
  owner: AlignmentOwner
}

/** The parts in DEFINITIONS.md order; parts without data in a period are left out of it. */
export const alignmentParts: readonly AlignmentPartDefinition[] = [
  {
    key: 'sla_attainment',
    label: 'SLA attainment',
    meaning:
      'Share of handoffs first-touched within the SLA window, of those whose window ended or that were touched.',
    owner: 'sales',
  },
  {
    key: 'acceptance_rate',
    label: 'Acceptance rate',
    meaning: 'Share of decided handoffs that sales accepted.',
    owner: 'marketing',
  },
  {
    key: 'mql_to_sql',
    label: 'MQL→SQL rate',
    meaning:
      "Share of the month's new MQLs that reached SQL within 90 days, against the median of the 6 months before.",
    owner: 'both',
  },
  {
    key: 'feedback_coverage',
    label: 'Feedback coverage',
    meaning:
      'Share of decided handoffs with a quality rating and of lost deals saying whether marketing could have helped.',
    owner: 'sales',
  },
  {
    key: 'marketing_commitment',
    label: 'Marketing commitment',
    meaning: "MQLs delivered against the month's MQL target.",
    owner: 'marketing',
  },
  {
    key: 'insight_loop',
    label: 'Insight loop',
    meaning:
      'Share of insights filed at least 30 days ago that moved beyond testing within 30 days.',
    owner: 'both',
  },
  {
    key: 'content_coverage',
    label: 'Content coverage',
    meaning: 'Share of won deals that used content.',
    owner: 'marketing',
  },
  {
    key: 'forecast_accuracy',
    label: 'Forecast accuracy',
    meaning: 'One minus the weighted absolute percentage error of commit forecasts.',
    owner: 'sales',
  },
]

export function partDefinition(key: AlignmentPartKey): AlignmentPartDefinition {
  const part = alignmentParts.find((p) => p.key === key)
  if (!part) throw new Error(`unknown alignment part ${key}`)
  return part
}

/** 100 × clamp(x, 0, 1), rounded to one decimal. */
export function partValue(x: number): number {
  const clamped = Math.min(1, Math.max(0, x))
  return Math.round(clamped * 1000) / 10
}

/** The mean of the parts that have data (null entries are left out), one decimal; null when none. */
export function alignmentIndex(values: readonly (number | null | undefined)[]): number | null {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  if (present.length === 0) return null
  const mean = present.reduce((sum, v) => sum + v, 0) / present.length
  return Math.round(mean * 10) / 10
}

/** The median of the values (the mean of the middle two for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  if (sorted.length % 2 === 1) return sorted[middle] as number
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/**
 * x of the MQL→SQL part: the month's rate ÷ the median of the trailing months' rates (months
 * without data, null, are left out). Null when the month has no rate, there is no trailing data,
 * or the median is 0.
 */
export function mqlToSqlX(
  rate: number | null,
  trailingRates: readonly (number | null | undefined)[],
): number | null {
  if (rate === null) return null
  const trailing = trailingRates.filter((r): r is number => typeof r === 'number')
  const middle = median(trailing)
  if (middle === null || middle === 0) return null
  return rate / middle
}

// ---------------------------------------------------------------------------------------------
// Problems

/** A campaign whose recent decided handoffs are mostly rejected with one reason. */
export interface CampaignRejectionFact {
  kind: 'campaign_rejections'
  campaignId: string
  campaignName: string
  decided: number
  /** The most frequent rejection reason and how many were rejected with it. */
  reason: string
  rejectedWithReason: number
  link: string
}

/** A rep with open MQLs, untouched, past the first-touch window now. */
export interface RepUnworkedFact {
  kind: 'rep_unworked'
  ownerId: string
  ownerName: string
  unworked: number
  link: string
}

/** A rep's recent SLA attainment against everyone else's. */
export interface RepAttainmentFact {
  kind: 'rep_attainment'
  ownerId: string
  ownerName: string
  met: number
  counted: number
  othersMet: number
  othersCounted: number
  link: string
}

/** Open MQLs nobody owns. */
export interface UnassignedFact {
  kind: 'unassigned'
  waiting: number
  link: string
}

/** MQLs delivered against the target of a month. */
export interface MarketingTargetFact {
  kind: 'marketing_target'
  /** "October 2026" */
  periodLabel: string
  delivered: number
  target: number
  link: string
}

/** Feedback coverage of a month. */
export interface FeedbackFact {
  kind: 'feedback'
  periodLabel: string
  covered: number
  total: number
  link: string
}

export type ProblemFact =
  | CampaignRejectionFact
  | RepUnworkedFact
  | RepAttainmentFact
  | UnassignedFact
  | MarketingTargetFact
  | FeedbackFact

export interface Problem {
  text: string
  owner: AlignmentOwner
  /** Bigger is worse (0-100). */
  severity: number
  link: string
  /** What the problem is about; one problem per subject is kept (its most severe). */
  subject: string
}

/** Thresholds of a problem (issue 8): what counts as a problem worth the Bridge's attention. */
export const problemThresholds = {
  /** A campaign needs this many decided handoffs in the last 90 days... */
  campaignMinDecided: 10,
  /** ...and this share of them rejected with one reason. */
  campaignMinShare: 0.4,
  /** A rep with at least this many unworked MQLs now. */
  repMinUnworked: 3,
  /** A rep with at least this many counted handoffs in the last 90 days... */
  repMinCounted: 10,
  /** ...whose attainment is below this... */
  repMaxAttainment: 0.5,
  /** ...and this far below the others'. */
  repMinGap: 0.25,
  /** MQLs below this share of the target. */
  targetMinShare: 0.9,
  /** Feedback coverage below this. */
  feedbackMinShare: 0.5,
} as const

const percent = (x: number) => `${Math.round(x * 100)}%`
const round1 = (x: number) => Math.round(x * 10) / 10
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/**
 * A fact as a problem in plain words, or null when it is not a problem. Severity (0-100) puts a
 * campaign mostly rejected for one reason (its share) and a rep leaving many MQLs unworked (50 + 5
 * per MQL) above mild shortfalls: a missed MQL target or thin feedback score their gap, at most 50.
 */
export function problemOf(fact: ProblemFact): Problem | null {
  const t = problemThresholds
  switch (fact.kind) {
    case 'campaign_rejections': {
      if (fact.decided < t.campaignMinDecided || fact.decided === 0) return null
      const share = fact.rejectedWithReason / fact.decided
      if (share < t.campaignMinShare) return null
      return {
        text: `${fact.campaignName} leads: ${percent(share)} rejected as ${fact.reason}`,
        owner: 'marketing',
        severity: round1(Math.min(100, share * 100)),
        link: fact.link,
        subject: `campaign:${fact.campaignId}`,
      }
    }
    case 'rep_unworked': {
      if (fact.unworked < t.repMinUnworked) return null
      return {
        text: `${plural(fact.unworked, 'MQL')} of ${fact.ownerName} unworked past the SLA`,
        owner: 'sales',
        severity: Math.min(100, 50 + 5 * fact.unworked),
        link: fact.link,
        subject: `rep:${fact.ownerId}`,
      }
    }
    case 'rep_attainment': {
      if (fact.counted < t.repMinCounted || fact.othersCounted === 0) return null
      const own = fact.met / fact.counted
      const others = fact.othersMet / fact.othersCounted
      if (own >= t.repMaxAttainment || others - own < t.repMinGap) return null
      return {
        text: `${fact.ownerName} met the first-touch window for ${percent(own)} of handoffs (others ${percent(others)})`,
        owner: 'sales',
        severity: round1(Math.min(100, (others - own) * 100)),
        link: fact.link,
        subject: `rep:${fact.ownerId}`,
      }
    }
    case 'unassigned': {
      if (fact.waiting < 1) return null
      return {
        text: `${plural(fact.waiting, 'MQL')} waiting in the unassigned queue`,
        owner: 'sales',
        severity: Math.min(60, 20 + 4 * fact.waiting),
        link: fact.link,
        subject: 'unassigned',
      }
    }
    case 'marketing_target': {
      if (fact.target <= 0) return null
      const share = fact.delivered / fact.target
      if (share >= t.targetMinShare) return null
      return {
        text: `MQLs at ${percent(share)} of ${fact.periodLabel}'s target (${fact.delivered} of ${fact.target})`,
        owner: 'marketing',
        severity: round1(Math.min(50, (1 - share) * 100)),
        link: fact.link,
        subject: 'marketing_target',
      }
    }
    case 'feedback': {
      if (fact.total === 0) return null
      const share = fact.covered / fact.total
      if (share >= t.feedbackMinShare) return null
      return {
        text: `Feedback given on ${percent(share)} of decided handoffs and lost deals in ${fact.periodLabel} (${fact.covered} of ${fact.total})`,
        owner: 'sales',
        severity: round1(Math.min(50, (1 - share) * 50)),
        link: fact.link,
        subject: 'feedback',
      }
    }
  }
}

/**
 * The `limit` biggest problems among the facts: most severe first, one per subject (a rep both
 * slow and leaving MQLs unworked shows once, as the worse of the two), ties broken by text so the
 * order never depends on the order of the facts.
 */
export function rankProblems(facts: readonly ProblemFact[], limit = 3): Problem[] {
  const problems = facts
    .map(problemOf)
    .filter((p): p is Problem => p !== null)
    .sort((a, b) => b.severity - a.severity || a.text.localeCompare(b.text))
  const seen = new Set<string>()
  const kept: Problem[] = []
  for (const problem of problems) {
    if (seen.has(problem.subject)) continue
    seen.add(problem.subject)
    kept.push(problem)
    if (kept.length === limit) break
  }
  return kept
}
