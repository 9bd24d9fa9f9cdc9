import { Anchor, Badge, Button, Modal, Stack, Text } from '@mantine/core'
import { useState } from 'react'
import { Link, useNavigate } from 'react-router'
import { formatDate } from '../../components/format.ts'
import { QuickAddActivity } from '../activities/quick-add-activity.tsx'
import { RecordTimeline } from '../activities/timeline.tsx'
import { DealForm } from '../deals/deal-form.tsx'
import { dealColumns } from '../deals/deal-list.tsx'
import { ContactHandoffs } from '../inbox/contact-handoffs.tsx'
import { MergeWithButton } from '../merges/merge-with.tsx'
import { crmKeys, recordPath, useCustomFields, usePersonas } from '../records/crm-queries.ts'
import { labelOf, leadStatusOptions, lifecycleOptions } from '../records/labels.ts'
import { LifecycleHistory } from '../records/lifecycle-history.tsx'
import { useCan } from '../records/permissions.ts'
import { EditButton, RecordDetails, RecordPage, RecordView } from '../records/record-page.tsx'
import { RecordSection } from '../records/record-section.tsx'
import { RelatedList } from '../records/related-list.tsx'
import type { ContactDetail, Deal } from '../records/types.ts'
import { ContactScoresCard } from '../scoring/contact-scores.tsx'
import { ContactForm } from './contact-form.tsx'
import { contactName } from './contact-list.tsx'
import { ContactPrivacy, ErasedNotice } from './contact-privacy.tsx'
import { ContactTracking } from './contact-tracking.tsx'
import { IdentityMerges } from './identity-merges.tsx'

type Dialog = 'edit' | 'deal' | null

export function ContactPage() {
  const navigate = useNavigate()
  const canWrite = useCan('records:write')
  const canManagePrivacy = useCan('privacy:manage')
  const personas = usePersonas()
  const custom = useCustomFields('contact')
  const [dialog, setDialog] = useState<Dialog>(null)
  const personaOptions = (personas.data ?? []).map((p) => ({ value: p.key, label: p.label }))
  const close = () => setDialog(null)

  return (
    <RecordPage<ContactDetail> entity="contact" nameOf={contactName}>
      {(contact) => (
        <RecordView
          entity="contact"
          id={contact.id}
          name={contactName(contact)}
          trashName={contactName(contact)}
          badges={
            <>
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
            </>
          }
          actions={
            contact.erasedAt ? null : (
              <>
                <EditButton onClick={() => setDialog('edit')} />
                <MergeWithButton entity="contact" id={contact.id} />
                <Button onClick={() => setDialog('deal')}>New deal</Button>
              </>
            )
          }
          aside={
            <>
              {contact.erasedAt ? (
                <ErasedNotice erasedAt={contact.erasedAt} />
              ) : (
                <RecordDetails
                  label="Contact details"
                  record={contact}
                  customFields={custom.data}
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
                  ]}
                />
              )}
              {contact.erasedAt ? null : <ContactScoresCard contactId={contact.id} />}
              {canManagePrivacy ? (
                <RecordSection title="Privacy">
                  <ContactPrivacy contact={contact} />
                </RecordSection>
              ) : null}
              <RecordSection title="Tracking">
                <ContactTracking contact={contact} />
              </RecordSection>
              <RecordSection title="Identity merges">
                <IdentityMerges contactId={contact.id} />
              </RecordSection>
              {contact.erasedAt ? null : (
                <ContactHandoffs contactId={contact.id} name={contactName(contact)} />
              )}
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
            </>
          }
          main={
            <Stack gap="md">
              {canWrite && !contact.erasedAt ? (
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
          }
        >
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
        </RecordView>
      )}
    </RecordPage>
  )
}
