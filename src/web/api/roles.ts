import type { Me, Permission, Role } from './types.ts'

export const roles: readonly Role[] = ['admin', 'marketing', 'sales', 'sales_manager', 'viewer']

export const roleLabels: Record<Role, string> = {
  admin: 'Admin',
  marketing: 'Marketing',
  sales: 'Sales',
  sales_manager: 'Sales manager',
  viewer: 'Viewer',
}

export const roleOptions = roles.map((role) => ({ value: role, label: roleLabels[role] }))

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value)
}

export function roleLabel(role: Role | null): string {
  return role === null ? 'No role' : roleLabels[role]
}

export function hasPermission(me: Me, permission: Permission): boolean {
  return me.permissions.includes(permission)
}
