import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router'
import { setStoredWorkspaceId } from '../../api/client.ts'
import { queryKeys } from '../../api/queries.ts'
import { notifyError } from '../../components/notify.ts'
import { signOut } from '../auth/auth-api.ts'

const keptOnSwitch = new Set<unknown>([queryKeys.session[0], queryKeys.health[0]])

export function useSignOut() {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  return useMutation({
    mutationFn: signOut,
    onSuccess: () => {
      setStoredWorkspaceId(null)
      void navigate('/sign-in', { replace: true })
      queryClient.clear()
      queryClient.setQueryData(queryKeys.session, null)
    },
    onError: (error) => {
      notifyError('Could not sign out', error)
    },
  })
}

/** Remembers the choice and drops every cached answer, which belonged to the previous workspace. */
export function useSwitchWorkspace() {
  const queryClient = useQueryClient()
  return async (workspaceId: string) => {
    setStoredWorkspaceId(workspaceId)
    await queryClient.resetQueries({ predicate: (query) => !keptOnSwitch.has(query.queryKey[0]) })
  }
}
