import { Anchor, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { Link } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { ReportHeader } from '../../components/report-header.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import {
  type AttributionMeasure,
  type AttributionReport,
  attributionReportKey,
  modelNames,
  useAttributionReport,
  useAttributionStatus,
  useRecomputeAttribution,
} from '../attribution/attribution-api.ts'
import { OutlookCard } from '../outlook/outlook-card.tsx'
import { EmptyState } from '../records/empty-state.tsx'
import { formatMoney } from '../records/money.ts'
import { useMe } from '../shell/me-context.tsx'
import { ChangesCard } from '../trends/changes-card.tsx'
import { computedWhen, formatConversions, monthRange } from './attribution-format.ts'
import { AttributionToolbar, useAttributionParams } from './attribution-toolbar.tsx'
import {
  ChannelTrends,
  defaultMeasure,
  MeasureControl,
  ModelComparison,
} from './channel-charts.tsx'
import { RoiTable } from './roi-table.tsx'

const telescopePages = [
  { to: '/telescope/campaigns', label: 'Campaigns', hint: 'Every campaign, its budget and costs' },
  { to: '/telescope/forms', label: 'Forms', hint: 'Forms that turn visitors into leads' },
  { to: '/telescope/outlook', label: 'Outlook', hint: 'The next two years, forecast' },
  { to: '/telescope/changes', label: 'What changed', hint: 'Decays and improvements this week' },
]

/**
 * Watches the attribution status; when a recompute that was queued or running ends, the
 * reports and drill-downs are read again so the page shows the new credits.
 */
function useRefreshAfterRecompute() {
  const status = useAttributionStatus()
  const queryClient = useQueryClient()
  const state = status.data?.status
  const busy = state === 'queued' || state === 'running'
  const wasBusy = useRef(false)
  useEffect(() => {
    if (busy) {
      wasBusy.current = true
    } else if (wasBusy.current && state !== undefined) {
      wasBusy.current = false
      void queryClient.invalidateQueries({ queryKey: attributionReportKey })
      void queryClient.invalidateQueries({ queryKey: ['attribution', 'credits'] })
    }
  }, [busy, state, queryClient])
  return { status, busy }
}

/**
 * /telescope: marketing's long range. Which campaigns and channels earn pipeline and revenue
 * under each attribution model, what that costs, and how much the answer depends on the model
 * (DEFINITIONS.md "Attribution").
 */
export function TelescopePage() {
  useDocumentTitle('Telescope')
  const params = useAttributionParams()
  const inputs = {
    model: params.model,
    conversion: params.conversion,
    from: params.from,
    to: params.to,
  }
  const campaigns = useAttributionReport({ ...inputs, groupBy: 'campaign' })
  const channels = useAttributionReport({ ...inputs, groupBy: 'channel' })
  const { busy } = useRefreshAfterRecompute()
  const report = campaigns.data
  return (
    <Stack gap="lg">
      <ReportHeader
        title="Telescope"
        description="Which campaigns and channels earn pipeline and revenue, what they cost, and how much the answer depends on the attribution model."
      >
        <AttributionToolbar params={params} shown={report} />
      </ReportHeader>
      <Group component="nav" aria-label="Telescope pages" gap="lg">
        {telescopePages.map((p) => (
          <Anchor key={p.to} component={Link} to={p.to}>
            {p.label}
            <Text span size="xs" c="dimmed" ml={6}>
              {p.hint}
            </Text>
          </Anchor>
        ))}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ChangesCard />
        <OutlookCard />
      </SimpleGrid>
      {campaigns.isPending ? (
        <LoadingRows label="Loading the attribution report" rows={6} height={48} />
      ) : campaigns.error ? (
        <ErrorAlert
          title="Could not load the attribution report"
          error={campaigns.error}
          onRetry={() => void campaigns.refetch()}
        />
      ) : campaigns.data.computedAt === null ? (
        <NotComputed busy={busy} />
      ) : (
        <Report report={campaigns.data} channels={channels} busy={busy} />
      )}
    </Stack>
  )
}

/** Attribution has never been computed: say so, and how to start it. */
function NotComputed({ busy }: { busy: boolean }) {
  const canManage = useMe().permissions.includes('attribution:manage')
  const recompute = useRecomputeAttribution()
  return (
    <Paper withBorder p="xl" component="section" aria-labelledby="not-computed">
      <Stack gap="sm" align="center" ta="center">
        <Title order={2} size="h4" id="not-computed">
          Attribution has not been computed yet
        </Title>
        <Text size="sm" c="dimmed" maw={620}>
          Credits are computed from the touches, leads and deals every night and whenever the
          attribution settings change.{' '}
          {busy ? 'A recompute is on its way: this page fills in when it ends.' : null}
        </Text>
        {recompute.error ? (
          <ErrorAlert title="Could not queue a recompute" error={recompute.error} />
        ) : null}
        <Group gap="md" justify="center">
          {canManage ? (
            <Button
              loading={recompute.isPending}
              disabled={busy}
              onClick={() => recompute.mutate()}
            >
              Recompute now
            </Button>
          ) : null}
          <Anchor component={Link} to="/settings/attribution">
            Settings → Attribution
          </Anchor>
        </Group>
      </Stack>
    </Paper>
  )
}

function Report({
  report,
  channels,
  busy,
}: {
  report: AttributionReport
  channels: ReturnType<typeof useAttributionReport>
  busy: boolean
}) {
  const [picked, setMeasure] = useState<AttributionMeasure | null>(null)
  const measure = picked ?? defaultMeasure(report.conversion)
  const money = (minor: number) => formatMoney(minor, report.baseCurrency, true)
  return (
    <>
      <Text size="sm" data-testid="attribution-computed">
        <span title={report.computedAt ? formatDateTime(report.computedAt) : undefined}>
          Credits computed {report.computedAt ? computedWhen(report.computedAt) : ''}
        </span>{' '}
        under {modelNames[report.model]}
        {report.model === report.defaultModel ? ' (the default model)' : ''}, for conversions in{' '}
        {monthRange(report.from, report.to)} (whole months).{' '}
        {busy ? 'A recompute is on its way; the numbers refresh when it ends. ' : null}
        <Anchor component={Link} to="/settings/attribution" size="sm">
          Attribution settings
        </Anchor>
      </Text>
      {report.missingRates.length > 0 ? (
        <Text size="sm" c="orange.9">
          Costs in {report.missingRates.join(', ')} have no exchange rate to {report.baseCurrency}:
          they are not counted. Add the rates in Settings → Exchange rates.
        </Text>
      ) : null}
      {report.rows.length === 0 ? (
        <EmptyState title="Nothing was credited in this range">
          No conversion in this range had a touch to credit
          {report.noTouch.conversions > 0
            ? ` (${formatConversions(report.noTouch.conversions)} converted with no touch in the lookback window, ${money(report.noTouch.revenue)})`
            : ''}
          . Try a wider range or another conversion.
        </EmptyState>
      ) : (
        <RoiTable report={report} />
      )}
      <Group justify="space-between" align="flex-end">
        <Title order={2} size="h3">
          Channels
        </Title>
        <MeasureControl value={measure} onChange={setMeasure} />
      </Group>
      {channels.isPending ? (
        <LoadingRows label="Loading the channels" rows={4} height={48} />
      ) : channels.error ? (
        <ErrorAlert
          title="Could not load the channels"
          error={channels.error}
          onRetry={() => void channels.refetch()}
        />
      ) : (
        <>
          <ModelComparison report={channels.data} measure={measure} />
          <ChannelTrends report={channels.data} measure={measure} />
        </>
      )}
    </>
  )
}
