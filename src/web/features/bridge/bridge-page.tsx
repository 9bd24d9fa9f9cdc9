import '@mantine/charts/styles.css'
import { LineChart } from '@mantine/charts'
import {
  Anchor,
  Box,
  Grid,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core'
import { Link } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { ReportHeader } from '../../components/report-header.tsx'
import { ReportRangeInputs, useReportRange } from '../../components/report-range-inputs.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { monthLabel } from '../mql/mql-api.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { type AlignmentReport, useAlignment } from './alignment-api.ts'
import { describeTrend, formatValue, OwnerBadge, PartCard } from './bridge-parts.tsx'

const subReports = [
  { to: '/bridge/sla', label: 'Two-way SLA', hint: "Sales' speed, marketing's volume" },
  { to: '/bridge/voice-of-sales', label: 'Voice of sales', hint: 'Why leads and deals are lost' },
  { to: '/bridge/funnel', label: 'Funnel', hint: 'Stage-to-stage conversion and time' },
  { to: '/bridge/plan', label: 'The plan', hint: 'Revenue target to MQLs, agreed by both' },
]

/**
 * /bridge: where both teams look at how they keep their promises. The alignment index of the
 * last complete month, its trend, its parts with their owners, and the three biggest problems,
 * every number linking to the records behind it (DEFINITIONS.md "Alignment index").
 */
export function BridgePage() {
  useDocumentTitle('The Bridge')
  const { range, setRange } = useReportRange()
  const report = useAlignment(range.from, range.to)
  return (
    <Stack gap="lg">
      <ReportHeader
        title="The Bridge"
        description="How marketing and sales keep their promises to each other, with the records behind every number."
      >
        <ReportRangeInputs value={range} shown={report.data} onChange={setRange} />
      </ReportHeader>
      <Group component="nav" aria-label="Bridge reports" gap="lg">
        {subReports.map((r) => (
          <Anchor key={r.to} component={Link} to={r.to}>
            {r.label}
            <Text span size="xs" c="dimmed" ml={6}>
              {r.hint}
            </Text>
          </Anchor>
        ))}
      </Group>
      {report.isPending ? (
        <LoadingRows label="Loading the alignment index" rows={5} height={64} />
      ) : report.error ? (
        <ErrorAlert
          title="Could not load the alignment index"
          error={report.error}
          onRetry={() => void report.refetch()}
        />
      ) : report.data.index === null ? (
        <EmptyState title="Not enough data yet: the index appears once handoffs exist">
          When marketing hands MQLs to sales and sales works them, the Bridge measures both sides'
          promises here. Try a wider range if handoffs exist before it.
        </EmptyState>
      ) : (
        <Alignment report={report.data} />
      )}
    </Stack>
  )
}

/** The index's change against the month before it, in points, or null without that month. */
function changeOf(report: AlignmentReport) {
  const at = report.series.findIndex((p) => p.period === report.indexPeriod)
  const previous = at > 0 ? report.series[at - 1] : undefined
  if (!previous || previous.value === null || report.index === null) return null
  return { period: previous.period, delta: report.index - previous.value }
}

function changeText(change: ReturnType<typeof changeOf>) {
  if (change === null) return 'No index for the month before to compare with.'
  const since = monthLabel(change.period)
  const points = formatValue(Math.round(Math.abs(change.delta) * 10) / 10)
  if (change.delta > 0) return `▲ up ${points} points since ${since}`
  if (change.delta < 0) return `▼ down ${points} points since ${since}`
  return `Unchanged since ${since}`
}

function Alignment({ report }: { report: AlignmentReport }) {
  const change = changeOf(report)
  const points = report.series.map((p) => ({ month: monthLabel(p.period), index: p.value }))
  const problems = report.problemDetails.slice(0, 3)
  return (
    <Stack gap="lg">
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper withBorder p="lg" h="100%" component="section" aria-labelledby="index-title">
            <Stack gap={4}>
              <Title order={2} size="h4" id="index-title">
                Alignment index, {monthLabel(report.indexPeriod)}
              </Title>
              <Group gap={6} align="baseline">
                <Text fz={56} fw={800} lh={1} data-testid="alignment-index">
                  {formatValue(report.index ?? 0)}
                </Text>
                <Text c="dimmed">/ 100</Text>
              </Group>
              <Text size="sm" data-testid="alignment-change">
                {changeText(change)}
              </Text>
              <Text size="xs" c="dimmed">
                The mean of the parts below that have data, each 0-100. {report.parts.length} of 8
                parts have data so far.
              </Text>
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Paper withBorder p="lg" h="100%" component="section" aria-labelledby="trend-title">
            <Title order={2} size="h4" id="trend-title" mb="sm">
              The index month by month
            </Title>
            <Box
              role="img"
              aria-label={`Alignment index per month: ${describeTrend(report.series)}`}
            >
              <LineChart
                h={200}
                data={points}
                dataKey="month"
                yAxisProps={{ domain: [0, 100] }}
                connectNulls
                accessibilityLayer={false}
                series={[{ name: 'index', label: 'Alignment index', color: 'indigo.7' }]}
              />
            </Box>
          </Paper>
        </Grid.Col>
      </Grid>
      <Paper withBorder p="lg" component="section" aria-labelledby="problems-title">
        <Title order={2} size="h4" id="problems-title" mb="sm">
          The biggest problems now
        </Title>
        {problems.length === 0 ? (
          <Text size="sm" c="dimmed">
            No problems stand out: every promise is being kept in this range.
          </Text>
        ) : (
          <List type="ordered" spacing="sm" data-testid="alignment-problems">
            {problems.map((problem) => (
              <List.Item key={problem.text}>
                <Group gap="sm" wrap="nowrap" align="flex-start">
                  <Anchor component={Link} to={problem.link} style={{ minWidth: 0 }}>
                    {problem.text}
                  </Anchor>
                  <OwnerBadge owner={problem.owner} />
                </Group>
              </List.Item>
            ))}
          </List>
        )}
      </Paper>
      <section aria-labelledby="parts-title">
        <Title order={2} size="h4" id="parts-title" mb="sm">
          The parts of the index
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="lg">
          {report.parts.map((part) => (
            <PartCard key={part.key} part={part} />
          ))}
        </SimpleGrid>
      </section>
    </Stack>
  )
}
