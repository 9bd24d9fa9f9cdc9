import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import { NotifiedCache } from '../db/notified-cache.ts'
import { AppError } from '../errors.ts'
import { decodeCursor, encodeCursor, type Page } from '../http/pagination.ts'
import { presentWriteKey } from './present.ts'
import {
  findUsableWriteKey,
  findWriteKeyForUpdate,
  insertWriteKey,
  markWriteKeyRevoked,
  selectWriteKeys,
  setWriteKeyExpiry,
} from './queries.ts'

/** NOTIFY channel whose payload is a write key that was revoked or rotated (now expiring). */
export const writeKeyChangedChannel = 'tandem_write_key_changed'
/** How long a rotated key keeps working, so a deployed snippet can be updated (issue 5). */
export const rotationOverlapMs = 24 * 60 * 60_000

/** What a person names when creating a key (API body and CLI flags). */
export const WriteKeyInput = z.object({ name: z.string().trim().min(1).max(100) })
export type WriteKeyInput = z.infer<typeof WriteKeyInput>

/** What every write key looks like (`wk_` and 32 characters of base64url). */
export const writeKeyPattern = /^wk_[\w-]{32}$/

interface CachedWriteKey {
  workspaceId: string
  keyId: string
  expiresAt: number | null
}

// One cache per database handle, i.e. per process context (tests run several in one process).
const caches = new WeakMap<Database, NotifiedCache<CachedWriteKey>>()

/** This process's write-key cache for a database (its LISTEN is wired in context.ts). */
export function writeKeyCache(db: Database): NotifiedCache<CachedWriteKey> {
  let cache = caches.get(db)
  if (!cache) {
    cache = new NotifiedCache<CachedWriteKey>(writeKeyChangedChannel)
    caches.set(db, cache)
  }
  return cache
}

/**
 * The workspace a write key ingests into, for the /v1/* endpoints; undefined when the key is
 * unknown, revoked or expired. Cached in process; a revoke or rotation purges every process's
 * cache through NOTIFY, and a cached expiry is checked on every call.
 */
export async function resolveWriteKey(
  db: Database,
  key: string,
): Promise<{ workspaceId: string; keyId: string } | undefined> {
  if (!writeKeyPattern.test(key)) return undefined
  const cache = writeKeyCache(db)
  const found = await cache.get(key, async () => {
    const row = await findUsableWriteKey(db, key)
    return (
      row && {
        workspaceId: row.workspaceId,
        keyId: row.id,
        expiresAt: row.expiresAt?.getTime() ?? null,
      }
    )
  })
  if (!found) return undefined
  if (found.expiresAt !== null && found.expiresAt <= Date.now()) {
    cache.purge(key)
    return undefined
  }
  return { workspaceId: found.workspaceId, keyId: found.keyId }
}

function newWriteKey(): string {
  return `wk_${randomBytes(24).toString('base64url')}`
}

function creatorOf(principal: Principal) {
  return principal.kind === 'user'
    ? { createdBy: principal.userId, createdByName: principal.name }
    : { createdBy: null, createdByName: null }
}

/** Creates a write key for the workspace's tracking snippet or Segment-compatible libraries. */
export async function createWriteKey(db: Database, principal: Principal, input: WriteKeyInput) {
  const { workspaceId } = requirePermission(principal, 'write_keys:manage')
  const creator = creatorOf(principal)
  const row = await db.transaction().execute(async (trx) => {
    const created = await insertWriteKey(trx, {
      workspaceId,
      id: uuidv7(),
      name: input.name,
      key: newWriteKey(),
      createdBy: creator.createdBy,
    })
    await recordAudit(trx, principal, workspaceId, {
      action: 'write_key.create',
      targetType: 'write_key',
      targetId: created.id,
      details: { name: input.name },
    })
    return created
  })
  return presentWriteKey({ ...row, createdByName: creator.createdByName })
}

/** Every write key of the workspace, revoked ones too, newest first. Any member may read them. */
export async function listWriteKeys(db: Database, principal: Principal, page: Page) {
  const { workspaceId } = requirePermission(principal, 'workspace:read')
  const after = decodeCursor(page.cursor, ['id'])
  const rows = await selectWriteKeys(
    db,
    workspaceId,
    after?.id as string | undefined,
    page.limit + 1,
  )
  const data = rows.slice(0, page.limit)
  const last = data.at(-1)
  const now = new Date()
  return {
    data: data.map((row) => presentWriteKey(row, now)),
    nextCursor: rows.length > page.limit && last ? encodeCursor({ id: last.id }) : null,
  }
}

/**
 * Replaces an active key with a new one of the same name; the old one keeps working for 24 hours
 * (rotationOverlapMs) so a deployed snippet can be updated without losing events.
 */
export async function rotateWriteKey(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'write_keys:manage')
  const creator = creatorOf(principal)
  const now = new Date()
  const { old, created } = await db.transaction().execute(async (trx) => {
    const old = await findWriteKeyForUpdate(trx, workspaceId, id)
    if (!old) throw new AppError('not_found', 'Write key not found')
    if (old.revokedAt) {
      throw new AppError('conflict', 'This write key was revoked; create a new one instead')
    }
    if (old.expiresAt) {
      throw new AppError(
        'conflict',
        old.expiresAt > now
          ? 'This write key was already rotated; rotate its replacement instead'
          : 'This write key has expired; create a new one instead',
      )
    }
    const expiresAt = new Date(now.getTime() + rotationOverlapMs)
    await setWriteKeyExpiry(trx, workspaceId, id, expiresAt)
    const created = await insertWriteKey(trx, {
      workspaceId,
      id: uuidv7(),
      name: old.name,
      key: newWriteKey(),
      createdBy: creator.createdBy,
    })
    await recordAudit(trx, principal, workspaceId, {
      action: 'write_key.rotate',
      targetType: 'write_key',
      targetId: id,
      details: { name: old.name, replacedBy: created.id, expiresAt: expiresAt.toISOString() },
    })
    // Cached copies of the old key must learn its expiry.
    await sql`select pg_notify(${writeKeyChangedChannel}, ${old.key})`.execute(trx)
    return { old, created }
  })
  writeKeyCache(db).purge(old.key)
  return presentWriteKey({ ...created, createdByName: creator.createdByName }, now)
}

/** Revokes a key: every process stops accepting it at once (NOTIFY in the same transaction). */
export async function revokeWriteKey(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'write_keys:manage')
  const revoked = await db.transaction().execute(async (trx) => {
    const row = await markWriteKeyRevoked(trx, workspaceId, id)
    if (!row) return undefined
    await recordAudit(trx, principal, workspaceId, {
      action: 'write_key.revoke',
      targetType: 'write_key',
      targetId: id,
      details: { name: row.name },
    })
    await sql`select pg_notify(${writeKeyChangedChannel}, ${row.key})`.execute(trx)
    return row
  })
  if (!revoked) throw new AppError('not_found', 'Write key not found or already revoked')
  writeKeyCache(db).purge(revoked.key)
}
