import { Badge, Group } from '@mantine/core'
import { formatDate } from '../../components/format.ts'
import { regionOptions, tierOptions } from '../accounts/account-options.ts'
import { crmKeys, recordPath } from '../records/crm-queries.ts'
import { labelOf, leadStatusOptions, lifecycleOptions, type Option } from '../records/labels.ts'
import type { Column, ListConfig } from '../records/list-config.ts'
import type { Contact } from '../records/types.ts'

export function contactName(c: {
  firstName: string | null
  lastName: string | null
  email: string | null
}): string {
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ')
  return name || c.email || 'Unnamed contact'
}

function Consent({ contact }: { contact: Contact }) {
  return (
    <Group gap={4}>
      {contact.doNotContact ? (
        <Badge size="xs" color="red" variant="light">
          Do not contact
        </Badge>
      ) : null}
      <Badge size="xs" color={contact.emailOptIn ? 'teal' : 'gray'} variant="light">
        {contact.emailOptIn ? 'Opted in' : 'No opt-in'}
      </Badge>
    </Group>
  )
}

export function contactColumns(personas: Option[]): Column<Contact>[] {
  return [
    { key: 'name', label: 'Name', sort: 'lastName', render: contactName, isDefault: true },
    {
      key: 'email',
      label: 'Email',
      sort: 'email',
      render: (c) => c.email ?? '—',
      isDefault: true,
      breaksAnywhere: true,
    },
    { key: 'title', label: 'Title', render: (c) => c.title ?? '—' },
    {
      key: 'account',
      label: 'Account',
      render: (c) => c.account?.name ?? '—',
      isDefault: true,
    },
    { key: 'persona', label: 'Persona', render: (c) => labelOf(c.persona, personas) },
    {
      key: 'lifecycleStage',
      label: 'Stage',
      render: (c) => labelOf(c.lifecycleStage, lifecycleOptions),
      isDefault: true,
    },
    {
      key: 'leadStatus',
      label: 'Lead status',
      render: (c) => labelOf(c.leadStatus, leadStatusOptions),
      isDefault: true,
    },
    { key: 'owner', label: 'Owner', render: (c) => c.owner?.name ?? '—', isDefault: true },
    { key: 'consent', label: 'Consent', render: (c) => <Consent contact={c} /> },
    { key: 'source', label: 'Source', render: (c) => c.source ?? '—' },
    {
      key: 'createdAt',
      label: 'Created',
      sort: 'createdAt',
      render: (c) => formatDate(c.createdAt),
    },
    {
      key: 'updatedAt',
      label: 'Updated',
      sort: 'updatedAt',
      render: (c) => formatDate(c.updatedAt),
      isDefault: true,
    },
  ]
}

export function contactList(personas: Option[]): ListConfig<Contact> {
  return {
    entity: 'contact',
    path: '/api/v1/contacts',
    queryKey: crmKeys.contacts,
    title: 'Contacts',
    noun: { one: 'contact', many: 'contacts' },
    defaultSort: '-updatedAt',
    rowName: contactName,
    rowHref: (c) => recordPath('contact', c.id),
    emptyHint:
      'Use “New contact” to add a person, or install the tracking snippet and forms so leads arrive on their own.',
    columns: contactColumns(personas),
    filterFields: [
      { key: 'email', label: 'Email', kind: 'text' },
      { key: 'firstName', label: 'First name', kind: 'text' },
      { key: 'lastName', label: 'Last name', kind: 'text' },
      { key: 'title', label: 'Title', kind: 'text' },
      { key: 'persona', label: 'Persona', kind: 'enum', options: personas },
      { key: 'lifecycleStage', label: 'Lifecycle stage', kind: 'enum', options: lifecycleOptions },
      { key: 'leadStatus', label: 'Lead status', kind: 'enum', options: leadStatusOptions },
      { key: 'ownerId', label: 'Owner', kind: 'owner' },
      { key: 'source', label: 'Source', kind: 'text' },
      { key: 'emailOptIn', label: 'Email opt-in', kind: 'boolean' },
      { key: 'doNotContact', label: 'Do not contact', kind: 'boolean' },
      { key: 'createdAt', label: 'Created', kind: 'date' },
      { key: 'updatedAt', label: 'Updated', kind: 'date' },
      { key: 'account.name', label: 'Account name', kind: 'text' },
      { key: 'account.domain', label: 'Account domain', kind: 'text' },
      { key: 'account.industry', label: 'Account industry', kind: 'text' },
      { key: 'account.employees', label: 'Account employees', kind: 'number' },
      { key: 'account.country', label: 'Account country', kind: 'text' },
      { key: 'account.region', label: 'Account region', kind: 'enum', options: regionOptions },
      { key: 'account.tier', label: 'Account tier', kind: 'enum', options: tierOptions },
      { key: 'accountId', label: 'Account id', kind: 'id' },
    ],
    bulkFields: [
      { key: 'ownerId', label: 'Owner', kind: 'owner' },
      { key: 'lifecycleStage', label: 'Lifecycle stage', kind: 'enum', options: lifecycleOptions },
      { key: 'leadStatus', label: 'Lead status', kind: 'enum', options: leadStatusOptions },
      { key: 'persona', label: 'Persona', kind: 'enum', options: personas },
    ],
  }
}
