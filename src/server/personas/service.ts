import type { Kysely } from 'kysely'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import {
  countContactsByPersona,
  deletePersonas,
  insertMissingPersonas,
  lockPersona,
  type PersonaValues,
  selectPersonas,
  upsertPersonas,
} from './queries.ts'

export const defaultPersonas: readonly PersonaValues[] = [
  { key: 'economic_buyer', label: 'Economic buyer', position: 0 },
  { key: 'technical_buyer', label: 'Technical buyer', position: 1 },
  { key: 'user', label: 'User', position: 2 },
  { key: 'champion', label: 'Champion', position: 3 },
]

export const PersonaKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be snake_case: a-z, 0-9 and _, starting with a letter')

export const PersonasInput = z.object({
  personas: z
    .array(z.object({ key: PersonaKey, label: z.string().trim().min(1).max(100) }))
    .min(1, 'keep at least one persona')
    .max(100),
})
export type PersonasInput = z.infer<typeof PersonasInput>

/**
 * The workspace's personas in order. A workspace that has none yet gets the defaults, written on
 * first use so every later read, check and join sees the same rows.
 */
export async function ensurePersonas(db: Kysely<DB>, workspaceId: string) {
  const rows = await selectPersonas(db, workspaceId)
  if (rows.length > 0) return rows
  await insertMissingPersonas(db, workspaceId, [...defaultPersonas])
  return selectPersonas(db, workspaceId)
}

/**
 * Checks that `key` is one of the workspace's personas (invalid_input naming `field` otherwise)
 * and holds it until the caller's transaction ends, so it cannot be removed meanwhile.
 */
export async function requirePersona(
  db: Kysely<DB>,
  workspaceId: string,
  key: string,
  field = 'persona',
) {
  const personas = await ensurePersonas(db, workspaceId)
  if (personas.some((p) => p.key === key) && (await lockPersona(db, workspaceId, key))) return
  throw new AppError(
    'invalid_input',
    `${field}: "${key}" is not a persona of this workspace; use one of ${personas.map((p) => p.key).join(', ')}`,
    { field },
  )
}

/** Everyone who can read records sees the persona list (the defaults until an admin edits it). */
export async function listPersonas(db: Database, principal: Principal) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  return ensurePersonas(db, workspaceId)
}

/**
 * Replaces the persona list (order = position). A persona still used by contacts cannot be
 * removed: 409 naming it, and nothing changes.
 */
export async function replacePersonas(db: Database, principal: Principal, input: PersonasInput) {
  const { workspaceId } = requirePermission(principal, 'catalog:manage')
  const seen = new Set<string>()
  input.personas.forEach((p, i) => {
    if (seen.has(p.key)) {
      throw new AppError('invalid_input', `body.personas.${i}.key: "${p.key}" appears twice`, {
        field: `personas.${i}.key`,
      })
    }
    seen.add(p.key)
  })
  return db.transaction().execute(async (trx) => {
    const before = await ensurePersonas(trx, workspaceId)
    const removed = before.map((p) => p.key).filter((key) => !seen.has(key))
    // Delete first: the delete waits for contacts being written with these personas (they hold
    // a key-share lock), so the count below sees them.
    if (removed.length > 0) await deletePersonas(trx, workspaceId, removed)
    const inUse = removed.length > 0 ? await countContactsByPersona(trx, workspaceId, removed) : []
    const first = inUse[0]
    if (first) {
      throw new AppError(
        'conflict',
        `personas: "${first.persona}" is used by ${first.contacts} contact${first.contacts === 1 ? '' : 's'}; give them another persona first`,
        { field: 'personas', inUse },
      )
    }
    const after = input.personas.map((p, position) => ({ ...p, position }))
    await upsertPersonas(trx, workspaceId, after)
    await recordAudit(trx, principal, workspaceId, {
      action: 'personas.replace',
      targetType: 'personas',
      details: {
        from: before.map((p) => ({ key: p.key, label: p.label })),
        to: input.personas,
      },
    })
    return selectPersonas(trx, workspaceId)
  })
}
