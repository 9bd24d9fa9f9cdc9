import { Navigate } from 'react-router'
import { useHealth, useSession } from '../../api/queries.ts'
import { SignInPage } from '../auth/sign-in-page.tsx'
import { FullPageError, FullPageLoader } from './full-page.tsx'

/**
 * `/` opens Microscope for a signed-in person (its Today page: the landing page of reps and sales
 * managers), the sign-in page for anyone else.
 */
export function RootRedirect() {
  const session = useSession()
  // Loaded alongside the session so the sign-in page (and its demo note) renders complete.
  const health = useHealth()
  if (session.isPending || health.isPending) return <FullPageLoader />
  if (session.error)
    return <FullPageError error={session.error} onRetry={() => session.refetch()} />
  if (session.data) return <Navigate to="/microscope" replace />
  // Render the sign-in page before the address changes, so it is complete the moment it shows.
  return (
    <>
      <SignInPage />
      <Navigate to="/sign-in" replace />
    </>
  )
}
