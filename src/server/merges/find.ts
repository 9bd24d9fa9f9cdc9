import { z } from 'zod'
import {
  type AccountDuplicateReason,
  accountDuplicateReasons,
  type ContactDuplicateReason,
  contactDuplicateReasons,
} from '../../domain/duplicates.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { Database } from '../db/database.ts'
import { decodeCursor, encodeCursor, PageQuery } from '../http/pagination.ts'
import { accountKeySql, contactKeySql } from './keys.ts'
import { presentAccountSummary, presentContactSummary } from './present.ts'
import {
  type KeyGroup,
  type MergeEntity,
  selectAccountSummaries,
  selectContactSummaries,
  selectKeyGroups,
} from './queries.ts'

export const ContactDuplicatesQuery = PageQuery.extend({
  reason: z.enum(contactDuplicateReasons).optional(),
})
export type ContactDuplicatesQuery = z.infer<typeof ContactDuplicatesQuery>
export const AccountDuplicatesQuery = PageQuery.extend({
  reason: z.enum(accountDuplicateReasons).optional(),
})
export type AccountDuplicatesQuery = z.infer<typeof AccountDuplicatesQuery>

type Page<R> = { groups: (KeyGroup & { reason: R })[]; nextCursor: string | null }

/**
 * Walks the reasons in order and, within one, the groups in key order; the cursor keeps the
 * reason and the last key, so pages are keyset-paginated across reasons.
 */
async function pageOfGroups<R extends string>(
  db: Database,
  workspaceId: string,
  entity: MergeEntity,
  reasons: readonly R[],
  keyOf: (reason: R) => Parameters<typeof selectKeyGroups>[3],
  query: { limit: number; cursor?: string | undefined },
): Promise<Page<R>> {
  const after = decodeCursor(query.cursor, ['r', 'k'])
  const start = after ? Math.max(0, reasons.indexOf(String(after.r) as R)) : 0
  const groups: Page<R>['groups'] = []
  let more = false
  for (let i = start; i < reasons.length; i++) {
    const reason = reasons[i] as R
    const afterKey = after && i === start ? String(after.k) : undefined
    const want = query.limit - groups.length + 1
    const rows = await selectKeyGroups(db, workspaceId, entity, keyOf(reason), afterKey, want)
    groups.push(...rows.map((row) => ({ ...row, reason })))
    if (groups.length > query.limit) {
      more = true
      break
    }
  }
  const page = groups.slice(0, query.limit)
  const last = page.at(-1)
  return {
    groups: page,
    nextCursor: more && last ? encodeCursor({ r: last.reason, k: last.key }) : null,
  }
}

/** Likely duplicate contacts: same email (case, plus-addressing), name + phone, name + account. */
export async function listContactDuplicates(
  db: Database,
  principal: Principal,
  query: ContactDuplicatesQuery,
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const reasons: readonly ContactDuplicateReason[] = query.reason
    ? [query.reason]
    : contactDuplicateReasons
  const page = await pageOfGroups(
    db,
    workspaceId,
    'contact',
    reasons,
    (r) => contactKeySql[r],
    query,
  )
  const ids = [...new Set(page.groups.flatMap((g) => g.ids))]
  const rows = ids.length > 0 ? await selectContactSummaries(db, workspaceId, ids) : []
  const byId = new Map(rows.map((row) => [row.id, presentContactSummary(row)]))
  return {
    data: page.groups.map((group) => ({
      reason: group.reason,
      key: group.key,
      size: group.size,
      records: group.ids.flatMap((id) => byId.get(id) ?? []),
    })),
    nextCursor: page.nextCursor,
  }
}

/** Likely duplicate accounts: same domain (scheme, www., trailing dots) or same company name. */
export async function listAccountDuplicates(
  db: Database,
  principal: Principal,
  query: AccountDuplicatesQuery,
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const reasons: readonly AccountDuplicateReason[] = query.reason
    ? [query.reason]
    : accountDuplicateReasons
  const page = await pageOfGroups(
    db,
    workspaceId,
    'account',
    reasons,
    (r) => accountKeySql[r],
    query,
  )
  const ids = [...new Set(page.groups.flatMap((g) => g.ids))]
  const rows = ids.length > 0 ? await selectAccountSummaries(db, workspaceId, ids) : []
  const byId = new Map(rows.map((row) => [row.id, presentAccountSummary(row)]))
  return {
    data: page.groups.map((group) => ({
      reason: group.reason,
      key: group.key,
      size: group.size,
      records: group.ids.flatMap((id) => byId.get(id) ?? []),
    })),
    nextCursor: page.nextCursor,
  }
}
