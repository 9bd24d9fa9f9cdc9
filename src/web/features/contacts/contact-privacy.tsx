import { Alert, Button, Group, List, Modal, Stack, Text, TextInput } from '@mantine/core'
import { IconDownload, IconShieldLock } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { getStoredWorkspaceId, postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate } from '../../components/format.ts'
import { notifySuccess } from '../../components/notify.ts'
import { crmKeys } from '../records/crm-queries.ts'
import type { ContactDetail } from '../records/types.ts'

/**
 * The download address of a contact's personal data. A link cannot send X-Workspace-Id, so the
 * workspace travels as `workspaceId` (the session cookie goes along).
 */
export function personalDataHref(contactId: string): string {
  const workspaceId = getStoredWorkspaceId()
  const query = workspaceId ? `?workspaceId=${encodeURIComponent(workspaceId)}` : ''
  return `/api/v1/contacts/${encodeURIComponent(contactId)}/personal-data${query}`
}

/** Shown instead of the contact's fields once its personal data was erased. */
export function ErasedNotice({ erasedAt }: { erasedAt: string }) {
  return (
    <Alert
      color="gray"
      variant="light"
      icon={<IconShieldLock aria-hidden="true" />}
      title={`Erased on ${formatDate(erasedAt)}`}
      role="note"
    >
      This person’s personal data was erased on request. Their deals, stage history and anonymous
      touches still count in reports; their email is suppressed, so tracking, forms and imports do
      not create them again.
    </Alert>
  )
}

/** "Privacy" on a contact page, for admins: download everything held, or erase it. */
export function ContactPrivacy({ contact }: { contact: ContactDetail }) {
  const [isErasing, setErasing] = useState(false)
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        Answer a person’s request to see or erase the data held about them.
      </Text>
      <Group gap="xs">
        <Button
          component="a"
          href={personalDataHref(contact.id)}
          download
          variant="default"
          leftSection={<IconDownload size={16} aria-hidden="true" />}
        >
          Download personal data
        </Button>
        {contact.erasedAt ? null : (
          <Button variant="outline" color="red.9" onClick={() => setErasing(true)}>
            Erase personal data…
          </Button>
        )}
      </Group>
      <EraseModal contact={contact} opened={isErasing} onClose={() => setErasing(false)} />
    </Stack>
  )
}

function EraseModal({
  contact,
  opened,
  onClose,
}: {
  contact: ContactDetail
  opened: boolean
  onClose: () => void
}) {
  const queryClient = useQueryClient()
  const [confirm, setConfirm] = useState('')
  const expected = contact.email ?? contact.id
  const isMatching = confirm.trim().toLowerCase() === expected.toLowerCase()
  const erase = useMutation({
    mutationFn: () =>
      postData(`/api/v1/contacts/${encodeURIComponent(contact.id)}/erase`, { confirm }),
    onSuccess: async () => {
      close()
      notifySuccess('Their email is suppressed from now on.', 'Personal data erased')
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: crmKeys.contacts }),
        queryClient.invalidateQueries({ queryKey: crmKeys.timeline }),
        queryClient.invalidateQueries({ queryKey: crmKeys.identityMerges }),
      ])
    },
  })

  function close() {
    setConfirm('')
    erase.reset()
    onClose()
  }

  return (
    <Modal opened={opened} onClose={close} title="Erase personal data" centered size="lg">
      <Stack>
        <Text size="sm">
          This cannot be undone. Download the personal data first if it was asked for.
        </Text>
        <div>
          <Text size="sm" fw={600}>
            Removed
          </Text>
          <List size="sm">
            <List.Item>Name, email, phone, title, traits, custom fields and external id</List.Item>
            <List.Item>User and anonymous ids, identity merges and form answers</List.Item>
            <List.Item>
              On touches: the visitor id, URL query string, referrer, IP, user agent and properties
            </List.Item>
            <List.Item>Subject and notes of the activities logged with them</List.Item>
          </List>
        </div>
        <div>
          <Text size="sm" fw={600}>
            Kept
          </Text>
          <List size="sm">
            <List.Item>
              The contact as “Erased contact”, its deals, owner and stage history
            </List.Item>
            <List.Item>
              Touch type, channel, campaign and date, so reports still count them
            </List.Item>
            <List.Item>
              A hash of the email, so tracking, forms, imports and the API do not create them again
            </List.Item>
          </List>
        </div>
        <TextInput
          label={
            contact.email
              ? 'Type the contact’s email to confirm'
              : 'Type the contact’s id to confirm'
          }
          description={expected}
          value={confirm}
          onChange={(event) => setConfirm(event.currentTarget.value)}
          autoComplete="off"
          data-autofocus
        />
        {erase.error ? <ErrorAlert title="That did not work" error={erase.error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} disabled={erase.isPending}>
            Cancel
          </Button>
          <Button
            color="red.9"
            onClick={() => erase.mutate()}
            loading={erase.isPending}
            disabled={!isMatching}
          >
            Erase personal data
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
