import '@mantine/charts/styles.css'
import { BarChart, CompositeChart } from '@mantine/charts'
import { Anchor, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { getData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { ReportHeader } from '../../components/report-header.tsx'
import { ReportRangeInputs, useReportRange } from '../../components/report-range-inputs.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { monthLabel } from '../mql/mql-api.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { formatMinutes } from './handoffs-api.ts'
import { rejectionReasonLabels } from './reject-dialog.tsx'
import { ScrollRegion } from './scroll-region.tsx'

interface Ratio {
  numerator: number
  denominator: number
  rate: number | null
}

/** GET /api/v1/reports/sla, src/server/reports/sla-routes.ts `SlaMetrics`. */
interface SlaMetrics {
  handoffs: number
  open: number
  accepted: number
  rejected: number
  attainment: Ratio
  decisionSla: Ratio
  acceptanceRate: Ratio
  rejectionsByReason: (Ratio & { reason: string })[]
  timeToFirstTouch: { count: number; medianMinutes: number | null; p90Minutes: number | null }
  unworked: number
  recycleRate: Ratio
  reMqlRate: Ratio
}

/** Drill-downs (/bridge/records) to a rep's or team's unworked and missed handoffs. */
interface SlaLinks {
  unworked: string
  missed: string
}

type Ref = { id: string; name: string }

interface SlaReport {
  from: string
  to: string
  timeZone: string
  overall: SlaMetrics
  byOwner: (SlaMetrics & { owner: Ref | null; links: SlaLinks })[]
  byTeam: (SlaMetrics & { team: Ref | null; links: SlaLinks })[]
  marketing: {
    month: string
    delivered: number
    target: number | null
    targetAttainment: Ratio | null
    acceptanceRate: Ratio
  }[]
}

function percent(ratio: Ratio | null): string {
  if (!ratio || ratio.rate === null) return '—'
  return `${Math.round(ratio.rate * 100)}%`
}

function ofCount(ratio: Ratio): string {
  return ratio.denominator === 0
    ? 'nothing to count yet'
    : `${ratio.numerator} of ${ratio.denominator}`
}

function minutes(value: number | null): string {
  return value === null ? '—' : formatMinutes(value)
}

function Stat({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
    </Paper>
  )
}

/** /bridge/sla: the two-way SLA, sales' commitment beside marketing's, for a date range. */
export function SlaReportPage() {
  useDocumentTitle('Two-way SLA')
  const { range, setRange } = useReportRange()
  const { from, to } = range
  const query = new URLSearchParams()
  if (from) query.set('from', from)
  if (to) query.set('to', to)
  const report = useQuery({
    queryKey: ['reports', 'sla', from, to],
    queryFn: () => getData<SlaReport>(`/api/v1/reports/sla?${query.toString()}`),
  })
  return (
    <Stack gap="lg">
      <ReportHeader
        title="Two-way SLA"
        description="Sales commits to speed, marketing to volume and quality: handoffs created in the range."
      >
        <ReportRangeInputs value={range} shown={report.data} onChange={setRange} />
      </ReportHeader>
      {report.isPending ? (
        <LoadingRows label="Loading the SLA report" rows={6} height={48} />
      ) : report.error ? (
        <ErrorAlert
          title="Could not load the SLA report"
          error={report.error}
          onRetry={() => void report.refetch()}
        />
      ) : report.data.overall.handoffs === 0 ? (
        <EmptyState title="No handoffs in this range">
          When marketing marks contacts as MQLs, their handoffs, clocks and decisions are measured
          here. Try a wider range.
        </EmptyState>
      ) : (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          <SalesSide report={report.data} />
          <MarketingSide report={report.data} />
        </SimpleGrid>
      )}
    </Stack>
  )
}

function SalesSide({ report }: { report: SlaReport }) {
  const o = report.overall
  return (
    <Paper withBorder p="md" component="section" aria-label="Sales' side">
      <Stack gap="md">
        <Title order={2} size="h3">
          Sales’ side: speed
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Stat
            label="SLA attainment"
            value={percent(o.attainment)}
            hint={`${ofCount(o.attainment)} first-touched in time`}
          />
          <Stat
            label="Decision SLA"
            value={percent(o.decisionSla)}
            hint={`${ofCount(o.decisionSla)} decided in time`}
          />
          <Stat
            label="Time to first touch"
            value={`${minutes(o.timeToFirstTouch.medianMinutes)} median`}
            hint={`90th percentile ${minutes(o.timeToFirstTouch.p90Minutes)}, business hours, ${o.timeToFirstTouch.count} touched`}
          />
          <Stat
            label="Unworked MQLs"
            value={String(o.unworked)}
            hint="Open, untouched, past the window"
          />
        </SimpleGrid>
        <SlaTable
          label="SLA per rep"
          heading="Rep"
          rows={report.byOwner.map((row) => ({
            key: row.owner?.id ?? 'unassigned',
            name: row.owner?.name ?? 'Unassigned',
            ...row,
          }))}
        />
        <Title order={3} size="h4">
          By team
        </Title>
        <SlaTable
          label="SLA per team"
          heading="Team"
          rows={report.byTeam.map((row) => ({
            key: row.team?.id ?? 'none',
            name: row.team?.name ?? 'No team',
            ...row,
          }))}
        />
      </Stack>
    </Paper>
  )
}

/** A number that opens the records behind it; plain text when there are none. */
function DrillNumber({ value, to, label }: { value: number; to: string; label: string }) {
  if (value === 0) return <>0</>
  return (
    <Anchor component={Link} to={to} aria-label={label}>
      {value}
    </Anchor>
  )
}

function SlaTable({
  label,
  heading,
  rows,
}: {
  label: string
  heading: string
  rows: (SlaMetrics & { key: string; name: string; links: SlaLinks })[]
}) {
  return (
    <ScrollRegion label={`${label}, scrollable`}>
      <Table aria-label={label} striped fz="sm" miw={600}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{heading}</Table.Th>
            <Table.Th ta="right">Handoffs</Table.Th>
            <Table.Th ta="right">Attainment</Table.Th>
            <Table.Th ta="right">Missed</Table.Th>
            <Table.Th ta="right">Decision SLA</Table.Th>
            <Table.Th ta="right">Median touch</Table.Th>
            <Table.Th ta="right">Unworked</Table.Th>
            <Table.Th ta="right">Accepted</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.key}>
              <Table.Td>{row.name}</Table.Td>
              <Table.Td ta="right">{row.handoffs}</Table.Td>
              <Table.Td ta="right">{percent(row.attainment)}</Table.Td>
              <Table.Td ta="right">
                <DrillNumber
                  value={row.attainment.denominator - row.attainment.numerator}
                  to={row.links.missed}
                  label={`Handoffs of ${row.name} that missed the first-touch window`}
                />
              </Table.Td>
              <Table.Td ta="right">{percent(row.decisionSla)}</Table.Td>
              <Table.Td ta="right">{minutes(row.timeToFirstTouch.medianMinutes)}</Table.Td>
              <Table.Td ta="right">
                <DrillNumber
                  value={row.unworked}
                  to={row.links.unworked}
                  label={`Unworked MQLs of ${row.name}`}
                />
              </Table.Td>
              <Table.Td ta="right">{percent(row.acceptanceRate)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  )
}

function MarketingSide({ report }: { report: SlaReport }) {
  const o = report.overall
  const months = report.marketing.map((m) => ({
    month: monthLabel(m.month),
    delivered: m.delivered,
    target: m.target,
  }))
  const reasons = o.rejectionsByReason.map((r) => ({
    reason: rejectionReasonLabels[r.reason] ?? r.reason,
    rejected: r.numerator,
  }))
  return (
    <Paper withBorder p="md" component="section" aria-label="Marketing's side">
      <Stack gap="md">
        <Title order={2} size="h3">
          Marketing’s side: volume and quality
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Stat
            label="MQLs delivered"
            value={String(o.handoffs)}
            hint={`${report.from} to ${report.to}`}
          />
          <Stat
            label="Acceptance rate"
            value={percent(o.acceptanceRate)}
            hint={`${ofCount(o.acceptanceRate)} decided were accepted`}
          />
          <Stat
            label="Recycle rate"
            value={percent(o.recycleRate)}
            hint={`re-MQLs: ${percent(o.reMqlRate)}`}
          />
        </SimpleGrid>
        <figure style={{ margin: 0 }} aria-label="MQLs delivered per month against the target">
          <Text fw={600} mb={4}>
            MQLs delivered vs target
          </Text>
          <CompositeChart
            h={220}
            data={months}
            dataKey="month"
            withLegend
            dotProps={{ r: 5 }}
            lineProps={{ strokeWidth: 3 }}
            series={[
              { name: 'delivered', label: 'Delivered', color: 'blue.6', type: 'bar' },
              { name: 'target', label: 'Target', color: 'orange.6', type: 'line' },
            ]}
          />
        </figure>
        <Table aria-label="MQLs per month" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Month</Table.Th>
              <Table.Th ta="right">Delivered</Table.Th>
              <Table.Th ta="right">Target</Table.Th>
              <Table.Th ta="right">Of target</Table.Th>
              <Table.Th ta="right">Accepted</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.marketing.map((m) => (
              <Table.Tr key={m.month}>
                <Table.Td>{monthLabel(m.month)}</Table.Td>
                <Table.Td ta="right">{m.delivered}</Table.Td>
                <Table.Td ta="right">{m.target ?? 'not set'}</Table.Td>
                <Table.Td ta="right">{percent(m.targetAttainment)}</Table.Td>
                <Table.Td ta="right">{percent(m.acceptanceRate)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <figure style={{ margin: 0 }} aria-label="Rejections by reason">
          <Text fw={600} mb={4}>
            Rejections by reason
          </Text>
          {reasons.length === 0 ? (
            <Text size="sm" c="dimmed">
              No rejections in this range.
            </Text>
          ) : (
            <BarChart
              h={Math.max(120, reasons.length * 36)}
              data={reasons}
              dataKey="reason"
              orientation="vertical"
              yAxisProps={{ width: 180 }}
              series={[{ name: 'rejected', label: 'Rejected', color: 'red.6' }]}
            />
          )}
        </figure>
      </Stack>
    </Paper>
  )
}
