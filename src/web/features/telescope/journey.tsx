import { Anchor, Badge, Box, Group, Stack, Table, Text } from '@mantine/core'
import { Link } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate, formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import {
  type AttributionConversion,
  type CreditGroup,
  isDealConversion,
  type JourneyTouch,
  modelNames,
  useAttributionJourney,
} from '../attribution/attribution-api.ts'
import { formatMoney } from '../records/money.ts'
import { useMe } from '../shell/me-context.tsx'
import { channelLabel, conversionEvents, formatCredit } from './attribution-format.ts'

/** A share of a conversion as a bar and a percent; the bar is decoration, the percent is read. */
export function CreditBar({ credit }: { credit: number }) {
  return (
    <Group gap={8} wrap="nowrap" justify="flex-end">
      <Box
        aria-hidden="true"
        w={90}
        h={8}
        style={{
          borderRadius: 4,
          overflow: 'hidden',
          background: 'var(--mantine-color-default-border)',
        }}
      >
        <Box
          h="100%"
          w={`${Math.min(100, Math.max(0, credit * 100))}%`}
          bg="var(--mantine-color-indigo-filled)"
        />
      </Box>
      <Text span size="sm" miw={44} ta="right">
        {formatCredit(credit)}
      </Text>
    </Group>
  )
}

/** Whether a touch belongs to the group being drilled into (a campaign or a channel). */
function isOfGroup(touch: JourneyTouch, group: CreditGroup | undefined) {
  if (!group) return false
  if (group.by === 'campaign')
    return group.value === 'none' ? touch.campaign === null : touch.campaign?.id === group.value
  if (group.by === 'channel') return touch.channel === group.value
  return false
}

/**
 * The touches behind one conversion, in time order, with each one's channel, campaign and credit
 * under the default model (the only one whose per-touch credits are stored).
 */
export function Journey({
  subjectId,
  conversion,
  group,
}: {
  subjectId: string
  conversion: AttributionConversion
  /** The drill-down's group: its touches are marked. */
  group?: CreditGroup
}) {
  const currency = useMe().workspace.baseCurrency
  const query = useAttributionJourney(subjectId, conversion)
  if (query.isPending) return <LoadingRows label="Loading the journey" rows={3} height={28} />
  if (query.error) {
    return (
      <ErrorAlert
        title="Could not load the journey"
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    )
  }
  const journey = query.data
  const touches = [...journey.touches].sort((a, b) => a.at.localeCompare(b.at))
  const withMoney = isDealConversion(conversion)
  const mark = group?.by === 'campaign' ? 'this campaign' : 'this channel'
  return (
    <Stack gap="xs" py="xs">
      <Text size="sm">
        {touches.length === 0
          ? 'No touch'
          : touches.length === 1
            ? 'One touch'
            : `${touches.length.toLocaleString()} touches`}{' '}
        in the {journey.lookbackDays} days before {journey.name}{' '}
        {conversionEvents[journey.conversion]} on {formatDate(journey.convertedAt)}
        {journey.model ? `, credited under ${modelNames[journey.model]}` : ''}.
        {touches.some((t) => t.credit === 0) && journey.model
          ? ` Touches at 0% are ones ${modelNames[journey.model]} passes over.`
          : ''}
      </Text>
      {journey.kind === 'no_touch' ? (
        <Text size="sm" c="dimmed">
          No touch in the lookback window before this conversion: it counts as “No touch”, never
          dropped.
        </Text>
      ) : null}
      {journey.kind === 'pending' || journey.pending > 0 ? (
        <Text size="sm" c="dimmed">
          The deal is still open: {formatCredit(journey.pending)} of it (the closed-won share) waits
          as pending until it is won, and is dropped if it is lost.
        </Text>
      ) : null}
      {touches.length > 0 ? (
        <Table aria-label={`Journey of ${journey.name}`} fz="sm" withRowBorders={false}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Channel</Table.Th>
              <Table.Th>Campaign</Table.Th>
              <Table.Th ta="right">Credit</Table.Th>
              {withMoney ? <Table.Th ta="right">Credited revenue</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {touches.map((touch) => {
              const marked = isOfGroup(touch, group)
              return (
                <Table.Tr
                  key={touch.touchpointId}
                  fw={marked ? 600 : undefined}
                  data-of-group={marked ? 'true' : undefined}
                >
                  <Table.Td>{formatDateTime(touch.at)}</Table.Td>
                  <Table.Td>{channelLabel(touch.channel)}</Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {touch.campaign ? (
                        <Anchor
                          component={Link}
                          to={`/telescope/campaigns/${encodeURIComponent(touch.campaign.id)}`}
                          size="sm"
                        >
                          {touch.campaign.name}
                        </Anchor>
                      ) : (
                        <Text span size="sm" c="dimmed">
                          No campaign
                        </Text>
                      )}
                      {marked ? (
                        <Badge size="xs" variant="light" color="indigo" c="indigo.9">
                          {mark}
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <CreditBar credit={touch.credit} />
                  </Table.Td>
                  {withMoney ? (
                    <Table.Td ta="right">{formatMoney(touch.revenue, currency)}</Table.Td>
                  ) : null}
                </Table.Tr>
              )
            })}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  )
}
