import { useCallback } from 'react'
import { useSearchParams } from 'react-router'
import { type ApiFilter, parseFilter } from './filter.ts'

export interface ListState {
  q: string
  filter: ApiFilter | null
  sort: string
}

/** Search, filter and sort live in the address, so a list can be bookmarked and shared. */
export function useListState(defaultSort: string) {
  const [params, setParams] = useSearchParams()
  const state: ListState = {
    q: params.get('q') ?? '',
    filter: parseFilter(params.get('filter')),
    sort: params.get('sort') ?? defaultSort,
  }
  const update = useCallback(
    (next: Partial<ListState>) => {
      setParams(
        (previous) => {
          const merged = new URLSearchParams(previous)
          if (next.q !== undefined) {
            if (next.q) merged.set('q', next.q)
            else merged.delete('q')
          }
          if (next.filter !== undefined) {
            if (next.filter) merged.set('filter', JSON.stringify(next.filter))
            else merged.delete('filter')
          }
          if (next.sort !== undefined) {
            if (next.sort && next.sort !== defaultSort) merged.set('sort', next.sort)
            else merged.delete('sort')
          }
          return merged
        },
        { replace: true },
      )
    },
    [setParams, defaultSort],
  )
  return [state, update] as const
}

export function listPath(path: string, state: ListState, limit: number, cursor: string | null) {
  const params = new URLSearchParams({ limit: String(limit) })
  if (state.q) params.set('q', state.q)
  if (state.filter) params.set('filter', JSON.stringify(state.filter))
  if (state.sort) params.set('sort', state.sort)
  if (cursor) params.set('cursor', cursor)
  return `${path}?${params.toString()}`
}
