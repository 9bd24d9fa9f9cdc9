import { hash, randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import { NotifiedCache } from '../db/notified-cache.ts'
import type { Role } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { decodeCursor, encodeCursor, type Page } from '../http/pagination.ts'
import { presentApiKey } from './present.ts'
import {
  findActiveKeyByHash,
  insertApiKey,
  markRevoked,
  selectApiKeys,
  touchLastUsed,
} from './queries.ts'

export const revokedChannel = 'tandem_api_key_revoked'

export interface VerifiedKey {
  id: string
  workspaceId: string
  name: string
  role: Role
}

export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex')
}

/**
 * Verifies API keys with an in-process cache of hashes. A revoke purges every process's cache at
 * once through PostgreSQL NOTIFY (see db/notify.ts), so a revoked key stops working everywhere.
 */
export class ApiKeyVerifier {
  readonly cache = new NotifiedCache<VerifiedKey>(revokedChannel)
  private readonly lastTouched = new Map<string, number>()

  constructor(private readonly db: Database) {}

  async verify(key: string): Promise<VerifiedKey | undefined> {
    const keyHash = hashApiKey(key)
    const found = await this.cache.get(keyHash, () => findActiveKeyByHash(this.db, keyHash))
    if (found) this.touch(found, Date.now())
    return found
  }

  // Records last use at most once a minute per key, off the request's path.
  private touch(key: VerifiedKey, now: number) {
    const last = this.lastTouched.get(key.id) ?? 0
    if (now - last < 60_000) return
    this.lastTouched.set(key.id, now)
    touchLastUsed(this.db, key.workspaceId, key.id).catch(() => {
      this.lastTouched.delete(key.id)
    })
  }
}

/** Creates an API key for the workspace; the full key is returned once and stored only hashed. */
export async function createApiKey(
  db: Database,
  principal: Principal,
  input: { name: string; role: Role },
) {
  const { workspaceId } = requirePermission(principal, 'api_keys:manage')
  const key = `tdm_${randomBytes(32).toString('base64url')}`
  const created = await db.transaction().execute(async (trx) => {
    const row = await insertApiKey(trx, {
      workspaceId,
      id: uuidv7(),
      name: input.name,
      role: input.role,
      prefix: key.slice(0, 12),
      keyHash: hashApiKey(key),
      createdBy: principal.kind === 'user' ? principal.userId : null,
    })
    await recordAudit(trx, principal, workspaceId, {
      action: 'api_key.create',
      targetType: 'api_key',
      targetId: row.id,
      details: { name: input.name, role: input.role },
    })
    return row
  })
  const creatorName = principal.kind === 'user' ? principal.name : null
  return { ...presentApiKey({ ...created, createdByName: creatorName }), key }
}

export async function listApiKeys(db: Database, principal: Principal, page: Page) {
  const { workspaceId } = requirePermission(principal, 'api_keys:manage')
  const after = decodeCursor(page.cursor, ['id'])
  const rows = await selectApiKeys(db, workspaceId, after?.id as string | undefined, page.limit + 1)
  const data = rows.slice(0, page.limit)
  const last = data.at(-1)
  return {
    data: data.map(presentApiKey),
    nextCursor: rows.length > page.limit && last ? encodeCursor({ id: last.id }) : null,
  }
}

/** Revokes a key; every process stops accepting it at once (NOTIFY in the same transaction). */
export async function revokeApiKey(
  db: Database,
  verifier: ApiKeyVerifier,
  principal: Principal,
  id: string,
) {
  const { workspaceId } = requirePermission(principal, 'api_keys:manage')
  const revoked = await db.transaction().execute(async (trx) => {
    const row = await markRevoked(trx, workspaceId, id)
    if (!row) return undefined
    await recordAudit(trx, principal, workspaceId, {
      action: 'api_key.revoke',
      targetType: 'api_key',
      targetId: id,
      details: { name: row.name },
    })
    await sql`select pg_notify(${revokedChannel}, ${row.keyHash})`.execute(trx)
    return row
  })
  if (!revoked) throw new AppError('not_found', 'API key not found or already revoked')
  verifier.cache.purge(revoked.keyHash)
}
