import { sql } from 'kysely'
import { allLifecycleStates, leadStatuses } from '../../domain/lifecycle.ts'
import type { FieldMap, FieldType } from '../records/filter.ts'
import type { Sortable } from '../records/list.ts'
import { utmKeys } from './input.ts'

const c = (column: string) => () => sql.ref(`c.${column}`)

// A field of the contact's account, as a correlated subquery: null without an account or when
// the account is in the Trash (field paths relative to the contact, ARCHITECTURE.md).
const account = (column: string, type: FieldType) => ({
  type,
  sql: () =>
    sql`(select ${sql.ref(`ca.${column}`)} from accounts as ca
      where ca.workspace_id = ${sql.ref('c.workspaceId')} and ca.id = ${sql.ref('c.accountId')}
        and ca.deleted_at is null)`,
})

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
  'account.name': account('name', 'text'),
  'account.domain': account('domain', 'text'),
  'account.industry': account('industry', 'text'),
  'account.employees': account('employees', 'number'),
  'account.country': account('country', 'text'),
  'account.region': account('region', 'text'),
  'account.tier': account('tier', 'text'),
}

// Each sort has an index that matches it (contacts_updated_idx and migration 2026-11-26T2110);
// nullable columns sort as '' so the keyset stays total.
export const contactSorts: Record<string, Sortable> = {
  updatedAt: { type: 'timestamptz', sql: c('updatedAt') },
  createdAt: { type: 'timestamptz', sql: c('createdAt') },
  lastName: { type: 'text', sql: () => sql`coalesce(${sql.ref('c.lastName')}, '')` },
  email: { type: 'text', sql: () => sql`coalesce(${sql.ref('c.email')}, '')` },
}
