import { formatDateTime } from '../../components/format.ts'
import { TagBadges } from '../feedback/tag-picker.tsx'
import { crmKeys, recordPath } from '../records/crm-queries.ts'
import { activityTypeOptions, labelOf } from '../records/labels.ts'
import type { ListConfig } from '../records/list-config.ts'
import { RecordListPage } from '../records/record-list-page.tsx'
import type { ActivityRow } from '../records/types.ts'

/** The record an activity is about: its deal, else its contact, else its account. */
function subjectHref(a: ActivityRow): string | undefined {
  if (a.dealId) return recordPath('deal', a.dealId)
  if (a.contactId) return recordPath('contact', a.contactId)
  if (a.accountId) return recordPath('account', a.accountId)
  return undefined
}

const when = (iso: string | null) => (iso ? formatDateTime(iso) : '—')

const activityList: ListConfig<ActivityRow> = {
  entity: 'activity',
  path: '/api/v1/activities',
  queryKey: crmKeys.activities,
  title: 'Activities',
  noun: { one: 'activity', many: 'activities' },
  defaultSort: '-occurredAt',
  rowName: (a) => a.subject,
  rowHref: subjectHref,
  emptyHint:
    'Calls, meetings, emails, notes and tasks logged on contacts, accounts and deals show here.',
  columns: [
    { key: 'subject', label: 'Subject', render: (a) => a.subject, isDefault: true },
    {
      key: 'type',
      label: 'Type',
      render: (a) => labelOf(a.type, activityTypeOptions),
      isDefault: true,
    },
    {
      key: 'occurredAt',
      label: 'When',
      sort: 'occurredAt',
      render: (a) => when(a.occurredAt),
      isDefault: true,
    },
    { key: 'dueAt', label: 'Due', sort: 'dueAt', render: (a) => when(a.dueAt) },
    { key: 'done', label: 'Done', render: (a) => (a.done ? 'Yes' : 'No') },
    { key: 'contact', label: 'Contact', render: (a) => a.contact?.name ?? '—', isDefault: true },
    { key: 'account', label: 'Account', render: (a) => a.account?.name ?? '—', isDefault: true },
    { key: 'deal', label: 'Deal', render: (a) => a.deal?.name ?? '—' },
    { key: 'outcome', label: 'Outcome', render: (a) => a.outcome ?? '—' },
    {
      key: 'tags',
      label: 'Objections & competitors',
      render: (a) => <TagBadges tags={a.tags} />,
      isDefault: true,
    },
    { key: 'owner', label: 'Owner', render: (a) => a.owner?.name ?? '—', isDefault: true },
  ],
  filterFields: [
    { key: 'type', label: 'Type', kind: 'enum', options: activityTypeOptions },
    { key: 'subject', label: 'Subject', kind: 'text' },
    { key: 'outcome', label: 'Outcome', kind: 'text' },
    { key: 'ownerId', label: 'Owner', kind: 'owner' },
    { key: 'occurredAt', label: 'When', kind: 'date' },
    { key: 'dueAt', label: 'Due', kind: 'date' },
    { key: 'done', label: 'Done', kind: 'boolean' },
    { key: 'createdAt', label: 'Created', kind: 'date' },
  ],
  bulkFields: [],
}

/** Microscope → Activities: every call, meeting, email, note and task, newest first. */
export function ActivitiesPage() {
  return <RecordListPage config={activityList} />
}
