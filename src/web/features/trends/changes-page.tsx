import { Anchor, Badge, Button, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core'
import { IconRefresh } from '@tabler/icons-react'
import { Link, useSearchParams } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { ReportHeader } from '../../components/report-header.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { computedWhen } from '../telescope/attribution-format.ts'
import { ChangeChart } from './change-chart.tsx'
import {
  type ChangeFlag,
  type Changes,
  useChanges,
  useChannelTrends,
  useRecomputeChanges,
  weekLabel,
} from './trends-api.ts'

/**
 * /telescope/changes ("What changed"): this week's decays, then improvements — each channel's and
 * campaign's metric whose latest 4 weeks left its normal range (DEFINITIONS.md "Decay") — in
 * words with its chart. ?channel=paid_social shows that channel's five metrics week by week.
 */
export function ChangesPage() {
  useDocumentTitle('What changed')
  const changes = useChanges()
  const recompute = useRecomputeChanges()
  const [params] = useSearchParams()
  const channel = params.get('channel')
  return (
    <Stack gap="lg">
      <ReportHeader
        title="What changed"
        description="Each channel's and campaign's last 4 complete weeks against the 8 before them: what left its normal range for the worse (decays) and for the better."
      >
        <Button
          variant="default"
          leftSection={<IconRefresh size={16} aria-hidden="true" />}
          loading={recompute.isPending}
          disabled={changes.isPending}
          onClick={() => recompute.mutate()}
        >
          Recompute
        </Button>
      </ReportHeader>
      {recompute.error ? (
        <ErrorAlert title="Could not recompute the changes" error={recompute.error} />
      ) : null}
      {channel ? <ChannelTrends channel={channel} /> : null}
      {changes.isPending ? (
        <Loading />
      ) : changes.error ? (
        <ErrorAlert
          title="Could not load what changed"
          error={changes.error}
          onRetry={() => void changes.refetch()}
        />
      ) : (
        <Loaded changes={changes.data} />
      )}
    </Stack>
  )
}

function Loading() {
  return (
    <Stack role="status" aria-busy="true" gap="md">
      <Text size="sm" c="dimmed">
        Loading what changed…
      </Text>
      {['a', 'b'].map((key) => (
        <Paper key={key} withBorder p="md">
          <Skeleton h={20} w="60%" mb="sm" />
          <Skeleton h={160} />
        </Paper>
      ))}
    </Stack>
  )
}

function Loaded({ changes }: { changes: Changes }) {
  const none = changes.decays.length === 0 && changes.improvements.length === 0
  return (
    <>
      <Text size="sm">
        <span title={formatDateTime(changes.computedAt)}>
          Computed {computedWhen(changes.computedAt)}
        </span>
        {changes.lastCompleteWeek
          ? ` from complete weeks up to ${weekLabel(changes.lastCompleteWeek)}`
          : ''}
        ; {changes.tested} series tested, {changes.notEnoughData} with too little volume to say.
        Amounts in {changes.currency}.
        {changes.missingRates.length > 0
          ? ` Costs in ${changes.missingRates.join(', ')} have no exchange rate and are left out.`
          : ''}
      </Text>
      {none ? (
        <EmptyState title="Nothing outside its normal range this week">
          Every channel and running campaign with enough volume stayed within its usual range over
          the last 4 weeks.
        </EmptyState>
      ) : (
        <>
          <FlagList
            title="Decays"
            flags={changes.decays}
            currency={changes.currency}
            empty="No decays this week."
          />
          <FlagList
            title="Improvements"
            flags={changes.improvements}
            currency={changes.currency}
            empty="No improvements this week."
          />
        </>
      )}
    </>
  )
}

function FlagList({
  title,
  flags,
  currency,
  empty,
}: {
  title: string
  flags: ChangeFlag[]
  currency: string
  empty: string
}) {
  return (
    <Stack gap="sm" component="section" aria-label={title}>
      <Title order={2}>{title}</Title>
      {flags.length === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        flags.map((flag) => (
          <FlagCard
            key={`${flag.subject.kind}:${flag.subject.id}:${flag.metric}`}
            flag={flag}
            currency={currency}
          />
        ))
      )}
    </Stack>
  )
}

function FlagCard({ flag, currency }: { flag: ChangeFlag; currency: string }) {
  const isDecay = flag.status === 'decay'
  return (
    <Paper withBorder p="md" component="article" aria-label={flag.words}>
      <Group justify="space-between" align="flex-start" mb="xs" wrap="nowrap">
        <Text fw={600}>{flag.words}</Text>
        <Badge color={isDecay ? 'red.9' : 'teal.9'} variant="filled" style={{ flexShrink: 0 }}>
          {isDecay ? 'Decay' : 'Improvement'}
        </Badge>
      </Group>
      <ChangeChart
        title={`${flag.subject.name}, ${flag.metricLabel}`}
        series={flag.series}
        range={flag.range}
        unit={flag.unit}
        currency={currency}
        recentFrom={flag.recentWeeks[0]}
      />
      <Anchor component={Link} to={flag.link} size="sm">
        {flag.subject.kind === 'campaign'
          ? `Open ${flag.subject.name}`
          : `${flag.subject.name} week by week`}
      </Anchor>
    </Paper>
  )
}

/** One channel's five metrics over the last 52 weeks, each with its test in words. */
function ChannelTrends({ channel }: { channel: string }) {
  const trends = useChannelTrends(channel)
  if (trends.isPending) return <Skeleton h={200} />
  if (trends.error) {
    return <ErrorAlert title="Could not load the channel's weeks" error={trends.error} />
  }
  const data = trends.data
  return (
    <Stack gap="sm" component="section" aria-label={`${data.subject.name} week by week`}>
      <Title order={2}>{data.subject.name} week by week</Title>
      {data.metrics.map((m) => (
        <Paper key={m.metric} withBorder p="md">
          <Text fw={600} mb="xs">
            {m.words}
          </Text>
          <ChangeChart
            title={`${data.subject.name}, ${m.label}`}
            series={m.series}
            range={m.range}
            unit={m.unit}
            currency={data.currency}
            height={160}
          />
        </Paper>
      ))}
    </Stack>
  )
}
