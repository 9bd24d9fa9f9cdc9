import { useMe } from '../shell/me-context.tsx'

/** Admins and marketers build forms (the server's campaigns:write); everyone reads them. */
export function useCanEditForms(): boolean {
  const me = useMe()
  return (me.permissions as readonly string[]).includes('campaigns:write')
}
