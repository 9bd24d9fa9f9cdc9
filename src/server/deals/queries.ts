import { type Expression, type Kysely, type SqlBool, sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import type { DB } from '../db/schema.ts'
import type { Sort } from '../records/list.ts'
import { afterCursor, orderBy, sortKey } from '../records/list.ts'

// A deal with the names of what it points at: account, owner, pipeline and stage.
function selectDeals(db: Kysely<DB>, workspaceId: string) {
  return (
    db
      .selectFrom('deals as d')
      .leftJoin('accounts as a', (j) =>
        j
          .onRef('a.workspaceId', '=', 'd.workspaceId')
          .onRef('a.id', '=', 'd.accountId')
          .on('a.deletedAt', 'is', null),
      )
      .leftJoin('users as o', 'o.id', 'd.ownerId')
      // users.id is text, deals.fit_override_by uuid.
      .leftJoin('users as fo', (j) => j.on(sql<boolean>`fo.id = d.fit_override_by::text`))
      .innerJoin('pipelines as p', (j) =>
        j.onRef('p.workspaceId', '=', 'd.workspaceId').onRef('p.id', '=', 'd.pipelineId'),
      )
      .innerJoin('stages as s', (j) =>
        j.onRef('s.workspaceId', '=', 'd.workspaceId').onRef('s.id', '=', 'd.stageId'),
      )
      .selectAll('d')
      .select([
        'a.name as accountName',
        'o.name as ownerName',
        'fo.name as fitOverrideByName',
        'p.name as pipelineName',
        's.name as stageName',
        's.position as stagePosition',
        's.winProbability as stageWinProbability',
        's.isWon as stageIsWon',
        's.isLost as stageIsLost',
        's.isProposalOrLater as stageIsProposalOrLater',
      ])
      .where('d.workspaceId', '=', workspaceId)
      .where('d.deletedAt', 'is', null)
  )
}

export function selectDealPage(
  db: Kysely<DB>,
  workspaceId: string,
  where: Expression<SqlBool>[],
  sort: Sort,
  cursor: string | undefined,
  limit: number,
) {
  const after = afterCursor(sort, cursor, 'd.id')
  return selectDeals(db, workspaceId)
    .select(sortKey(sort).as('sortKey'))
    .$if(where.length > 0, (q) => q.where((eb) => eb.and(where)))
    .$if(after !== undefined, (q) => q.where(after as Expression<SqlBool>))
    .orderBy(orderBy(sort, 'd.id'))
    .limit(limit + 1)
    .execute()
}

export function findDeal(db: Kysely<DB>, workspaceId: string, id: string) {
  return selectDeals(db, workspaceId).where('d.id', '=', id).executeTakeFirst()
}

export function lockDeals(db: Kysely<DB>, workspaceId: string, ids: string[]) {
  return db
    .selectFrom('deals')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', 'in', ids)
    .where('deletedAt', 'is', null)
    .forUpdate()
    .execute()
}

export function selectStageHistory(db: Kysely<DB>, workspaceId: string, dealId: string) {
  return db
    .selectFrom('dealStageChanges as c')
    .leftJoin('stages as f', (j) =>
      j.onRef('f.workspaceId', '=', 'c.workspaceId').onRef('f.id', '=', 'c.fromStageId'),
    )
    .innerJoin('stages as t', (j) =>
      j.onRef('t.workspaceId', '=', 'c.workspaceId').onRef('t.id', '=', 'c.toStageId'),
    )
    .leftJoin('users as u', 'u.id', 'c.changedBy')
    .select([
      'c.id',
      'c.fromStageId',
      'f.name as fromStageName',
      'c.toStageId',
      't.name as toStageName',
      'c.changedAt',
      'c.changedBy',
      'u.name as changedByName',
    ])
    .where('c.workspaceId', '=', workspaceId)
    .where('c.dealId', '=', dealId)
    .orderBy('c.changedAt')
    .orderBy('c.id')
    .execute()
}

export function selectDealContacts(db: Kysely<DB>, workspaceId: string, dealId: string) {
  return db
    .selectFrom('dealContacts as dc')
    .innerJoin('contacts as c', (j) =>
      j.onRef('c.workspaceId', '=', 'dc.workspaceId').onRef('c.id', '=', 'dc.contactId'),
    )
    .select(['dc.contactId', 'c.firstName', 'c.lastName', 'c.email', 'dc.role', 'dc.isPrimary'])
    .where('dc.workspaceId', '=', workspaceId)
    .where('dc.dealId', '=', dealId)
    .where('c.deletedAt', 'is', null)
    .orderBy('dc.isPrimary', 'desc')
    .orderBy('c.lastName')
    .orderBy('c.firstName')
    .execute()
}

export function selectLineItems(db: Kysely<DB>, workspaceId: string, dealId: string) {
  return db
    .selectFrom('dealLineItems as li')
    .innerJoin('products as p', (j) =>
      j.onRef('p.workspaceId', '=', 'li.workspaceId').onRef('p.id', '=', 'li.productId'),
    )
    .select(['li.id', 'li.productId', 'p.name as productName', 'li.quantity', 'li.unitPrice'])
    .where('li.workspaceId', '=', workspaceId)
    .where('li.dealId', '=', dealId)
    .orderBy('li.position')
    .execute()
}

export async function replaceDealContacts(
  db: Kysely<DB>,
  workspaceId: string,
  dealId: string,
  contacts: { contactId: string; role: string | null; isPrimary: boolean }[],
) {
  await db
    .deleteFrom('dealContacts')
    .where('workspaceId', '=', workspaceId)
    .where('dealId', '=', dealId)
    .execute()
  if (contacts.length === 0) return
  await db
    .insertInto('dealContacts')
    .values(contacts.map((c) => ({ workspaceId, dealId, ...c })))
    .execute()
}

export async function replaceLineItems(
  db: Kysely<DB>,
  workspaceId: string,
  dealId: string,
  items: { productId: string; quantity: number; unitPrice: number }[],
) {
  await db
    .deleteFrom('dealLineItems')
    .where('workspaceId', '=', workspaceId)
    .where('dealId', '=', dealId)
    .execute()
  if (items.length === 0) return
  await db
    .insertInto('dealLineItems')
    .values(
      items.map((item, position) => ({ workspaceId, id: uuidv7(), dealId, ...item, position })),
    )
    .execute()
}

export function insertStageChange(
  db: Kysely<DB>,
  change: {
    workspaceId: string
    dealId: string
    fromStageId: string | null
    toStageId: string
    changedAt: Date
    changedBy: string | null
  },
) {
  return db
    .insertInto('dealStageChanges')
    .values({ id: uuidv7(), ...change })
    .execute()
}

/** Which of `ids` are live records of the workspace in `table` (links a deal may point at). */
export async function selectLiveIds(
  db: Kysely<DB>,
  table: 'accounts' | 'campaigns' | 'contacts',
  workspaceId: string,
  ids: string[],
) {
  if (ids.length === 0) return new Set<string>()
  const rows = await db
    .selectFrom(table)
    .select('id')
    .where('workspaceId', '=', workspaceId)
    .where('id', 'in', ids)
    .where('deletedAt', 'is', null)
    .execute()
  return new Set(rows.map((r) => r.id))
}

/** Whether a stage is won or lost, deleted or not (a closed deal may sit in a removed pipeline). */
export function findStageFlags(db: Kysely<DB>, workspaceId: string, stageId: string) {
  return db
    .selectFrom('stages')
    .select(['id', 'pipelineId', 'name', 'isWon', 'isLost'])
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', stageId)
    .executeTakeFirst()
}
