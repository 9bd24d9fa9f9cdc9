import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { permissionsOf } from '../auth/permissions.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { NotifiedCache } from '../db/notified-cache.ts'
import { AppError } from '../errors.ts'
import { presentWorkspace } from './present.ts'
import {
  findWorkspace,
  findWorkspaceByName,
  selectMemberships,
  type WorkspaceRow,
  workspaceChangedChannel,
} from './queries.ts'

type WorkspaceCache = NotifiedCache<WorkspaceRow>

const timeZones = new Set(Intl.supportedValuesOf('timeZone').concat('UTC'))
const currencies = new Set(Intl.supportedValuesOf('currency'))

export const WorkspaceSettings = z.object({
  name: z.string().trim().min(1).max(100),
  timeZone: z
    .string()
    .refine((tz) => timeZones.has(tz), 'must be an IANA time zone such as Europe/Berlin'),
  baseCurrency: z
    .string()
    .toUpperCase()
    .refine((c) => currencies.has(c), 'must be an ISO 4217 currency code such as USD'),
  fiscalYearStartMonth: z.number().int().min(1).max(12),
})
export const WorkspaceInput = WorkspaceSettings.partial().required({ name: true })
export type WorkspaceInput = z.infer<typeof WorkspaceInput>
export const WorkspacePatch = WorkspaceSettings.partial()
export type WorkspacePatch = z.infer<typeof WorkspacePatch>

/** Who am I, where am I acting, and what may I do there. */
export async function getMe(db: Database, cache: WorkspaceCache, principal: Principal) {
  const id = principal.workspaceId
  const workspace = id ? await cache.get(id, () => findWorkspace(db, id)) : undefined
  const workspaces =
    principal.kind === 'user'
      ? await selectMemberships(db, principal.userId)
      : workspace
        ? [{ id: workspace.id, name: workspace.name, role: principal.role }]
        : []
  return {
    user:
      principal.kind === 'user'
        ? { id: principal.userId, name: principal.name, email: principal.email }
        : null,
    apiKey: principal.kind === 'api_key' ? { id: principal.keyId, name: principal.name } : null,
    workspace: workspace ? presentWorkspace(workspace) : null,
    role: principal.role,
    permissions: principal.role ? [...permissionsOf[principal.role]] : [],
    workspaces,
  }
}

/** Creates a workspace; the person creating it becomes its admin. */
export async function createWorkspace(db: Database, principal: Principal, input: WorkspaceInput) {
  if (principal.kind !== 'user') {
    throw new AppError('forbidden', 'Only a signed-in person can create a workspace')
  }
  const id = uuidv7()
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('workspaces')
      .values({ id, ...input })
      .returningAll()
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('memberships')
      .values({ workspaceId: id, userId: principal.userId, role: 'admin' })
      .execute()
    await recordAudit(trx, principal, id, {
      action: 'workspace.create',
      targetType: 'workspace',
      targetId: id,
      details: { ...input },
    })
    return presentWorkspace(row)
  })
}

export async function getWorkspace(db: Database, cache: WorkspaceCache, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'workspace:read')
  const row = await cache.get(workspaceId, () => findWorkspace(db, workspaceId))
  if (!row) throw new AppError('not_found', 'Workspace not found')
  return presentWorkspace(row)
}

/** Changes the workspace's settings (name, time zone, base currency, fiscal year start). */
export async function updateWorkspace(
  db: Database,
  cache: WorkspaceCache,
  principal: Principal,
  patch: WorkspacePatch,
) {
  const { workspaceId } = requirePermission(principal, 'workspace:update')
  const updated = await db.transaction().execute(async (trx) => {
    const before = await findWorkspace(trx, workspaceId)
    if (!before) throw new AppError('not_found', 'Workspace not found')
    const row = await trx
      .updateTable('workspaces')
      .set({ ...patch, updatedAt: new Date() })
      .where('id', '=', workspaceId)
      .returningAll()
      .executeTakeFirstOrThrow()
    const changed = Object.fromEntries(
      Object.entries(patch).map(([k, v]) => [k, { from: before[k as keyof typeof before], to: v }]),
    )
    await recordAudit(trx, principal, workspaceId, {
      action: 'workspace.update',
      targetType: 'workspace',
      targetId: workspaceId,
      details: changed,
    })
    await sql`select pg_notify(${workspaceChangedChannel}, ${workspaceId})`.execute(trx)
    return presentWorkspace(row)
  })
  cache.purge(workspaceId)
  return updated
}

/** Finds a workspace by id or exact name, for the CLI. */
export async function resolveWorkspace(db: Database, nameOrId: string) {
  const isId = /^[0-9a-f-]{36}$/i.test(nameOrId)
  const row = isId ? await findWorkspace(db, nameOrId) : await findWorkspaceByName(db, nameOrId)
  if (!row) throw new AppError('not_found', `No workspace named or with id "${nameOrId}"`)
  return row
}
