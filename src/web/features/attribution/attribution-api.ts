import { useQuery } from '@tanstack/react-query'
import { getData } from '../../api/client.ts'

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
