import { Navigate, Outlet, useLocation } from 'react-router'
import { isApiError } from '../../api/client.ts'
import { useMeQuery, useSession } from '../../api/queries.ts'
import { FirstWorkspacePage } from './first-workspace-page.tsx'
import { FullPageError, FullPageLoader } from './full-page.tsx'
import { MeProvider } from './me-context.tsx'

/**
 * Guards every signed-in page: no session sends people to sign in (and back here afterwards);
 * a person without any workspace is asked to create their first one.
 */
export function RequireSession() {
  const location = useLocation()
  const session = useSession()
  const me = useMeQuery(Boolean(session.data))

  if (session.isPending) return <FullPageLoader />
  if (session.error)
    return <FullPageError error={session.error} onRetry={() => session.refetch()} />
  if (!session.data || isApiError(me.error, 401)) {
    const here = `${location.pathname}${location.search}`
    const next = here === '/' ? '' : `?next=${encodeURIComponent(here)}`
    return <Navigate to={`/sign-in${next}`} replace />
  }
  if (me.isPending) return <FullPageLoader />
  if (me.error) return <FullPageError error={me.error} onRetry={() => me.refetch()} />
  const { workspace } = me.data
  if (!workspace) return <FirstWorkspacePage me={me.data} />
  return (
    <MeProvider me={{ ...me.data, workspace }}>
      <Outlet />
    </MeProvider>
  )
}
