import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core'
import { IconPlus, IconShieldLock } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, patchData, postData } from '../../api/client.ts'
import { AdminOnly } from '../../components/admin-only.tsx'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { CopyValue } from '../../components/copy-value.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifyError, notifySuccess } from '../../components/notify.ts'
import { useCursorList } from '../../components/use-cursor-list.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { useMe } from '../shell/me-context.tsx'
import { CreateWebhookModal } from './create-webhook-modal.tsx'
import { DeliveryLog } from './delivery-log.tsx'
import { eventTypeOptions, type Webhook, type WebhookDelivery, webhooksQueryKey } from './types.ts'

/** Settings → Webhooks: subscriptions, their signing secrets and delivery logs (admins). */
export function WebhooksPage() {
  useDocumentTitle('Webhooks')
  const me = useMe()
  const [creating, setCreating] = useState(false)
  const [revealed, setRevealed] = useState<Webhook | null>(null)
  const canManage = me.permissions.includes('webhooks:manage')
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <Stack gap="xs" maw={640}>
          <Title order={2}>Webhooks</Title>
          <Text size="sm" c="dimmed">
            Tandem POSTs an event to your URL when a handoff is created, accepted, rejected,
            breached or escalated, when a lifecycle stage changes, and when a deal is won or lost.
            Each request is signed (Tandem-Signature) and carries an Idempotency-Key; failed
            deliveries are retried with backoff for about four days. Slack incoming webhooks get a
            ready-made message. See docs/webhooks.md.
          </Text>
        </Stack>
        {canManage ? (
          <Button
            leftSection={<IconPlus size={16} aria-hidden="true" />}
            onClick={() => setCreating(true)}
          >
            Add webhook
          </Button>
        ) : null}
      </Group>
      {canManage ? (
        <>
          {revealed ? <SecretNotice webhook={revealed} onDone={() => setRevealed(null)} /> : null}
          <WebhookList onSecret={setRevealed} />
          <CreateWebhookModal
            opened={creating}
            onClose={() => setCreating(false)}
            onCreated={(webhook) => {
              notifySuccess(`Webhook “${webhook.name}” added.`)
              setRevealed(webhook)
            }}
          />
        </>
      ) : (
        <AdminOnly>Only admins can see and manage webhooks.</AdminOnly>
      )}
    </Stack>
  )
}

/** The signing secret in full, shown once after create or rotate. */
function SecretNotice({ webhook, onDone }: { webhook: Webhook; onDone: () => void }) {
  return (
    <Alert
      variant="default"
      icon={<IconShieldLock aria-hidden="true" />}
      title={`Signing secret of “${webhook.name}”`}
      role="status"
    >
      <Stack gap="xs">
        <Text size="sm">
          Copy it now into the receiver that verifies Tandem-Signature: it is not shown again. (A
          Slack URL needs no secret.)
        </Text>
        <CopyValue value={webhook.secret} label="signing secret" testId="webhook-secret" />
        <Group>
          <Button size="xs" variant="default" onClick={onDone}>
            I have copied it
          </Button>
        </Group>
      </Stack>
    </Alert>
  )
}

function WebhookList({ onSecret }: { onSecret: (webhook: Webhook) => void }) {
  const list = useCursorList<Webhook>(webhooksQueryKey, '/api/v1/webhooks')
  if (list.isPending) return <LoadingRows label="Loading webhooks" height={90} />
  if (list.error) {
    return (
      <ErrorAlert
        title="Could not load webhooks"
        error={list.error}
        onRetry={() => void list.refetch()}
      />
    )
  }
  if (list.items.length === 0) {
    return (
      <Paper withBorder p="xl" ta="center">
        <Text fw={600}>No webhooks yet</Text>
        <Text size="sm" c="dimmed" mt={4}>
          Use “Add webhook” to send handoffs, SLA breaches and won or lost deals to another system,
          or to a Slack channel through an incoming webhook.
        </Text>
      </Paper>
    )
  }
  return (
    <Stack gap="md">
      {list.items.map((webhook) => (
        <WebhookCard key={webhook.id} webhook={webhook} onSecret={onSecret} />
      ))}
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
    </Stack>
  )
}

const eventLabels = new Map<string, string>(eventTypeOptions.map((o) => [o.value, o.label]))

function WebhookCard({
  webhook,
  onSecret,
}: {
  webhook: Webhook
  onSecret: (webhook: Webhook) => void
}) {
  const queryClient = useQueryClient()
  const [showLog, setShowLog] = useState(false)
  const [confirming, setConfirming] = useState<'delete' | 'rotate' | null>(null)
  const base = `/api/v1/webhooks/${encodeURIComponent(webhook.id)}`
  const refresh = () => queryClient.invalidateQueries({ queryKey: webhooksQueryKey })
  const toggle = useMutation({
    mutationFn: (isActive: boolean) => patchData<Webhook>(base, { isActive }),
    onSuccess: async (updated) => {
      notifySuccess(`Webhook “${updated.name}” ${updated.isActive ? 'resumed' : 'paused'}.`)
      await refresh()
    },
    onError: (error) => notifyError('Could not change the webhook', error),
  })
  const test = useMutation({
    mutationFn: () => postData<WebhookDelivery>(`${base}/test`, {}),
    onSuccess: async () => {
      notifySuccess('Test delivery queued: see the delivery log in a few seconds.')
      setShowLog(true)
      await queryClient.invalidateQueries({ queryKey: ['webhooks', webhook.id, 'deliveries'] })
    },
    onError: (error) => notifyError('Could not send a test', error),
  })
  const rotate = useMutation({
    mutationFn: () => postData<Webhook>(`${base}/rotate-secret`, {}),
    onSuccess: async (updated) => {
      setConfirming(null)
      onSecret(updated)
      await refresh()
    },
  })
  const remove = useMutation({
    mutationFn: () => api.delete(base),
    onSuccess: async () => {
      setConfirming(null)
      notifySuccess(`Webhook “${webhook.name}” deleted.`)
      await refresh()
    },
  })
  const titleId = `webhook-name-${webhook.id}`
  return (
    <Paper withBorder p="md" aria-labelledby={titleId} component="section">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Group gap="xs">
              <Title order={3} size="h5" id={titleId}>
                {webhook.name}
              </Title>
              <Badge variant="outline" color={webhook.format === 'slack' ? 'grape.9' : 'gray.8'}>
                {webhook.format === 'slack' ? 'Slack' : 'JSON'}
              </Badge>
              {webhook.isActive ? null : <Badge color="gray">Paused</Badge>}
            </Group>
            <Anchor
              href={webhook.url}
              target="_blank"
              rel="noreferrer"
              size="sm"
              ff="monospace"
              style={{ wordBreak: 'break-all' }}
            >
              {webhook.url}
            </Anchor>
          </Stack>
          <Switch
            label="Active"
            checked={webhook.isActive}
            disabled={toggle.isPending}
            onChange={(event) => toggle.mutate(event.currentTarget.checked)}
            aria-describedby={titleId}
          />
        </Group>
        <Group gap={6}>
          {webhook.eventTypes.map((type) => (
            <Badge key={type} variant="outline" color="blue.9" title={type}>
              {eventLabels.get(type) ?? type}
            </Badge>
          ))}
        </Group>
        <Text size="xs" c="dimmed">
          Signing secret <code>{webhook.secret}</code>
        </Text>
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            onClick={() => test.mutate()}
            loading={test.isPending}
            disabled={!webhook.isActive}
            aria-describedby={titleId}
          >
            Send test
          </Button>
          <Button
            size="xs"
            variant="default"
            onClick={() => setShowLog((shown) => !shown)}
            aria-expanded={showLog}
            aria-describedby={titleId}
          >
            {showLog ? 'Hide delivery log' : 'Delivery log'}
          </Button>
          <Button
            size="xs"
            variant="subtle"
            onClick={() => {
              rotate.reset()
              setConfirming('rotate')
            }}
            aria-describedby={titleId}
          >
            Rotate secret
          </Button>
          <Button
            size="xs"
            variant="subtle"
            color="red"
            onClick={() => {
              remove.reset()
              setConfirming('delete')
            }}
            aria-describedby={titleId}
          >
            Delete
          </Button>
        </Group>
        {showLog ? <DeliveryLog webhook={webhook} /> : null}
      </Stack>
      <ConfirmModal
        opened={confirming === 'rotate'}
        title="Rotate signing secret"
        confirmLabel="Rotate secret"
        loading={rotate.isPending}
        error={rotate.error}
        onClose={() => setConfirming(null)}
        onConfirm={() => rotate.mutate()}
      >
        Rotate the secret of “{webhook.name}”? The current secret stops at once: every delivery from
        now on, retries included, is signed with the new one.
      </ConfirmModal>
      <ConfirmModal
        opened={confirming === 'delete'}
        title="Delete webhook"
        confirmLabel="Delete webhook"
        loading={remove.isPending}
        error={remove.error}
        onClose={() => setConfirming(null)}
        onConfirm={() => remove.mutate()}
      >
        Delete “{webhook.name}” and its delivery log? Deliveries not yet sent are dropped. This
        cannot be undone.
      </ConfirmModal>
    </Paper>
  )
}
