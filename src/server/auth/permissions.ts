import type { Role } from '../db/schema.ts'

/** What each role may do: the one table every service checks (ARCHITECTURE.md, Security). */
export const roles = [
  'admin',
  'marketing',
  'sales',
  'sales_manager',
  'viewer',
] as const satisfies readonly Role[]

export type Permission =
  | 'workspace:read'
  | 'workspace:update'
  | 'members:read'
  | 'members:manage'
  | 'api_keys:manage'
  | 'audit:read'

const everyone: Permission[] = ['workspace:read', 'members:read']

export const permissionsOf: Record<Role, readonly Permission[]> = {
  admin: [...everyone, 'workspace:update', 'members:manage', 'api_keys:manage', 'audit:read'],
  marketing: everyone,
  sales: everyone,
  sales_manager: everyone,
  viewer: everyone,
}

export function can(role: Role, permission: Permission): boolean {
  return permissionsOf[role].includes(permission)
}
