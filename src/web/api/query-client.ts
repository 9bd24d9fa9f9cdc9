import { QueryCache, QueryClient } from '@tanstack/react-query'
import { isApiError } from './client.ts'
import { queryKeys } from './queries.ts'

/**
 * Client errors (4xx) are answers, not glitches: they are not retried. A 401 from the API means
 * the session ended, so the cached session is dropped and the guard sends the person to sign in.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        if (isApiError(error, 401)) client.setQueryData(queryKeys.session, null)
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => {
          if (isApiError(error) && error.status >= 400 && error.status < 500) return false
          return failureCount < 2
        },
      },
    },
  })
  return client
}
