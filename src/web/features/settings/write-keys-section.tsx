import {
  Badge,
  Button,
  Code,
  Group,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { IconPlus } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api, postData } from '../../api/client.ts'
import { AdminOnly } from '../../components/admin-only.tsx'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { CopyValue } from '../../components/copy-value.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate, formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { useCursorList } from '../../components/use-cursor-list.ts'

/** GET /api/v1/write-keys: public keys that can only ingest events at /v1/*. */
export interface WriteKey {
  id: string
  name: string
  key: string
  state: 'active' | 'expiring' | 'expired' | 'revoked'
  createdAt: string
  createdBy: { id: string; name: string } | null
  expiresAt: string | null
  revokedAt: string | null
}

export const writeKeysQueryKey = ['write-keys'] as const

/** The write keys of Settings → Tracking: list, create, rotate, revoke. */
export function WriteKeysSection({ canManage }: { canManage: boolean }) {
  const [creating, { open, close }] = useDisclosure(false)
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3} size="h4">
          Write keys
        </Title>
        {canManage ? (
          <Button
            variant="default"
            leftSection={<IconPlus size={16} aria-hidden="true" />}
            onClick={open}
          >
            Create write key
          </Button>
        ) : null}
      </Group>
      <Text size="sm" c="dimmed">
        A write key lets the tracking snippet on your website, and Segment-compatible libraries,
        send events to this workspace. It is public by design (it sits in your site's code) and can
        only send events: it cannot read or change anything else.
      </Text>
      {canManage ? null : (
        <AdminOnly>Only admins and marketing can create, rotate or revoke write keys.</AdminOnly>
      )}
      <WriteKeysTable canManage={canManage} />
      {canManage ? <CreateWriteKeyModal opened={creating} onClose={close} /> : null}
    </Stack>
  )
}

/** How to point a Segment-compatible library, or curl, at this Tandem (docs/ingestion.md). */
export function SendingEvents() {
  const origin = window.location.origin
  const node = `import { Analytics } from '@segment/analytics-node'\nconst analytics = new Analytics({ writeKey: '<write key>', host: '${origin}' })\nanalytics.identify({ userId: 'user-42', traits: { email: 'ada@example.com' } })\nanalytics.track({ userId: 'user-42', event: 'Form Submitted' })`
  const curl = `curl ${origin}/v1/track -u '<write key>:' -H 'Content-Type: application/json' \\\n  -d '{"userId":"user-42","event":"Form Submitted"}'`
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={3} size="h4">
          Sending events
        </Title>
        <Text size="sm">
          Any Segment-spec library (analytics.js, @segment/analytics-node, RudderStack) sends to
          Tandem when its host is <Code>{origin}</Code>: identify, track, page, screen, group, alias
          and batch under <Code>/v1/</Code>. Events show on the contact's timeline as soon as they
          are acknowledged; anonymous visits join the contact when it is identified.
        </Text>
        <Code block aria-label="Example with @segment/analytics-node">
          {node}
        </Code>
        <Code block aria-label="Example with curl">
          {curl}
        </Code>
      </Stack>
    </Paper>
  )
}

/** "in 23 h" or "in 40 min": how long a rotated key keeps working. */
function timeLeft(iso: string): string {
  const minutes = Math.max(1, Math.ceil((Date.parse(iso) - Date.now()) / 60_000))
  return minutes < 60 ? `in ${minutes} min` : `in ${Math.round(minutes / 60)} h`
}

const stateBadges: Record<WriteKey['state'], { label: string; color: string }> = {
  active: { label: 'Active', color: 'teal' },
  expiring: { label: 'Expiring', color: 'orange' },
  expired: { label: 'Expired', color: 'gray' },
  revoked: { label: 'Revoked', color: 'gray' },
}

/** The state, and when an expiring, expired or revoked key stops or stopped working. */
function StateBadge({ writeKey }: { writeKey: WriteKey }) {
  const { label, color } = stateBadges[writeKey.state]
  const when =
    writeKey.state === 'expiring' && writeKey.expiresAt
      ? `Stops ${timeLeft(writeKey.expiresAt)}`
      : writeKey.state === 'expired' && writeKey.expiresAt
        ? formatDate(writeKey.expiresAt)
        : writeKey.state === 'revoked' && writeKey.revokedAt
          ? formatDate(writeKey.revokedAt)
          : null
  const exact = writeKey.state === 'revoked' ? writeKey.revokedAt : writeKey.expiresAt
  return (
    <Stack gap={2} align="flex-start">
      <Badge color={color} variant="dot">
        {label}
      </Badge>
      {when ? (
        <Text size="xs" c="dimmed" title={exact ? formatDateTime(exact) : undefined}>
          {when}
        </Text>
      ) : null}
    </Stack>
  )
}

function WriteKeysTable({ canManage }: { canManage: boolean }) {
  const queryClient = useQueryClient()
  const [rotating, setRotating] = useState<WriteKey | null>(null)
  const [revoking, setRevoking] = useState<WriteKey | null>(null)
  const list = useCursorList<WriteKey>(writeKeysQueryKey, '/api/v1/write-keys')
  const refresh = () => queryClient.invalidateQueries({ queryKey: writeKeysQueryKey })
  const rotate = useMutation({
    mutationFn: (key: WriteKey) =>
      postData<WriteKey>(`/api/v1/write-keys/${encodeURIComponent(key.id)}/rotate`, {}),
    onSuccess: async (_created, key) => {
      setRotating(null)
      notifySuccess(`Write key “${key.name}” rotated: put the new key in your snippet.`)
      await refresh()
    },
  })
  const revoke = useMutation({
    mutationFn: (key: WriteKey) => api.delete(`/api/v1/write-keys/${encodeURIComponent(key.id)}`),
    onSuccess: async (_result, key) => {
      setRevoking(null)
      notifySuccess(`Write key “${key.name}” revoked.`)
      await refresh()
    },
  })

  if (list.isPending) return <LoadingRows label="Loading write keys" />
  if (list.error) {
    return (
      <ErrorAlert
        title="Could not load write keys"
        error={list.error}
        onRetry={() => void list.refetch()}
      />
    )
  }
  if (list.items.length === 0) {
    return (
      <Paper withBorder p="xl" ta="center">
        <Text fw={600}>No write keys yet</Text>
        <Text size="sm" c="dimmed" mt={4}>
          {canManage
            ? 'Use “Create write key” to get one, then put it in the tracking snippet on your website or in a Segment-compatible library (analytics.js, RudderStack) pointed at Tandem. Make one per site or app, so you can rotate them one by one.'
            : 'An admin or a marketer can create one for the tracking snippet on your website or a Segment-compatible library.'}
        </Text>
      </Paper>
    )
  }

  return (
    <Stack gap="sm">
      <Paper withBorder>
        <Table.ScrollContainer minWidth={860}>
          <Table verticalSpacing="sm" aria-label="Write keys">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Key</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>State</Table.Th>
                {canManage ? (
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                ) : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((key) => {
                const usable = key.state === 'active' || key.state === 'expiring'
                return (
                  <Table.Tr key={key.id}>
                    <Table.Td id={`write-key-name-${key.id}`}>{key.name}</Table.Td>
                    <Table.Td miw={340}>
                      {usable ? (
                        <CopyValue value={key.key} label={`write key “${key.name}”`} />
                      ) : (
                        <Text ff="monospace" size="sm" c="dimmed" td="line-through">
                          {key.key}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {formatDate(key.createdAt)}
                      {key.createdBy ? (
                        <Text size="xs" c="dimmed">
                          by {key.createdBy.name}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td miw={130}>
                      <StateBadge writeKey={key} />
                    </Table.Td>
                    {canManage ? (
                      <Table.Td ta="right">
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          {key.state === 'active' ? (
                            <Button
                              size="xs"
                              variant="subtle"
                              aria-describedby={`write-key-name-${key.id}`}
                              onClick={() => {
                                rotate.reset()
                                setRotating(key)
                              }}
                            >
                              Rotate
                            </Button>
                          ) : null}
                          {usable ? (
                            <Button
                              size="xs"
                              variant="subtle"
                              color="red"
                              aria-describedby={`write-key-name-${key.id}`}
                              onClick={() => {
                                revoke.reset()
                                setRevoking(key)
                              }}
                            >
                              Revoke
                            </Button>
                          ) : null}
                        </Group>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                )
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {list.hasNextPage ? (
        <Group justify="center">
          <Button
            variant="default"
            onClick={() => void list.fetchNextPage()}
            loading={list.isFetchingNextPage}
          >
            Load more
          </Button>
        </Group>
      ) : null}
      <ConfirmModal
        opened={rotating !== null}
        title="Rotate write key"
        confirmLabel="Rotate key"
        loading={rotate.isPending}
        error={rotate.error}
        onClose={() => setRotating(null)}
        onConfirm={() => {
          if (rotating) rotate.mutate(rotating)
        }}
      >
        Rotate “{rotating?.name}”? You get a new key with the same name. The current key keeps
        working for 24 hours, so you can put the new one in your snippet or app; then it stops
        accepting events.
      </ConfirmModal>
      <ConfirmModal
        opened={revoking !== null}
        title="Revoke write key"
        confirmLabel="Revoke key"
        loading={revoke.isPending}
        error={revoke.error}
        onClose={() => setRevoking(null)}
        onConfirm={() => {
          if (revoking) revoke.mutate(revoking)
        }}
      >
        Revoke “{revoking?.name}”? Events sent with it are refused at once. This cannot be undone.
      </ConfirmModal>
    </Stack>
  )
}

function CreateWriteKeyModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient()
  const [name, setName] = useState('')
  const [nameError, setNameError] = useState<string | null>(null)
  const mutation = useMutation({
    mutationFn: (input: { name: string }) => postData<WriteKey>('/api/v1/write-keys', input),
    onSuccess: async (created) => {
      notifySuccess(`Write key “${created.name}” created.`)
      await queryClient.invalidateQueries({ queryKey: writeKeysQueryKey })
    },
  })
  const close = () => {
    mutation.reset()
    setName('')
    setNameError(null)
    onClose()
  }
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const trimmed = name.trim()
    if (trimmed.length === 0) {
      setNameError('Name the key after where it is used, e.g. “Marketing site”.')
      return
    }
    setNameError(null)
    mutation.mutate({ name: trimmed })
  }
  const created = mutation.data

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? 'Your new write key' : 'Create write key'}
    >
      {created ? (
        <Stack>
          <CopyValue value={created.key} label="write key" testId="new-write-key" />
          <Text size="sm" c="dimmed">
            Put it in the tracking snippet, or give it as the write key of a Segment-compatible
            library with Tandem's address as its host. It stays listed here.
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
              description="Where the key is used, e.g. “Marketing site” or “Mobile app”"
              required
              data-autofocus
              maxLength={100}
              value={name}
              error={nameError}
              onChange={(event) => setName(event.currentTarget.value)}
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
