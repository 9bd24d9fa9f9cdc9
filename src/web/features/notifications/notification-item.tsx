import { Box, Group, Stack, Text, UnstyledButton, VisuallyHidden } from '@mantine/core'
import { useNavigate } from 'react-router'
import { formatDateTime } from '../../components/format.ts'
import { type Notification, useMarkRead } from './notifications-api.ts'
import { timeAgo } from './time-ago.ts'

/** Links are paths inside the app; anything else (another site, `//host`) is not followed. */
function internalPath(link: string | null): string | null {
  return link?.startsWith('/') && !link.startsWith('//') ? link : null
}

/**
 * One notification: unread ones in bold with a dot. Clicking marks it read and opens its link
 * (a path inside the app); `onOpen` lets the bell's panel close itself.
 */
export function NotificationItem({
  notification,
  onOpen,
}: {
  notification: Notification
  onOpen?: () => void
}) {
  const markRead = useMarkRead()
  const navigate = useNavigate()
  const isUnread = notification.readAt === null
  const link = internalPath(notification.link)
  const open = () => {
    if (isUnread) markRead.mutate(notification.id)
    if (link) {
      onOpen?.()
      void navigate(link)
    }
  }
  return (
    <UnstyledButton
      onClick={open}
      w="100%"
      px="sm"
      py={8}
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
      bg={isUnread ? 'var(--mantine-color-indigo-light)' : undefined}
      data-unread={isUnread || undefined}
    >
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Box
          mt={7}
          w={8}
          h={8}
          style={{
            borderRadius: '50%',
            flexShrink: 0,
            background: isUnread ? 'var(--mantine-color-indigo-6)' : 'transparent',
          }}
          aria-hidden="true"
        />
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Text size="sm" fw={isUnread ? 700 : 400} lineClamp={2}>
            {isUnread ? <VisuallyHidden>Unread: </VisuallyHidden> : null}
            {notification.title}
          </Text>
          {notification.body ? (
            <Text size="xs" c="dimmed" lineClamp={2}>
              {notification.body}
            </Text>
          ) : null}
          <Text size="xs" c="dimmed">
            <time dateTime={notification.createdAt} title={formatDateTime(notification.createdAt)}>
              {timeAgo(notification.createdAt)}
            </time>
          </Text>
        </Stack>
      </Group>
    </UnstyledButton>
  )
}
