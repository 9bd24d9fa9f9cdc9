import type { InvitationStatus, Role } from '../db/schema.ts'

export function presentMember(row: {
  userId: string
  name: string
  email: string
  role: Role
  createdAt: Date
}) {
  return {
    userId: row.userId,
    name: row.name,
    email: row.email,
    role: row.role,
    joinedAt: row.createdAt.toISOString(),
  }
}

export function presentInvitation(row: {
  id: string
  email: string
  role: Role
  status: InvitationStatus
  expiresAt: Date
  createdAt: Date
  invitedBy: string | null
  invitedByName: string | null
}) {
  const expired = row.status === 'pending' && row.expiresAt.getTime() < Date.now()
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status: expired ? ('expired' as const) : row.status,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    invitedBy: row.invitedBy ? { id: row.invitedBy, name: row.invitedByName ?? '' } : null,
  }
}
