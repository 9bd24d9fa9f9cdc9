import type { ColumnType, Generated, JSONColumnType } from 'kysely'

// The database, typed by hand next to the migrations (no generated code). camelCase here,
// snake_case in SQL (CamelCasePlugin).

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>

export type Role = 'admin' | 'marketing' | 'sales' | 'sales_manager' | 'viewer'
export type ActorType = 'user' | 'api_key' | 'cli' | 'system'
export type InvitationStatus = 'pending' | 'accepted' | 'revoked'

export interface UsersTable {
  id: string
  name: string
  email: string
  emailVerified: boolean
  image: string | null
  createdAt: CreatedAt
  updatedAt: Timestamp
}

export interface SessionsTable {
  id: string
  expiresAt: Timestamp
  token: string
  createdAt: CreatedAt
  updatedAt: Timestamp
  ipAddress: string | null
  userAgent: string | null
  userId: string
}

export interface AuthAccountsTable {
  id: string
  accountId: string
  providerId: string
  userId: string
  accessToken: string | null
  refreshToken: string | null
  idToken: string | null
  accessTokenExpiresAt: Timestamp | null
  refreshTokenExpiresAt: Timestamp | null
  scope: string | null
  password: string | null
  createdAt: CreatedAt
  updatedAt: Timestamp
}

export interface VerificationsTable {
  id: string
  identifier: string
  value: string
  expiresAt: Timestamp
  createdAt: CreatedAt
  updatedAt: Timestamp
}

export interface InstanceSettingsTable {
  key: string
  value: ColumnType<unknown, string, string>
  updatedAt: Generated<Date>
}

export interface WorkspacesTable {
  id: string
  name: string
  timeZone: Generated<string>
  baseCurrency: Generated<string>
  fiscalYearStartMonth: Generated<number>
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}

export interface MembershipsTable {
  workspaceId: string
  userId: string
  role: Role
  createdAt: Generated<Date>
}

export interface InvitationsTable {
  workspaceId: string
  id: string
  email: string
  role: Role
  tokenHash: string
  status: Generated<InvitationStatus>
  invitedBy: string | null
  expiresAt: Timestamp
  acceptedBy: string | null
  acceptedAt: Timestamp | null
  createdAt: Generated<Date>
}

export interface ApiKeysTable {
  workspaceId: string
  id: string
  name: string
  role: Role
  prefix: string
  keyHash: string
  createdBy: string | null
  createdAt: Generated<Date>
  lastUsedAt: Timestamp | null
  revokedAt: Timestamp | null
}

export interface AuditLogTable {
  workspaceId: string
  id: string
  at: Generated<Date>
  actorType: ActorType
  actorId: string | null
  actorName: string
  action: string
  targetType: string
  targetId: string | null
  details: JSONColumnType<Record<string, unknown>>
}

export interface TeamsTable {
  workspaceId: string
  id: string
  name: string
  managerId: string | null
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}

export interface TeamMembersTable {
  workspaceId: string
  teamId: string
  userId: string
}

export interface WorkerHeartbeatsTable {
  workerId: string
  version: string
  beatAt: Generated<Date>
}

export interface DB {
  users: UsersTable
  sessions: SessionsTable
  authAccounts: AuthAccountsTable
  verifications: VerificationsTable
  instanceSettings: InstanceSettingsTable
  workspaces: WorkspacesTable
  memberships: MembershipsTable
  invitations: InvitationsTable
  apiKeys: ApiKeysTable
  auditLog: AuditLogTable
  teams: TeamsTable
  teamMembers: TeamMembersTable
  workerHeartbeats: WorkerHeartbeatsTable
}
