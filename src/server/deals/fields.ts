import { sql } from 'kysely'
import type { FieldMap } from '../records/filter.ts'
import type { Sortable } from '../records/list.ts'
import { accountField } from '../records/related.ts'
import { forecastCategories, lossReasons, marketingCouldHelpAnswers } from './input.ts'

const d = (column: string) => () => sql.ref(`d.${column}`)

export const dealFields: FieldMap = {
  id: { type: 'uuid', sql: d('id') },
  name: { type: 'text', sql: d('name') },
  amount: { type: 'number', sql: d('amount') },
  currency: { type: 'text', sql: d('currency') },
  closeDate: { type: 'date', sql: d('closeDate') },
  closedAt: { type: 'timestamp', sql: d('closedAt') },
  ownerId: { type: 'text', sql: d('ownerId') },
  pipelineId: { type: 'uuid', sql: d('pipelineId') },
  stageId: { type: 'uuid', sql: d('stageId') },
  forecastCategory: { type: 'text', sql: d('forecastCategory'), values: forecastCategories },
  lossReason: { type: 'text', sql: d('lossReason'), values: lossReasons },
  lossCompetitor: { type: 'text', sql: d('lossCompetitor') },
  marketingCouldHelp: {
    type: 'text',
    sql: d('marketingCouldHelp'),
    values: marketingCouldHelpAnswers,
  },
  accountId: { type: 'uuid', sql: d('accountId') },
  sourceCampaignId: { type: 'uuid', sql: d('sourceCampaignId') },
  needs: { type: 'text_array', sql: d('needs') },
  productFit: { type: 'number', sql: d('productFit') },
  churnedOn: { type: 'date', sql: d('churnedOn') },
  refundedOn: { type: 'date', sql: d('refundedOn') },
  downgradedOn: { type: 'date', sql: d('downgradedOn') },
  // The deal's contacts, for "deals with this person": contactIds contains <contact id>.
  contactIds: {
    type: 'text_array',
    sql: () =>
      sql`array(select dc.contact_id::text from deal_contacts as dc
        where dc.workspace_id = ${sql.ref('d.workspaceId')} and dc.deal_id = ${sql.ref('d.id')})`,
  },
  externalSource: { type: 'text', sql: d('externalSource') },
  externalId: { type: 'text', sql: d('externalId') },
  createdAt: { type: 'timestamp', sql: d('createdAt') },
  updatedAt: { type: 'timestamp', sql: d('updatedAt') },
  'account.name': accountField('d', 'name', 'text'),
  'account.industry': accountField('d', 'industry', 'text'),
  'account.employees': accountField('d', 'employees', 'number'),
  'account.country': accountField('d', 'country', 'text'),
  'account.region': accountField('d', 'region', 'text'),
}

// Each sort has an index that matches it (deals_updated_idx and migration 2026-11-26T2120); deals
// without a close date sort after every dated one.
export const dealSorts: Record<string, Sortable> = {
  updatedAt: { type: 'timestamptz', sql: d('updatedAt') },
  createdAt: { type: 'timestamptz', sql: d('createdAt') },
  closeDate: {
    type: 'date',
    sql: () => sql`coalesce(${sql.ref('d.closeDate')}, 'infinity'::date)`,
  },
  amount: { type: 'numeric', sql: d('amount') },
  name: { type: 'text', sql: d('name') },
}
