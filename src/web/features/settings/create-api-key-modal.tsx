import { Alert, Button, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core'
import { IconAlertTriangle } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { postData } from '../../api/client.ts'
import { queryKeys } from '../../api/queries.ts'
import { isRole, roleLabel, roleOptions } from '../../api/roles.ts'
import type { ApiKey, Role } from '../../api/types.ts'
import { CopyValue } from '../../components/copy-value.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { notifySuccess } from '../../components/notify.ts'

type CreatedApiKey = ApiKey & { key: string }

/** Creates a key; the full secret exists only in this dialog, once. */
export function CreateApiKeyModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient()
  const [name, setName] = useState('')
  const [role, setRole] = useState<Role>('viewer')
  const [nameError, setNameError] = useState<string | null>(null)
  const mutation = useMutation({
    mutationFn: (input: { name: string; role: Role }) =>
      postData<CreatedApiKey>('/api/v1/api-keys', input),
    onSuccess: async (created) => {
      notifySuccess(`API key “${created.name}” created.`)
      await queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys })
    },
  })

  const close = () => {
    mutation.reset()
    setName('')
    setRole('viewer')
    setNameError(null)
    onClose()
  }
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const trimmed = name.trim()
    if (trimmed.length === 0) {
      setNameError('Name the key after what will use it, e.g. “CRM sync”.')
      return
    }
    setNameError(null)
    mutation.mutate({ name: trimmed, role })
  }
  const created = mutation.data

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? 'Your new API key' : 'Create API key'}
      closeOnClickOutside={!created}
      size="lg"
    >
      {created ? (
        <Stack>
          <Alert
            color="yellow"
            variant="light"
            icon={<IconAlertTriangle aria-hidden="true" />}
            role="status"
          >
            Copy this key now: it will not be shown again
          </Alert>
          <CopyValue value={created.key} label="API key" testId="new-api-key" />
          <Text size="sm" c="dimmed">
            Send it as the header “Authorization: Bearer &lt;key&gt;”. It acts with the{' '}
            {roleLabel(created.role)} role in this workspace until you revoke it.
          </Text>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={onSubmit}>
          <Stack>
            {mutation.error ? (
              <ErrorAlert title="Could not create the key" error={mutation.error} />
            ) : null}
            <TextInput
              label="Name"
              description="What will use this key, e.g. “CRM sync” or “Website forms”"
              required
              data-autofocus
              maxLength={100}
              value={name}
              error={nameError}
              onChange={(event) => setName(event.currentTarget.value)}
            />
            <NativeSelect
              label="Role"
              description="The key can do what a member with this role can do"
              data={roleOptions}
              value={role}
              onChange={(event) => {
                const value = event.currentTarget.value
                if (isRole(value)) setRole(value)
              }}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={mutation.isPending}>
                Create
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  )
}
