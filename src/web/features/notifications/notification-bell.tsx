import {
  ActionIcon,
  Anchor,
  Button,
  Divider,
  Group,
  Indicator,
  Popover,
  ScrollArea,
  Stack,
  Text,
} from '@mantine/core'
import { IconBell } from '@tabler/icons-react'
import { useState } from 'react'
import { Link } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { NotificationItem } from './notification-item.tsx'
import { useLatestNotifications, useMarkAllRead, useUnreadCount } from './notifications-api.ts'

/** The bell of the top bar: the unread count, and a panel of the latest notifications. */
export function NotificationBell() {
  const [opened, setOpened] = useState(false)
  const unread = useUnreadCount()
  const count = unread.data ?? 0
  const label = `Notifications, ${count} unread`
  // The badge sits outside the popover's target, so the button alone carries the popup's roles.
  return (
    <Indicator
      label={<span aria-hidden="true">{count > 99 ? '99+' : count}</span>}
      size={16}
      color="red"
      disabled={count === 0}
      offset={4}
    >
      <Popover
        opened={opened}
        onChange={setOpened}
        position="bottom-end"
        width={360}
        shadow="md"
        trapFocus
        returnFocus
        closeOnEscape
        withinPortal
      >
        <Popover.Target>
          <ActionIcon
            variant="default"
            size="lg"
            aria-label={label}
            title="Notifications"
            onClick={() => setOpened((o) => !o)}
          >
            <IconBell size={18} aria-hidden="true" />
          </ActionIcon>
        </Popover.Target>
        <Popover.Dropdown p={0} aria-label="Notifications">
          {opened ? <Panel unread={count} onClose={() => setOpened(false)} /> : null}
        </Popover.Dropdown>
      </Popover>
    </Indicator>
  )
}

function Panel({ unread, onClose }: { unread: number; onClose: () => void }) {
  const latest = useLatestNotifications(true)
  const markAll = useMarkAllRead()
  return (
    <Stack gap={0}>
      <Group justify="space-between" px="sm" py="xs">
        <Text fw={600} size="sm">
          Notifications
        </Text>
        <Button
          size="compact-xs"
          variant="subtle"
          onClick={() => markAll.mutate()}
          loading={markAll.isPending}
          disabled={unread === 0}
        >
          Mark all read
        </Button>
      </Group>
      <Divider />
      <ScrollArea.Autosize mah={420} type="auto">
        <Stack gap={2} p={4}>
          {latest.isPending ? (
            <LoadingRows label="Loading notifications" rows={3} height={48} />
          ) : latest.error ? (
            <ErrorAlert
              title="Could not load notifications"
              error={latest.error}
              onRetry={() => void latest.refetch()}
            />
          ) : latest.data.length === 0 ? (
            <Text size="sm" c="dimmed" ta="center" py="xl" px="md">
              No notifications yet. New handoffs and SLA alerts show up here.
            </Text>
          ) : (
            latest.data.map((n) => (
              <NotificationItem key={n.id} notification={n} onOpen={onClose} />
            ))
          )}
        </Stack>
      </ScrollArea.Autosize>
      {markAll.error ? <ErrorAlert title="Could not mark all read" error={markAll.error} /> : null}
      <Divider />
      <Anchor component={Link} to="/notifications" size="sm" ta="center" py="xs" onClick={onClose}>
        See all notifications
      </Anchor>
    </Stack>
  )
}
