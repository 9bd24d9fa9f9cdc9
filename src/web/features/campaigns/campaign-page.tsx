import { Anchor, Badge, Button, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core'
import { Link, useParams, useSearchParams } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { PageLoader } from '../../components/page-loader.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { useAttributionCredits, useAttributionReport } from '../attribution/attribution-api.ts'
import { FieldList } from '../records/field-list.tsx'
import { channelOptions, labelOf } from '../records/labels.ts'
import { formatMoney, formatTotals, sumByCurrency } from '../records/money.ts'
import { RecordLoadError } from '../records/record-not-found.tsx'
import { RecordSection } from '../records/record-section.tsx'
import { conversionWords, monthRange } from '../telescope/attribution-format.ts'
import { AttributionToolbar, useAttributionParams } from '../telescope/attribution-toolbar.tsx'
import { CreditsList } from '../telescope/credits-list.tsx'
import { BenchmarkCard } from '../trends/benchmark-card.tsx'
import { type CampaignDetail, useCampaign, useCampaignCosts } from './campaign-api.ts'
import { CampaignAttribution } from './campaign-attribution.tsx'

/** Journeys are listed 20 at a time below the campaign's figures. */
const journeysPageSize = 20

/**
 * /telescope/campaigns/:id: one campaign's details and costs, what it earned under every
 * attribution model, and the journeys it was part of.
 */
export function CampaignPage() {
  const { id = '' } = useParams()
  const campaign = useCampaign(id)
  useDocumentTitle(campaign.data?.name ?? 'Campaign')
  if (campaign.isPending) return <PageLoader label="Loading the campaign" />
  if (campaign.error) {
    return (
      <RecordLoadError
        error={campaign.error}
        noun="campaign"
        listPath="/telescope/campaigns"
        onRetry={() => void campaign.refetch()}
      />
    )
  }
  return <CampaignView campaign={campaign.data} />
}

function CampaignView({ campaign }: { campaign: CampaignDetail }) {
  const params = useAttributionParams()
  const [search, setSearch] = useSearchParams()
  const conversion = params.conversion ?? 'won'
  const offset = Math.max(0, Number.parseInt(search.get('offset') ?? '0', 10) || 0)
  const group = { by: 'campaign', value: campaign.id } as const
  const report = useAttributionReport({
    model: null,
    conversion,
    groupBy: 'campaign',
    from: params.from,
    to: params.to,
  })
  const credits = useAttributionCredits({
    conversion,
    group,
    from: params.from,
    to: params.to,
    limit: journeysPageSize,
    offset,
  })
  const setOffset = (next: number) => {
    const updated = new URLSearchParams(search)
    if (next > 0) updated.set('offset', String(next))
    else updated.delete('offset')
    setSearch(updated)
  }
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/telescope/campaigns" size="sm">
        All campaigns
      </Anchor>
      <Stack gap={4}>
        <Title order={1}>{campaign.name}</Title>
        <Group gap="xs">
          <Badge variant="light" color="indigo" c="indigo.9">
            {labelOf(campaign.channel, channelOptions)}
          </Badge>
          <Badge variant="light" color="gray" c="dark.8">
            {campaign.type}
          </Badge>
        </Group>
      </Stack>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Details campaign={campaign} />
        <Costs campaign={campaign} />
      </SimpleGrid>
      <Group justify="space-between" align="flex-end">
        <Title order={2} size="h3">
          Attribution
        </Title>
        <AttributionToolbar
          params={params}
          shown={report.data}
          withModel={false}
          exportable={false}
        />
      </Group>
      <CampaignAttribution campaign={campaign} query={report} />
      <BenchmarkCard campaignId={campaign.id} />
      <RecordSection title="Journeys">
        <Text size="sm" c="dimmed">
          What converted ({conversionWords(conversion)}) in{' '}
          {monthRange(report.data?.from, report.data?.to)} with a touch of this campaign, the share
          the campaign earned under the default model, and each journey touch by touch.
        </Text>
        <CreditsList
          query={credits}
          conversion={conversion}
          group={group}
          offset={offset}
          onOffset={setOffset}
          emptyHint="No conversion in this range had a touch of this campaign. Try a wider range or another conversion."
        />
      </RecordSection>
    </Stack>
  )
}

function Details({ campaign }: { campaign: CampaignDetail }) {
  const money = (minor: number | null) =>
    minor === null ? '—' : formatMoney(minor, campaign.currency)
  return (
    <RecordSection title="Details">
      <FieldList
        label="Campaign details"
        fields={[
          ['Channel', labelOf(campaign.channel, channelOptions)],
          ['Type', campaign.type],
          ['Starts', campaign.startsOn ? formatDate(campaign.startsOn) : '—'],
          ['Ends', campaign.endsOn ? formatDate(campaign.endsOn) : '—'],
          ['Budget', money(campaign.budget)],
          ['Lead goal', campaign.goalLeads?.toLocaleString() ?? '—'],
          ['MQL goal', campaign.goalMqls?.toLocaleString() ?? '—'],
          ['Pipeline goal', money(campaign.goalPipeline)],
          ['utm_campaign', campaign.utmCampaigns.join(', ') || '—'],
          ['Owner', campaign.owner?.name ?? '—'],
          ['Created', formatDate(campaign.createdAt)],
        ]}
      />
    </RecordSection>
  )
}

/** Every dated cost of the campaign (in its own currency), with the total per currency. */
function Costs({ campaign }: { campaign: CampaignDetail }) {
  const costs = useCampaignCosts(campaign.id)
  const total = sumByCurrency(campaign.totalCost)
  return (
    <RecordSection title="Costs">
      <Text size="sm">
        Total{' '}
        <Text span fw={600} data-testid="campaign-total-cost">
          {total.size === 0 ? 'none recorded' : formatTotals(total, false)}
        </Text>
        {campaign.budget !== null
          ? ` of a ${formatMoney(campaign.budget, campaign.currency)} budget`
          : ''}
        .
      </Text>
      {costs.isPending ? (
        <LoadingRows label="Loading the costs" rows={3} height={28} />
      ) : costs.error ? (
        <ErrorAlert
          title="Could not load the costs"
          error={costs.error}
          onRetry={() => void costs.refetch()}
        />
      ) : costs.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No cost entries yet. Costs come from the API (POST /api/v1/campaigns/:id/costs) or an
          import; without them the campaign has no ROI.
        </Text>
      ) : (
        <>
          <Table aria-label="Cost entries" fz="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Incurred</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
                <Table.Th>Note</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {costs.items.map((cost) => (
                <Table.Tr key={cost.id}>
                  <Table.Td>{formatDate(cost.incurredOn)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(cost.amount, cost.currency)}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{cost.note ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {costs.hasNextPage ? (
            <Group>
              <Button
                variant="default"
                size="xs"
                loading={costs.isFetchingNextPage}
                onClick={() => void costs.fetchNextPage()}
              >
                Load more
              </Button>
            </Group>
          ) : null}
        </>
      )}
    </RecordSection>
  )
}
