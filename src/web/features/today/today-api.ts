import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { getData, patchData } from '../../api/client.ts'
import { notifyError, notifySuccess } from '../../components/notify.ts'
import type { Handoff } from '../inbox/handoffs-api.ts'
import { crmKeys, getAll } from '../records/crm-queries.ts'
import { formatMoney } from '../records/money.ts'
import { useMe } from '../shell/me-context.tsx'

interface Ref {
  id: string
  name: string
}

export type TargetMetric = 'revenue' | 'deals_won' | 'mqls' | 'sqls' | 'pipeline_created'
export type PeriodKind = 'day' | 'week' | 'month' | 'quarter'

/** src/server/today/routes.ts `TodayTargetProgress`. */
export interface TargetProgress {
  id: string
  metric: TargetMetric
  periodKind: PeriodKind
  periodKey: string
  startsOn: string
  endsOn: string
  amount: number
  actual: number | null
  attainment: number | null
}

export interface TaskCounts {
  overdue: number
  dueLaterToday: number
  progress: { done: number; total: number }
}

export interface TodayTask {
  id: string
  subject: string
  dueAt: string
  isOverdue: boolean
  contact: Ref | null
  account: Ref | null
  deal: Ref | null
}

/** GET /api/v1/today, src/server/today/routes.ts `Today`. */
export interface Today {
  rep: Ref & { role: string }
  today: string
  timeZone: string
  now: string
  week: { key: string; startsOn: string; endsOn: string }
  tasks: TaskCounts & { items: TodayTask[] }
  handoffs: { open: number; breached: number; items: Handoff[] }
  hotLeads: {
    id: string
    name: string
    email: string | null
    title: string | null
    lifecycleStage: string | null
    leadStatus: string | null
    account: Ref | null
    fit: number
    engagement: number
  }[]
  closingThisWeek: {
    baseCurrency: string
    totalInBase: number | null
    items: {
      id: string
      name: string
      amount: number
      currency: string
      closeDate: string
      forecastCategory: string
      stage: Ref
      account: Ref | null
    }[]
  }
  poorFit: {
    threshold: number
    items: {
      id: string
      name: string
      amount: number
      currency: string
      closeDate: string | null
      productFit: number
      reasons: string[]
      stage: Ref & { isProposalOrLater: boolean }
      account: Ref | null
    }[]
  }
  targets: TargetProgress[]
}

/** GET /api/v1/today/team, src/server/today/routes.ts `TeamToday`. */
export interface TeamToday {
  team: Ref & { manager: Ref | null }
  today: string
  timeZone: string
  week: { key: string; startsOn: string; endsOn: string }
  reps: {
    rep: Ref
    tasks: TaskCounts
    openHandoffs: number
    breachedHandoffs: number
    closingThisWeek: number
    poorFitDeals: number
    monthTargets: TargetProgress[]
  }[]
  leaderboard: {
    metric: TargetMetric
    period: { kind: PeriodKind; key: string; startsOn: string; endsOn: string }
    rows: {
      rank: number | null
      rep: Ref
      amount: number | null
      actual: number | null
      attainment: number | null
    }[]
  }
}

export const todayKeys = {
  all: ['today'] as const,
  rep: (userId: string | null) => ['today', 'rep', userId ?? 'me'] as const,
  team: (query: string) => ['today', 'team', query] as const,
}

/** A rep's Today, refreshed every minute so the SLA clocks stay live. */
export function useToday(userId: string | null) {
  const query = userId ? `?userId=${encodeURIComponent(userId)}` : ''
  return useQuery({
    queryKey: todayKeys.rep(userId),
    queryFn: () => getData<Today>(`/api/v1/today${query}`),
    refetchInterval: 60_000,
  })
}

export function useTeamToday(query: string) {
  return useQuery({
    queryKey: todayKeys.team(query),
    queryFn: () => getData<TeamToday>(`/api/v1/today/team${query ? `?${query}` : ''}`),
    refetchInterval: 60_000,
  })
}

/** The local date (YYYY-MM-DD) of an instant in a time zone. */
export function localDateOf(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso))
}

/**
 * Marks a task done through PATCH /api/v1/activities/:id (done: true). The task leaves the list
 * and today's progress moves at once (optimistically), then the day is fetched again.
 */
export function useCompleteTask(userId: string | null) {
  const queryClient = useQueryClient()
  const key = todayKeys.rep(userId)
  return useMutation({
    mutationFn: (task: TodayTask) =>
      patchData(`/api/v1/activities/${encodeURIComponent(task.id)}`, { done: true }),
    onMutate: async (task) => {
      await queryClient.cancelQueries({ queryKey: key })
      const before = queryClient.getQueryData<Today>(key)
      if (before) {
        const isToday = localDateOf(task.dueAt, before.timeZone) === before.today
        queryClient.setQueryData<Today>(key, {
          ...before,
          tasks: {
            ...before.tasks,
            overdue: before.tasks.overdue - (task.isOverdue ? 1 : 0),
            dueLaterToday: before.tasks.dueLaterToday - (task.isOverdue ? 0 : 1),
            progress: {
              done: before.tasks.progress.done + (isToday ? 1 : 0),
              total: before.tasks.progress.total,
            },
            items: before.tasks.items.filter((item) => item.id !== task.id),
          },
        })
      }
      return { before }
    },
    onSuccess: (_data, task) => notifySuccess(`Done: ${task.subject}`),
    onError: (error, _task, context) => {
      if (context?.before) queryClient.setQueryData(key, context.before)
      notifyError('Task not updated', error)
    },
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: todayKeys.all })
      await queryClient.invalidateQueries({ queryKey: crmKeys.timeline })
    },
  })
}

export const metricLabels: Record<TargetMetric, string> = {
  revenue: 'Revenue won',
  deals_won: 'Deals won',
  mqls: 'MQLs',
  sqls: 'SQLs',
  pipeline_created: 'Pipeline created',
}

export const periodLabels: Record<PeriodKind, string> = {
  day: 'Today',
  week: 'This week',
  month: 'This month',
  quarter: 'This quarter',
}

const moneyMetrics = new Set<TargetMetric>(['revenue', 'pipeline_created'])

/** A metric's value in words: money in the base currency, counts as numbers. */
export function formatMetric(metric: TargetMetric, value: number | null, currency: string) {
  if (value === null) return '—'
  return moneyMetrics.has(metric) ? formatMoney(value, currency, true) : value.toLocaleString()
}

/** "72 %", or "—" without a target amount. */
export function formatAttainment(attainment: number | null) {
  return attainment === null ? '—' : `${Math.round(attainment * 100)} %`
}

interface TeamRef {
  id: string
  name: string
  managerId: string | null
}

/**
 * The teams whose view the person may open: every team with today:team (sales managers, admins),
 * else the teams they manage.
 */
export function useVisibleTeams() {
  const me = useMe()
  const teams = useQuery({
    queryKey: [...crmKeys.teams, 'all'],
    queryFn: () => getAll<TeamRef>('/api/v1/teams'),
  })
  const all = me.permissions.includes('today:team')
  const visible = (teams.data ?? []).filter(
    (team) => all || (me.user !== null && team.managerId === me.user.id),
  )
  return { ...teams, visible }
}
