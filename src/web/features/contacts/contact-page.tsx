import { Anchor, Badge, Button, Grid, Group, Modal, Stack, Text, Title } from '@mantine/core'
import { IconPencil, IconTrash } from '@tabler/icons-react'
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
import { DealForm } from '../deals/deal-form.tsx'
import { dealColumns } from '../deals/deal-list.tsx'
import { MergeWithButton } from '../merges/merge-with.tsx'
import { crmKeys, recordPath, useCustomFields, usePersonas } from '../records/crm-queries.ts'
import { customValueText } from '../records/custom-columns.tsx'
import { FieldList } from '../records/field-list.tsx'
import { labelOf, leadStatusOptions, lifecycleOptions } from '../records/labels.ts'
import { LifecycleHistory } from '../records/lifecycle-history.tsx'
import { useCan } from '../records/permissions.ts'
import { RecordLoadError } from '../records/record-not-found.tsx'
import { RecordSection } from '../records/record-section.tsx'
import { RelatedList } from '../records/related-list.tsx'
import type { ContactDetail, Deal } from '../records/types.ts'
import { ContactForm } from './contact-form.tsx'
import { contactName } from './contact-list.tsx'

type Dialog = 'edit' | 'deal' | 'delete' | null

function utmText(utm: Record<string, string> | null): string {
  if (!utm) return '—'
  const parts = [utm.utm_source, utm.utm_medium, utm.utm_campaign].filter(Boolean)
  return parts.length > 0 ? parts.join(' / ') : '—'
}

export function ContactPage() {
  const { id = '' } = useParams()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const canWrite = useCan('records:write')
  const canDelete = useCan('records:delete')
  const personas = usePersonas()
  const custom = useCustomFields('contact')
  const [dialog, setDialog] = useState<Dialog>(null)
  const query = useQuery({
    queryKey: [...crmKeys.contacts, id],
    queryFn: () => getData<ContactDetail>(`/api/v1/contacts/${encodeURIComponent(id)}`),
  })
  useDocumentTitle(query.data ? contactName(query.data) : 'Contact')
  const remove = useMutation({
    mutationFn: () => api.delete(`/api/v1/contacts/${encodeURIComponent(id)}`),
    onSuccess: async () => {
      notifySuccess('Contact moved to the Trash. Restore it from Settings, Trash within 30 days.')
      queryClient.removeQueries({ queryKey: [...crmKeys.contacts, id] })
      void navigate('/microscope/contacts')
      await queryClient.invalidateQueries({ queryKey: crmKeys.contacts })
    },
  })

  if (query.isPending) return <PageLoader label="Loading the contact" />
  if (query.error) {
    return (
      <RecordLoadError
        error={query.error}
        noun="contact"
        listPath="/microscope/contacts"
        onRetry={() => void query.refetch()}
      />
    )
  }
  const contact = query.data
  const personaOptions = (personas.data ?? []).map((p) => ({ value: p.key, label: p.label }))
  const close = () => setDialog(null)

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/microscope/contacts" size="sm">
        All contacts
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{contactName(contact)}</Title>
          <Group gap="xs">
            {contact.title ? <Text c="dimmed">{contact.title}</Text> : null}
            {contact.account ? (
              <Anchor component={Link} to={recordPath('account', contact.account.id)}>
                {contact.account.name}
              </Anchor>
            ) : null}
            {contact.lifecycleStage ? (
              <Badge variant="light" color="grape">
                {labelOf(contact.lifecycleStage, lifecycleOptions)}
              </Badge>
            ) : null}
            {contact.doNotContact ? (
              <Badge variant="light" color="red">
                Do not contact
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
            <MergeWithButton entity="contact" id={contact.id} />
            <Button onClick={() => setDialog('deal')}>New deal</Button>
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
                label="Contact details"
                fields={[
                  ['Email', contact.email ?? '—'],
                  ['Phone', contact.phone ?? '—'],
                  ['Persona', labelOf(contact.persona, personaOptions)],
                  ['Owner', contact.owner?.name ?? 'No owner'],
                  ['Lead status', labelOf(contact.leadStatus, leadStatusOptions)],
                  ['Email opt-in', contact.emailOptIn ? 'Yes' : 'No'],
                  ['Do not contact', contact.doNotContact ? 'Yes' : 'No'],
                  ...(contact.recycleUntil
                    ? [['Re-engage on', formatDate(contact.recycleUntil)] as [string, string]]
                    : []),
                  ['Source', contact.source ?? '—'],
                  ['First touch', utmText(contact.firstTouchUtm)],
                  ['Last touch', utmText(contact.lastTouchUtm)],
                  ...(custom.data ?? []).map((f): [string, string] => [
                    f.label,
                    customValueText(contact.custom[f.key]),
                  ]),
                  ['Created', formatDate(contact.createdAt)],
                ]}
              />
            </RecordSection>
            <RecordSection title="Lifecycle">
              <LifecycleHistory entries={contact.stageHistory} />
            </RecordSection>
            <RecordSection title="Deals">
              <RelatedList<Deal>
                label={`Deals with ${contactName(contact)}`}
                path="/api/v1/deals"
                queryKey={crmKeys.deals}
                conditions={[{ field: 'contactIds', op: 'contains', value: contact.id }]}
                sort="-updatedAt"
                columns={dealColumns().filter((c) => ['name', 'stage', 'amount'].includes(c.key))}
                rowName={(d) => d.name}
                rowHref={(d) => recordPath('deal', d.id)}
                empty="This person is on no deal yet. Use “New deal” to start one with them as its primary contact."
              />
            </RecordSection>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            {canWrite ? (
              <RecordSection title="Log activity">
                <QuickAddActivity
                  links={{
                    contactId: contact.id,
                    ...(contact.accountId ? { accountId: contact.accountId } : {}),
                  }}
                />
              </RecordSection>
            ) : null}
            <RecordSection title="Timeline">
              <RecordTimeline entity="contact" id={contact.id} />
            </RecordSection>
          </Stack>
        </Grid.Col>
      </Grid>
      <Modal opened={dialog === 'edit'} onClose={close} title="Edit contact" size="lg">
        <ContactForm contact={contact} onCancel={close} onSaved={close} />
      </Modal>
      <Modal opened={dialog === 'deal'} onClose={close} title="New deal" size="lg">
        <DealForm
          account={contact.account}
          contactId={contact.id}
          onCancel={close}
          onSaved={(d) => void navigate(recordPath('deal', d.id))}
        />
      </Modal>
      <ConfirmModal
        opened={dialog === 'delete'}
        title="Delete contact"
        confirmLabel="Move to Trash"
        loading={remove.isPending}
        error={remove.error}
        onClose={close}
        onConfirm={() => remove.mutate()}
      >
        Move {contactName(contact)} to the Trash? It can be restored from Settings, Trash for 30
        days.
      </ConfirmModal>
    </Stack>
  )
}
