import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { getData, postData, request } from '../../api/client.ts'
import { mqlTargetsKey } from '../mql/mql-api.ts'

/** The reverse-waterfall planner's API (src/server/waterfall/routes.ts), mirrored. */
export type PlanPeriodKind = 'month' | 'quarter'
export type Side = 'sales' | 'marketing'

export interface Assumptions {
  period: { kind: PlanPeriodKind; key: string; startsOn: string; endsOn: string; isOver: boolean }
  revenueTarget: number | null
  from: string
  to: string
  baseCurrency: string
  averageDealSize: {
    value: number | null
    wonDeals: number
    revenue: number | null
    missingRates: string[]
  }
  sqlToWonRate: { value: number | null; wonDeals: number; sqls: number }
  mqlToSqlRate: { value: number | null; mqls: number; converted: number; cohortTo: string | null }
  proposal: { wonDeals: number; sqls: number; mqls: number } | null
}

export interface Measure {
  needed: number
  actual: number | null
  share: number | null
}

export interface Agreement {
  userId: string | null
  name: string | null
  at: string
}

export interface Plan {
  id: string
  periodKind: PlanPeriodKind
  periodKey: string
  startsOn: string
  endsOn: string
  isOver: boolean
  baseCurrency: string
  revenueTarget: number
  averageDealSize: number
  sqlToWonRate: number
  mqlToSqlRate: number
  wonNeeded: number
  sqlsNeeded: number
  mqlsNeeded: number
  agreements: { sales: Agreement | null; marketing: Agreement | null }
  agreed: boolean
  createdBy: { userId: string; name: string | null } | null
  createdAt: string
  updatedAt: string
  progress: {
    asOf: string
    elapsed: number
    revenue: Measure
    wonDeals: Measure
    sqls: Measure
    mqls: Measure
    missingRates: string[]
  }
}

export interface PlanInput {
  periodKind: PlanPeriodKind
  periodKey: string
  revenueTarget: number
  averageDealSize: number
  sqlToWonRate: number
  mqlToSqlRate: number
}

const key = (kind: PlanPeriodKind, periodKey: string) => ['waterfall', kind, periodKey]

export function useAssumptions(kind: PlanPeriodKind, periodKey: string) {
  return useQuery({
    queryKey: [...key(kind, periodKey), 'assumptions'],
    queryFn: () =>
      getData<Assumptions>(
        `/api/v1/waterfall/assumptions?${new URLSearchParams({ periodKind: kind, periodKey })}`,
      ),
    enabled: periodKey !== '',
  })
}

/** The period's plan, or null when none is proposed yet. */
export function usePlan(kind: PlanPeriodKind, periodKey: string) {
  return useQuery({
    queryKey: [...key(kind, periodKey), 'plan'],
    queryFn: async () => {
      const plans = await getData<Plan[]>(
        `/api/v1/waterfall/plans?${new URLSearchParams({ periodKind: kind, periodKey })}`,
      )
      return plans[0] ?? null
    },
    enabled: periodKey !== '',
  })
}

function useRefresh() {
  const client = useQueryClient()
  return (plan: Plan) => {
    client.setQueryData([...key(plan.periodKind, plan.periodKey), 'plan'], plan)
    // Targets written by an agreement show elsewhere (MQL targets, Today, the leader view).
    void client.invalidateQueries({ queryKey: mqlTargetsKey })
  }
}

export function useSavePlan() {
  const refresh = useRefresh()
  return useMutation({
    mutationFn: (input: PlanInput) => postData<Plan>('/api/v1/waterfall/plans', input),
    onSuccess: refresh,
  })
}

export function useAgreement() {
  const refresh = useRefresh()
  return useMutation({
    mutationFn: async ({ plan, side, agree }: { plan: Plan; side: Side; agree: boolean }) => {
      const url = `/api/v1/waterfall/plans/${plan.id}/agree`
      if (agree) return postData<Plan>(url, { side })
      return (await request<{ data: Plan }>('DELETE', `${url}?side=${side}`)).data
    },
    onSuccess: refresh,
  })
}
