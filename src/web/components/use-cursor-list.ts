import { useInfiniteQuery } from '@tanstack/react-query'
import { getPage } from '../api/client.ts'

/** Pages through a `{ data, nextCursor }` list with a "Load more" button. */
export function useCursorList<T>(queryKey: readonly string[], path: string, limit = 50) {
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => getPage<T>(path, limit, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  })
  const items = query.data?.pages.flatMap((page) => page.data) ?? []
  return { ...query, items }
}
