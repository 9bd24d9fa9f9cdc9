import { useInfiniteQuery } from '@tanstack/react-query'
import { getData } from '../../api/client.ts'

export type DrillKind = 'handoffs' | 'deals' | 'contacts'

interface Ref {
  id: string
  name: string
}

/** GET /api/v1/reports/records, src/server/reports/records-routes.ts `DrillRecords`. */
export interface HandoffRecord {
  id: string
  createdAt: string
  contact: { id: string; name: string; email: string | null }
  owner: Ref | null
  campaign: Ref | null
  status: 'open' | 'accepted' | 'rejected'
  rejectionReason: string | null
  quality: number | null
  firstTouchAt: string | null
  slaState: 'running' | 'met' | 'missed' | 'closed'
  link: string
}

export interface DealRecord {
  id: string
  name: string
  account: Ref | null
  owner: Ref | null
  amount: number
  currency: string
  closedAt: string
  outcome: 'won' | 'lost' | null
  lossReason: string | null
  lossCompetitor: string | null
  marketingCouldHelp: 'yes' | 'no' | 'unsure' | null
  link: string
}

export interface ContactRecord {
  id: string
  name: string
  email: string | null
  account: Ref | null
  enteredAt: string
  reachedAt: string | null
  link: string
}

export interface DrillRecords<Row = HandoffRecord | DealRecord | ContactRecord> {
  kind: DrillKind
  total: number
  description: string
  nextCursor: string | null
  rows: Row[]
}

export const drillKinds: readonly DrillKind[] = ['handoffs', 'deals', 'contacts']

/**
 * Pages through the records behind a Bridge number. `search` is the page's own query string
 * (kind, from, to and the filters), passed to the API as it is.
 */
export function useDrillRecords(search: URLSearchParams, limit = 50) {
  const params = new URLSearchParams(search)
  params.delete('cursor')
  params.set('limit', String(limit))
  params.sort()
  const path = `/api/v1/reports/records?${params.toString()}`
  return useInfiniteQuery({
    queryKey: ['reports', 'records', params.toString()],
    queryFn: ({ pageParam }) =>
      getData<DrillRecords>(pageParam ? `${path}&cursor=${encodeURIComponent(pageParam)}` : path),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  })
}
