import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { decodeCursor, encodeCursor, type Page } from '../http/pagination.ts'

/** How an email is kept once erased: sha-256 (hex) of the trimmed, lower-cased address. */
export function emailHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex')
}

/**
 * Which of these emails were erased on request in the workspace (answered as given). One query
 * for a whole batch (`= any($hashes)`), so ingestion, forms and imports check cheaply.
 */
export async function findSuppressedEmails(
  db: Kysely<DB>,
  workspaceId: string,
  emails: readonly string[],
): Promise<Set<string>> {
  if (emails.length === 0) return new Set()
  const byHash = new Map<string, string[]>()
  for (const email of new Set(emails)) {
    const hash = emailHash(email)
    byHash.set(hash, [...(byHash.get(hash) ?? []), email])
  }
  const rows = await db
    .selectFrom('suppressions')
    .select('emailHash')
    .where('workspaceId', '=', workspaceId)
    .where((eb) => eb('emailHash', '=', eb.fn.any(eb.val([...byHash.keys()]))))
    .execute()
  return new Set(rows.flatMap((r) => byHash.get(r.emailHash) ?? []))
}

/** Refuses an email erased on request: the API's create and edit of a contact. */
export async function checkNotSuppressed(db: Kysely<DB>, workspaceId: string, email: string) {
  if ((await findSuppressedEmails(db, workspaceId, [email])).size > 0) {
    throw new AppError(
      'conflict',
      'email: this address was erased on request and is suppressed; an admin may lift the suppression (DELETE /api/v1/suppressions/{id}, docs/privacy.md)',
      { field: 'email', reason: 'suppressed' },
    )
  }
}

export function presentSuppression(row: {
  id: string
  emailHash: string
  reason: string
  createdAt: Date
  createdBy: string
}) {
  return {
    id: row.id,
    emailHash: row.emailHash,
    reason: row.reason,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
  }
}

/** The workspace's suppressed email hashes, newest first (admins); `email` finds one address's. */
export async function listSuppressions(
  db: Database,
  principal: Principal,
  page: Page & { email?: string | undefined },
) {
  const { workspaceId } = requirePermission(principal, 'privacy:manage')
  const after = decodeCursor(page.cursor, ['id'])
  const rows = await db
    .selectFrom('suppressions')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .$if(page.email !== undefined, (q) => q.where('emailHash', '=', emailHash(page.email ?? '')))
    .$if(after !== undefined, (q) => q.where('id', '<', String(after?.id)))
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute()
  const more = rows.length > page.limit
  const data = rows.slice(0, page.limit)
  const last = data.at(-1)
  return {
    data: data.map(presentSuppression),
    nextCursor: more && last ? encodeCursor({ id: last.id }) : null,
  }
}

/** Lifts one suppression: that email may be created again by events, forms, imports and the API. */
export async function liftSuppression(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'privacy:manage')
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .deleteFrom('suppressions')
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id)
      .returning(['id', 'emailHash'])
      .executeTakeFirst()
    if (!row) throw new AppError('not_found', 'Suppression not found')
    await recordAudit(trx, principal, workspaceId, {
      action: 'suppression.lifted',
      targetType: 'suppression',
      targetId: id,
      details: { emailHash: row.emailHash },
    })
  })
}
