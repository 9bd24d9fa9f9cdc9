import { useQuery } from '@tanstack/react-query'
import { api, getData, getStoredWorkspaceId, isApiError, setStoredWorkspaceId } from './client.ts'
import type { Health, Me, Session } from './types.ts'

export const queryKeys = {
  session: ['session'],
  me: ['me'],
  health: ['health'],
  workspace: ['workspace'],
  members: ['members'],
  invitations: ['invitations'],
  apiKeys: ['api-keys'],
  auditLog: ['audit-log'],
} as const

/** better-auth answers 200 with `null` when nobody is signed in, so this never logs a 401. */
export function useSession() {
  return useQuery({
    queryKey: queryKeys.session,
    queryFn: () => api.get<Session | null>('/api/auth/get-session'),
    staleTime: 60_000,
  })
}

/** A remembered workspace the person no longer belongs to answers 404: forget it and retry. */
async function fetchMe(): Promise<Me> {
  try {
    return await getData<Me>('/api/v1/me')
  } catch (error) {
    if (isApiError(error, 404) && getStoredWorkspaceId() !== null) {
      setStoredWorkspaceId(null)
      return getData<Me>('/api/v1/me')
    }
    throw error
  }
}

export function useMeQuery(enabled: boolean) {
  return useQuery({ queryKey: queryKeys.me, queryFn: fetchMe, enabled, staleTime: 30_000 })
}

export function useHealth() {
  return useQuery({
    queryKey: queryKeys.health,
    queryFn: () => api.get<Health>('/api/health'),
    staleTime: 5 * 60_000,
    retry: false,
  })
}
