import { useQuery } from '@tanstack/react-query'
import { api } from '../../api/client.ts'
import type { Page } from '../../api/types.ts'
import { crmKeys } from '../records/crm-queries.ts'
import type { ApiCondition } from '../records/filter.ts'
import type { Deal, Pipeline } from '../records/types.ts'

/** Open deals of one pipeline, read page after page so column totals are complete. */
export const boardLimit = 1000

export function boardKey(pipelineId: string, ownerId: string) {
  return [...crmKeys.deals, 'board', pipelineId, ownerId] as const
}

async function fetchDeals(conditions: ApiCondition[], max: number, sort?: string) {
  const deals: Deal[] = []
  let cursor: string | null = null
  do {
    const params = new URLSearchParams({
      limit: String(Math.min(200, max)),
      filter: JSON.stringify({ all: conditions }),
    })
    if (sort) params.set('sort', sort)
    if (cursor) params.set('cursor', cursor)
    const page: Page<Deal> = await api.get<Page<Deal>>(`/api/v1/deals?${params.toString()}`)
    deals.push(...page.data)
    cursor = page.nextCursor
  } while (cursor && deals.length < max)
  return { deals, isComplete: cursor === null }
}

function conditionsFor(pipeline: Pipeline, stageIds: string[], ownerId: string): ApiCondition[] {
  return [
    { field: 'pipelineId', op: 'eq', value: pipeline.id },
    { field: 'stageId', op: 'in', value: stageIds },
    ...(ownerId ? [{ field: 'ownerId', op: 'eq' as const, value: ownerId }] : []),
  ]
}

export function useOpenDeals(pipeline: Pipeline | undefined, ownerId: string) {
  const open = (pipeline?.stages ?? []).filter((s) => !s.isWon && !s.isLost).map((s) => s.id)
  return useQuery({
    queryKey: boardKey(pipeline?.id ?? '', ownerId),
    queryFn: () =>
      pipeline ? fetchDeals(conditionsFor(pipeline, open, ownerId), boardLimit) : null,
    enabled: pipeline !== undefined && open.length > 0,
  })
}

/** The latest deals closed into a won or lost stage, newest first. */
export function useClosedDeals(pipeline: Pipeline | undefined, stageId: string, ownerId: string) {
  return useQuery({
    queryKey: [...crmKeys.deals, 'board-closed', pipeline?.id ?? '', stageId, ownerId],
    queryFn: () =>
      pipeline ? fetchDeals(conditionsFor(pipeline, [stageId], ownerId), 5, '-updatedAt') : null,
    enabled: pipeline !== undefined && stageId !== '',
  })
}
