import { Button, Modal } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { IconCopy, IconPlus } from '@tabler/icons-react'
import { Link, useNavigate } from 'react-router'
import { formatDate } from '../../components/format.ts'
import { crmKeys, recordPath, useCustomFields } from '../records/crm-queries.ts'
import { withCustomFields } from '../records/custom-columns.tsx'
import { humanize, labelOf, lifecycleOptions } from '../records/labels.ts'
import type { ListConfig } from '../records/list-config.ts'
import { formatMoney } from '../records/money.ts'
import { useCan } from '../records/permissions.ts'
import { RecordListPage } from '../records/record-list-page.tsx'
import type { Account } from '../records/types.ts'
import { AccountForm } from './account-form.tsx'
import { regionOptions, tierOptions } from './account-options.ts'

const accountList: ListConfig<Account> = {
  entity: 'account',
  path: '/api/v1/accounts',
  queryKey: crmKeys.accounts,
  title: 'Accounts',
  noun: { one: 'account', many: 'accounts' },
  defaultSort: '-updatedAt',
  rowName: (a) => a.name,
  rowHref: (a) => recordPath('account', a.id),
  emptyHint:
    'Use “New account” to add the first company you sell to; contacts and deals hang off it.',
  columns: [
    { key: 'name', label: 'Name', sort: 'name', render: (a) => a.name, isDefault: true },
    { key: 'domain', label: 'Domain', render: (a) => a.domain ?? '—', breaksAnywhere: true },
    {
      key: 'industry',
      label: 'Industry',
      render: (a) => (a.industry ? humanize(a.industry) : '—'),
      isDefault: true,
    },
    {
      key: 'employees',
      label: 'Employees',
      sort: 'employees',
      render: (a) => a.employees?.toLocaleString() ?? '—',
      isDefault: true,
    },
    {
      key: 'annualRevenue',
      label: 'Revenue',
      sort: 'annualRevenue',
      render: (a) =>
        a.annualRevenue != null && a.annualRevenueCurrency
          ? formatMoney(a.annualRevenue, a.annualRevenueCurrency, true)
          : '—',
    },
    { key: 'country', label: 'Country', render: (a) => a.country ?? '—', isDefault: true },
    { key: 'region', label: 'Region', render: (a) => labelOf(a.region, regionOptions) },
    { key: 'tier', label: 'Tier', render: (a) => labelOf(a.tier, tierOptions), isDefault: true },
    { key: 'owner', label: 'Owner', render: (a) => a.owner?.name ?? '—', isDefault: true },
    {
      key: 'lifecycleStage',
      label: 'Stage',
      render: (a) => labelOf(a.lifecycleStage, lifecycleOptions),
      isDefault: true,
    },
    {
      key: 'createdAt',
      label: 'Created',
      sort: 'createdAt',
      render: (a) => formatDate(a.createdAt),
    },
    {
      key: 'updatedAt',
      label: 'Updated',
      sort: 'updatedAt',
      render: (a) => formatDate(a.updatedAt),
    },
  ],
  filterFields: [
    { key: 'name', label: 'Name', kind: 'text' },
    { key: 'domain', label: 'Domain', kind: 'text' },
    { key: 'industry', label: 'Industry', kind: 'text' },
    { key: 'employees', label: 'Employees', kind: 'number' },
    { key: 'annualRevenue', label: 'Annual revenue', kind: 'money' },
    { key: 'country', label: 'Country', kind: 'text' },
    { key: 'region', label: 'Region', kind: 'enum', options: regionOptions },
    { key: 'tier', label: 'Tier', kind: 'enum', options: tierOptions },
    { key: 'ownerId', label: 'Owner', kind: 'owner' },
    { key: 'lifecycleStage', label: 'Lifecycle stage', kind: 'enum', options: lifecycleOptions },
    { key: 'createdAt', label: 'Created', kind: 'date' },
    { key: 'updatedAt', label: 'Updated', kind: 'date' },
  ],
  bulkFields: [
    { key: 'ownerId', label: 'Owner', kind: 'owner' },
    { key: 'tier', label: 'Tier', kind: 'enum', options: tierOptions },
    { key: 'region', label: 'Region', kind: 'enum', options: regionOptions },
    { key: 'lifecycleStage', label: 'Lifecycle stage', kind: 'enum', options: lifecycleOptions },
  ],
}

export function AccountsPage() {
  const custom = useCustomFields('account')
  const canWrite = useCan('records:write')
  const navigate = useNavigate()
  const [creating, { open, close }] = useDisclosure(false)
  return (
    <>
      <RecordListPage
        config={withCustomFields(accountList, custom.data)}
        actions={
          <>
            <Button
              component={Link}
              to="/microscope/accounts/duplicates"
              variant="default"
              leftSection={<IconCopy size={16} aria-hidden="true" />}
            >
              Duplicates
            </Button>
            {canWrite ? (
              <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={open}>
                New account
              </Button>
            ) : null}
          </>
        }
      />
      <Modal opened={creating} onClose={close} title="New account" size="lg">
        <AccountForm
          onCancel={close}
          onSaved={(account) => {
            close()
            void navigate(recordPath('account', account.id))
          }}
        />
      </Modal>
    </>
  )
}
