import { formatDate } from '../../components/format.ts'
import { labelOf, leadStatusOptions, lifecycleOptions } from '../records/labels.ts'
import { formatMoney } from '../records/money.ts'
import type { AccountDetail, ContactDetail, CustomField } from '../records/types.ts'

export type MergeEntity = 'contact' | 'account'
export type MergeRecord = ContactDetail | AccountDetail

/** One field the compare view can pick a value for: its API name, label and display text. */
export interface MergeField<R> {
  key: string
  label: string
  text: (record: R) => string
}

const dash = (value: string | number | null | undefined) =>
  value === null || value === undefined || value === '' ? '—' : String(value)

const utm = (value: Record<string, string> | null) =>
  value ? [value.utm_source, value.utm_medium, value.utm_campaign].filter(Boolean).join(' / ') : '—'

export const contactFields: MergeField<ContactDetail>[] = [
  { key: 'firstName', label: 'First name', text: (c) => dash(c.firstName) },
  { key: 'lastName', label: 'Last name', text: (c) => dash(c.lastName) },
  { key: 'email', label: 'Email', text: (c) => dash(c.email) },
  { key: 'phone', label: 'Phone', text: (c) => dash(c.phone) },
  { key: 'title', label: 'Title', text: (c) => dash(c.title) },
  { key: 'persona', label: 'Persona', text: (c) => dash(c.persona) },
  { key: 'accountId', label: 'Account', text: (c) => dash(c.account?.name ?? c.accountId) },
  {
    key: 'lifecycleStage',
    label: 'Lifecycle stage',
    text: (c) =>
      c.lifecycleStage
        ? `${labelOf(c.lifecycleStage, lifecycleOptions)}${c.leadStatus ? ` (${labelOf(c.leadStatus, leadStatusOptions)})` : ''}`
        : '—',
  },
  { key: 'ownerId', label: 'Owner', text: (c) => dash(c.owner?.name) },
  { key: 'source', label: 'Source', text: (c) => dash(c.source) },
  { key: 'firstTouchUtm', label: 'First touch', text: (c) => utm(c.firstTouchUtm) },
  { key: 'lastTouchUtm', label: 'Last touch', text: (c) => utm(c.lastTouchUtm) },
  { key: 'emailOptIn', label: 'Email opt-in', text: (c) => (c.emailOptIn ? 'Yes' : 'No') },
  { key: 'doNotContact', label: 'Do not contact', text: (c) => (c.doNotContact ? 'Yes' : 'No') },
]

export const accountFields: MergeField<AccountDetail>[] = [
  { key: 'name', label: 'Name', text: (a) => a.name },
  { key: 'domain', label: 'Domain', text: (a) => dash(a.domain) },
  { key: 'industry', label: 'Industry', text: (a) => dash(a.industry) },
  { key: 'employees', label: 'Employees', text: (a) => dash(a.employees?.toLocaleString()) },
  {
    key: 'annualRevenue',
    label: 'Annual revenue',
    text: (a) =>
      a.annualRevenue != null && a.annualRevenueCurrency
        ? formatMoney(a.annualRevenue, a.annualRevenueCurrency, true)
        : '—',
  },
  { key: 'country', label: 'Country', text: (a) => dash(a.country) },
  { key: 'region', label: 'Region', text: (a) => dash(a.region) },
  { key: 'tier', label: 'Tier', text: (a) => dash(a.tier) },
  { key: 'ownerId', label: 'Owner', text: (a) => dash(a.owner?.name) },
  {
    key: 'lifecycleStage',
    label: 'Lifecycle stage',
    text: (a) => labelOf(a.lifecycleStage, lifecycleOptions),
  },
]

/** The fields of an entity, custom fields (as custom.<key>) included. */
export function mergeFieldsOf(
  entity: MergeEntity,
  custom: CustomField[] | undefined,
): MergeField<MergeRecord>[] {
  const base = (entity === 'contact' ? contactFields : accountFields) as MergeField<MergeRecord>[]
  const extra = (custom ?? []).map(
    (f): MergeField<MergeRecord> => ({
      key: `custom.${f.key}`,
      label: f.label,
      text: (r) => {
        const value = r.custom[f.key]
        return Array.isArray(value) ? value.join(', ') || '—' : dash(value)
      },
    }),
  )
  return [...base, ...extra]
}

/** A record's name as the compare view shows it. */
export function mergeRecordName(record: MergeRecord): string {
  if ('name' in record) return record.name
  const name = [record.firstName, record.lastName].filter(Boolean).join(' ')
  return name || record.email || 'Unnamed contact'
}

export function mergeRecordHint(record: MergeRecord): string {
  const created = `created ${formatDate(record.createdAt)}`
  if ('name' in record) return [record.domain, created].filter(Boolean).join(' · ')
  return [record.email, created].filter(Boolean).join(' · ')
}

/**
 * The default pick of the server: the survivor's value unless empty ('—'), else the first other
 * with a value. Used to preselect the choice so the person sees what will be kept.
 */
export function defaultSource(
  field: MergeField<MergeRecord>,
  records: MergeRecord[],
): string | undefined {
  const withValue = records.find((r) => field.text(r) !== '—')
  return (withValue ?? records[0])?.id
}
