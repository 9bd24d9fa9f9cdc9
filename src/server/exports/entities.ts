import {
  type AliasedRawBuilder,
  type Expression,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
} from 'kysely'
import { accountFields, accountSorts } from '../accounts/service.ts'
import { activityFields, activitySorts } from '../activities/service.ts'
import { campaignFields, campaignSorts } from '../campaigns/service.ts'
import { contactFields, contactSorts } from '../contacts/fields.ts'
import type { CustomFieldEntity, DB } from '../db/schema.ts'
import { dealFields, dealSorts } from '../deals/fields.ts'
import { productFields, productSorts } from '../products/service.ts'
import type { FieldMap } from '../records/filter.ts'
import { type Sortable, searchCondition } from '../records/list.ts'
import {
  accountColumns,
  activityColumns,
  campaignColumns,
  contactColumns,
  dealColumns,
  type ExportColumn,
  productColumns,
} from './columns.ts'

export const exportEntities = [
  'accounts',
  'contacts',
  'products',
  'deals',
  'activities',
  'campaigns',
] as const
export type ExportEntity = (typeof exportEntities)[number]

/** What one query of an export needs beyond its tables: the select list, WHERE and ORDER BY. */
export interface QueryParts {
  select: AliasedRawBuilder<unknown, string>[]
  where: Expression<SqlBool>[]
  order: RawBuilder<unknown> | undefined
}

/** One exportable entity: the same fields, sorts and `q` as its list endpoint, and its columns. */
export interface EntitySpec {
  alias: string
  columns: ExportColumn[]
  fields: FieldMap
  sorts: Record<string, Sortable>
  /** Custom fields, for the entities that have them. */
  custom?: CustomFieldEntity
  search(q: string | undefined): Expression<SqlBool> | undefined
  query(db: Kysely<DB>, workspaceId: string, parts: QueryParts): { compile(): CompiledSql }
}

export interface CompiledSql {
  sql: string
  parameters: readonly unknown[]
}

function finish<D, T extends keyof D, O>(q: SelectQueryBuilder<D, T, O>, parts: QueryParts) {
  return q
    .select(parts.select)
    .$if(parts.where.length > 0, (b) => b.where(() => sql<SqlBool>`${andAll(parts.where)}`))
    .$if(parts.order !== undefined, (b) => b.orderBy(parts.order ?? sql`1`))
}

function andAll(where: Expression<SqlBool>[]) {
  return sql.join(
    where.map((w) => sql`(${w})`),
    sql` and `,
  )
}

function ilike(column: string, q: string | undefined): Expression<SqlBool> | undefined {
  if (!q) return undefined
  const escaped = q.replace(/[\\%_]/g, (ch) => `\\${ch}`)
  return sql<SqlBool>`${sql.ref(column)} ilike ${`%${escaped}%`}`
}

const ownerJoin = 'users as o'

export const entitySpecs: Record<ExportEntity, EntitySpec> = {
  accounts: {
    alias: 'a',
    columns: accountColumns,
    fields: accountFields,
    sorts: accountSorts,
    custom: 'account',
    search: (q) => searchCondition('a.search', q),
    query: (db, workspaceId, parts) =>
      finish(
        db
          .selectFrom('accounts as a')
          .leftJoin(ownerJoin, 'o.id', 'a.ownerId')
          .where('a.workspaceId', '=', workspaceId)
          .where('a.deletedAt', 'is', null),
        parts,
      ),
  },
  contacts: {
    alias: 'c',
    columns: contactColumns,
    fields: contactFields,
    sorts: contactSorts,
    custom: 'contact',
    search: (q) => searchCondition('c.search', q),
    query: (db, workspaceId, parts) =>
      finish(
        db
          .selectFrom('contacts as c')
          .leftJoin('accounts as acc', (join) =>
            join
              .onRef('acc.workspaceId', '=', 'c.workspaceId')
              .onRef('acc.id', '=', 'c.accountId')
              .on('acc.deletedAt', 'is', null),
          )
          .leftJoin(ownerJoin, 'o.id', 'c.ownerId')
          .where('c.workspaceId', '=', workspaceId)
          .where('c.deletedAt', 'is', null),
        parts,
      ),
  },
  products: {
    alias: 'p',
    columns: productColumns,
    fields: productFields,
    sorts: productSorts,
    search: (q) => searchCondition('p.search', q),
    query: (db, workspaceId, parts) =>
      finish(
        db
          .selectFrom('products as p')
          .where('p.workspaceId', '=', workspaceId)
          .where('p.deletedAt', 'is', null),
        parts,
      ),
  },
  deals: {
    alias: 'd',
    columns: dealColumns,
    fields: dealFields,
    sorts: dealSorts,
    custom: 'deal',
    search: (q) => searchCondition('d.search', q),
    query: (db, workspaceId, parts) =>
      finish(
        db
          .selectFrom('deals as d')
          .leftJoin('accounts as acc', (join) =>
            join
              .onRef('acc.workspaceId', '=', 'd.workspaceId')
              .onRef('acc.id', '=', 'd.accountId')
              .on('acc.deletedAt', 'is', null),
          )
          .leftJoin('pipelines as pl', (join) =>
            join.onRef('pl.workspaceId', '=', 'd.workspaceId').onRef('pl.id', '=', 'd.pipelineId'),
          )
          .leftJoin('stages as s', (join) =>
            join.onRef('s.workspaceId', '=', 'd.workspaceId').onRef('s.id', '=', 'd.stageId'),
          )
          .leftJoin('campaigns as cmp', (join) =>
            join
              .onRef('cmp.workspaceId', '=', 'd.workspaceId')
              .onRef('cmp.id', '=', 'd.sourceCampaignId'),
          )
          .leftJoin(ownerJoin, 'o.id', 'd.ownerId')
          .where('d.workspaceId', '=', workspaceId)
          .where('d.deletedAt', 'is', null),
        parts,
      ),
  },
  activities: {
    alias: 'a',
    columns: activityColumns,
    fields: activityFields,
    sorts: activitySorts,
    search: (q) => ilike('a.subject', q),
    query: (db, workspaceId, parts) =>
      finish(
        db
          .selectFrom('activities as a')
          .leftJoin('contacts as ct', (join) =>
            join.onRef('ct.workspaceId', '=', 'a.workspaceId').onRef('ct.id', '=', 'a.contactId'),
          )
          .leftJoin('accounts as acc', (join) =>
            join.onRef('acc.workspaceId', '=', 'a.workspaceId').onRef('acc.id', '=', 'a.accountId'),
          )
          .leftJoin('deals as dl', (join) =>
            join.onRef('dl.workspaceId', '=', 'a.workspaceId').onRef('dl.id', '=', 'a.dealId'),
          )
          .leftJoin(ownerJoin, 'o.id', 'a.ownerId')
          .where('a.workspaceId', '=', workspaceId)
          .where('a.deletedAt', 'is', null),
        parts,
      ),
  },
  campaigns: {
    alias: 'c',
    columns: campaignColumns,
    fields: campaignFields,
    sorts: campaignSorts,
    search: (q) => ilike('c.name', q),
    query: (db, workspaceId, parts) =>
      finish(
        db
          .selectFrom('campaigns as c')
          .leftJoin(ownerJoin, 'o.id', 'c.ownerId')
          .where('c.workspaceId', '=', workspaceId)
          .where('c.deletedAt', 'is', null),
        parts,
      ),
  },
}
