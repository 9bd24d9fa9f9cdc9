import type { Role } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { can, type Permission } from './permissions.ts'

/** Who is acting: a signed-in person, a program with an API key, or the CLI on this machine. */
export type Principal =
  | {
      kind: 'user'
      userId: string
      name: string
      email: string
      workspaceId: string | null
      role: Role | null
    }
  | { kind: 'api_key'; keyId: string; name: string; workspaceId: string; role: Role }
  | { kind: 'cli'; name: string; workspaceId: string; role: Role }

export interface WorkspaceActor {
  principal: Principal
  workspaceId: string
  role: Role
}

/** The workspace the principal acts in, or not_found when a person belongs to none yet. */
export function inWorkspace(principal: Principal): WorkspaceActor {
  if (principal.workspaceId === null || principal.role === null) {
    throw new AppError('not_found', 'You belong to no workspace yet: create one first')
  }
  return { principal, workspaceId: principal.workspaceId, role: principal.role }
}

export function requirePermission(principal: Principal, permission: Permission): WorkspaceActor {
  const actor = inWorkspace(principal)
  if (!can(actor.role, permission)) {
    throw new AppError('forbidden', `Your role (${actor.role}) may not do this (${permission})`)
  }
  return actor
}

export function actorFields(principal: Principal) {
  switch (principal.kind) {
    case 'user':
      return { actorType: 'user' as const, actorId: principal.userId, actorName: principal.name }
    case 'api_key':
      return { actorType: 'api_key' as const, actorId: principal.keyId, actorName: principal.name }
    case 'cli':
      return { actorType: 'cli' as const, actorId: null, actorName: principal.name }
  }
}
