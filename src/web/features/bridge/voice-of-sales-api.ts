import { useQuery } from '@tanstack/react-query'
import { getData } from '../../api/client.ts'

export const voiceGroupings = ['campaign', 'channel', 'segment'] as const
export type VoiceGrouping = (typeof voiceGroupings)[number]

/** A row's group (src/server/reports/voice-of-sales-routes.ts `VoiceGroup`); null: ungrouped. */
export type VoiceGroup = { key: string; label: string } | null

export interface VoiceRejection {
  group: VoiceGroup
  reason: string
  count: number
  decided: number
  /** count ÷ handoffs decided in the group; null when none decided. */
  share: number | null
  link: string
}

export interface VoiceLoss {
  group: VoiceGroup
  reason: string | null
  count: number
  share: number | null
  /** poor_fit_walked_away: a good outcome, not a failure. */
  goodOutcome: boolean
  link: string | null
}

export interface VoiceCouldHelp {
  group: VoiceGroup
  losses: number
  yes: number
  no: number
  unsure: number
  unanswered: number
  links: { yes: string; no: string; unsure: string }
}

export interface VoiceCompetitor {
  name: string
  losses: number
  mentions: number
  link: string
}

export interface VoiceObjection {
  tag: { id: string; name: string }
  count: number
  activities: number
  handoffs: number
  deals: number
  link: string
  links: { handoffs: string; deals: string }
}

export interface VoiceQuality {
  group: VoiceGroup
  rated: number
  average: number | null
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>
  unrated: number
  link: string
  unratedLink: string
}

export interface VoiceTrend {
  month: string
  decided: number
  rejected: number
  rejectionRate: number | null
  losses: number
  topReason: string | null
  links: { decided: string; rejected: string; losses: string; topReason: string | null }
}

/** GET /api/v1/reports/voice-of-sales. */
export interface VoiceOfSalesReport {
  from: string
  to: string
  timeZone: string
  groupBy: VoiceGrouping | null
  rejections: VoiceRejection[]
  losses: VoiceLoss[]
  marketingCouldHelp: VoiceCouldHelp[]
  competitors: VoiceCompetitor[]
  objections: VoiceObjection[]
  quality: VoiceQuality[]
  trends: VoiceTrend[]
}

export interface VoiceParams {
  from: string
  to: string
  groupBy: VoiceGrouping | null
}

export function useVoiceOfSales({ from, to, groupBy }: VoiceParams) {
  const query = new URLSearchParams()
  if (from) query.set('from', from)
  if (to) query.set('to', to)
  if (groupBy) query.set('groupBy', groupBy)
  return useQuery({
    queryKey: ['reports', 'voice-of-sales', from, to, groupBy],
    queryFn: () =>
      getData<VoiceOfSalesReport>(`/api/v1/reports/voice-of-sales?${query.toString()}`),
  })
}

/** "42%", or "—" when there is nothing to divide by. */
export function formatShare(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)}%`
}

/** The label of a group; "All" when the report is not grouped. */
