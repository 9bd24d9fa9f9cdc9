import type { Kysely } from 'kysely'
import { type Principal, requirePermission } from '../auth/principal.ts'
import { customFilterFields, loadDefinitions } from '../custom-fields/values.ts'
import type { Database } from '../db/database.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'
import { tagsOf } from '../feedback/service.ts'
import { compileFilter, parseFilterParam } from '../records/filter.ts'
import { type ListQuery, parseSort, searchCondition, toPage } from '../records/list.ts'
import { loadScoringSettings } from '../scoring/settings.ts'
import { moveToTrash } from '../trash/move-to-trash.ts'
import { dealFields, dealSorts } from './fields.ts'
import { presentDeal, presentDealContact, presentLineItem, presentStageChange } from './present.ts'
import {
  findDeal,
  selectDealContacts,
  selectDealPage,
  selectLineItems,
  selectStageHistory,
} from './queries.ts'

/** The WHERE parts of `q` and `filter` over deals (alias d), custom fields included. */
export async function dealConditions(
  db: Kysely<DB>,
  workspaceId: string,
  query: { q?: string; filter?: string },
) {
  const filter = parseFilterParam(query.filter)
  const definitions = filter ? await loadDefinitions(db, workspaceId, 'deal') : []
  const fields = { ...dealFields, ...customFilterFields(definitions, 'd') }
  return [
    searchCondition('d.search', query.q),
    filter ? compileFilter(filter, fields) : undefined,
  ].filter((w) => w !== undefined)
}

/** Deals of the workspace: `q` over name, the filter language, sorted by updatedAt unless asked. */
export async function listDeals(db: Database, principal: Principal, query: ListQuery) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const sort = parseSort(query.sort, dealSorts, '-updatedAt')
  const where = await dealConditions(db, workspaceId, query)
  const rows = await selectDealPage(db, workspaceId, where, sort, query.cursor, query.limit)
  const { productFitThreshold } = await loadScoringSettings(db, workspaceId)
  const tags = await tagsOf(
    db,
    workspaceId,
    'deal',
    rows.slice(0, query.limit).map((row) => row.id),
  )
  return toPage(rows, query.limit, sort, (row) => ({
    ...presentDeal(row, productFitThreshold),
    tags: tags.get(row.id) ?? [],
  }))
}

/** One deal with its account, owner, stage, stage history, buying group and line items. */
export async function getDeal(db: Kysely<DB>, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  const row = await findDeal(db, workspaceId, id)
  if (!row) throw new AppError('not_found', 'Deal not found')
  const [history, contacts, lineItems, tags, settings] = await Promise.all([
    selectStageHistory(db, workspaceId, id),
    selectDealContacts(db, workspaceId, id),
    selectLineItems(db, workspaceId, id),
    tagsOf(db, workspaceId, 'deal', [id]),
    loadScoringSettings(db, workspaceId),
  ])
  return {
    ...presentDeal(row, settings.productFitThreshold),
    tags: tags.get(id) ?? [],
    stageHistory: history.map(presentStageChange),
    contacts: contacts.map(presentDealContact),
    lineItems: lineItems.map(presentLineItem),
  }
}

/** Moves a deal to the Trash (restorable for 30 days); its history stays. */
export async function deleteDeal(db: Database, principal: Principal, id: string) {
  const { workspaceId } = requirePermission(principal, 'records:delete')
  await moveToTrash(db, principal, workspaceId, { entity: 'deal', id })
}
