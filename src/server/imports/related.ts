import { type Kysely, sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import {
  type LifecycleStage,
  type LifecycleState,
  lifecycleStages,
  transition,
} from '../../domain/lifecycle.ts'
import type { DB } from '../db/schema.ts'
import { externalKeyOf, type ImportContext, rowError } from './context.ts'
import type { PreparedRow } from './rows.ts'
import { followMerges } from './trash.ts'
import type { RowError } from './types.ts'

/**
 * Sets `accountId` on rows naming an account (by `accountDomain`, else `account` name), creating
 * the accounts that do not exist yet (an account named on a contact or deal, issue 4).
 */
export async function resolveAccounts(
  db: Kysely<DB>,
  ctx: ImportContext,
  rows: PreparedRow[],
): Promise<void> {
  const named = rows.filter(
    (r) => typeof r.values.account === 'string' || typeof r.values.accountDomain === 'string',
  )
  if (named.length === 0) return
  const domains = [...new Set(named.map((r) => r.values.accountDomain).filter(isString))]
  const names = [
    ...new Set(
      named
        .map((r) => r.values.account)
        .filter(isString)
        .map((n) => n.toLowerCase()),
    ),
  ]
  const all = await db
    .selectFrom('accounts')
    .select(['id', 'domain', 'mergedInto', sql<string>`lower(name)`.as('lowerName')])
    .where('workspaceId', '=', ctx.workspaceId)
    .where((eb) => eb.or([eb('deletedAt', 'is', null), eb('mergedInto', 'is not', null)]))
    .where((eb) =>
      eb.or([
        ...(domains.length ? [eb('domain', '=', eb.fn.any(eb.val(domains)))] : []),
        ...(names.length ? [eb(sql`lower(name)`, '=', eb.fn.any(eb.val(names)))] : []),
      ]),
    )
    .orderBy('createdAt')
    .execute()
  const byKey = new Map<string, string>()
  for (const a of all.filter((x) => x.mergedInto === null)) {
    if (a.domain && !byKey.has(`d:${a.domain}`)) byKey.set(`d:${a.domain}`, a.id)
    if (!byKey.has(`n:${a.lowerName}`)) byKey.set(`n:${a.lowerName}`, a.id)
  }
  // An account merged into another is named by its old domain or name: link its survivor.
  const merged = new Map<string, string>()
  for (const a of all.filter((x) => x.mergedInto !== null)) {
    for (const key of [...(a.domain ? [`d:${a.domain}`] : []), `n:${a.lowerName}`])
      if (!byKey.has(key) && !merged.has(key)) merged.set(key, a.id)
  }
  if (merged.size > 0)
    for (const [key, id] of await followMerges(db, 'accounts', ctx.workspaceId, merged))
      byKey.set(key, id)
  const created: { id: string; name: string; domain: string | null }[] = []
  for (const row of named) {
    const domain = isString(row.values.accountDomain) ? row.values.accountDomain : null
    const name = isString(row.values.account) ? row.values.account : null
    const key = domain ? `d:${domain}` : `n:${name?.toLowerCase()}`
    let id = byKey.get(key) ?? (domain ? undefined : byKey.get(`n:${name?.toLowerCase()}`))
    if (!id && domain && name) id = byKey.get(`n:${name.toLowerCase()}`)
    if (!id) {
      id = uuidv7()
      created.push({ id, name: (name ?? domain ?? '').slice(0, 200), domain })
      byKey.set(key, id)
      if (name) byKey.set(`n:${name.toLowerCase()}`, id)
    }
    row.values.accountId = id
  }
  if (created.length > 0) {
    await db
      .insertInto('accounts')
      .values(created.map((a) => ({ workspaceId: ctx.workspaceId, ...a })))
      .execute()
  }
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value !== ''
}

export interface StagePlan {
  recordId: string
  entries: { stage: LifecycleState; isReentry: boolean }[]
}

/**
 * Checks each row's lifecycle move against its record's current stage (forward-only, side states,
 * re-MQL: src/domain/lifecycle.ts) and returns the history rows to stamp; a backward move is a row
 * error and the row is skipped.
 */
export async function planLifecycle(
  db: Kysely<DB>,
  ctx: ImportContext,
  entity: 'account' | 'contact',
  items: { row: PreparedRow; id: string; current: string | null }[],
): Promise<{ plans: StagePlan[]; errors: Map<PreparedRow, RowError> }> {
  const moving = items.filter(
    (i) =>
      typeof i.row.values.lifecycleStage === 'string' && i.row.values.lifecycleStage !== i.current,
  )
  const fromSide = moving.filter((i) => i.current === 'disqualified' || i.current === 'recycled')
  const reached = new Map<string, LifecycleStage[]>()
  if (fromSide.length > 0) {
    const history = await db
      .selectFrom('lifecycleEntries')
      .select(['recordId', 'stage'])
      .where('workspaceId', '=', ctx.workspaceId)
      .where('entity', '=', entity)
      .where(
        'recordId',
        'in',
        fromSide.map((i) => i.id),
      )
      .execute()
    for (const h of history) {
      if (!(lifecycleStages as readonly string[]).includes(h.stage)) continue
      const list = reached.get(h.recordId) ?? []
      list.push(h.stage as LifecycleStage)
      reached.set(h.recordId, list)
    }
  }
  const plans: StagePlan[] = []
  const errors = new Map<PreparedRow, RowError>()
  for (const item of moving) {
    const target = item.row.values.lifecycleStage as LifecycleState
    const result = transition(item.current as LifecycleState | null, target, reached.get(item.id))
    if (!result.ok) errors.set(item.row, rowError(item.row, 'lifecycleStage', result.reason))
    else plans.push({ recordId: item.id, entries: result.entries })
  }
  return { plans, errors }
}

/** Stamps the planned lifecycle entries (source `import`) for the records actually written. */
export async function insertLifecycleEntries(
  db: Kysely<DB>,
  ctx: ImportContext,
  entity: 'account' | 'contact',
  plans: StagePlan[],
) {
  const values = plans.flatMap((p) =>
    p.entries.map((e) => ({
      id: uuidv7(),
      record_id: p.recordId,
      stage: e.stage,
      is_reentry: e.isReentry,
    })),
  )
  if (values.length === 0) return
  // One JSON parameter for the whole batch: set-based like the records themselves.
  await sql`
    insert into lifecycle_entries
      (workspace_id, id, entity, record_id, stage, entered_at, is_reentry, source)
    select ${ctx.workspaceId}::uuid, r.id, ${entity}, r.record_id, r.stage, ${ctx.now.toISOString()}::timestamptz,
      r.is_reentry, 'import'
    from json_to_recordset(${JSON.stringify(values)}::json)
      as r(id uuid, record_id uuid, stage text, is_reentry boolean)
  `.execute(db)
}

/**
 * Live contacts named by email or by external id, as `e:<email>` and external keys → id, for
 * rows that link to contacts (deal contacts, activities).
 */
export async function findContactKeys(
  db: Kysely<DB>,
  ctx: ImportContext,
  emails: string[],
  externalIds: string[],
): Promise<Map<string, string>> {
  const byKey = new Map<string, string>()
  if (emails.length === 0 && externalIds.length === 0) return byKey
  const found = await db
    .selectFrom('contacts')
    .select(['id', 'email', 'externalSource', 'externalId'])
    .where('workspaceId', '=', ctx.workspaceId)
    .where('deletedAt', 'is', null)
    .where((eb) =>
      eb.or([
        ...(emails.length ? [eb('email', '=', eb.fn.any(eb.val(emails)))] : []),
        ...(externalIds.length ? [eb('externalId', '=', eb.fn.any(eb.val(externalIds)))] : []),
      ]),
    )
    .execute()
  for (const c of found) {
    if (c.email) byKey.set(`e:${c.email}`, c.id)
    for (const k of externalKeyOf(c.externalSource, c.externalId)) byKey.set(k, c.id)
  }
  return byKey
}
