import { useQuery } from '@tanstack/react-query'
import { getList } from '../records/crm-queries.ts'
import { useMe } from '../shell/me-context.tsx'

export type RoutingField = 'country' | 'region' | 'industry' | 'segment' | 'employees'
export type RoutingOp = 'eq' | 'neq' | 'in' | 'nin' | 'gt' | 'gte' | 'lt' | 'lte' | 'exists'

export interface RoutingCondition {
  field: RoutingField
  op: RoutingOp
  value: string | number | boolean | string[]
}

export interface RoutingRule {
  id: string
  name: string
  position: number
  teamId: string
  team: { id: string; name: string }
  conditions: RoutingCondition[]
  isActive: boolean
}

export interface RoutingRep {
  userId: string
  name: string
  email: string
  role: string
  teams: { id: string; name: string }[]
  acceptsLeads: boolean
  capacity: number | null
  dailyCap: number | null
  absentFrom: string | null
  absentUntil: string | null
  isAbsent: boolean
  isEligible: boolean
  openCount: number
  todayCount: number
}

export const routingKeys = {
  all: ['routing'],
  rules: ['routing', 'rules'],
  reps: ['routing', 'reps'],
} as const

export function useRoutingRules() {
  return useQuery({
    queryKey: routingKeys.rules,
    queryFn: () => getList<RoutingRule>('/api/v1/routing/rules'),
  })
}

export function useRoutingReps() {
  return useQuery({
    queryKey: routingKeys.reps,
    queryFn: () => getList<RoutingRep>('/api/v1/routing/reps'),
  })
}

/** Sales managers and admins set up routing (the server's routing:manage); everyone reads it. */
export function useCanManageRouting(): boolean {
  const me = useMe()
  return (me.permissions as readonly string[]).includes('routing:manage')
}

export const fieldLabels: Record<RoutingField, string> = {
  country: 'Country',
  region: 'Region',
  industry: 'Industry',
  segment: 'Segment',
  employees: 'Employees',
}

export const opLabels: Record<RoutingOp, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is one of',
  nin: 'is none of',
  gt: 'more than',
  gte: 'at least',
  lt: 'fewer than',
  lte: 'at most',
  exists: 'is known',
}

/** The ops a field takes, as the server checks them (src/domain/routing.ts). */
export function opsFor(field: RoutingField): RoutingOp[] {
  return field === 'employees'
    ? ['gte', 'gt', 'lt', 'lte', 'eq', 'exists']
    : ['in', 'nin', 'eq', 'neq', 'exists']
}

/** One condition in words, e.g. "Country is one of DE, AT". */
export function describeCondition(c: RoutingCondition): string {
  const field = fieldLabels[c.field]
  if (c.op === 'exists') return `${field} ${c.value ? 'is known' : 'is unknown'}`
  const value = Array.isArray(c.value) ? c.value.join(', ') : String(c.value)
  return `${field} ${opLabels[c.op]} ${value}`
}
