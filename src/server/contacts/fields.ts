import { sql } from 'kysely'
import { allLifecycleStates, leadStatuses } from '../../domain/lifecycle.ts'
import type { FieldMap } from '../records/filter.ts'
import type { Sortable } from '../records/list.ts'
import { accountField } from '../records/related.ts'
import { utmKeys } from './input.ts'

const c = (column: string) => () => sql.ref(`c.${column}`)

const utm = (column: 'firstTouchUtm' | 'lastTouchUtm'): FieldMap =>
  Object.fromEntries(
    utmKeys.map((key) => [
      `${column}.${key}`,
      { type: 'text' as const, sql: () => sql`${sql.ref(`c.${column}`)}->>${key}` },
    ]),
  )

export const contactFields: FieldMap = {
  id: { type: 'uuid', sql: c('id') },
  email: { type: 'text', sql: c('email') },
  firstName: { type: 'text', sql: c('firstName') },
  lastName: { type: 'text', sql: c('lastName') },
  title: { type: 'text', sql: c('title') },
  persona: { type: 'text', sql: c('persona') },
  phone: { type: 'text', sql: c('phone') },
  accountId: { type: 'uuid', sql: c('accountId') },
  lifecycleStage: { type: 'text', sql: c('lifecycleStage'), values: allLifecycleStates },
  leadStatus: { type: 'text', sql: c('leadStatus'), values: leadStatuses },
  ownerId: { type: 'text', sql: c('ownerId') },
  source: { type: 'text', sql: c('source') },
  ...utm('firstTouchUtm'),
  ...utm('lastTouchUtm'),
  emailOptIn: { type: 'boolean', sql: c('emailOptIn') },
  doNotContact: { type: 'boolean', sql: c('doNotContact') },
  recycleUntil: { type: 'date', sql: c('recycleUntil') },
  externalSource: { type: 'text', sql: c('externalSource') },
  externalId: { type: 'text', sql: c('externalId') },
  createdAt: { type: 'timestamp', sql: c('createdAt') },
  updatedAt: { type: 'timestamp', sql: c('updatedAt') },
  'account.name': accountField('c', 'name', 'text'),
  'account.domain': accountField('c', 'domain', 'text'),
  'account.industry': accountField('c', 'industry', 'text'),
  'account.employees': accountField('c', 'employees', 'number'),
  'account.country': accountField('c', 'country', 'text'),
  'account.region': accountField('c', 'region', 'text'),
  'account.tier': accountField('c', 'tier', 'text'),
}

// Each sort has an index that matches it (contacts_updated_idx and migration 2026-11-26T2110);
// nullable columns sort as '' so the keyset stays total.
export const contactSorts: Record<string, Sortable> = {
  updatedAt: { type: 'timestamptz', sql: c('updatedAt') },
  createdAt: { type: 'timestamptz', sql: c('createdAt') },
  lastName: { type: 'text', sql: () => sql`coalesce(${sql.ref('c.lastName')}, '')` },
  email: { type: 'text', sql: () => sql`coalesce(${sql.ref('c.email')}, '')` },
}
