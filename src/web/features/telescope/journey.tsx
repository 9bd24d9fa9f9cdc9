import { Anchor, Badge, Box, Group, Stack, Table, Text } from '@mantine/core'
import { Link } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate, formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import {
  type AttributionConversion,
  type AttributionModel,
  type CreditGroup,
  isDealConversion,
  type JourneyShare,
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

/** Whether a touch (or a share) belongs to the group being drilled into (a campaign or a channel). */
function isOfGroup(
  touch: Pick<JourneyTouch, 'channel' | 'campaign'>,
  group: CreditGroup | undefined,
) {
  if (!group) return false
  if (group.by === 'campaign')
    return group.value === 'none' ? touch.campaign === null : touch.campaign?.id === group.value
  if (group.by === 'channel') return touch.channel === group.value
  return false
}

/**
 * The touches behind one conversion, in time order, with each one's channel, campaign and credit
 * under the model whose per-touch credits are stored; under another model, that model's credit per
 * channel and campaign above the touches (it keeps none per touch).
 */
export function Journey({
  subjectId,
  conversion,
  model = null,
  group,
}: {
  subjectId: string
  conversion: AttributionConversion
  /** null: the model whose per-touch credits are stored. */
  model?: AttributionModel | null
  /** The drill-down's group: its touches are marked. */
  group?: CreditGroup
}) {
  const currency = useMe().workspace.baseCurrency
  const query = useAttributionJourney(subjectId, conversion, model)
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
  const { perTouch } = journey
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
        {perTouch && touches.some((t) => t.credit === 0) && journey.model
          ? ` Touches at 0% are ones ${modelNames[journey.model]} passes over.`
          : ''}
        {!perTouch && journey.model
          ? ` ${modelNames[journey.model]} keeps its credit per channel and campaign, not per touch (only the default model's credits are kept per touch).`
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
      {!perTouch && journey.shares && journey.shares.length > 0 ? (
        <Shares shares={journey.shares} withMoney={withMoney} name={journey.name} group={group} />
      ) : null}
      {touches.length > 0 ? (
        <Table aria-label={`Journey of ${journey.name}`} fz="sm" withRowBorders={false}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Channel</Table.Th>
              <Table.Th>Campaign</Table.Th>
              {perTouch ? <Table.Th ta="right">Credit</Table.Th> : null}
              {perTouch && withMoney ? <Table.Th ta="right">Credited revenue</Table.Th> : null}
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
                      <CampaignLink campaign={touch.campaign} />
                      {marked ? (
                        <Badge size="xs" variant="light" color="indigo" c="indigo.9">
                          {mark}
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  {perTouch ? (
                    <Table.Td>
                      <CreditBar credit={touch.credit ?? 0} />
                    </Table.Td>
                  ) : null}
                  {perTouch && withMoney ? (
                    <Table.Td ta="right">{formatMoney(touch.revenue ?? 0, currency)}</Table.Td>
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

/** Under a model without per-touch credits: its share of the conversion per channel and campaign. */
function Shares({
  shares,
  withMoney,
  name,
  group,
}: {
  shares: JourneyShare[]
  withMoney: boolean
  name: string
  group: CreditGroup | undefined
}) {
  const currency = useMe().workspace.baseCurrency
  return (
    <Table aria-label={`Credit of ${name} per campaign`} fz="sm" withRowBorders={false}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Channel</Table.Th>
          <Table.Th>Campaign</Table.Th>
          <Table.Th ta="right">Credit</Table.Th>
          {withMoney ? <Table.Th ta="right">Credited revenue</Table.Th> : null}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {shares.map((share) => {
          const marked = isOfGroup(share, group)
          return (
            <Table.Tr
              key={`${share.channel}|${share.campaign?.id ?? ''}`}
              fw={marked ? 600 : undefined}
              data-of-group={marked ? 'true' : undefined}
            >
              <Table.Td>{channelLabel(share.channel)}</Table.Td>
              <Table.Td>
                <CampaignLink campaign={share.campaign} />
              </Table.Td>
              <Table.Td>
                <CreditBar credit={share.credit} />
              </Table.Td>
              {withMoney ? (
                <Table.Td ta="right">{formatMoney(share.revenue, currency)}</Table.Td>
              ) : null}
            </Table.Tr>
          )
        })}
      </Table.Tbody>
    </Table>
  )
}

/** A touch's or share's campaign, linked to its page; "No campaign" without one. */
function CampaignLink({ campaign }: { campaign: JourneyTouch['campaign'] }) {
  if (!campaign) {
    return (
      <Text span size="sm" c="dimmed">
        No campaign
      </Text>
    )
  }
  return (
    <Anchor
      component={Link}
      to={`/telescope/campaigns/${encodeURIComponent(campaign.id)}`}
      size="sm"
    >
      {campaign.name}
    </Anchor>
  )
}
