/**
 * The shape of the alignment report (GET /api/v1/reports/alignment), shared by the report, the
 * Bridge page's API module, and the weekly digest. DEFINITIONS.md "Alignment index".
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

export interface AlignmentPoint {
  /** 'YYYY-MM' */
  period: string
  /** 0-100, null when the part has no data in that period. */
  value: number | null
}

export interface AlignmentPart {
  key: AlignmentPartKey
  /** "SLA attainment" */
  label: string
  /** One sentence: what x is, in plain words. */
  meaning: string
  owner: AlignmentOwner
  /** 100 × clamp(x, 0, 1) in the index's period, rounded to one decimal. */
  value: number
  /** The raw x, unclamped (mql_to_sql may exceed 1). */
  x: number
  numerator: number
  denominator: number
  /** e.g. "412 of 530 handoffs first-touched in the window". */
  detail: string
  trend: AlignmentPoint[]
  /** Drill-down to the records counted: /bridge/records?… */
  link: string
  /** Drill-down to the records that fall short (missed, rejected, unrated…), when meaningful. */
  shortfallLink: string | null
}

export interface AlignmentProblem {
  /** Plain words: "LinkedIn: operations leaders 2025 leads: 83% rejected as no_budget". */
  text: string
  owner: AlignmentOwner
  /** Bigger is worse; problems come sorted by it. */
  severity: number
  link: string
}

export interface AlignmentReport {
  from: string
  to: string
  period: 'month'
  timeZone: string
  /** The index of the last complete period (the month before `to`'s month unless `to` is its last day); null without data. */
  index: number | null
  /** 'YYYY-MM' of `index`. */
  indexPeriod: string
  /** Parts with data in `indexPeriod`; parts without data are omitted, not zero. */
  parts: AlignmentPart[]
  /** The index per period of the range, null where no part had data. */
  series: AlignmentPoint[]
  /** The three biggest current problems, in plain words. */
  problems: string[]
  problemDetails: AlignmentProblem[]
}
