import { useQuery } from '@tanstack/react-query'
import { api, getData, getPage } from '../../api/client.ts'
import type { Member, Page } from '../../api/types.ts'
import type { CustomField, Persona, Pipeline, RecordEntity } from './types.ts'

/** Query keys of the CRM; invalidating a plural refreshes its lists and records alike. */
export const crmKeys = {
  accounts: ['accounts'],
  contacts: ['contacts'],
  deals: ['deals'],
  activities: ['activities'],
  timeline: ['timeline'],
  pipelines: ['pipelines'],
  personas: ['personas'],
  allMembers: ['members', 'all'],
  customFields: ['custom-fields'],
  savedViews: ['saved-views'],
  teams: ['teams'],
  products: ['products'],
  exchangeRates: ['exchange-rates'],
  trash: ['trash'],
  campaigns: ['campaigns'],
  identityMerges: ['identity-merges'],
} as const

/** Reads every page of a small list (members, pipelines, products) up to `max` rows. */
export async function getAll<T>(path: string, max = 1000): Promise<T[]> {
  const items: T[] = []
  let cursor: string | null = null
  do {
    const page: Page<T> = await getPage<T>(path, 200, cursor)
    items.push(...page.data)
    cursor = page.nextCursor
  } while (cursor && items.length < max)
  return items
}

/** Lists that answer either `{ data: [...] }` or a bare array. */
export async function getList<T>(path: string): Promise<T[]> {
  const body = await api.get<{ data: T[] } | T[]>(path)
  return Array.isArray(body) ? body : body.data
}

export function useAllMembers() {
  return useQuery({
    queryKey: crmKeys.allMembers,
    queryFn: () => getAll<Member>('/api/v1/members'),
    staleTime: 5 * 60_000,
  })
}

export function usePipelines() {
  return useQuery({
    queryKey: crmKeys.pipelines,
    queryFn: () => getList<Pipeline>('/api/v1/pipelines'),
    staleTime: 60_000,
    select: (pipelines) =>
      pipelines.map((p) => ({
        ...p,
        stages: [...p.stages].sort((a, b) => a.position - b.position),
      })),
  })
}

export function usePersonas() {
  return useQuery({
    queryKey: crmKeys.personas,
    queryFn: () => getData<Persona[]>('/api/v1/personas'),
    staleTime: 5 * 60_000,
  })
}

export function useCustomFields(entity: RecordEntity) {
  return useQuery({
    queryKey: [...crmKeys.customFields, entity],
    queryFn: () => getList<CustomField>(`/api/v1/custom-fields?entity=${entity}`),
    staleTime: 60_000,
  })
}

export function memberOptions(members: Member[] | undefined) {
  return (members ?? [])
    .map((m) => ({ value: m.userId, label: m.name || m.email }))
    .sort((a, b) => a.label.localeCompare(b.label))
}

export function recordPath(entity: RecordEntity, id: string): string {
  return `/microscope/${entity}s/${encodeURIComponent(id)}`
}
