import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { z } from 'zod'
import { allLifecycleStates } from '../../domain/lifecycle.ts'
import { recordAudit } from '../audit/service.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import { checkCustomValues, customFilterFields, loadDefinitions } from '../custom-fields/values.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { recomputeDealFit } from '../fit/recompute.ts'
import { notFoundOrMerged } from '../merges/lookup.ts'
import { normalizeDomain, requireMember } from '../records/common.ts'
import {
  Country,
  Currency,
  changes,
  ExternalRef,
  enterLifecycleStage,
  IsoDate,
  MinorUnits,
} from '../records/fields.ts'
import { compileFilter, type FieldMap, parseFilterParam } from '../records/filter.ts'
import {
  type ListQuery,
  parseSort,
  type Sortable,
  searchCondition,
  toPage,
} from '../records/list.ts'
import { moveToTrash } from '../trash/move-to-trash.ts'
import { presentAccount } from './present.ts'
import {
  countAccountChildren,
  findAccount,
  lockAccounts,
  selectAccountPage,
  selectReachedStages,
} from './queries.ts'

export const AccountInput = z.object({
  name: z.string().trim().min(1).max(200),
  domain: z.string().trim().max(255).nullable().optional(),
  industry: z.string().trim().min(1).max(100).nullable().optional(),
  employees: z.number().int().min(0).max(10_000_000).nullable().optional(),
  annualRevenue: MinorUnits.nullable().optional(),
  annualRevenueCurrency: Currency.nullable().optional(),
  country: Country.nullable().optional(),
  region: z.string().trim().min(1).max(50).nullable().optional(),
  tier: z.string().trim().min(1).max(50).nullable().optional(),
  ownerId: z.string().min(1).max(100).nullable().optional(),
  lifecycleStage: z.enum(allLifecycleStates).nullable().optional(),
  custom: z.record(z.string(), z.unknown()).optional(),
  churnedOn: IsoDate.nullable().optional().describe('when the customer churned (YYYY-MM-DD)'),
  refundedOn: IsoDate.nullable().optional().describe('when the customer was refunded (YYYY-MM-DD)'),
  downgradedOn: IsoDate.nullable().optional().describe('when the customer downgraded (YYYY-MM-DD)'),
  ...ExternalRef,
})
export type AccountInput = z.infer<typeof AccountInput>
export const AccountPatch = AccountInput.partial()
export type AccountPatch = z.infer<typeof AccountPatch>

const a = (column: string) => () => sql.ref(`a.${column}`)
export const accountFields: FieldMap = {
  id: { type: 'uuid', sql: a('id') },
  name: { type: 'text', sql: a('name') },
  domain: { type: 'text', sql: a('domain') },
  industry: { type: 'text', sql: a('industry') },
  employees: { type: 'number', sql: a('employees') },
  annualRevenue: { type: 'number', sql: a('annualRevenue') },
  country: { type: 'text', sql: a('country') },
  region: { type: 'text', sql: a('region') },
  churnedOn: { type: 'date', sql: a('churnedOn') },
  refundedOn: { type: 'date', sql: a('refundedOn') },
  downgradedOn: { type: 'date', sql: a('downgradedOn') },
  tier: { type: 'text', sql: a('tier') },
  ownerId: { type: 'text', sql: a('ownerId') },
  lifecycleStage: { type: 'text', sql: a('lifecycleStage'), values: allLifecycleStates },
  externalSource: { type: 'text', sql: a('externalSource') },
  externalId: { type: 'text', sql: a('externalId') },
  createdAt: { type: 'timestamp', sql: a('createdAt') },
  updatedAt: { type: 'timestamp', sql: a('updatedAt') },
}
const sortable: Record<string, Sortable> = {
  updatedAt: { type: 'timestamptz', sql: a('updatedAt') },
  createdAt: { type: 'timestamptz', sql: a('createdAt') },
  name: { type: 'text', sql: a('name') },
  employees: { type: 'numeric', sql: () => sql`coalesce(${sql.ref('a.employees')}, -1)` },
  annualRevenue: { type: 'numeric', sql: () => sql`coalesce(${sql.ref('a.annualRevenue')}, -1)` },
}
/** The sortable fields of the list, shared with exports. */
export const accountSorts = sortable

/** Accounts of the workspace: `q` over name and domain, the filter language, any sortable field. */
export async function listAccounts(db: Database, principal: Principal, query: ListQuery) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const filter = parseFilterParam(query.filter)
  const definitions = filter ? await loadDefinitions(db, workspaceId, 'account') : []
  const fields = { ...accountFields, ...customFilterFields(definitions, 'a') }
  const sort = parseSort(query.sort, sortable, '-updatedAt')
  const where = [
    searchCondition('a.search', query.q),
    filter ? compileFilter(filter, fields) : undefined,
  ].filter((w) => w !== undefined)
  const rows = await selectAccountPage(db, workspaceId, where, sort, query.cursor, query.limit)
  return toPage(rows, query.limit, sort, presentAccount)
}

export async function getAccount(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const row = await findAccount(db, workspaceId, id)
  if (!row) throw await notFoundOrMerged(db, workspaceId, 'account', id, 'Account not found')
  const [counts] = (await countAccountChildren(db, workspaceId, id)).rows
  const stageHistory = await selectReachedStages(db, workspaceId, 'account', id)
  return {
    ...presentAccount(row),
    counts: counts ?? { contacts: 0, deals: 0 },
    stageHistory: stageHistory.map((s) => ({
      stage: s.stage,
      enteredAt: s.enteredAt.toISOString(),
      isReentry: s.isReentry,
    })),
  }
}

async function prepare(
  db: Kysely<DB>,
  workspaceId: string,
  input: AccountPatch,
  existing?: { id: string; custom: Record<string, string | number | string[] | null> },
) {
  const { custom, lifecycleStage: _stage, domain, ...rest } = input
  const values: Record<string, unknown> = { ...rest }
  if (domain !== undefined) {
    const normalized = domain === null || domain === '' ? null : normalizeDomain(domain)
    if (normalized === undefined) {
      throw new AppError('invalid_input', 'domain: not a domain name such as example.com', {
        field: 'domain',
      })
    }
    if (normalized) {
      const taken = await db
        .selectFrom('accounts')
        .select(['id', 'name'])
        .where('workspaceId', '=', workspaceId)
        .where('domain', '=', normalized)
        .where('deletedAt', 'is', null)
        .$if(existing !== undefined, (q) => q.where('id', '<>', existing?.id ?? ''))
        .executeTakeFirst()
      if (taken) {
        throw new AppError(
          'conflict',
          `domain: ${normalized} already belongs to the account "${taken.name}"`,
          {
            field: 'domain',
            existingId: taken.id,
          },
        )
      }
    }
    values.domain = normalized
  }
  if (input.ownerId) await requireMember(db, workspaceId, input.ownerId, 'ownerId')
  if (input.annualRevenue != null && !input.annualRevenueCurrency && !existing) {
    throw new AppError('invalid_input', 'annualRevenueCurrency: required with annualRevenue', {
      field: 'annualRevenueCurrency',
    })
  }
  if (custom !== undefined) {
    const definitions = await loadDefinitions(db, workspaceId, 'account')
    values.custom = JSON.stringify(checkCustomValues(definitions, custom, existing?.custom))
  }
  return values
}

/** Creates an account; its lifecycle stage (if any) starts its stage history. */
export async function createAccount(db: Database, principal: Principal, input: AccountInput) {
  const { workspaceId } = requirePermission(principal, 'records:write')
  const id = uuidv7()
  await db.transaction().execute(async (trx) => {
    const values = await prepare(trx, workspaceId, input)
    await trx
      .insertInto('accounts')
      .values({
        workspaceId,
        id,
        ...values,
        name: input.name,
        lifecycleStage: input.lifecycleStage ?? null,
      })
      .execute()
    if (input.lifecycleStage) {
      await enterLifecycleStage(
        trx,
        { workspaceId, entity: 'account', id },
        null,
        input.lifecycleStage,
        new Date(),
      )
    }
    await recordAudit(trx, principal, workspaceId, {
      action: 'account.create',
      targetType: 'account',
      targetId: id,
      details: { name: input.name },
    })
  })
  return getAccount(db, principal, id)
}

export async function updateAccount(
  db: Database,
  principal: Principal,
  id: string,
  patch: AccountPatch,
) {
  const { workspaceId } = requirePermission(principal, 'records:write')
  await db.transaction().execute(async (trx) => applyPatch(trx, principal, workspaceId, id, patch))
  return getAccount(db, principal, id)
}

async function applyPatch(
  trx: Kysely<DB>,
  principal: Principal,
  workspaceId: string,
  id: string,
  patch: AccountPatch,
) {
  const [before] = await lockAccounts(trx, workspaceId, [id])
  if (!before) throw new AppError('not_found', `Account ${id} not found`)
  const values = await prepare(trx, workspaceId, patch, before)
  if (patch.lifecycleStage) {
    await enterLifecycleStage(
      trx,
      { workspaceId, entity: 'account', id },
      before.lifecycleStage,
      patch.lifecycleStage,
      new Date(),
    )
    values.lifecycleStage = patch.lifecycleStage
  }
  await trx
    .updateTable('accounts')
    .set({ ...values, updatedAt: new Date() })
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .execute()
  // Product fit reads the account's industry, employees and region: its deals follow at once.
  if (fitChanged(before, patch)) await recomputeDealFit(trx, workspaceId, { accountIds: [id] })
  await recordAudit(trx, principal, workspaceId, {
    action: 'account.update',
    targetType: 'account',
    targetId: id,
    details: changes(before, {
      ...patch,
      ...(values.domain !== undefined ? { domain: values.domain } : {}),
    }),
  })
}

function fitChanged(
  before: { industry: string | null; employees: number | null; region: string | null },
  patch: AccountPatch,
) {
  return (
    (patch.industry !== undefined && patch.industry !== before.industry) ||
    (patch.employees !== undefined && patch.employees !== before.employees) ||
    (patch.region !== undefined && patch.region !== before.region)
  )
}

/** Applies one patch to up to 200 accounts in one transaction: all change or none. */
export async function bulkUpdateAccounts(
  db: Database,
  principal: Principal,
  ids: string[],
  patch: AccountPatch,
) {
  const { workspaceId } = requirePermission(principal, 'records:write')
  if (patch.domain)
    throw new AppError('invalid_input', 'domain: cannot be set on many accounts at once', {
      field: 'domain',
    })
  await db.transaction().execute(async (trx) => {
    const found = await lockAccounts(trx, workspaceId, ids)
    const missing = ids.filter((id) => !found.some((f) => f.id === id))
    if (missing.length > 0)
      throw new AppError('not_found', `Accounts not found: ${missing.join(', ')}`, { ids: missing })
    for (const id of ids) await applyPatch(trx, principal, workspaceId, id, patch)
  })
  return { updated: ids.length }
}

/** Moves an account to the Trash (restorable for 30 days). */
export async function deleteAccount(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:delete')
  await moveToTrash(db, principal, workspaceId, { entity: 'account', id })
}
