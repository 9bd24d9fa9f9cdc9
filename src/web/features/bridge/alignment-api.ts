import { useQuery } from '@tanstack/react-query'
import { getData } from '../../api/client.ts'

/**
 * GET /api/v1/reports/alignment, mirroring src/server/reports/alignment-types.ts (the web app
 * does not import server files).
 */
export type AlignmentOwner = 'sales' | 'marketing' | 'both'

export interface AlignmentPoint {
  /** 'YYYY-MM' */
  period: string
  /** 0-100; null when nothing had data that month. */
  value: number | null
}

export interface AlignmentPart {
  key: string
  label: string
  meaning: string
  owner: AlignmentOwner
  value: number
  x: number
  numerator: number
  denominator: number
  detail: string
  trend: AlignmentPoint[]
  link: string
  shortfallLink: string | null
}

export interface AlignmentProblem {
  text: string
  owner: AlignmentOwner
  severity: number
  link: string
}

export interface AlignmentReport {
  from: string
  to: string
  period: 'month'
  timeZone: string
  index: number | null
  indexPeriod: string
  parts: AlignmentPart[]
  series: AlignmentPoint[]
  problems: string[]
  problemDetails: AlignmentProblem[]
}

export const ownerLabels: Record<AlignmentOwner, string> = {
  sales: 'Sales',
  marketing: 'Marketing',
  both: 'Both',
}

/** Theme colour of each owner's light badge, and its text colour (checked by axe for contrast). */
export const ownerColors: Record<AlignmentOwner, { color: string; text: string }> = {
  sales: { color: 'blue', text: 'blue.9' },
  marketing: { color: 'grape', text: 'grape.9' },
  both: { color: 'gray', text: 'dark.8' },
}

export function useAlignment(from: string, to: string) {
  const query = new URLSearchParams()
  if (from) query.set('from', from)
  if (to) query.set('to', to)
  return useQuery({
    queryKey: ['reports', 'alignment', from, to],
    queryFn: () => getData<AlignmentReport>(`/api/v1/reports/alignment?${query.toString()}`),
  })
}
