import { useQuery } from '@tanstack/react-query'
import { ApiError, getData } from '../../api/client.ts'
import { getAll } from '../records/crm-queries.ts'
import type { Option } from '../records/labels.ts'
import type { Campaign } from '../records/types.ts'

export type ScoringRuleKind = 'fit' | 'engagement'

/** A condition of the filter language, or a group of them (`{ all | any: [...] }`). */
export interface FilterCondition {
  field: string
  op: string
  value?: unknown
}
export type FitCondition =
  | { all: (FilterCondition | FitCondition)[] }
  | { any: (FilterCondition | FitCondition)[] }

/** Which touches an engagement rule scores; every given key must match. */
export interface TouchCondition {
  types?: string[]
  channels?: string[]
  campaignIds?: string[]
  urlContains?: string
  eventNames?: string[]
}

/** GET /api/v1/scoring/rules (`ScoringRule`). */
export interface ScoringRule {
  id: string
  kind: ScoringRuleKind
  name: string
  position: number
  condition: FitCondition | TouchCondition
  points: number
  isActive: boolean
  createdAt: string
  updatedAt: string
}

/** What POST/PATCH /api/v1/scoring/rules and the preview take. */
export interface RuleInput {
  id?: string
  kind: ScoringRuleKind
  name: string
  condition: FitCondition | TouchCondition
  points: number
  isActive?: boolean
  position?: number
}

/** GET /api/v1/scoring/settings. */
export interface ScoringSettings {
  halfLifeDays: number
  productFitThreshold: number
  updatedAt: string | null
  /** Contacts waiting in the queue to be rescored. */
  queued: number
}

/** Contacts per score bucket 0-9, 10-19, …, 90-100, and the contacts that would become MQLs. */
export interface Distribution {
  fit: number[]
  engagement: number[]
  mql: number
}

/** POST /api/v1/scoring/preview. */
export interface ScoringPreview {
  rules: { index: number; id: string | null; contacts: number }[]
  current: Distribution
  proposed: Distribution
}

/** One fired rule of a contact's explanation. */
export interface ScoreReason {
  ruleId: string
  kind: ScoringRuleKind
  name: string
  /** Fit: the rule's points; engagement: the decayed sum, rounded to 0.1. */
  points: number
  touches?: number
}

export type ScoreCause = 'rules' | 'touch' | 'record' | 'decay' | 'manual'

/** One of the top factors of a predictive score; contribution in log-odds, + raises it. */
export interface PredictiveFactor {
  feature: string
  label: string
  value: string | number | null
  contribution: number
}

/** The contact's predictive score (DEFINITIONS.md "Predictive score"). */
export interface PredictiveScore {
  /** Probability (0-1) of becoming a customer within 90 days of lead creation. */
  probability: number
  scoredAt: string
  modelId: string
  /** The top 5 by size, sign kept. */
  factors: PredictiveFactor[]
}

/** GET /api/v1/contacts/{id}/scores. */
export interface ContactScores {
  fit: number | null
  engagement: number | null
  scoredAt: string | null
  explanation: ScoreReason[]
  history: { recordedAt: string; fit: number; engagement: number; cause: ScoreCause }[]
  mql: {
    fitMin: number
    engagementMin: number
    /** The predictive model decides MQLs (probability ≥ predictiveMin), not the thresholds. */
    predictiveInCharge: boolean
    predictiveMin: number
    qualifies: boolean
  }
  predictive: PredictiveScore | null
}

export const scoringKeys = {
  rules: ['scoring', 'rules'] as const,
  settings: ['scoring', 'settings'] as const,
  campaigns: ['scoring', 'campaigns'] as const,
  contact: (id: string) => ['scoring', 'contact', id] as const,
}

export function useScoringRules() {
  return useQuery({
    queryKey: scoringKeys.rules,
    queryFn: () => getData<ScoringRule[]>('/api/v1/scoring/rules'),
  })
}

export function useScoringSettings() {
  return useQuery({
    queryKey: scoringKeys.settings,
    queryFn: () => getData<ScoringSettings>('/api/v1/scoring/settings'),
    // While contacts wait to be rescored the count is worth watching go down.
    refetchInterval: (query) => ((query.state.data?.queued ?? 0) > 0 ? 5_000 : false),
  })
}

export function useContactScores(contactId: string) {
  return useQuery({
    queryKey: scoringKeys.contact(contactId),
    queryFn: () =>
      getData<ContactScores>(`/api/v1/contacts/${encodeURIComponent(contactId)}/scores`),
  })
}

/** The workspace's campaigns for the engagement rules' picker (names for the ids). */
export function useCampaignOptions() {
  return useQuery({
    queryKey: scoringKeys.campaigns,
    queryFn: () => getAll<Campaign>('/api/v1/campaigns?sort=name'),
    staleTime: 60_000,
    select: (campaigns): Option[] => campaigns.map((c) => ({ value: c.id, label: c.name })),
  })
}

/** Touch types of DEFINITIONS.md ("Touchpoints and channels"). */
export const touchTypeOptions: Option[] = [
  { value: 'page_view', label: 'Page view' },
  { value: 'form_submit', label: 'Form submit' },
  { value: 'email_open', label: 'Email open' },
  { value: 'email_click', label: 'Email click' },
  { value: 'ad_click', label: 'Ad click' },
  { value: 'webinar', label: 'Webinar' },
  { value: 'event', label: 'Event' },
  { value: 'content_download', label: 'Content download' },
  { value: 'content_view', label: 'Content view' },
  { value: 'chat', label: 'Chat' },
  { value: 'call', label: 'Call' },
  { value: 'meeting', label: 'Meeting' },
  { value: 'sales_email', label: 'Sales email' },
  { value: 'custom', label: 'Custom event' },
]

export const bucketLabels = [
  '0-9',
  '10-19',
  '20-29',
  '30-39',
  '40-49',
  '50-59',
  '60-69',
  '70-79',
  '80-89',
  '90-100',
]

export function isFitCondition(condition: unknown): condition is FitCondition {
  return (
    typeof condition === 'object' &&
    condition !== null &&
    (Array.isArray((condition as { all?: unknown }).all) ||
      Array.isArray((condition as { any?: unknown }).any))
  )
}

/**
 * Where a 400 points: `details.field`, else the first validation issue's field, without the
 * `body.` prefix Fastify adds (e.g. `points`, `condition.all[0].field`, `rules[2].condition`).
 */
export function errorPath(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 400) return null
  const details = error.details as { field?: unknown; issues?: { field?: unknown }[] } | null
  const raw =
    typeof details?.field === 'string'
      ? details.field
      : typeof details?.issues?.[0]?.field === 'string'
        ? details.issues[0].field
        : null
  if (raw !== null) return raw.replace(/^body\./, '')
  // Some messages name the field only in their text: "points: must not be 0".
  const match = /^([A-Za-z][\w.[\]]*):/.exec(error.message)
  return match?.[1] ?? null
}

export type RuleFormField = 'name' | 'points' | 'condition' | 'kind' | 'isActive' | 'position'

/**
 * The rule field an error names, for a rule edited alone (`name`) or as item `index` of the
 * proposed set of a preview (`rules[3].name` or `rules.3.name`); null when it names none of them.
 */
export function ruleFieldOf(error: unknown, index?: number): RuleFormField | null {
  let path = errorPath(error)
  if (path === null) return null
  if (index !== undefined) {
    const match = /^rules(?:\[(\d+)\]|\.(\d+))\.?(.*)$/.exec(path)
    if (!match) return null
    if (Number(match[1] ?? match[2]) !== index) return null
    path = match[3] ?? ''
  }
  const head = /^[A-Za-z]+/.exec(path)?.[0]
  const fields: RuleFormField[] = ['name', 'points', 'condition', 'kind', 'isActive', 'position']
  return fields.find((f) => f === head) ?? null
}

export function formatPoints(points: number): string {
  const shown = Number.isInteger(points) ? String(points) : points.toFixed(1)
  return points > 0 ? `+${shown}` : shown
}
