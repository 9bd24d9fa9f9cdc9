import { Button, Modal } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { IconCopy, IconPlus } from '@tabler/icons-react'
import { Link, useNavigate } from 'react-router'
import { recordPath, useCustomFields, usePersonas } from '../records/crm-queries.ts'
import { withCustomFields } from '../records/custom-columns.tsx'
import { useCan } from '../records/permissions.ts'
import { RecordListPage } from '../records/record-list-page.tsx'
import { ContactForm } from './contact-form.tsx'
import { contactList } from './contact-list.tsx'

export function ContactsPage() {
  const personas = usePersonas()
  const custom = useCustomFields('contact')
  const canWrite = useCan('records:write')
  const navigate = useNavigate()
  const [creating, { open, close }] = useDisclosure(false)
  const options = (personas.data ?? []).map((p) => ({ value: p.key, label: p.label }))
  return (
    <>
      <RecordListPage
        config={withCustomFields(contactList(options), custom.data)}
        actions={
          <>
            <Button
              component={Link}
              to="/microscope/contacts/duplicates"
              variant="default"
              leftSection={<IconCopy size={16} aria-hidden="true" />}
            >
              Duplicates
            </Button>
            {canWrite ? (
              <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={open}>
                New contact
              </Button>
            ) : null}
          </>
        }
      />
      <Modal opened={creating} onClose={close} title="New contact" size="lg">
        <ContactForm
          onCancel={close}
          onSaved={(contact) => {
            close()
            void navigate(recordPath('contact', contact.id))
          }}
        />
      </Modal>
    </>
  )
}
