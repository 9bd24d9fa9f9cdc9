import { Alert, Button, Group, NativeSelect, Paper, Stack, Text, TextInput } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { postData } from '../../api/client.ts'
import { queryKeys } from '../../api/queries.ts'
import { isRole, roleOptions } from '../../api/roles.ts'
import type { Invitation, Role } from '../../api/types.ts'
import { CopyValue } from '../../components/copy-value.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { notifySuccess } from '../../components/notify.ts'

type CreatedInvitation = Invitation & { acceptUrl: string }

/** Invites by email; the accept link is shown because this server may not send email. */
export function InviteMemberForm() {
  const queryClient = useQueryClient()
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('viewer')
  const mutation = useMutation({
    mutationFn: (input: { email: string; role: Role }) =>
      postData<CreatedInvitation>('/api/v1/invitations', input),
    onSuccess: async (invitation) => {
      setEmail('')
      notifySuccess(`Invitation created for ${invitation.email}.`)
      await queryClient.invalidateQueries({ queryKey: queryKeys.invitations })
    },
  })

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    mutation.mutate({ email: email.trim(), role })
  }

  return (
    <Paper withBorder p="lg">
      <form onSubmit={onSubmit} aria-label="Invite a member">
        <Stack>
          <Text fw={600}>Invite someone</Text>
          {mutation.error ? (
            <ErrorAlert title="Could not create the invitation" error={mutation.error} />
          ) : null}
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label="Email"
              type="email"
              required
              autoComplete="off"
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              style={{ flex: 1, minWidth: 220 }}
            />
            <NativeSelect
              label="Role"
              data={roleOptions}
              value={role}
              onChange={(event) => {
                const value = event.currentTarget.value
                if (isRole(value)) setRole(value)
              }}
              w={180}
            />
            <Button type="submit" loading={mutation.isPending}>
              Send invitation
            </Button>
          </Group>
          {mutation.data ? (
            <Alert color="teal" variant="light" title="Invitation created" role="status">
              <Stack gap="xs">
                <Text size="sm">
                  Share this link with {mutation.data.email} in case this server does not send
                  email. Only that email can accept it, until{' '}
                  {formatDateTime(mutation.data.expiresAt)}.
                </Text>
                <CopyValue
                  value={mutation.data.acceptUrl}
                  label="invitation link"
                  testId="invitation-accept-url"
                />
              </Stack>
            </Alert>
          ) : null}
        </Stack>
      </form>
    </Paper>
  )
}
