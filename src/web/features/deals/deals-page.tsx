import { Button, Modal } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { IconPlus } from '@tabler/icons-react'
import { useNavigate } from 'react-router'
import { recordPath, useCustomFields, usePipelines } from '../records/crm-queries.ts'
import { withCustomFields } from '../records/custom-columns.tsx'
import { useCan } from '../records/permissions.ts'
import { RecordListPage } from '../records/record-list-page.tsx'
import { DealForm } from './deal-form.tsx'
import { dealList } from './deal-list.tsx'

export function DealsPage() {
  const pipelines = usePipelines()
  const custom = useCustomFields('deal')
  const canWrite = useCan('records:write')
  const navigate = useNavigate()
  const [creating, { open, close }] = useDisclosure(false)
  return (
    <>
      <RecordListPage
        config={withCustomFields(dealList(pipelines.data ?? []), custom.data)}
        actions={
          canWrite ? (
            <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={open}>
              New deal
            </Button>
          ) : null
        }
      />
      <Modal opened={creating} onClose={close} title="New deal" size="lg">
        <DealForm
          onCancel={close}
          onSaved={(deal) => {
            close()
            void navigate(recordPath('deal', deal.id))
          }}
        />
      </Modal>
    </>
  )
}
