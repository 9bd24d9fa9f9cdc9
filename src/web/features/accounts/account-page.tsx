import { Anchor, Badge, Button, Grid, Group, Modal, Stack, Tabs, Text, Title } from '@mantine/core'
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { api, getData } from '../../api/client.ts'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { formatDate } from '../../components/format.ts'
import { notifySuccess } from '../../components/notify.ts'
import { PageLoader } from '../../components/page-loader.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { QuickAddActivity } from '../activities/quick-add-activity.tsx'
import { RecordTimeline } from '../activities/timeline.tsx'
import { ContactForm } from '../contacts/contact-form.tsx'
import { contactColumns, contactName } from '../contacts/contact-list.tsx'
import { DealForm } from '../deals/deal-form.tsx'
import { dealColumns } from '../deals/deal-list.tsx'
import { MergeWithButton } from '../merges/merge-with.tsx'
import { crmKeys, recordPath, useCustomFields } from '../records/crm-queries.ts'
import { customValueText } from '../records/custom-columns.tsx'
import { FieldList } from '../records/field-list.tsx'
import { humanize, labelOf, lifecycleOptions } from '../records/labels.ts'
import { LifecycleHistory } from '../records/lifecycle-history.tsx'
import { formatMoney } from '../records/money.ts'
import { useCan } from '../records/permissions.ts'
import { RecordLoadError } from '../records/record-not-found.tsx'
import { RecordSection } from '../records/record-section.tsx'
import { RelatedList } from '../records/related-list.tsx'
import type { AccountDetail, Contact, Deal } from '../records/types.ts'
import { AccountForm } from './account-form.tsx'
import { regionOptions, tierOptions } from './account-options.ts'

type Dialog = 'edit' | 'contact' | 'deal' | 'delete' | null

export function AccountPage() {
  const { id = '' } = useParams()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const canWrite = useCan('records:write')
  const canDelete = useCan('records:delete')
  const custom = useCustomFields('account')
  const [dialog, setDialog] = useState<Dialog>(null)
  const query = useQuery({
    queryKey: [...crmKeys.accounts, id],
    queryFn: () => getData<AccountDetail>(`/api/v1/accounts/${encodeURIComponent(id)}`),
  })
  useDocumentTitle(query.data?.name ?? 'Account')
  const remove = useMutation({
    mutationFn: () => api.delete(`/api/v1/accounts/${encodeURIComponent(id)}`),
    onSuccess: async () => {
      notifySuccess('Account moved to the Trash. Restore it from Settings, Trash within 30 days.')
      queryClient.removeQueries({ queryKey: [...crmKeys.accounts, id] })
      void navigate('/microscope/accounts')
      await queryClient.invalidateQueries({ queryKey: crmKeys.accounts })
    },
  })

  if (query.isPending) return <PageLoader label="Loading the account" />
  if (query.error) {
    return (
      <RecordLoadError
        error={query.error}
        noun="account"
        listPath="/microscope/accounts"
        onRetry={() => void query.refetch()}
      />
    )
  }
  const account = query.data
  const ref = { id: account.id, name: account.name }
  const close = () => setDialog(null)

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/microscope/accounts" size="sm">
        All accounts
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{account.name}</Title>
          <Group gap="xs">
            {account.domain ? <Text c="dimmed">{account.domain}</Text> : null}
            {account.tier ? (
              <Badge variant="light">{labelOf(account.tier, tierOptions)}</Badge>
            ) : null}
            {account.lifecycleStage ? (
              <Badge variant="light" color="grape">
                {labelOf(account.lifecycleStage, lifecycleOptions)}
              </Badge>
            ) : null}
          </Group>
        </Stack>
        {canWrite ? (
          <Group gap="xs">
            <Button
              variant="default"
              leftSection={<IconPencil size={16} aria-hidden="true" />}
              onClick={() => setDialog('edit')}
            >
              Edit
            </Button>
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
            {canDelete ? (
              <Button
                variant="subtle"
                color="red"
                leftSection={<IconTrash size={16} aria-hidden="true" />}
                onClick={() => setDialog('delete')}
              >
                Delete
              </Button>
            ) : null}
          </Group>
        ) : null}
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <RecordSection title="Details">
              <FieldList
                label="Account details"
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
                  ...(custom.data ?? []).map((f): [string, string] => [
                    f.label,
                    customValueText(account.custom[f.key]),
                  ]),
                  ['Created', formatDate(account.createdAt)],
                ]}
              />
            </RecordSection>
            <RecordSection title="Lifecycle">
              <LifecycleHistory entries={account.stageHistory} />
            </RecordSection>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
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
                  ['name', 'stage', 'amount', 'closeDate'].includes(c.key),
                )}
                rowName={(d) => d.name}
                rowHref={(d) => recordPath('deal', d.id)}
                empty="No deals yet. Use “New deal” when a conversation turns into an opportunity."
              />
            </Tabs.Panel>
          </Tabs>
        </Grid.Col>
      </Grid>
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
      <ConfirmModal
        opened={dialog === 'delete'}
        title="Delete account"
        confirmLabel="Move to Trash"
        loading={remove.isPending}
        error={remove.error}
        onClose={close}
        onConfirm={() => remove.mutate()}
      >
        Move “{account.name}” to the Trash? It can be restored from Settings, Trash for 30 days.
      </ConfirmModal>
    </Stack>
  )
}
