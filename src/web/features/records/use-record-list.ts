import { useInfiniteQuery } from '@tanstack/react-query'
import { api } from '../../api/client.ts'
import type { Page } from '../../api/types.ts'
import { type ListState, listPath } from './use-list-state.ts'

/** One kind of record, searched, filtered and sorted, a page at a time ("Load more"). */
export function useRecordList<T>(
  queryKey: readonly string[],
  path: string,
  state: ListState,
  limit = 50,
) {
  const query = useInfiniteQuery({
    queryKey: [...queryKey, 'list', path, state],
    queryFn: ({ pageParam }) => api.get<Page<T>>(listPath(path, state, limit, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  })
  const items = query.data?.pages.flatMap((page) => page.data) ?? []
  return { ...query, items }
}
