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
import { Id } from '../http/schemas.ts'
import { accountKeyColumn, contactKeyColumn, type KeyColumn } from './keys.ts'
import { notFoundOrMerged } from './lookup.ts'
import { presentAccountSummary, presentContactSummary } from './present.ts'
import {
  type KeyGroup,
  type MergeEntity,
  selectAccountSummaries,
  selectContactSummaries,
  selectKeyGroups,
  selectRecordKeys,
} from './queries.ts'

export const ContactDuplicatesQuery = PageQuery.extend({
  reason: z.enum(contactDuplicateReasons).optional(),
  contactId: Id.optional().describe('only the groups this contact is in (its likely duplicates)'),
})
export type ContactDuplicatesQuery = z.infer<typeof ContactDuplicatesQuery>
export const AccountDuplicatesQuery = PageQuery.extend({
  reason: z.enum(accountDuplicateReasons).optional(),
  accountId: Id.optional().describe('only the groups this account is in (its likely duplicates)'),
})
export type AccountDuplicatesQuery = z.infer<typeof AccountDuplicatesQuery>

type Group<R> = KeyGroup & { reason: R }
type Page<R> = { groups: Group<R>[]; nextCursor: string | null }

interface Finding<R extends string> {
  entity: MergeEntity
  reasons: readonly R[]
  columnOf: Record<R, KeyColumn>
  notFound: string
}

const contactFinding: Finding<ContactDuplicateReason> = {
  entity: 'contact',
  reasons: contactDuplicateReasons,
  columnOf: contactKeyColumn,
  notFound: 'Contact not found',
}
const accountFinding: Finding<AccountDuplicateReason> = {
  entity: 'account',
  reasons: accountDuplicateReasons,
  columnOf: accountKeyColumn,
  notFound: 'Account not found',
}

/**
 * Walks the reasons in order and, within one, the groups in key order; the cursor keeps the
 * reason and the last key, so pages are keyset-paginated across reasons. With `recordId`, each
 * reason has at most one group: the one holding the record's own key.
 */
async function pageOfGroups<R extends string>(
  db: Database,
  workspaceId: string,
  finding: Finding<R>,
  query: { limit: number; cursor?: string | undefined; reason?: R | undefined },
  recordId: string | undefined,
): Promise<Page<R>> {
  const reasons = query.reason ? [query.reason] : finding.reasons
  const ownKeys = recordId ? await keysOf(db, workspaceId, finding, reasons, recordId) : undefined
  const after = decodeCursor(query.cursor, ['r', 'k'])
  const start = after ? Math.max(0, reasons.indexOf(String(after.r) as R)) : 0
  const groups: Group<R>[] = []
  let more = false
  for (let i = start; i < reasons.length; i++) {
    const reason = reasons[i] as R
    const key = ownKeys?.get(reason)
    if (ownKeys && key === undefined) continue
    const afterKey = after && i === start ? String(after.k) : undefined
    const want = query.limit - groups.length + 1
    const column = finding.columnOf[reason]
    const rows = await selectKeyGroups(
      db,
      workspaceId,
      finding.entity,
      column,
      { afterKey, key },
      want,
    )
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

/** A live record's keys by reason (reasons it has no key for are left out); 404 otherwise. */
async function keysOf<R extends string>(
  db: Database,
  workspaceId: string,
  finding: Finding<R>,
  reasons: readonly R[],
  id: string,
): Promise<Map<R, string>> {
  const columns = reasons.map((reason) => finding.columnOf[reason])
  const keys = await selectRecordKeys(db, workspaceId, finding.entity, id, columns)
  if (!keys) throw await notFoundOrMerged(db, workspaceId, finding.entity, id, finding.notFound)
  return new Map(
    reasons.flatMap((reason, i) => {
      const key = keys[i]
      return typeof key === 'string' ? [[reason, key] as const] : []
    }),
  )
}

/**
 * Likely duplicate contacts: same email (case, plus-addressing), name + phone, name + account;
 * with contactId, only the groups that contact is in.
 */
export async function listContactDuplicates(
  db: Database,
  principal: Principal,
  query: ContactDuplicatesQuery,
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const page = await pageOfGroups(db, workspaceId, contactFinding, query, query.contactId)
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

/**
 * Likely duplicate accounts: same domain (scheme, www., trailing dots) or same company name;
 * with accountId, only the groups that account is in.
 */
export async function listAccountDuplicates(
  db: Database,
  principal: Principal,
  query: AccountDuplicatesQuery,
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const page = await pageOfGroups(db, workspaceId, accountFinding, query, query.accountId)
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
