import '@mantine/charts/styles.css'
import { BarChart } from '@mantine/charts'
import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core'
import { useState } from 'react'
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
import { monthLabel } from '../mql/mql-api.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { channelOptions, labelOf, lifecycleOptions } from '../records/labels.ts'
import {
  type FunnelCohort,
  type FunnelGrouping,
  type FunnelReport,
  type FunnelRow,
  formatDays,
  formatRate,
  funnelGroupings,
  useFunnelReport,
} from './funnel-api.ts'

const groupingLabels: Record<FunnelGrouping, string> = {
  campaign: 'Campaign',
  channel: 'Channel',
  segment: 'Segment',
  team: 'Team',
}

/** The report's "Group by" choice. */
const grouping: GroupByChoice<FunnelGrouping> = {
  options: funnelGroupings,
  labels: groupingLabels,
  noneLabel: 'No grouping',
  control: 'select',
}

/** Groups shown before "Show all": the biggest by volume (the API sorts them so). */
const topGroups = 10

const stageLabel = (stage: string) => labelOf(stage, lifecycleOptions)
const pairLabel = (row: { fromStage: string; toStage: string }) =>
  `${stageLabel(row.fromStage)} → ${stageLabel(row.toStage)}`

/** /bridge/funnel: stage-to-stage conversion within 90 days, by entry month and by group. */
export function FunnelPage() {
  useDocumentTitle('Funnel')
  const { range, setRange } = useReportRange(funnelGroupings)
  const report = useFunnelReport(range)
  const empty = report.data?.overall.every((row) => row.entered === 0) ?? false
  return (
    <Stack gap="lg">
      <ReportHeader
        title="Funnel"
        description="Contacts entering each lifecycle stage in the range, and how many reach the next stage within 90 days."
      >
        <ReportRangeInputs
          value={range}
          shown={report.data}
          onChange={setRange}
          groupBy={grouping}
        />
      </ReportHeader>
      {report.isPending ? (
        <LoadingRows label="Loading the funnel" rows={6} height={48} />
      ) : report.error ? (
        <ErrorAlert
          title="Could not load the funnel"
          error={report.error}
          onRetry={() => void report.refetch()}
        />
      ) : empty ? (
        <EmptyState title="No contacts entered the funnel in this range">
          Contacts are counted when they first enter a lifecycle stage. Try a wider range.
        </EmptyState>
      ) : (
        <>
          <OverallFunnel report={report.data} />
          <Cohorts report={report.data} />
          {report.data.groupBy ? (
            <Grouped report={report.data} groupBy={report.data.groupBy} />
          ) : null}
        </>
      )}
    </Stack>
  )
}

/** A count that opens the records behind it (the drill-down); plain when there are none. */
function Drill({ value, to, label }: { value: number; to: string; label: string }) {
  if (value === 0) return <>0</>
  return (
    // blue.9: readable on the grey of incomplete cohorts (axe colour contrast).
    <Anchor component={Link} to={to} aria-label={label} c="blue.9">
      {value.toLocaleString()}
    </Anchor>
  )
}

function OverallFunnel({ report }: { report: FunnelReport }) {
  const bars = report.overall.map((row) => ({
    stage: stageLabel(row.fromStage),
    entered: row.entered,
  }))
  const summary = report.overall
    .map((row) => `${stageLabel(row.fromStage)} ${row.entered}`)
    .join(', ')
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="funnel-overall">
      <Stack gap="md">
        <Title order={2} size="h3" id="funnel-overall">
          Stage to stage
        </Title>
        <div role="img" aria-label={`Contacts entering each stage: ${summary}`}>
          <BarChart
            h={Math.max(160, bars.length * 40)}
            data={bars}
            dataKey="stage"
            orientation="vertical"
            yAxisProps={{ width: 110 }}
            accessibilityLayer={false}
            series={[{ name: 'entered', label: 'Entered', color: 'blue.7' }]}
          />
        </div>
        <ScrollRegion label="Conversion per stage, scrollable">
          <Table aria-label="Conversion per stage" striped fz="sm" miw={640}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Step</Table.Th>
                <Table.Th ta="right">Entered</Table.Th>
                <Table.Th ta="right">Converted in 90 days</Table.Th>
                <Table.Th ta="right">Rate</Table.Th>
                <Table.Th ta="right">Median time</Table.Th>
                <Table.Th ta="right">90th percentile</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.overall.map((row) => (
                <Table.Tr key={row.fromStage}>
                  <Table.Td>{pairLabel(row)}</Table.Td>
                  <Table.Td ta="right">
                    <Drill
                      value={row.entered}
                      to={row.enteredLink}
                      label={`${row.entered} entered ${stageLabel(row.fromStage)}`}
                    />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Drill
                      value={row.converted}
                      to={row.convertedLink}
                      label={`${row.converted} reached ${stageLabel(row.toStage)}`}
                    />
                  </Table.Td>
                  <Table.Td ta="right">{formatRate(row.rate)}</Table.Td>
                  <Table.Td ta="right">{formatDays(row.medianDays)}</Table.Td>
                  <Table.Td ta="right">{formatDays(row.p90Days)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
        <Text size="sm">
          A contact that skips stages counts at each one it passed, in 0 days. Times are in calendar
          days, among the contacts that converted. Entries from {report.from} to {report.to} (
          {report.timeZone}).
        </Text>
      </Stack>
    </Paper>
  )
}

/** "rate" over "converted / entered", each count a link; "—" when nobody entered. */
function RateCell({ row, who }: { row: FunnelRow | FunnelCohort; who: string }) {
  if (row.entered === 0) return <Text size="sm">—</Text>
  return (
    <Stack gap={0} align="flex-end">
      <Text size="sm" fw={600}>
        {formatRate(row.rate)}
      </Text>
      <Text size="xs">
        <Drill
          value={row.converted}
          to={row.convertedLink}
          label={`${who}: ${row.converted} reached ${stageLabel(row.toStage)}`}
        />
        {' / '}
        <Drill
          value={row.entered}
          to={row.enteredLink}
          label={`${who}: ${row.entered} entered ${stageLabel(row.fromStage)}`}
        />
      </Text>
    </Stack>
  )
}

function Cohorts({ report }: { report: FunnelReport }) {
  const months = [...new Set(report.cohorts.map((c) => c.month))]
  const pairs = report.overall
  const cell = new Map(report.cohorts.map((c) => [`${c.month}|${c.fromStage}`, c]))
  const hasIncomplete = report.cohorts.some((c) => !c.complete)
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="funnel-cohorts">
      <Stack gap="md">
        <Title order={2} size="h3" id="funnel-cohorts">
          Cohorts by entry month
        </Title>
        {hasIncomplete ? (
          <Text size="sm">
            Months marked “still open” entered less than {report.conversionWindowDays} days ago:
            their contacts still have time to convert, so their rates will rise.
          </Text>
        ) : null}
        <ScrollRegion label="Conversion per entry month, scrollable">
          <Table aria-label="Conversion per entry month" fz="sm" miw={760}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Entry month</Table.Th>
                {pairs.map((pair) => (
                  <Table.Th key={pair.fromStage} ta="right">
                    {pairLabel(pair)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {months.map((month) => {
                const complete = pairs.every(
                  (pair) => cell.get(`${month}|${pair.fromStage}`)?.complete ?? true,
                )
                return (
                  <Table.Tr
                    key={month}
                    bg={complete ? undefined : 'var(--mantine-color-gray-1)'}
                    fs={complete ? undefined : 'italic'}
                  >
                    <Table.Td>
                      {monthLabel(month)}
                      {complete ? null : (
                        <Badge ml="xs" size="xs" variant="outline" color="dark">
                          still open
                        </Badge>
                      )}
                    </Table.Td>
                    {pairs.map((pair) => {
                      const c = cell.get(`${month}|${pair.fromStage}`)
                      return (
                        <Table.Td key={pair.fromStage} ta="right">
                          {c ? <RateCell row={c} who={monthLabel(month)} /> : '—'}
                        </Table.Td>
                      )
                    })}
                  </Table.Tr>
                )
              })}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      </Stack>
    </Paper>
  )
}

function Grouped({ report, groupBy }: { report: FunnelReport; groupBy: FunnelGrouping }) {
  const [showAll, setShowAll] = useState(false)
  const pairs = report.overall
  // Groups in the API's order: by volume, the group without a value last.
  const byKey = new Map<string, { key: string; label: string }>()
  const cell = new Map<string, FunnelRow>()
  for (const row of report.rows) {
    if (!row.group) continue
    byKey.set(row.group.key, row.group)
    cell.set(`${row.group.key}|${row.fromStage}`, row)
  }
  const groups = [...byKey.values()]
  const shown = showAll ? groups : groups.slice(0, topGroups)
  const name = (group: { key: string; label: string }) =>
    groupBy === 'channel' && group.key !== 'none' ? labelOf(group.key, channelOptions) : group.label
  const heading = `By ${groupingLabels[groupBy].toLowerCase()}`
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="funnel-grouped">
      <Stack gap="md">
        <Title order={2} size="h3" id="funnel-grouped">
          {heading}
        </Title>
        {groups.length === 0 ? (
          <Text size="sm">No contacts to group in this range.</Text>
        ) : (
          <ScrollRegion label={`Conversion ${heading.toLowerCase()}, scrollable`}>
            <Table aria-label={`Conversion ${heading.toLowerCase()}`} striped fz="sm" miw={760}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{groupingLabels[groupBy]}</Table.Th>
                  {pairs.map((pair) => (
                    <Table.Th key={pair.fromStage} ta="right">
                      {pairLabel(pair)}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((group) => (
                  <Table.Tr key={group.key}>
                    <Table.Td>{name(group)}</Table.Td>
                    {pairs.map((pair) => {
                      const row = cell.get(`${group.key}|${pair.fromStage}`)
                      return (
                        <Table.Td key={pair.fromStage} ta="right">
                          {row ? <RateCell row={row} who={name(group)} /> : '—'}
                        </Table.Td>
                      )
                    })}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollRegion>
        )}
        {groups.length > topGroups ? (
          <Group>
            <Button variant="subtle" onClick={() => setShowAll((v) => !v)}>
              {showAll ? `Show the top ${topGroups}` : `Show all ${groups.length}`}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Paper>
  )
}
