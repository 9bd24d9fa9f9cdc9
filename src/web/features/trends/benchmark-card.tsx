import { Badge, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatMoney } from '../records/money.ts'
import {
  type BenchmarkVerdict,
  type CampaignBenchmark,
  useCampaignBenchmark,
} from './trends-api.ts'

const labels = { cost_per_mql: 'Cost per MQL', acceptance_rate: 'Acceptance rate', roi: 'ROI' }

const verdicts: Record<BenchmarkVerdict, { label: string; color: string }> = {
  better: { label: 'Better than most', color: 'teal.9' },
  worse: { label: 'Worse than most', color: 'red.9' },
  typical: { label: 'Typical', color: 'gray.7' },
  too_few_peers: { label: 'Too few peers', color: 'gray.7' },
  no_value: { label: 'No value yet', color: 'gray.7' },
}

function formatFigure(metric: keyof typeof labels, value: number | null, currency: string) {
  if (value === null) return '—'
  if (metric === 'cost_per_mql') return formatMoney(Math.round(value), currency)
  return `${Math.round(value * 1000) / 10}%`
}

/**
 * The campaign against similar past campaigns (same channel and type, started before it): cost per
 * MQL, acceptance rate and ROI, each beside the peers' median with its percentile.
 */
export function BenchmarkCard({ campaignId }: { campaignId: string }) {
  const benchmark = useCampaignBenchmark(campaignId)
  return (
    <Paper withBorder p="md" component="section" aria-label="Benchmark">
      <Title order={2} size="h4" mb="xs">
        Benchmark
      </Title>
      {benchmark.isPending ? (
        <Skeleton h={80} />
      ) : benchmark.error ? (
        <ErrorAlert title="Could not load the benchmark" error={benchmark.error} />
      ) : (
        <Loaded benchmark={benchmark.data} />
      )}
    </Paper>
  )
}

function Loaded({ benchmark }: { benchmark: CampaignBenchmark }) {
  const { peers, currency } = benchmark
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        Against {peers.length} earlier {peers.length === 1 ? 'campaign' : 'campaigns'} of the same
        channel and type; ROI under the {benchmark.model.replaceAll('_', '-')} model.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {benchmark.metrics.map((m) => {
          const verdict = verdicts[m.verdict]
          return (
            <Stack key={m.metric} gap={2} data-testid={`benchmark-${m.metric}`}>
              <Group justify="space-between" gap="xs">
                <Text size="sm" fw={600}>
                  {labels[m.metric]}
                </Text>
                <Badge color={verdict.color} variant="filled" size="sm">
                  {verdict.label}
                </Badge>
              </Group>
              <Text size="lg" fw={700}>
                {formatFigure(m.metric, m.value, currency)}
              </Text>
              <Text size="sm">
                Peers' median {formatFigure(m.metric, m.peerMedian, currency)} ({m.peers}{' '}
                {m.peers === 1 ? 'peer' : 'peers'})
              </Text>
              <Text size="sm" c="dimmed">
                {m.percentile === null
                  ? m.verdict === 'too_few_peers'
                    ? 'Fewer than 3 peers: too few to rank.'
                    : 'No value of its own yet.'
                  : `Higher than ${Math.round(m.percentile)}% of peers.`}
              </Text>
            </Stack>
          )
        })}
      </SimpleGrid>
    </Stack>
  )
}
