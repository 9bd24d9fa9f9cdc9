import { Button, Group, Paper, SegmentedControl, Stack, Title } from '@mantine/core'
import { useState } from 'react'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { useCursorList } from '../../components/use-cursor-list.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { NotificationItem } from './notification-item.tsx'
import { type Notification, pageKey, useMarkAllRead, useUnreadCount } from './notifications-api.ts'

/** /notifications: every notification of the signed-in person, newest first, page by page. */
export function NotificationsPage() {
  useDocumentTitle('Notifications')
  const [show, setShow] = useState<'all' | 'unread'>('all')
  const unreadOnly = show === 'unread'
  const list = useCursorList<Notification>(
    pageKey(unreadOnly),
    `/api/v1/notifications${unreadOnly ? '?unread=true' : ''}`,
    25,
  )
  const unread = useUnreadCount()
  const markAll = useMarkAllRead()
  return (
    <Stack gap="lg" maw={760}>
      <Group justify="space-between">
        <Title order={1}>Notifications</Title>
        <Button
          variant="default"
          onClick={() => markAll.mutate()}
          loading={markAll.isPending}
          disabled={(unread.data ?? 0) === 0}
        >
          Mark all read
        </Button>
      </Group>
      <SegmentedControl
        w="fit-content"
        aria-label="Show"
        value={show}
        onChange={(value) => setShow(value === 'unread' ? 'unread' : 'all')}
        data={[
          { value: 'all', label: 'All' },
          { value: 'unread', label: `Unread (${unread.data ?? 0})` },
        ]}
      />
      {markAll.error ? <ErrorAlert title="Could not mark all read" error={markAll.error} /> : null}
      {list.isPending ? (
        <LoadingRows label="Loading notifications" rows={5} height={56} />
      ) : list.error ? (
        <ErrorAlert
          title="Could not load notifications"
          error={list.error}
          onRetry={() => void list.refetch()}
        />
      ) : list.items.length === 0 ? (
        <EmptyState title={unreadOnly ? 'Nothing unread' : 'No notifications yet'}>
          New handoffs assigned to you, handoffs waiting for an owner and SLA alerts show up here.
        </EmptyState>
      ) : (
        <Paper withBorder p={4}>
          <Stack gap={2}>
            {list.items.map((n) => (
              <NotificationItem key={n.id} notification={n} />
            ))}
          </Stack>
        </Paper>
      )}
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
