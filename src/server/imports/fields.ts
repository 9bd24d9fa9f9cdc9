import { allLifecycleStates, leadStatuses } from '../../domain/lifecycle.ts'
import { activityTypes } from '../activities/service.ts'
import { forecastCategories, lossReasons, marketingCouldHelpAnswers } from '../deals/input.ts'
import { channels, touchpointTypes } from '../touchpoints/kinds.ts'
import type { ImportEntity } from './types.ts'
import type { SqlType } from './upsert.ts'

export type ImportFieldType =
  | 'text'
  | 'email'
  | 'phone'
  | 'integer'
  | 'number'
  | 'multi'
  | 'money'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'enum'
  | 'currency'
  | 'country'
  | 'domain'
  | 'list'
  | 'json'
  | 'utm'

/**
 * A field a CSV column can fill. Fields with a `column` are written to it; the others name a
 * related record (account, owner, contact, pipeline, stage) that the writer resolves.
 */
export interface ImportField {
  key: string
  label: string
  type: ImportFieldType
  column?: string
  sqlType?: SqlType
  values?: readonly string[]
  required?: boolean
  max?: number
  /** Other header spellings that map to this field automatically. */
  aliases?: string[]
}

const text = (key: string, label: string, column: string, max = 200, aliases: string[] = []) =>
  ({ key, label, type: 'text', column, sqlType: 'text', max, aliases }) satisfies ImportField

// `id` (a record's id in the system the file came from) fills externalId when that is empty, so an
// export of another workspace keeps its records' external ids and links by them (rows.ts).
const external: ImportField[] = [
  text('externalSource', 'External source', 'external_source', 100, ['source system']),
  text('externalId', 'External id', 'external_id', 200),
  { key: 'sourceId', label: 'Record id', type: 'text', max: 200, aliases: ['record id', 'id'] },
]
// The owner's email is the natural key; an exported ownerId means nothing in another workspace.
const owner: ImportField = {
  key: 'owner',
  label: 'Owner (email or name)',
  type: 'text',
  aliases: ['owner email', 'owner name'],
}
const list = (key: string, label: string, column: string, max = 100) =>
  ({ key, label, type: 'list', column, sqlType: 'text[]', max }) satisfies ImportField
const integer = (key: string, label: string, column: string) =>
  ({ key, label, type: 'integer', column, sqlType: 'int' }) satisfies ImportField
const accountName: ImportField = {
  key: 'account',
  label: 'Account name',
  type: 'text',
  max: 200,
  aliases: ['account name', 'company', 'company name', 'accountName'],
}
const accountDomain: ImportField = {
  key: 'accountDomain',
  label: 'Account domain',
  type: 'domain',
  aliases: ['company domain', 'company domain name', 'website', 'domain'],
}
const lifecycle: ImportField = {
  key: 'lifecycleStage',
  label: 'Lifecycle stage',
  type: 'enum',
  column: 'lifecycle_stage',
  sqlType: 'text',
  values: allLifecycleStates,
  aliases: ['lifecycle', 'stage'],
}

const contactFields: ImportField[] = [
  { key: 'email', label: 'Email', type: 'email', column: 'email', sqlType: 'text' },
  text('firstName', 'First name', 'first_name', 100),
  text('lastName', 'Last name', 'last_name', 100, ['surname']),
  text('title', 'Job title', 'title', 200, ['job title']),
  text('persona', 'Persona', 'persona', 63),
  { key: 'phone', label: 'Phone', type: 'phone', column: 'phone', sqlType: 'text' },
  lifecycle,
  {
    key: 'leadStatus',
    label: 'Lead status',
    type: 'enum',
    column: 'lead_status',
    sqlType: 'text',
    values: leadStatuses,
  },
  owner,
  accountName,
  accountDomain,
  text('source', 'Source', 'source', 100),
  {
    key: 'firstTouchUtm',
    label: 'First touch UTM',
    type: 'utm',
    column: 'first_touch_utm',
    sqlType: 'jsonb',
  },
  {
    key: 'lastTouchUtm',
    label: 'Last touch UTM',
    type: 'utm',
    column: 'last_touch_utm',
    sqlType: 'jsonb',
  },
  {
    key: 'emailOptIn',
    label: 'Email opt-in',
    type: 'boolean',
    column: 'email_opt_in',
    sqlType: 'boolean',
  },
  {
    key: 'doNotContact',
    label: 'Do not contact',
    type: 'boolean',
    column: 'do_not_contact',
    sqlType: 'boolean',
  },
  ...external,
]

// Issue 9 (regret rate): when a customer churned, was refunded or downgraded.
const outcomeDates: ImportField[] = [
  { key: 'churnedOn', label: 'Churned on', type: 'date', column: 'churned_on', sqlType: 'date' },
  { key: 'refundedOn', label: 'Refunded on', type: 'date', column: 'refunded_on', sqlType: 'date' },
  {
    key: 'downgradedOn',
    label: 'Downgraded on',
    type: 'date',
    column: 'downgraded_on',
    sqlType: 'date',
  },
]

const accountFields: ImportField[] = [
  { ...text('name', 'Name', 'name', 200, ['account name', 'company name']), required: true },
  {
    key: 'domain',
    label: 'Domain',
    type: 'domain',
    column: 'domain',
    sqlType: 'text',
    aliases: ['website', 'company domain name'],
  },
  text('industry', 'Industry', 'industry', 100),
  {
    key: 'employees',
    label: 'Employees',
    type: 'integer',
    column: 'employees',
    sqlType: 'int',
    aliases: ['number of employees'],
  },
  {
    key: 'annualRevenue',
    label: 'Annual revenue',
    type: 'money',
    column: 'annual_revenue',
    sqlType: 'bigint',
  },
  {
    key: 'annualRevenueCurrency',
    label: 'Annual revenue currency',
    type: 'currency',
    column: 'annual_revenue_currency',
    sqlType: 'text',
  },
  { key: 'country', label: 'Country', type: 'country', column: 'country', sqlType: 'text' },
  text('region', 'Region', 'region', 50),
  text('tier', 'Tier', 'tier', 50),
  owner,
  lifecycle,
  ...outcomeDates,
  ...external,
]

const productFields: ImportField[] = [
  { ...text('name', 'Name', 'name', 200, ['product name']), required: true },
  text('family', 'Family', 'family', 100, ['product family']),
  { key: 'price', label: 'Price', type: 'money', column: 'price', sqlType: 'bigint' },
  { key: 'currency', label: 'Currency', type: 'currency', column: 'currency', sqlType: 'text' },
  list('icpIndustries', 'ICP industries', 'icp_industries'),
  integer('icpEmployeesMin', 'ICP employees from', 'icp_employees_min'),
  integer('icpEmployeesMax', 'ICP employees to', 'icp_employees_max'),
  list('icpRegions', 'ICP regions', 'icp_regions'),
  list('icpProblems', 'ICP problems solved', 'icp_problems'),
  ...external,
]

const dealFields: ImportField[] = [
  // Not required: a file of deals with external ids but no names names them (write-deals.ts).
  text('name', 'Name', 'name', 200, ['deal name', 'opportunity name']),
  accountName,
  accountDomain,
  { key: 'pipeline', label: 'Pipeline', type: 'text', aliases: ['pipeline name'] },
  { key: 'stage', label: 'Stage', type: 'text', aliases: ['deal stage', 'stage name'] },
  { key: 'amount', label: 'Amount', type: 'money', column: 'amount', sqlType: 'bigint' },
  { key: 'currency', label: 'Currency', type: 'currency', column: 'currency', sqlType: 'text' },
  { key: 'closeDate', label: 'Close date', type: 'date', column: 'close_date', sqlType: 'date' },
  // Written by the writer with the stage (a closed deal keeps the time it closed).
  { key: 'closedAt', label: 'Closed at', type: 'timestamp' },
  owner,
  {
    key: 'forecastCategory',
    label: 'Forecast category',
    type: 'enum',
    column: 'forecast_category',
    sqlType: 'text',
    values: forecastCategories,
  },
  {
    key: 'lossReason',
    label: 'Loss reason',
    type: 'enum',
    column: 'loss_reason',
    sqlType: 'text',
    values: lossReasons,
  },
  // Another system's free-text reason: our value when it reads as one, else kept in the notes.
  { key: 'lossReasonText', label: 'Loss reason (free text)', type: 'text', max: 5000 },
  text('lossCompetitor', 'Competitor lost to', 'loss_competitor', 200),
  text('lossNotes', 'Loss notes', 'loss_notes', 5000),
  {
    key: 'marketingCouldHelp',
    label: 'Marketing could help',
    type: 'enum',
    column: 'marketing_could_help',
    sqlType: 'text',
    values: marketingCouldHelpAnswers,
  },
  list('needs', 'Needs', 'needs'),
  {
    key: 'sourceCampaign',
    label: 'Source campaign (name)',
    type: 'text',
    max: 200,
    aliases: ['source campaign name', 'source campaign'],
  },
  { key: 'contacts', label: 'Contacts (JSON: email, role, isPrimary)', type: 'json' },
  { key: 'lineItems', label: 'Line items (JSON: productName, quantity, unitPrice)', type: 'json' },
  // A spreadsheet's one product per deal: one line item, quantity 1, priced at the deal's amount.
  {
    key: 'product',
    label: 'Product (name; one line item at the amount)',
    type: 'text',
    max: 200,
    aliases: ['product', 'product name'],
  },
  ...outcomeDates,
  ...external,
]

const activityFields: ImportField[] = [
  {
    key: 'type',
    label: 'Type',
    type: 'enum',
    column: 'type',
    sqlType: 'text',
    values: activityTypes,
    required: true,
    aliases: ['activity type'],
  },
  { ...text('subject', 'Subject', 'subject', 300), required: true },
  text('body', 'Body', 'body', 20_000, ['notes', 'description']),
  { key: 'contact', label: 'Contact email', type: 'email', aliases: ['contact email'] },
  {
    key: 'contactRef',
    label: 'Contact id (its external id here)',
    type: 'text',
    aliases: ['contactId'],
  },
  accountName,
  accountDomain,
  { key: 'deal', label: 'Deal name', type: 'text', max: 200, aliases: ['deal name'] },
  { key: 'dealRef', label: 'Deal id (its external id here)', type: 'text', aliases: ['dealId'] },
  { key: 'dealExternalSource', label: 'Deal external source', type: 'text', max: 100 },
  { key: 'dealExternalId', label: 'Deal external id', type: 'text', max: 200 },
  owner,
  {
    key: 'occurredAt',
    label: 'Occurred at',
    type: 'timestamp',
    column: 'occurred_at',
    sqlType: 'timestamptz',
    aliases: ['date', 'activity date'],
  },
  { key: 'dueAt', label: 'Due at', type: 'timestamp', column: 'due_at', sqlType: 'timestamptz' },
  { key: 'doneAt', label: 'Done at', type: 'timestamp', column: 'done_at', sqlType: 'timestamptz' },
  text('outcome', 'Outcome', 'outcome', 200),
  ...external,
]

const campaignFields: ImportField[] = [
  { ...text('name', 'Name', 'name', 200, ['campaign name']), required: true },
  {
    key: 'channel',
    label: 'Channel',
    type: 'enum',
    column: 'channel',
    sqlType: 'text',
    values: channels,
  },
  text('type', 'Type', 'type', 100, ['campaign type']),
  { key: 'startsOn', label: 'Starts on', type: 'date', column: 'starts_on', sqlType: 'date' },
  { key: 'endsOn', label: 'Ends on', type: 'date', column: 'ends_on', sqlType: 'date' },
  { key: 'budget', label: 'Budget', type: 'money', column: 'budget', sqlType: 'bigint' },
  { key: 'currency', label: 'Currency', type: 'currency', column: 'currency', sqlType: 'text' },
  list('utmCampaigns', 'UTM campaign keys', 'utm_campaigns', 200),
  integer('goalLeads', 'Goal: leads', 'goal_leads'),
  integer('goalMqls', 'Goal: MQLs', 'goal_mqls'),
  {
    key: 'goalPipeline',
    label: 'Goal: pipeline',
    type: 'money',
    column: 'goal_pipeline',
    sqlType: 'bigint',
  },
  owner,
  { key: 'costs', label: 'Costs (JSON: incurredOn, amount, currency, note)', type: 'json' },
  ...external,
]

// Touchpoints have no external-id columns: the external id names the touchpoint's message id
// instead (write-touchpoints.ts), so a re-run of the same file finds it already claimed.
const touchpointExternal: ImportField[] = [
  {
    key: 'externalSource',
    label: 'External source',
    type: 'text',
    max: 100,
    aliases: ['source system'],
  },
  { key: 'externalId', label: 'External id', type: 'text', max: 200 },
  { key: 'sourceId', label: 'Record id', type: 'text', max: 200, aliases: ['record id', 'id'] },
]
// Kept together in the touchpoint's `utm` object, under these keys.
const utm = (key: string, label: string): ImportField => ({ key, label, type: 'text', max: 200 })

const touchpointFields: ImportField[] = [
  {
    key: 'occurredAt',
    label: 'Occurred at',
    type: 'timestamp',
    column: 'occurred_at',
    sqlType: 'timestamptz',
    required: true,
    aliases: ['timestamp', 'date', 'time'],
  },
  {
    key: 'type',
    label: 'Type',
    type: 'enum',
    column: 'type',
    sqlType: 'text',
    values: touchpointTypes,
    required: true,
    aliases: ['touchpoint type'],
  },
  {
    key: 'channel',
    label: 'Channel (computed when empty)',
    type: 'enum',
    column: 'channel',
    sqlType: 'text',
    values: channels,
  },
  text('eventName', 'Event name', 'event_name', 200, ['event']),
  { key: 'contact', label: 'Contact email', type: 'email', aliases: ['contact email', 'email'] },
  {
    key: 'contactRef',
    label: 'Contact id (its external id here)',
    type: 'text',
    aliases: ['contactId'],
  },
  text('anonymousId', 'Anonymous id', 'anonymous_id', 200),
  accountName,
  accountDomain,
  { key: 'campaign', label: 'Campaign name', type: 'text', max: 200, aliases: ['campaign name'] },
  utm('utm_source', 'UTM source'),
  utm('utm_medium', 'UTM medium'),
  utm('utm_campaign', 'UTM campaign'),
  utm('utm_term', 'UTM term'),
  utm('utm_content', 'UTM content'),
  text('referrer', 'Referrer', 'referrer', 2000, ['referer', 'referrer url']),
  text('url', 'URL', 'url', 2000, ['page url']),
  {
    key: 'properties',
    label: 'Properties (JSON object)',
    type: 'json',
    column: 'properties',
    sqlType: 'jsonb',
  },
  {
    key: 'isBot',
    label: 'Bot',
    type: 'boolean',
    column: 'is_bot',
    sqlType: 'boolean',
    aliases: ['bot'],
  },
  text('botReason', 'Bot reason', 'bot_reason', 200),
  text('messageId', 'Message id', 'message_id', 200),
  ...touchpointExternal,
]

export const importFields: Record<ImportEntity, ImportField[]> = {
  contacts: contactFields,
  accounts: accountFields,
  products: productFields,
  deals: dealFields,
  activities: activityFields,
  campaigns: campaignFields,
  touchpoints: touchpointFields,
}

/** The custom-field entity of an import entity, when it has custom fields. */
export const customEntity: Partial<Record<ImportEntity, 'account' | 'contact' | 'deal'>> = {
  accounts: 'account',
  contacts: 'contact',
  deals: 'deal',
}
