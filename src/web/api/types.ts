export type Role = 'admin' | 'marketing' | 'sales' | 'sales_manager' | 'viewer'

export type Permission =
  | 'workspace:read'
  | 'workspace:update'
  | 'members:read'
  | 'members:manage'
  | 'api_keys:manage'
  | 'audit:read'

export interface User {
  id: string
  name: string
  email: string
}

export interface Workspace {
  id: string
  name: string
  timeZone: string
  baseCurrency: string
  fiscalYearStartMonth: number
  createdAt: string
}

export interface WorkspaceSummary {
  id: string
  name: string
  role: Role | null
}

export interface Me {
  user: User | null
  workspace: Workspace | null
  role: Role | null
  permissions: string[]
  workspaces: WorkspaceSummary[]
}

export interface Session {
  session: { id: string; expiresAt: string }
  user: User
}

export interface Health {
  status: 'ok' | 'degraded'
  database: 'ok' | 'down'
  worker: 'ok' | 'stale' | 'not_running'
  version: string
  demo: boolean
}

export interface Page<T> {
  data: T[]
  nextCursor: string | null
}

export interface Envelope<T> {
  data: T
}

export interface Member {
  userId: string
  name: string
  email: string
  role: Role
  joinedAt: string
}

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired'

export interface Invitation {
  id: string
  email: string
  role: Role
  status: InvitationStatus
  expiresAt: string
  createdAt: string
  invitedBy: { id: string; name: string } | null
}

export interface InvitationPreview {
  workspaceName: string
  email: string
  role: Role
  status: InvitationStatus
  expiresAt: string
}

export interface ApiKey {
  id: string
  name: string
  role: Role
  prefix: string
  createdAt: string
  createdBy: { id: string; name: string } | null
  lastUsedAt: string | null
  revokedAt: string | null
}

export type ActorType = 'user' | 'api_key' | 'cli' | 'system'

export interface AuditEntry {
  id: string
  at: string
  actor: { type: ActorType; id: string | null; name: string | null }
  action: string
  targetType: string | null
  targetId: string | null
  details: unknown
}
