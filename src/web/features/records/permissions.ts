import { useMe } from '../shell/me-context.tsx'

export type CrmPermission =
  | 'records:read'
  | 'records:write'
  | 'records:delete'
  | 'catalog:manage'
  | 'identities:manage'
  | 'privacy:manage'

/** Whether the signed-in person's role allows it (the server checks again on every call). */
export function useCan(permission: CrmPermission): boolean {
  const me = useMe()
  return me.permissions.includes(permission)
}
