import {
  Badge,
  Button,
  Code,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core'
import { IconRefresh } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifyError, notifySuccess } from '../../components/notify.ts'
import { useCursorList } from '../../components/use-cursor-list.ts'
import { deliveriesQueryKey, type Webhook, type WebhookDelivery } from './types.ts'

const statusBadges: Record<WebhookDelivery['status'], { label: string; color: string }> = {
  pending: { label: 'Pending', color: 'grape.9' },
  succeeded: { label: 'Delivered', color: 'teal.9' },
  failed: { label: 'Failed', color: 'red.9' },
}

const filters = [
  { value: 'all', label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'succeeded', label: 'Delivered' },
  { value: 'failed', label: 'Failed' },
]

/** "HTTP 500: …", "No answer within 10000 ms", or the status code alone. */
function lastAnswer(delivery: WebhookDelivery): string {
  if (delivery.lastError) return delivery.lastError
  if (delivery.lastStatusCode !== null) return `HTTP ${delivery.lastStatusCode}`
  return '—'
}

/** When it was delivered, or when the next attempt is due. */
function when(delivery: WebhookDelivery): string {
  if (delivery.deliveredAt) return `Delivered ${formatDateTime(delivery.deliveredAt)}`
  if (delivery.status === 'pending' && delivery.nextAttemptAt) {
    return `Next attempt ${formatDateTime(delivery.nextAttemptAt)}`
  }
  return delivery.status === 'failed' ? 'Gave up' : '—'
}

/** A subscription's delivery log, newest first, with Replay on each delivery. */
export function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const queryClient = useQueryClient()
  const [status, setStatus] = useState('all')
  const path = `/api/v1/webhooks/${encodeURIComponent(webhook.id)}/deliveries${
    status === 'all' ? '' : `?status=${status}`
  }`
  const list = useCursorList<WebhookDelivery>(deliveriesQueryKey(webhook.id, status), path, 25)
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: ['webhooks', webhook.id, 'deliveries'] })
  const replay = useMutation({
    mutationFn: (delivery: WebhookDelivery) =>
      postData<WebhookDelivery>(
        `/api/v1/webhooks/deliveries/${encodeURIComponent(delivery.id)}/replay`,
        {},
      ),
    onSuccess: async (delivery) => {
      notifySuccess(
        `The ${delivery.eventType} delivery is queued again; it is sent within seconds.`,
      )
      await refresh()
    },
    onError: (error) => notifyError('Could not replay the delivery', error),
  })

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap">
        <Title order={4} size="h5">
          Delivery log
        </Title>
        <Group gap="xs">
          <SegmentedControl
            size="xs"
            data={filters}
            value={status}
            onChange={setStatus}
            aria-label="Show deliveries"
          />
          <Button
            size="xs"
            variant="default"
            leftSection={<IconRefresh size={14} aria-hidden="true" />}
            onClick={() => void refresh()}
            loading={list.isRefetching}
          >
            Refresh
          </Button>
        </Group>
      </Group>
      {list.isPending ? (
        <LoadingRows label="Loading deliveries" rows={2} />
      ) : list.error ? (
        <ErrorAlert
          title="Could not load the delivery log"
          error={list.error}
          onRetry={() => void list.refetch()}
        />
      ) : list.items.length === 0 ? (
        <Paper withBorder p="md" ta="center">
          <Text size="sm" c="dimmed">
            {status === 'all'
              ? 'No deliveries yet. Use “Send test” to check the receiver, or wait for the next event.'
              : 'No deliveries with this status.'}
          </Text>
        </Paper>
      ) : (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="xs" aria-label={`Deliveries of ${webhook.name}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Event</Table.Th>
                  <Table.Th>Attempts</Table.Th>
                  <Table.Th>Last answer</Table.Th>
                  <Table.Th>Times</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.map((delivery) => {
                  const badge = statusBadges[delivery.status]
                  return (
                    <Table.Tr key={delivery.id}>
                      <Table.Td>
                        <Badge color={badge.color} variant="outline">
                          {badge.label}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Code>{delivery.eventType}</Code>
                      </Table.Td>
                      <Table.Td>{delivery.attempts}</Table.Td>
                      <Table.Td maw={280}>
                        <Text size="sm" lineClamp={2} title={lastAnswer(delivery)}>
                          {lastAnswer(delivery)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDateTime(delivery.createdAt)}</Text>
                        <Text size="xs" c="dimmed">
                          {when(delivery)}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Button
                          size="xs"
                          variant="subtle"
                          onClick={() => replay.mutate(delivery)}
                          loading={replay.isPending && replay.variables?.id === delivery.id}
                          disabled={!webhook.isActive}
                          title={webhook.isActive ? undefined : 'Resume the webhook to replay'}
                        >
                          Replay
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  )
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {list.hasNextPage ? (
        <Group justify="center">
          <Button
            size="xs"
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
