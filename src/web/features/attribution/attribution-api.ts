import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, getData, getStoredWorkspaceId, postData } from '../../api/client.ts'
import { notifySuccess } from '../../components/notify.ts'

/** The model slugs of DEFINITIONS.md, with the names people read. */
export const modelNames = {
  first_touch: 'First touch',
  lead_creation: 'Lead creation',
  last_touch: 'Last touch',
  linear: 'Linear',
  time_decay: 'Time decay',
  u_shaped: 'U-shaped',
  w_shaped: 'W-shaped',
  full_path: 'Full path',
  custom: 'Custom',
  markov: 'Markov (data-driven)',
  shapley: 'Shapley (data-driven)',
} as const
export type AttributionModel = keyof typeof modelNames

export interface MilestoneWeights {
  FT: number
  LC: number
  OC: number
  CW: number
  others: number
}

/** GET /api/v1/attribution/settings (`AttributionSettings`). */
export interface AttributionSettings {
  defaultModel: AttributionModel
  lookbackDays: number
  halfLifeDays: number
  customWeights: MilestoneWeights
  includeSalesTouches: boolean
  sourcedBy: 'first_touch' | 'lead_creation'
  updatedAt: string | null
}

/** GET /api/v1/attribution/status (`AttributionStatus`). */
export interface AttributionStatus {
  status: 'idle' | 'queued' | 'running' | 'failed'
  queuedAt: string | null
  startedAt: string | null
  finishedAt: string | null
  model: AttributionModel | null
  missingRates: string[]
  error: string | null
}

export const attributionKeys = {
  settings: ['attribution', 'settings'] as const,
  status: ['attribution', 'status'] as const,
}

export function useAttributionStatus() {
  return useQuery({
    queryKey: attributionKeys.status,
    queryFn: () => getData<AttributionStatus>('/api/v1/attribution/status'),
    // While a recompute is queued or running, its end is worth watching for.
    refetchInterval: (query) =>
      query.state.data?.status === 'queued' || query.state.data?.status === 'running'
        ? 3_000
        : false,
  })
}

export function useAttributionSettings() {
  return useQuery({
    queryKey: attributionKeys.settings,
    queryFn: () => getData<AttributionSettings>('/api/v1/attribution/settings'),
  })
}

/** Every model, in the order people read them: rules first, data-driven last. */
export const attributionModels = Object.keys(modelNames) as AttributionModel[]

/** The conversion slugs of DEFINITIONS.md, with the names people read. */
export const conversionNames = {
  lead_created: 'Lead created',
  mql: 'MQL',
  sql: 'SQL',
  opportunity_created: 'Opportunity created',
  won: 'Won',
} as const
export type AttributionConversion = keyof typeof conversionNames
export const attributionConversions = Object.keys(conversionNames) as AttributionConversion[]

export const isAttributionModel = (value: string | null): value is AttributionModel =>
  value !== null && value in modelNames
export const isAttributionConversion = (value: string | null): value is AttributionConversion =>
  value !== null && value in conversionNames

/** Deals convert to an opportunity and to won; people (contacts) to a lead, an MQL, an SQL. */
export const isDealConversion = (conversion: AttributionConversion) =>
  conversion === 'opportunity_created' || conversion === 'won'

export type AttributionGroupBy = 'channel' | 'campaign' | 'month'

/** A number's lowest and highest value over every model: how uncertain it is. */
export type Spread = [min: number, max: number]

interface SourcedOrInfluenced {
  pipeline: number
  revenue: number
  deals: number
}

/** One group of GET /api/v1/reports/attribution; money in minor units of the base currency. */
export interface AttributionRow {
  /** Channel, campaign id ('none': touches without a campaign) or 'YYYY-MM'. */
  key: string
  label: string
  channel?: string
  campaign?: string | null
  month?: string
  /** Credited conversions of the report's conversion under its model (fractional). */
  conversions: number
  pipeline: number
  revenue: number
  /** Campaign costs incurred in the range. */
  cost: number
  /** (revenue − cost) ÷ cost; null when cost is 0. */
  roi: number | null
  costPerMql: number | null
  costPerSql: number | null
  costPerWon: number | null
  /** Deals whose first touch (or lead-creation touch, per settings) is in this group. */
  sourced: SourcedOrInfluenced
  /** Deals with any touch of this group before opportunity creation, at their full amount. */
  influenced: SourcedOrInfluenced
  /** The web path of the drill-down (/telescope/attribution?…). */
  link: string
}

export interface AttributionModelValues {
  model: AttributionModel
  conversions: number
  pipeline: number
  revenue: number
}

export interface AttributionComparison {
  key: string
  label: string
  models: AttributionModelValues[]
  spread: { conversions: Spread; pipeline: Spread; revenue: Spread }
}

export type AttributionMeasure = 'conversions' | 'pipeline' | 'revenue'

export interface AttributionTrendMonth {
  month: string
  conversions: Record<string, number>
  pipeline: Record<string, number>
  revenue: Record<string, number>
}

/** GET /api/v1/reports/attribution (src/server/reports/attribution*.ts). */
export interface AttributionReport {
  from: string
  to: string
  model: AttributionModel
  defaultModel: AttributionModel
  conversion: AttributionConversion
  groupBy: AttributionGroupBy
  baseCurrency: string
  /** Currencies of costs without an exchange rate to the base currency: not counted. */
  missingRates: string[]
  /** When the stored credits were computed; null: never. */
  computedAt: string | null
  rows: AttributionRow[]
  totals: {
    conversions: number
    pipeline: number
    revenue: number
    cost: number
    roi: number | null
  }
  /** Conversions with no touch in the lookback window: counted, never dropped. */
  noTouch: { conversions: number; revenue: number }
  /** The drill-down of the conversions without a touch (kind=no_touch). */
  noTouchLink: string
  /** Open deals' closed-won share (full path only). */
  pending: { conversions: number; revenue: number }
  comparison: AttributionComparison[]
  trends: { channels: string[]; months: AttributionTrendMonth[] }
}

/** The report's inputs as the page holds them: null or '' leaves one to the server's default. */
export interface AttributionReportParams {
  model: AttributionModel | null
  conversion: AttributionConversion | null
  groupBy: AttributionGroupBy
  from: string
  to: string
}

function reportQuery({ model, conversion, groupBy, from, to }: AttributionReportParams) {
  const query = new URLSearchParams({ groupBy })
  if (model) query.set('model', model)
  if (conversion) query.set('conversion', conversion)
  if (from) query.set('from', from)
  if (to) query.set('to', to)
  return query
}

export const attributionReportKey = ['reports', 'attribution'] as const

export function useAttributionReport(params: AttributionReportParams) {
  const query = reportQuery(params)
  return useQuery({
    queryKey: [...attributionReportKey, query.toString()],
    queryFn: () => getData<AttributionReport>(`/api/v1/reports/attribution?${query.toString()}`),
    // Changing the model or the range keeps the last answer on screen until the next arrives.
    placeholderData: keepPreviousData,
  })
}

/**
 * The CSV download of the report's rows. A link cannot send X-Workspace-Id, so the workspace
 * travels as `workspaceId` (the session cookie goes along), as the list exports do.
 */
export function attributionExportHref(params: AttributionReportParams): string {
  const query = reportQuery(params)
  const workspaceId = getStoredWorkspaceId()
  if (workspaceId) query.set('workspaceId', workspaceId)
  return `/api/v1/reports/attribution/export?${query.toString()}`
}

/**
 * What a drill-down lists: the credits of a campaign (id or 'none'), a channel or a month, or the
 * conversions of a kind (no_touch: no touch in the lookback window; pending: open deals' share).
 */
export type CreditGroup =
  | { by: 'campaign'; value: string }
  | { by: 'channel'; value: string }
  | { by: 'month'; value: string }
  | { by: 'kind'; value: 'no_touch' | 'pending' }

/** One deal or contact credited to the group, from GET /api/v1/reports/attribution/credits. */
export interface AttributionCredit {
  subjectType: 'deal' | 'contact'
  id: string
  name: string
  convertedAt: string
  /** The group's share of this conversion, 0..1. */
  credit: number
  /** Credited revenue, minor units of the base currency. */
  revenue: number
  /** The deal's full value. */
  amount: number
  /** The group's credited touches; null under a model whose per-touch credits are not stored. */
  touches: number | null
  /** /microscope/deals/:id or /microscope/contacts/:id */
  link: string
}

export interface AttributionCredits {
  data: AttributionCredit[]
  /**
   * model: the model credited (null: none computed yet); perTouch: whether it is the model whose
   * per-touch credits are stored (the default when attribution last ran).
   */
  meta: {
    model: AttributionModel | null
    perTouch: boolean
    conversion: AttributionConversion
    from: string
    to: string
    total: number
    limit: number
    offset: number
  }
}

export interface CreditsParams {
  /** null: the model whose per-touch credits are stored. */
  model?: AttributionModel | null
  conversion: AttributionConversion
  group: CreditGroup
  from: string
  to: string
  limit: number
  offset: number
}

export function useAttributionCredits({
  model,
  conversion,
  group,
  from,
  to,
  limit,
  offset,
}: CreditsParams) {
  const query = new URLSearchParams({ conversion })
  if (model) query.set('model', model)
  query.set(group.by, group.value)
  if (from) query.set('from', from)
  if (to) query.set('to', to)
  query.set('limit', String(limit))
  query.set('offset', String(offset))
  return useQuery({
    queryKey: ['attribution', 'credits', query.toString()],
    queryFn: () =>
      api.get<AttributionCredits>(`/api/v1/reports/attribution/credits?${query.toString()}`),
    placeholderData: keepPreviousData,
  })
}

export interface JourneyTouch {
  touchpointId: string
  at: string
  channel: string
  campaign: { id: string; name: string } | null
  /** This touch's share of the conversion, 0..1; null when the journey's model keeps none per touch. */
  credit: number | null
  /** Credited revenue, minor units of the base currency (null as credit). */
  revenue: number | null
}

/** A model's share of one conversion earned by one channel and campaign. */
export interface JourneyShare {
  channel: string
  campaign: { id: string; name: string } | null
  credit: number
  revenue: number
}

/** GET /api/v1/attribution/journeys/:subjectId: the touches behind one conversion. */
export interface AttributionJourney {
  subjectType: 'deal' | 'contact'
  id: string
  name: string
  conversion: AttributionConversion
  convertedAt: string
  /** The model credited; null before the first computation. */
  model: AttributionModel | null
  /** Whether touches carry their own credit (the model whose per-touch credits are stored). */
  perTouch: boolean
  /** The model's credit per channel and campaign when perTouch is false. */
  shares: JourneyShare[] | null
  /** The lookback window: touches at most this many days before the conversion. */
  lookbackDays: number
  /** touch: credited touches; pending: an open deal's share waits; no_touch: nothing to credit. */
  kind: 'touch' | 'pending' | 'no_touch'
  /** Every creditable touch of the window in time order; credit 0 when the model passes over it. */
  touches: JourneyTouch[]
  /** An open deal's share still pending (full path). */
  pending: number
}

export function useAttributionJourney(
  subjectId: string,
  conversion: AttributionConversion,
  model: AttributionModel | null = null,
) {
  const query = new URLSearchParams({ conversion })
  if (model) query.set('model', model)
  return useQuery({
    queryKey: ['attribution', 'journey', subjectId, query.toString()],
    queryFn: () =>
      getData<AttributionJourney>(
        `/api/v1/attribution/journeys/${encodeURIComponent(subjectId)}?${query.toString()}`,
      ),
  })
}

/** Queues a recompute of every model now; the status then shows when it is done. */
export function useRecomputeAttribution() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => postData<AttributionStatus>('/api/v1/attribution/recompute', {}),
    onSuccess: async () => {
      notifySuccess('Recompute queued: the credits are updated in a few seconds.')
      await queryClient.invalidateQueries({ queryKey: attributionKeys.status })
    },
  })
}
