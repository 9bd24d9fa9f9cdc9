import type { Role } from '../db/schema.ts'

export function presentApiKey(row: {
  id: string
  name: string
  role: Role
  prefix: string
  createdAt: Date
  lastUsedAt: Date | null
  revokedAt: Date | null
  createdBy: string | null
  createdByName: string | null
}) {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy ? { id: row.createdBy, name: row.createdByName ?? '' } : null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }
}
