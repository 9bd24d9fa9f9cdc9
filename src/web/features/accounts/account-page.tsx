import { Badge, Button, Modal, Stack, Tabs, Text } from '@mantine/core'
import { IconPlus } from '@tabler/icons-react'
import { useState } from 'react'
import { useNavigate } from 'react-router'
import { QuickAddActivity } from '../activities/quick-add-activity.tsx'
import { RecordTimeline } from '../activities/timeline.tsx'
import { ContactForm } from '../contacts/contact-form.tsx'
import { contactColumns, contactName } from '../contacts/contact-list.tsx'
import { DealForm } from '../deals/deal-form.tsx'
import { dealColumns } from '../deals/deal-list.tsx'
import { OutcomeDatesSection } from '../fit/outcome-dates.tsx'
import { MergeWithButton } from '../merges/merge-with.tsx'
import { crmKeys, recordPath, useCustomFields } from '../records/crm-queries.ts'
import { humanize, labelOf, lifecycleOptions } from '../records/labels.ts'
import { LifecycleHistory } from '../records/lifecycle-history.tsx'
import { formatMoney } from '../records/money.ts'
import { useCan } from '../records/permissions.ts'
import { EditButton, RecordDetails, RecordPage, RecordView } from '../records/record-page.tsx'
import { RecordSection } from '../records/record-section.tsx'
import { RelatedList } from '../records/related-list.tsx'
import type { AccountDetail, Contact, Deal } from '../records/types.ts'
import { AccountForm } from './account-form.tsx'
import { regionOptions, tierOptions } from './account-options.ts'

type Dialog = 'edit' | 'contact' | 'deal' | null

export function AccountPage() {
  const navigate = useNavigate()
  const canWrite = useCan('records:write')
  const custom = useCustomFields('account')
  const [dialog, setDialog] = useState<Dialog>(null)
  const close = () => setDialog(null)

  return (
    <RecordPage<AccountDetail> entity="account" nameOf={(account) => account.name}>
      {(account) => {
        const ref = { id: account.id, name: account.name }
        return (
          <RecordView
            entity="account"
            id={account.id}
            name={account.name}
            badges={
              <>
                {account.domain ? <Text c="dimmed">{account.domain}</Text> : null}
                {account.tier ? (
                  <Badge variant="light">{labelOf(account.tier, tierOptions)}</Badge>
                ) : null}
                {account.lifecycleStage ? (
                  <Badge variant="light" color="grape">
                    {labelOf(account.lifecycleStage, lifecycleOptions)}
                  </Badge>
                ) : null}
              </>
            }
            actions={
              <>
                <EditButton onClick={() => setDialog('edit')} />
                <MergeWithButton entity="account" id={account.id} />
                <Button
                  variant="default"
                  leftSection={<IconPlus size={16} aria-hidden="true" />}
                  onClick={() => setDialog('contact')}
                >
                  New contact
                </Button>
                <Button
                  leftSection={<IconPlus size={16} aria-hidden="true" />}
                  onClick={() => setDialog('deal')}
                >
                  New deal
                </Button>
              </>
            }
            aside={
              <>
                <RecordDetails
                  label="Account details"
                  record={account}
                  customFields={custom.data}
                  fields={[
                    ['Industry', account.industry ? humanize(account.industry) : '—'],
                    ['Employees', account.employees?.toLocaleString() ?? '—'],
                    [
                      'Annual revenue',
                      account.annualRevenue != null && account.annualRevenueCurrency
                        ? formatMoney(account.annualRevenue, account.annualRevenueCurrency)
                        : '—',
                    ],
                    ['Country', account.country ?? '—'],
                    ['Region', labelOf(account.region, regionOptions)],
                    ['Owner', account.owner?.name ?? 'No owner'],
                    ['Contacts', account.counts.contacts.toLocaleString()],
                    ['Deals', account.counts.deals.toLocaleString()],
                  ]}
                />
                <OutcomeDatesSection
                  entity="account"
                  id={account.id}
                  dates={{
                    churnedOn: account.churnedOn ?? null,
                    refundedOn: account.refundedOn ?? null,
                    downgradedOn: account.downgradedOn ?? null,
                  }}
                />
                <RecordSection title="Lifecycle">
                  <LifecycleHistory entries={account.stageHistory} />
                </RecordSection>
              </>
            }
            main={
              <Tabs defaultValue="timeline" keepMounted={false}>
                <Tabs.List>
                  <Tabs.Tab value="timeline">Timeline</Tabs.Tab>
                  <Tabs.Tab value="contacts">Contacts ({account.counts.contacts})</Tabs.Tab>
                  <Tabs.Tab value="deals">Deals ({account.counts.deals})</Tabs.Tab>
                </Tabs.List>
                <Tabs.Panel value="timeline" pt="md">
                  <Stack gap="md">
                    {canWrite ? (
                      <RecordSection title="Log activity">
                        <QuickAddActivity links={{ accountId: account.id }} />
                      </RecordSection>
                    ) : null}
                    <RecordTimeline entity="account" id={account.id} />
                  </Stack>
                </Tabs.Panel>
                <Tabs.Panel value="contacts" pt="md">
                  <RelatedList<Contact>
                    label="Contacts of this account"
                    path="/api/v1/contacts"
                    queryKey={crmKeys.contacts}
                    conditions={[{ field: 'accountId', op: 'eq', value: account.id }]}
                    sort="lastName"
                    columns={contactColumns([]).filter((c) =>
                      ['name', 'title', 'lifecycleStage', 'owner'].includes(c.key),
                    )}
                    rowName={contactName}
                    rowHref={(c) => recordPath('contact', c.id)}
                    empty="No contacts here yet. Use “New contact” to add the people you talk to."
                  />
                </Tabs.Panel>
                <Tabs.Panel value="deals" pt="md">
                  <RelatedList<Deal>
                    label="Deals of this account"
                    path="/api/v1/deals"
                    queryKey={crmKeys.deals}
                    conditions={[{ field: 'accountId', op: 'eq', value: account.id }]}
                    sort="-updatedAt"
                    columns={dealColumns().filter((c) =>
                      ['name', 'stage', 'amount', 'closeDate', 'productFit'].includes(c.key),
                    )}
                    rowName={(d) => d.name}
                    rowHref={(d) => recordPath('deal', d.id)}
                    empty="No deals yet. Use “New deal” when a conversation turns into an opportunity."
                  />
                </Tabs.Panel>
              </Tabs>
            }
          >
            <Modal opened={dialog === 'edit'} onClose={close} title="Edit account" size="lg">
              <AccountForm account={account} onCancel={close} onSaved={close} />
            </Modal>
            <Modal opened={dialog === 'contact'} onClose={close} title="New contact" size="lg">
              <ContactForm
                account={ref}
                onCancel={close}
                onSaved={(c) => void navigate(recordPath('contact', c.id))}
              />
            </Modal>
            <Modal opened={dialog === 'deal'} onClose={close} title="New deal" size="lg">
              <DealForm
                account={ref}
                onCancel={close}
                onSaved={(d) => void navigate(recordPath('deal', d.id))}
              />
            </Modal>
          </RecordView>
        )
      }}
    </RecordPage>
  )
}
