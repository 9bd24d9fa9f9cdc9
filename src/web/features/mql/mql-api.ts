import { ApiError } from '../../api/client.ts'

/** GET /api/v1/mql/rules. */
export interface MqlRules {
  fitMin: number
  engagementMin: number
  predictiveInCharge: boolean
  predictiveMin: number
  highIntentForms: boolean
  updatedAt: string | null
}

/** GET /api/v1/mql/targets (one month). */
export interface MqlTarget {
  month: string
  target: number | null
}

export const mqlRulesKey = ['mql', 'rules'] as const
export const mqlTargetsKey = ['mql', 'targets'] as const

/** The field an API error names: the `field` of its details or of its first validation issue. */
export function errorField(error: unknown): string | null {
  if (!(error instanceof ApiError) || typeof error.details !== 'object' || !error.details) {
    return null
  }
  const details = error.details as { field?: unknown; issues?: { field?: unknown }[] }
  const raw = typeof details.field === 'string' ? details.field : details.issues?.[0]?.field
  return typeof raw === 'string' ? (raw.split('.').pop() ?? null) : null
}

/** "Mar 2026" for "2026-03". */
export function monthLabel(month: string): string {
  const [year, number] = month.split('-').map(Number)
  return new Date(Date.UTC(year ?? 2000, (number ?? 1) - 1, 1)).toLocaleDateString(undefined, {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  })
}
