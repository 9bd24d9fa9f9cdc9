import { useQuery, useQueryClient } from '@tanstack/react-query'
import { getData } from '../../api/client.ts'
import { crmKeys } from '../records/crm-queries.ts'
import { useMe } from '../shell/me-context.tsx'

export type ClockState = 'running' | 'met' | 'missed' | 'closed'
export type HandoffStatus = 'open' | 'accepted' | 'rejected'

interface Ref {
  id: string
  name: string
}

/** GET /api/v1/handoffs (one row), src/server/handoffs/routes.ts `Handoff`. */
export interface Handoff {
  id: string
  status: HandoffStatus
  contact: {
    id: string
    name: string
    email: string | null
    title: string | null
    lifecycleStage: string | null
    leadStatus: string | null
  }
  account: Ref | null
  owner: Ref | null
  team: Ref | null
  routingRuleId: string | null
  unassignedReason: string | null
  assignedAt: string | null
  campaign: { id: string; name: string; channel: string | null } | null
  mqlSource: string
  mqlReason: string
  isReMql: boolean
  segment: string | null
  createdAt: string
  sla: {
    policyId: string | null
    policyName: string
    firstTouchDueAt: string
    decisionDueAt: string
    escalateAt: string
    firstTouchAt: string | null
    firstTouch: ClockState
    decision: Exclude<ClockState, 'closed'>
    timeToFirstTouchMinutes: number | null
    firstTouchMinutesLeft: number | null
    decisionMinutesLeft: number | null
    isClockOpen: boolean
    firstTouchBreachedAt: string | null
    decisionBreachedAt: string | null
    escalatedAt: string | null
  }
  decidedAt: string | null
  decidedBy: Ref | null
  rejectionReason: string | null
  rejectionOutcome: 'recycle' | 'disqualify' | null
  recycleOn: string | null
  rejectionNote: string | null
  quality: number | null
  ratedAt: string | null
}

export interface HandoffEvent {
  kind: string
  at: string
  actor: Ref | null
  details: Record<string, unknown>
}

export interface HandoffDetail extends Handoff {
  events: HandoffEvent[]
}

export interface HandoffCounts {
  open: number
  mine: number
  unassigned: number
  overdue: number
}

export const handoffKeys = {
  all: ['handoffs'] as const,
  counts: ['handoffs', 'counts'] as const,
  list: (query: string) => ['handoffs', 'list', query] as const,
  one: (id: string) => ['handoffs', 'one', id] as const,
  ofContact: (contactId: string) => ['handoffs', 'contact', contactId] as const,
}

/** Open handoffs for the nav badge and the inbox tabs; refreshed every minute like the clocks. */
export function useHandoffCounts() {
  return useQuery({
    queryKey: handoffKeys.counts,
    queryFn: () => getData<HandoffCounts>('/api/v1/handoffs/counts'),
    refetchInterval: 60_000,
  })
}

export function useHandoff(id: string) {
  return useQuery({
    queryKey: handoffKeys.one(id),
    queryFn: () => getData<HandoffDetail>(`/api/v1/handoffs/${encodeURIComponent(id)}`),
    refetchInterval: 60_000,
  })
}

/** After any decision: every list, count and page of handoffs may have changed. */
export function useRefreshHandoffs() {
  const queryClient = useQueryClient()
  return async () => {
    await queryClient.invalidateQueries({ queryKey: handoffKeys.all })
    // Decisions move the contact's lifecycle stage and lead status.
    await queryClient.invalidateQueries({ queryKey: crmKeys.contacts })
  }
}

/** handoffs:work — sales, sales managers and admins work the inbox. */
export function useCanWorkHandoffs() {
  return useMe().permissions.includes('handoffs:work')
}

/** handoffs:manage — sales managers and admins reassign and act on anyone's handoff. */
export function useCanManageHandoffs() {
  return useMe().permissions.includes('handoffs:manage')
}

/** "1h 20m", "45m", "2d 3h" for business minutes; the sign is the caller's. */
export function formatMinutes(minutes: number): string {
  const m = Math.round(Math.abs(minutes))
  if (m < 60) return `${m}m`
  const hours = Math.floor(m / 60)
  const rest = m % 60
  if (hours < 24) return rest ? `${hours}h ${rest}m` : `${hours}h`
  const days = Math.floor(hours / 24)
  return `${days}d ${hours % 24}h`
}

export const mqlSourceLabels: Record<string, string> = {
  manual: 'By hand',
  score: 'Score',
  form: 'High-intent form',
  predictive: 'Predictive score',
  import: 'Import',
}

export const eventLabels: Record<string, string> = {
  created: 'MQL handed off',
  assigned: 'Assigned',
  reassigned: 'Reassigned',
  first_touch: 'First touch',
  accepted: 'Accepted',
  rejected: 'Rejected',
  rated: 'Quality rated',
  first_touch_breached: 'First-touch SLA missed',
  decision_breached: 'Decision SLA missed',
  escalated: 'Escalated to the manager',
  lead_status: 'Lead status changed',
}

/**
 * Badge colours of the inbox, filled with the darkest shades: white text on them stays above the
 * WCAG AA contrast ratio (4.5:1), which Mantine's lighter default shades are not.
 */
export const tones = {
  good: 'teal.9',
  bad: 'red.9',
  info: 'blue.9',
  neutral: 'gray.7',
  reMql: 'grape.9',
} as const
