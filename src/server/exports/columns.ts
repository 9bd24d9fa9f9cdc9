import { type Expression, type RawBuilder, sql } from 'kysely'
import { currencyDigits } from '../imports/values.ts'

/**
 * How a value is written (docs/export.md). Times are ISO 8601 UTC with the database's
 * microseconds, so a round trip loses nothing; lists and nested rows are JSON (in CSV, a JSON text
 * in one cell). Money is the API's integer minor units in JSONL and a major-unit decimal in CSV
 * (1234.50 EUR, 1234 JPY), the form a spreadsheet shows and the importer reads back.
 */
export type ColumnKind =
  | 'text'
  | 'number'
  | 'boolean'
  | 'time'
  | 'date'
  | 'array'
  | 'json'
  | 'money'

export interface ExportColumn {
  /** The API's field key (or a natural key such as `account.domain`): the CSV header. */
  key: string
  kind: ColumnKind
  sql: Expression<unknown>
  /** Money: the currency its minor units are of. JSON: the CSV cell's value, when it differs. */
  currency?: Expression<unknown>
  csv?: Expression<unknown>
}

const ref = (column: string) => sql.ref(column)

export const col = (key: string, kind: ColumnKind, column: string): ExportColumn => ({
  key,
  kind,
  sql: ref(column),
})

export const expr = (key: string, kind: ColumnKind, value: Expression<unknown>): ExportColumn => ({
  key,
  kind,
  sql: value,
})

/** An amount in minor units of the currency in `currency` (a column). */
export const money = (key: string, column: string, currency: string): ExportColumn => ({
  key,
  kind: 'money',
  sql: ref(column),
  currency: ref(currency),
})

/** A JSON cell whose CSV form differs from its JSONL form (money in major units). */
const nested = (
  key: string,
  json: Expression<unknown>,
  csv: Expression<unknown>,
): ExportColumn => ({
  key,
  kind: 'json',
  sql: json,
  csv,
})

// Currencies whose minor unit is not 1/100 (JPY 0, KWD 3): the same table the importer reads.
const oddDigits = Intl.supportedValuesOf('currency')
  .map((code) => [code, currencyDigits(code)] as const)
  .filter(([, digits]) => digits !== 2)

/** The decimals of the currency in `currency` (2 when unknown or null), as SQL. */
function digitsOf(currency: Expression<unknown>): RawBuilder<number> {
  const cases = oddDigits.map(
    ([code, digits]) => sql`when ${sql.lit(code)} then ${sql.lit(digits)}`,
  )
  return sql<number>`(case upper(${currency}::text) ${sql.join(cases, sql` `)} else 2 end)`
}

/** Minor units as a major-unit decimal with the currency's digits: 123450 EUR → 1234.50. */
export function majorUnits(amount: Expression<unknown>, currency: Expression<unknown>) {
  const digits = digitsOf(currency)
  return sql`round((${amount})::numeric / power(10::numeric, ${digits}), ${digits})`
}

// PostgreSQL's ISO DateStyle (which node-postgres relies on too) with a T and a Z: twice as fast
// as to_char on a million rows.
function isoTime(value: Expression<unknown>): RawBuilder<unknown> {
  return sql`replace((${value} at time zone 'UTC')::text, ' ', 'T') || 'Z'`
}

function isoDate(value: Expression<unknown>): RawBuilder<unknown> {
  return sql`(${value})::text`
}

/** The CSV cell of a column: text as PostgreSQL's COPY writes it. */
export function csvValue(column: ExportColumn): RawBuilder<unknown> {
  switch (column.kind) {
    case 'text':
    case 'number':
      return sql`${column.sql}`
    case 'boolean':
      return sql`(${column.sql})::text`
    case 'json':
      return sql`(${column.csv ?? column.sql})::text`
    case 'time':
      return isoTime(column.sql)
    case 'date':
      return isoDate(column.sql)
    case 'array':
      return sql`to_json(${column.sql})::text`
    case 'money':
      return sql`(${majorUnits(column.sql, column.currency ?? sql`null`)})::text`
  }
}

/** The JSON value of a column inside one JSONL line. */
export function jsonValue(column: ExportColumn): RawBuilder<unknown> {
  switch (column.kind) {
    case 'time':
      return isoTime(column.sql)
    case 'date':
      return isoDate(column.sql)
    default:
      return sql`${column.sql}`
  }
}

// Natural keys let an import into another workspace resolve links without our ids.
const owner = (alias: string): ExportColumn[] => [
  col('ownerId', 'text', `${alias}.ownerId`),
  col('owner.email', 'text', 'o.email'),
]
const stamps = (alias: string): ExportColumn[] => [
  col('externalSource', 'text', `${alias}.externalSource`),
  col('externalId', 'text', `${alias}.externalId`),
  col('createdAt', 'time', `${alias}.createdAt`),
  col('updatedAt', 'time', `${alias}.updatedAt`),
]

export const accountColumns: ExportColumn[] = [
  col('id', 'text', 'a.id'),
  col('name', 'text', 'a.name'),
  col('domain', 'text', 'a.domain'),
  col('industry', 'text', 'a.industry'),
  col('employees', 'number', 'a.employees'),
  money('annualRevenue', 'a.annualRevenue', 'a.annualRevenueCurrency'),
  col('annualRevenueCurrency', 'text', 'a.annualRevenueCurrency'),
  col('country', 'text', 'a.country'),
  col('region', 'text', 'a.region'),
  col('tier', 'text', 'a.tier'),
  ...owner('a'),
  col('lifecycleStage', 'text', 'a.lifecycleStage'),
  col('churnedOn', 'date', 'a.churnedOn'),
  col('refundedOn', 'date', 'a.refundedOn'),
  col('downgradedOn', 'date', 'a.downgradedOn'),
  ...stamps('a'),
]

export const contactColumns: ExportColumn[] = [
  col('id', 'text', 'c.id'),
  col('email', 'text', 'c.email'),
  col('firstName', 'text', 'c.firstName'),
  col('lastName', 'text', 'c.lastName'),
  col('title', 'text', 'c.title'),
  col('persona', 'text', 'c.persona'),
  col('phone', 'text', 'c.phone'),
  col('accountId', 'text', 'c.accountId'),
  col('account.domain', 'text', 'acc.domain'),
  col('account.name', 'text', 'acc.name'),
  col('lifecycleStage', 'text', 'c.lifecycleStage'),
  col('leadStatus', 'text', 'c.leadStatus'),
  ...owner('c'),
  col('source', 'text', 'c.source'),
  col('firstTouchUtm', 'json', 'c.firstTouchUtm'),
  col('lastTouchUtm', 'json', 'c.lastTouchUtm'),
  col('emailOptIn', 'boolean', 'c.emailOptIn'),
  col('doNotContact', 'boolean', 'c.doNotContact'),
  col('recycleUntil', 'date', 'c.recycleUntil'),
  // Erased on request (docs/privacy.md): read-only, an import ignores it.
  col('erasedAt', 'time', 'c.erasedAt'),
  ...stamps('c'),
]

export const productColumns: ExportColumn[] = [
  col('id', 'text', 'p.id'),
  col('name', 'text', 'p.name'),
  col('family', 'text', 'p.family'),
  money('price', 'p.price', 'p.currency'),
  col('currency', 'text', 'p.currency'),
  col('icpIndustries', 'array', 'p.icpIndustries'),
  col('icpEmployeesMin', 'number', 'p.icpEmployeesMin'),
  col('icpEmployeesMax', 'number', 'p.icpEmployeesMax'),
  col('icpRegions', 'array', 'p.icpRegions'),
  col('icpProblems', 'array', 'p.icpProblems'),
  ...stamps('p'),
]

// The buying group and the line items travel with the deal, keyed by email (or external id) and
// product name.
const dealContacts = sql`(select coalesce(json_agg(json_build_object('contactId', dc.contact_id,
    'email', ct.email, 'externalSource', ct.external_source, 'externalId', ct.external_id,
    'role', dc.role, 'isPrimary', dc.is_primary)
    order by dc.is_primary desc, ct.email, dc.contact_id), '[]'::json)
  from deal_contacts as dc join contacts as ct
    on ct.workspace_id = dc.workspace_id and ct.id = dc.contact_id and ct.deleted_at is null
  where dc.workspace_id = d.workspace_id and dc.deal_id = d.id)`
const dealLineItems = (unitPrice: Expression<unknown>) => sql`(select coalesce(json_agg(
    json_build_object('productId', li.product_id, 'productName', pr.name,
      'quantity', li.quantity, 'unitPrice', ${unitPrice})
    order by li.position, li.id), '[]'::json)
  from deal_line_items as li join products as pr
    on pr.workspace_id = li.workspace_id and pr.id = li.product_id
  where li.workspace_id = d.workspace_id and li.deal_id = d.id)`

export const dealColumns: ExportColumn[] = [
  col('id', 'text', 'd.id'),
  col('name', 'text', 'd.name'),
  col('accountId', 'text', 'd.accountId'),
  col('account.domain', 'text', 'acc.domain'),
  col('account.name', 'text', 'acc.name'),
  col('pipelineId', 'text', 'd.pipelineId'),
  col('pipeline.name', 'text', 'pl.name'),
  col('stageId', 'text', 'd.stageId'),
  col('stage.name', 'text', 's.name'),
  money('amount', 'd.amount', 'd.currency'),
  col('currency', 'text', 'd.currency'),
  col('closeDate', 'date', 'd.closeDate'),
  col('closedAt', 'time', 'd.closedAt'),
  ...owner('d'),
  col('forecastCategory', 'text', 'd.forecastCategory'),
  col('lossReason', 'text', 'd.lossReason'),
  col('lossCompetitor', 'text', 'd.lossCompetitor'),
  col('lossNotes', 'text', 'd.lossNotes'),
  col('marketingCouldHelp', 'text', 'd.marketingCouldHelp'),
  col('needs', 'array', 'd.needs'),
  col('sourceCampaignId', 'text', 'd.sourceCampaignId'),
  col('sourceCampaign.name', 'text', 'cmp.name'),
  col('churnedOn', 'date', 'd.churnedOn'),
  col('refundedOn', 'date', 'd.refundedOn'),
  col('downgradedOn', 'date', 'd.downgradedOn'),
  expr('contacts', 'json', dealContacts),
  nested(
    'lineItems',
    dealLineItems(ref('li.unitPrice')),
    dealLineItems(majorUnits(ref('li.unitPrice'), ref('d.currency'))),
  ),
  ...stamps('d'),
]

export const activityColumns: ExportColumn[] = [
  col('id', 'text', 'a.id'),
  col('type', 'text', 'a.type'),
  col('subject', 'text', 'a.subject'),
  col('body', 'text', 'a.body'),
  col('contactId', 'text', 'a.contactId'),
  col('contact.email', 'text', 'ct.email'),
  col('accountId', 'text', 'a.accountId'),
  col('account.domain', 'text', 'acc.domain'),
  col('account.name', 'text', 'acc.name'),
  col('dealId', 'text', 'a.dealId'),
  col('deal.name', 'text', 'dl.name'),
  col('deal.externalSource', 'text', 'dl.externalSource'),
  col('deal.externalId', 'text', 'dl.externalId'),
  ...owner('a'),
  col('occurredAt', 'time', 'a.occurredAt'),
  col('dueAt', 'time', 'a.dueAt'),
  col('doneAt', 'time', 'a.doneAt'),
  col('outcome', 'text', 'a.outcome'),
  ...stamps('a'),
]

const campaignCosts = (amount: Expression<unknown>) => sql`(select coalesce(json_agg(
    json_build_object('incurredOn', cc.incurred_on, 'amount', ${amount},
      'currency', cc.currency, 'note', cc.note)
    order by cc.incurred_on, cc.id), '[]'::json)
  from campaign_costs as cc where cc.workspace_id = c.workspace_id and cc.campaign_id = c.id)`

export const campaignColumns: ExportColumn[] = [
  col('id', 'text', 'c.id'),
  col('name', 'text', 'c.name'),
  col('channel', 'text', 'c.channel'),
  col('type', 'text', 'c.type'),
  col('startsOn', 'date', 'c.startsOn'),
  col('endsOn', 'date', 'c.endsOn'),
  money('budget', 'c.budget', 'c.currency'),
  col('currency', 'text', 'c.currency'),
  col('utmCampaigns', 'array', 'c.utmCampaigns'),
  col('goalLeads', 'number', 'c.goalLeads'),
  col('goalMqls', 'number', 'c.goalMqls'),
  money('goalPipeline', 'c.goalPipeline', 'c.currency'),
  ...owner('c'),
  nested(
    'costs',
    campaignCosts(ref('cc.amount')),
    campaignCosts(majorUnits(ref('cc.amount'), ref('cc.currency'))),
  ),
  ...stamps('c'),
]
