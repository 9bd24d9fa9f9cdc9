import { Anchor, Badge, Button, Group, Stack, Text, Timeline, VisuallyHidden } from '@mantine/core'
import {
  IconCalendarEvent,
  IconChecklist,
  IconClick,
  IconMail,
  IconNote,
  IconPhone,
  IconWorld,
} from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { patchData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifyError, notifySuccess } from '../../components/notify.ts'
import { useCursorList } from '../../components/use-cursor-list.ts'
import { crmKeys } from '../records/crm-queries.ts'
import { humanize } from '../records/labels.ts'
import { useCan } from '../records/permissions.ts'
import type { RecordEntity, TimelineItem } from '../records/types.ts'

const activityIcons = {
  call: IconPhone,
  email: IconMail,
  meeting: IconCalendarEvent,
  note: IconNote,
  task: IconChecklist,
}

function ItemIcon({ item }: { item: TimelineItem }) {
  const Icon =
    item.kind === 'activity'
      ? activityIcons[item.type]
      : item.type.includes('click')
        ? IconClick
        : IconWorld
  return <Icon size={14} aria-hidden="true" />
}

type TouchpointItem = Extract<TimelineItem, { kind: 'touchpoint' }>

/** How the ingestion API flags a touch it does not count (docs/ingestion.md). */
const botReasonLabels: Record<string, string> = {
  bot_user_agent: 'Bot user agent',
  scanner_user_agent: 'Link scanner',
  instant_click: 'Instant click',
}

const timeFlagLabels: Record<string, string> = {
  clamped_future: 'sent with a future time; placed when it arrived',
  clamped_past: 'sent with a time over two years old; placed two years back',
}

/** A text field of the sender's context, or nothing when it is missing or not text. */
function contextText(context: Record<string, unknown> | null, ...path: string[]): string | null {
  let value: unknown = context
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return null
    value = (value as Record<string, unknown>)[key]
  }
  return typeof value === 'string' && value.length > 0 ? value : null
}

function botReasonLabel(reason: string | null): string {
  return reason ? (botReasonLabels[reason] ?? humanize(reason)) : 'Bot'
}

function touchpointTitle(item: TouchpointItem): string {
  return item.eventName ?? humanize(item.type)
}

function TouchpointBody({ item }: { item: TouchpointItem }) {
  const pageTitle = contextText(item.context, 'page', 'title')
  const userAgent = contextText(item.context, 'userAgent')
  return (
    <Stack gap={2}>
      <Group gap={6}>
        <Badge size="xs" variant="light" color="gray">
          {humanize(item.channel)}
        </Badge>
        {item.eventName ? (
          <Text size="xs" c="dimmed">
            {humanize(item.type)}
          </Text>
        ) : null}
        {item.utm?.utm_campaign ? (
          <Text size="xs" c="dimmed">
            campaign {item.utm.utm_campaign}
          </Text>
        ) : null}
        {item.isBot ? (
          <>
            <Badge size="xs" variant="outline" color="red.9">
              Bot
            </Badge>
            <Text size="xs" c="dimmed">
              {botReasonLabel(item.botReason)}: not counted
            </Text>
          </>
        ) : null}
        {item.timeFlag ? (
          <>
            <Badge size="xs" variant="outline" color="gray">
              Time clamped
            </Badge>
            <Text size="xs" c="dimmed">
              {timeFlagLabels[item.timeFlag] ?? humanize(item.timeFlag)}
            </Text>
          </>
        ) : null}
      </Group>
      {pageTitle ? (
        <Text size="xs" c={item.isBot ? 'dimmed' : undefined}>
          {pageTitle}
        </Text>
      ) : null}
      {item.url ? (
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {item.url}
        </Text>
      ) : null}
      {item.isBot && userAgent ? (
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {userAgent}
        </Text>
      ) : null}
    </Stack>
  )
}

function activityTitle(type: string, subject: string): string {
  return subject.toLowerCase().startsWith(type) ? subject : `${humanize(type)}: ${subject}`
}

/** One timeline of every touch and activity of a record, newest first. */
export function RecordTimeline({ entity, id }: { entity: RecordEntity; id: string }) {
  const queryClient = useQueryClient()
  const canWrite = useCan('records:write')
  const list = useCursorList<TimelineItem>(
    [...crmKeys.timeline, entity, id],
    `/api/v1/${entity}s/${encodeURIComponent(id)}/timeline`,
    30,
  )
  const complete = useMutation({
    mutationFn: (activityId: string) =>
      patchData(`/api/v1/activities/${encodeURIComponent(activityId)}`, { done: true }),
    onSuccess: async () => {
      notifySuccess('Task done.')
      await queryClient.invalidateQueries({ queryKey: crmKeys.timeline })
    },
    onError: (error) => notifyError('Task not updated', error),
  })

  if (list.isPending) return <LoadingRows label="Loading the timeline" rows={4} />
  if (list.error) {
    return (
      <ErrorAlert
        title="Could not load the timeline"
        error={list.error}
        onRetry={() => void list.refetch()}
      />
    )
  }
  // A logged call, meeting or email is also a `sales` touchpoint; show it once, as the activity.
  const activityIds = new Set(list.items.filter((i) => i.kind === 'activity').map((i) => i.id))
  const items = list.items.filter(
    (i) => i.kind === 'activity' || !i.activityId || !activityIds.has(i.activityId),
  )
  if (items.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Nothing here yet. Log a call, email, meeting, note or task above; website visits, form fills
        and email clicks appear here as they happen.
      </Text>
    )
  }
  return (
    <Stack gap="sm">
      <Timeline bulletSize={24} lineWidth={2} aria-label="Timeline">
        {items.map((item) => (
          <Timeline.Item
            key={`${item.kind}-${item.id}`}
            id={`${item.kind}-${item.id}`}
            // A bot's touch is kept but dimmed: grey bullet, dashed line, grey title.
            {...(item.kind === 'touchpoint' && item.isBot
              ? { color: 'gray', lineVariant: 'dashed' as const, 'data-bot': true }
              : {})}
            bullet={<ItemIcon item={item} />}
            title={
              <Group gap={6} wrap="nowrap" justify="space-between">
                <Text
                  size="sm"
                  fw={500}
                  c={item.kind === 'touchpoint' && item.isBot ? 'dimmed' : undefined}
                >
                  {item.kind === 'activity'
                    ? activityTitle(item.type, item.subject)
                    : touchpointTitle(item)}
                </Text>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  <time dateTime={item.at}>{formatDateTime(item.at)}</time>
                </Text>
              </Group>
            }
          >
            {item.kind === 'activity' ? (
              <Stack gap={2}>
                {item.body ? (
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {item.body}
                  </Text>
                ) : null}
                {item.type === 'task' ? (
                  <Group gap={6}>
                    {/* Light badges write in shade 9: yellow's is below 4.5:1 on its own tint, blue's is not. */}
                    <Badge size="xs" variant="light" color={item.done ? 'teal' : 'blue'}>
                      {item.done ? 'Done' : 'Open'}
                    </Badge>
                    {item.dueAt ? (
                      <Text size="xs" c="dimmed">
                        due {formatDateTime(item.dueAt)}
                      </Text>
                    ) : null}
                    {!item.done && canWrite ? (
                      <Anchor
                        component="button"
                        type="button"
                        size="xs"
                        onClick={() => complete.mutate(item.id)}
                      >
                        Mark done
                        <VisuallyHidden>: {item.subject}</VisuallyHidden>
                      </Anchor>
                    ) : null}
                  </Group>
                ) : null}
              </Stack>
            ) : (
              <TouchpointBody item={item} />
            )}
          </Timeline.Item>
        ))}
      </Timeline>
      {list.hasNextPage ? (
        <Button
          variant="default"
          size="xs"
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
        >
          Load older
        </Button>
      ) : null}
    </Stack>
  )
}
