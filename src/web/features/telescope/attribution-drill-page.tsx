import { Alert, Anchor, Group, Stack, Text, Title } from '@mantine/core'
import { IconArrowLeft } from '@tabler/icons-react'
import { Link, useSearchParams } from 'react-router'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import {
  type AttributionConversion,
  type CreditGroup,
  isAttributionConversion,
  isAttributionModel,
  isDealConversion,
  modelNames,
  useAttributionCredits,
} from '../attribution/attribution-api.ts'
import { useCampaign } from '../campaigns/campaign-api.ts'
import { EmptyState } from '../records/empty-state.tsx'
import {
  conversionWords,
  creditGroupOf,
  creditsTitle,
  groupWords,
  monthRange,
} from './attribution-format.ts'
import { CreditsList, creditsPageSize } from './credits-list.tsx'

/**
 * /telescope/attribution?conversion=…&campaign=…|channel=…|month=…&from=…&to=…: the deals or
 * people credited to one group of the Telescope's report, each with its journey, so anyone can
 * check what a number counted.
 */
export function AttributionDrillPage() {
  const [params] = useSearchParams()
  const group = creditGroupOf(params)
  const back = new URLSearchParams()
  for (const key of ['model', 'conversion', 'from', 'to']) {
    const value = params.get(key)
    if (value) back.set(key, value)
  }
  return (
    <Stack gap="lg">
      <Anchor component={Link} to={`/telescope${back.toString() ? `?${back}` : ''}`} size="sm">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden="true" />
          Back to the Telescope
        </Group>
      </Anchor>
      {group ? (
        <Credited group={group} params={params} />
      ) : (
        <>
          <Title order={1}>Credited records</Title>
          <EmptyState title="Credited to what?">
            This page lists the deals and people credited to a campaign, a channel or a month of the
            Telescope's attribution report. Open it from a number of the report.
          </EmptyState>
        </>
      )}
    </Stack>
  )
}

function Credited({ group, params }: { group: CreditGroup; params: URLSearchParams }) {
  const [, setParams] = useSearchParams()
  const rawConversion = params.get('conversion')
  const conversion: AttributionConversion = isAttributionConversion(rawConversion)
    ? rawConversion
    : 'won'
  const rawModel = params.get('model')
  const reportModel = isAttributionModel(rawModel) ? rawModel : null
  const from = params.get('from') ?? ''
  const to = params.get('to') ?? ''
  const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0)
  const campaignId = group.by === 'campaign' && group.value !== 'none' ? group.value : null
  const campaign = useCampaign(campaignId)
  const query = useAttributionCredits({
    model: reportModel,
    conversion,
    group,
    from,
    to,
    limit: creditsPageSize,
    offset,
  })
  const model = query.data?.meta.model ?? null
  const noun = isDealConversion(conversion) ? 'Deals' : 'People'
  const title = creditsTitle(group, noun === 'Deals', campaign.data?.name)
  const detail = [
    conversionWords(conversion),
    monthRange(from, to),
    ...(model ? [modelNames[model]] : []),
  ].join(', ')
  useDocumentTitle(title)
  const setOffset = (next: number) => {
    const updated = new URLSearchParams(params)
    if (next > 0) updated.set('offset', String(next))
    else updated.delete('offset')
    setParams(updated)
  }
  return (
    <>
      <Stack gap={4}>
        <Title order={1} data-testid="credits-title">
          {title} — {detail}
        </Title>
        <Text c="dimmed" maw={820}>
          {describe(group, noun === 'Deals' ? 'deal' : 'person', conversion, campaign.data?.name)}
          {campaignId ? (
            <>
              {' '}
              <Anchor
                component={Link}
                to={`/telescope/campaigns/${encodeURIComponent(campaignId)}`}
              >
                Open the campaign
              </Anchor>
            </>
          ) : null}
        </Text>
      </Stack>
      {model && query.data && !query.data.meta.perTouch ? (
        <Alert color="blue" variant="light" title={`Credits under ${modelNames[model]}`}>
          The shares below are {modelNames[model]}'s and add up to its numbers on the Telescope. It
          keeps its credit per channel and campaign, not per touch (only the default model's credits
          are kept per touch), so the touch count is left blank and each journey shows its touches
          beside {modelNames[model]}'s credit per campaign.
        </Alert>
      ) : null}
      <CreditsList
        query={query}
        conversion={conversion}
        group={group}
        offset={offset}
        onOffset={setOffset}
        emptyHint="Nothing converted with credit to this group in this range. Try a wider range on the Telescope, or recompute attribution in Settings → Attribution."
      />
    </>
  )
}

/** What the list holds, in one sentence. */
function describe(
  group: CreditGroup,
  noun: 'deal' | 'person',
  conversion: AttributionConversion,
  campaignName: string | undefined,
) {
  const converted = `Each ${noun} that converted (${conversionWords(conversion)}) in the range`
  if (group.by === 'kind' && group.value === 'no_touch') {
    return `${converted} with no creditable touch in its lookback window: counted as “No touch”, never dropped.`
  }
  if (group.by === 'kind') {
    return 'Open deals whose closed-won share (full path) waits until they are won, and is dropped if they are lost.'
  }
  if (group.by === 'month') {
    return `${converted} in ${groupWords(group)}, the share its touches earned, and its journey.`
  }
  return `${converted} with a touch of ${groupWords(group, campaignName)} in its lookback window, the share of the conversion those touches earned, and its journey.`
}
