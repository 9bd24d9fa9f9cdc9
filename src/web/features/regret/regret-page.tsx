import '@mantine/charts/styles.css'
import { BarChart } from '@mantine/charts'
import { Alert, Anchor, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { ReportHeader } from '../../components/report-header.tsx'
import {
  type GroupByChoice,
  ReportRangeInputs,
  useReportRange,
} from '../../components/report-range-inputs.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { ScrollRegion } from '../inbox/scroll-region.tsx'
import { EmptyState } from '../records/empty-state.tsx'
import {
  formatRegretRate,
  type RegretGrouping,
  type RegretReport,
  type RegretRow,
  regretGroupings,
  useRegretReport,
} from './regret-api.ts'

const groupingLabels: Record<RegretGrouping, string> = {
  rep: 'Rep',
  team: 'Team',
  campaign: 'Campaign',
  product: 'Product',
}

const grouping: GroupByChoice<RegretGrouping> = {
  options: regretGroupings,
  labels: groupingLabels,
  noneLabel: 'No grouping',
  control: 'select',
}

/** The definition, in one sentence (DEFINITIONS.md "Regret rate"). */
function Definition({ report }: { report: RegretReport | undefined }) {
  const days = report?.windowDays ?? 180
  const threshold = report?.productFitThreshold
  return (
    <>
      Of the won deals closed at least {days} days ago, the share that churned, were refunded or
      downgraded within {days} days of closing (the deal or its account), or were won while flagged
      poor fit (fit below {threshold ?? 'the threshold'} when won).
    </>
  )
}

/** /reports/regret: won deals we should not have won, overall and per rep, team, campaign or product. */
export function RegretPage() {
  useDocumentTitle('Regret rate')
  const { range, setRange } = useReportRange(regretGroupings)
  const report = useRegretReport(range)
  return (
    <Stack gap="lg">
      <ReportHeader title="Regret rate" description={<Definition report={report.data} />}>
        <ReportRangeInputs
          value={range}
          shown={report.data}
          onChange={setRange}
          groupBy={grouping}
        />
      </ReportHeader>
      {report.isPending ? (
        <LoadingRows label="Loading the regret rate" rows={5} height={48} />
      ) : report.error ? (
        <ErrorAlert
          title="Could not load the regret rate"
          error={report.error}
          onRetry={() => void report.refetch()}
        />
      ) : (
        <Loaded report={report.data} />
      )}
    </Stack>
  )
}

function Loaded({ report }: { report: RegretReport }) {
  return (
    <>
      {report.clamped ? (
        <Alert color="blue" title="Only mature deals count">
          Deals closed after {report.matureBefore} have not had {report.windowDays} days yet, so the
          range ends on {report.matureBefore}.
        </Alert>
      ) : null}
      {report.overall.won === 0 ? (
        <EmptyState title="No mature won deals in this range">
          Deals count once they were won at least {report.windowDays} days ago (closed on or before{' '}
          {report.matureBefore}). Try an earlier or wider range.
        </EmptyState>
      ) : (
        <>
          <Overall report={report} />
          {report.groupBy ? <Grouped report={report} groupBy={report.groupBy} /> : null}
        </>
      )}
    </>
  )
}

/** A count that opens the deals behind it (the drill-down); plain when there are none. */
function Drill({ value, to, label }: { value: number; to: string; label: string }) {
  if (value === 0) return <>0</>
  return (
    <Anchor component={Link} to={to} aria-label={label}>
      {value.toLocaleString()}
    </Anchor>
  )
}

function Overall({ report }: { report: RegretReport }) {
  const row = report.overall
  const reasons = [
    ['Churned', row.churned],
    ['Refunded', row.refunded],
    ['Downgraded', row.downgraded],
    ['Won poor fit', row.poorFit],
  ] as const
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="regret-overall">
      <Stack gap="sm">
        <Title order={2} size="h3" id="regret-overall">
          Overall
        </Title>
        <Group align="flex-end" gap="xl">
          <div>
            <Text size="xs" c="dimmed">
              Regret rate
            </Text>
            <Text fz={48} fw={700} lh={1} data-testid="regret-rate">
              {formatRegretRate(row.rate)}
            </Text>
            <Text size="sm" mt={4}>
              <Drill
                value={row.regretted}
                to={row.regrettedLink}
                label={`${row.regretted} regretted deals`}
              />{' '}
              regretted of{' '}
              <Drill value={row.won} to={row.link} label={`${row.won} mature won deals`} /> mature
              won deals
            </Text>
          </div>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="lg">
            {reasons.map(([label, value]) => (
              <div key={label}>
                <Text size="xs" c="dimmed">
                  {label}
                </Text>
                <Text fw={600}>{value.toLocaleString()}</Text>
              </div>
            ))}
          </SimpleGrid>
        </Group>
        <Text size="sm" c="dimmed">
          A deal with several reasons counts once in the rate and under each reason. Deals closed{' '}
          {report.from} – {report.to} ({report.timeZone}); product-fit threshold{' '}
          {report.productFitThreshold}.
        </Text>
      </Stack>
    </Paper>
  )
}

function Grouped({ report, groupBy }: { report: RegretReport; groupBy: RegretGrouping }) {
  const heading = `By ${groupingLabels[groupBy].toLowerCase()}`
  const rows = report.rows.filter((r): r is RegretRow & { group: { key: string; label: string } } =>
    Boolean(r.group),
  )
  const bars = rows
    .filter((r) => r.rate !== null)
    .map((r) => ({ group: r.group.label, rate: Math.round((r.rate ?? 0) * 1000) / 10 }))
  const summary = rows.map((r) => `${r.group.label} ${formatRegretRate(r.rate)}`).join(', ')
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="regret-grouped">
      <Stack gap="md">
        <Title order={2} size="h3" id="regret-grouped">
          {heading}
        </Title>
        <div role="img" aria-label={`Regret rate ${heading.toLowerCase()}: ${summary}`}>
          <BarChart
            h={Math.max(160, bars.length * 36)}
            data={bars}
            dataKey="group"
            orientation="vertical"
            yAxisProps={{ width: 160 }}
            xAxisProps={{ domain: [0, 100] }}
            unit="%"
            accessibilityLayer={false}
            series={[{ name: 'rate', label: 'Regret rate', color: 'red.7' }]}
          />
        </div>
        <ScrollRegion label={`Regret rate ${heading.toLowerCase()}, scrollable`}>
          <Table aria-label={`Regret rate ${heading.toLowerCase()}`} striped fz="sm" miw={760}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{groupingLabels[groupBy]}</Table.Th>
                <Table.Th ta="right">Mature won</Table.Th>
                <Table.Th ta="right">Regretted</Table.Th>
                <Table.Th ta="right">Rate</Table.Th>
                <Table.Th ta="right">Churned</Table.Th>
                <Table.Th ta="right">Refunded</Table.Th>
                <Table.Th ta="right">Downgraded</Table.Th>
                <Table.Th ta="right">Won poor fit</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.group.key}>
                  <Table.Td>{r.group.label}</Table.Td>
                  <Table.Td ta="right">
                    <Drill
                      value={r.won}
                      to={r.link}
                      label={`${r.group.label}: ${r.won} mature won deals`}
                    />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Drill
                      value={r.regretted}
                      to={r.regrettedLink}
                      label={`${r.group.label}: ${r.regretted} regretted deals`}
                    />
                  </Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {formatRegretRate(r.rate)}
                  </Table.Td>
                  <Table.Td ta="right">{r.churned}</Table.Td>
                  <Table.Td ta="right">{r.refunded}</Table.Td>
                  <Table.Td ta="right">{r.downgraded}</Table.Td>
                  <Table.Td ta="right">{r.poorFit}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
        {groupBy === 'team' || groupBy === 'product' ? (
          <Text size="sm" c="dimmed">
            {groupBy === 'team'
              ? 'A deal counts in each team of its owner.'
              : 'A deal counts once under each product of its lines.'}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  )
}
