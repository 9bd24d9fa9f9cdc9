import '@mantine/charts/styles.css'
import { BarChart, LineChart } from '@mantine/charts'
import { Anchor, Badge, Group, SimpleGrid, Stack } from '@mantine/core'
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
import { rejectionReasonLabels } from '../inbox/reject-dialog.tsx'
import { monthLabel } from '../mql/mql-api.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { channelOptions, labelOf, lossReasonOptions } from '../records/labels.ts'
import { Name, type ReportColumn, ReportSection } from './report-section.tsx'
import {
  formatShare,
  useVoiceOfSales,
  type VoiceCouldHelp,
  type VoiceGroup,
  type VoiceGrouping,
  type VoiceOfSalesReport,
  type VoiceQuality,
  voiceGroupings,
} from './voice-of-sales-api.ts'

const groupingLabels: Record<VoiceGrouping, string> = {
  campaign: 'Campaign',
  channel: 'Channel',
  segment: 'Segment',
}

/** The report's "Group by" choice. */
const grouping: GroupByChoice<VoiceGrouping> = {
  options: voiceGroupings,
  labels: groupingLabels,
  noneLabel: 'None',
  control: 'segmented',
}

/** Colours of the stacked reasons, dark enough to read on white. */
const palette = [
  'red.7',
  'orange.7',
  'grape.7',
  'blue.7',
  'teal.7',
  'indigo.7',
  'pink.7',
  'cyan.8',
  'lime.8',
  'violet.7',
  'yellow.8',
  'gray.7',
]

const rejectionLabel = (reason: string) => rejectionReasonLabels[reason] ?? labelOf(reason)
const lossLabel = (reason: string | null) =>
  reason === null ? 'No reason given' : labelOf(reason, lossReasonOptions)

/** The group's name as shown (channels by their label), "All" when ungrouped. */
function groupName(group: VoiceGroup, groupBy: VoiceGrouping | null): string {
  if (!group) return 'All'
  if (groupBy === 'channel' && group.key !== 'none') return labelOf(group.key, channelOptions)
  return group.label
}

const groupKey = (row: { group: VoiceGroup }) => row.group?.key ?? 'all'

/** The group's column, first, when the report is grouped; none when it is not. */
function groupColumn<Row extends { group: VoiceGroup }>(
  groupBy: VoiceGrouping | null,
): ReportColumn<Row>[] {
  if (!groupBy) return []
  return [
    {
      label: groupingLabels[groupBy],
      value: (row) => <Name>{groupName(row.group, groupBy)}</Name>,
    },
  ]
}

function isEmpty(report: VoiceOfSalesReport) {
  return (
    report.rejections.length === 0 &&
    report.losses.length === 0 &&
    report.competitors.length === 0 &&
    report.objections.length === 0 &&
    report.quality.length === 0 &&
    report.trends.every((m) => m.decided === 0 && m.losses === 0)
  )
}

/** /bridge/voice-of-sales: what sales says about marketing's leads, for marketing. */
export function VoiceOfSalesPage() {
  useDocumentTitle('Voice of sales')
  const { range, setRange } = useReportRange(voiceGroupings)
  const report = useVoiceOfSales(range)
  return (
    <Stack gap="lg">
      <ReportHeader
        title="Voice of sales"
        description="Why sales rejects handoffs and loses deals, who it loses to, what prospects object to, and how sales rates the leads: handoffs created and deals closed in the range."
      >
        <ReportRangeInputs
          value={range}
          shown={report.data}
          onChange={setRange}
          groupBy={grouping}
        />
      </ReportHeader>
      {report.isPending ? (
        <LoadingRows label="Loading the voice of sales" rows={6} height={48} />
      ) : report.error ? (
        <ErrorAlert
          title="Could not load the voice of sales"
          error={report.error}
          onRetry={() => void report.refetch()}
        />
      ) : isEmpty(report.data) ? (
        <EmptyState title="Nothing from sales in this range">
          Rejected handoffs, lost deals, tags and quality ratings appear here once sales records
          them. Try a wider range.
        </EmptyState>
      ) : (
        <>
          <Rejections report={report.data} />
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
            <Losses report={report.data} />
            <CouldHelp report={report.data} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
            <Competitors report={report.data} />
            <Objections report={report.data} />
          </SimpleGrid>
          <Quality report={report.data} />
          <Trends report={report.data} />
        </>
      )}
    </Stack>
  )
}

function Rejections({ report }: { report: VoiceOfSalesReport }) {
  const { groupBy } = report
  const reasons = [...new Set(report.rejections.map((r) => r.reason))]
  const groups = new Map<string, Record<string, string | number>>()
  for (const row of report.rejections) {
    const key = groupKey(row)
    const entry = groups.get(key) ?? { group: groupName(row.group, groupBy) }
    entry[row.reason] = row.count
    groups.set(key, entry)
  }
  const data = [...groups.values()].slice(0, 12)
  return (
    <ReportSection
      title="Rejection reasons"
      description="Handoffs created in the range and rejected, by reason; share of the handoffs decided in the group."
      rows={report.rejections}
      rowKey={(row) => `${groupKey(row)}-${row.reason}`}
      empty="No handoffs were rejected in this range."
      minWidth={520}
      columns={[
        ...groupColumn(groupBy),
        { label: 'Reason', value: (row) => rejectionLabel(row.reason) },
        {
          label: 'Rejected',
          numeric: true,
          link: (row) => ({
            value: row.count,
            to: row.link,
            label: `${row.count} handoffs of ${groupName(row.group, groupBy)} rejected as ${rejectionLabel(row.reason)}`,
          }),
        },
        { label: 'Decided', numeric: true, value: (row) => row.decided.toLocaleString() },
        { label: 'Share', numeric: true, value: (row) => formatShare(row.share) },
      ]}
    >
      <div
        role="img"
        aria-label={`Rejected handoffs by reason${groupBy ? ` per ${groupBy}` : ''}: ${report.rejections
          .slice(0, 8)
          .map(
            (r) =>
              `${groupBy ? `${groupName(r.group, groupBy)}, ` : ''}${rejectionLabel(r.reason)} ${r.count}`,
          )
          .join('; ')}`}
      >
        <BarChart
          h={Math.max(140, data.length * 40 + 60)}
          data={data}
          dataKey="group"
          type="stacked"
          orientation="vertical"
          withLegend
          yAxisProps={{ width: 180 }}
          series={reasons.map((reason, i) => ({
            name: reason,
            label: rejectionLabel(reason),
            color: palette[i % palette.length] ?? 'gray.7',
          }))}
        />
      </div>
    </ReportSection>
  )
}

function Losses({ report }: { report: VoiceOfSalesReport }) {
  const { groupBy } = report
  return (
    <ReportSection
      title="Losses by reason"
      description="Deals closed lost in the range. Walking away from a poor fit is a good outcome, counted apart."
      rows={report.losses}
      rowKey={(row) => `${groupKey(row)}-${row.reason ?? 'none'}`}
      empty="No deals were lost in this range."
      minWidth={420}
      columns={[
        ...groupColumn(groupBy),
        {
          label: 'Reason',
          value: (row) => (
            <Group gap={6} wrap="nowrap">
              {lossLabel(row.reason)}
              {row.goodOutcome ? (
                <Badge color="teal.9" variant="light" size="sm">
                  Good outcome
                </Badge>
              ) : null}
            </Group>
          ),
        },
        {
          label: 'Lost',
          numeric: true,
          link: (row) => ({
            value: row.count,
            to: row.link,
            label: `${row.count} deals of ${groupName(row.group, groupBy)} lost to ${lossLabel(row.reason)}`,
          }),
        },
        { label: 'Share', numeric: true, value: (row) => formatShare(row.share) },
      ]}
    />
  )
}

function CouldHelp({ report }: { report: VoiceOfSalesReport }) {
  const { groupBy } = report
  return (
    <ReportSection
      title="Could marketing have helped?"
      label="Could marketing have helped"
      description="Sales' answer on each deal lost in the range."
      rows={report.marketingCouldHelp}
      rowKey={groupKey}
      empty="No deals were lost in this range."
      minWidth={380}
      columns={[
        {
          label: groupBy ? groupingLabels[groupBy] : 'Losses',
          value: (row) => (
            <Name>{groupBy ? groupName(row.group, groupBy) : `All ${row.losses} losses`}</Name>
          ),
        },
        ...(
          [
            ['yes', 'Yes'],
            ['no', 'No'],
            ['unsure', 'Unsure'],
          ] as const
        ).map(
          ([answer, label]): ReportColumn<VoiceCouldHelp> => ({
            label,
            numeric: true,
            link: (row) => ({
              value: row[answer],
              to: row.links[answer],
              label: `${row[answer]} losses of ${groupName(row.group, groupBy)} where marketing could have helped: ${answer}`,
            }),
          }),
        ),
      ]}
    />
  )
}

function Competitors({ report }: { report: VoiceOfSalesReport }) {
  return (
    <ReportSection
      title="Competitors"
      description="Deals lost to each competitor, and competitor tags on activities, handoffs and deals of the range."
      rows={report.competitors}
      rowKey={(row) => row.name.toLowerCase()}
      empty="No competitor was named in this range."
      columns={[
        { label: 'Competitor', value: (row) => <Name>{row.name}</Name> },
        {
          label: 'Deals lost',
          numeric: true,
          link: (row) => ({
            value: row.losses,
            to: row.link,
            label: `${row.losses} deals lost to ${row.name}`,
          }),
        },
        { label: 'Mentions', numeric: true, value: (row) => row.mentions.toLocaleString() },
      ]}
    />
  )
}

function Objections({ report }: { report: VoiceOfSalesReport }) {
  return (
    <ReportSection
      title="Top objections"
      description="Objection tags on the most activities, handoffs and deals of the range: marketing's messaging backlog."
      rows={report.objections}
      rowKey={(row) => row.tag.id}
      empty="No objection was tagged in this range."
      minWidth={420}
      columns={[
        { label: 'Objection', value: (row) => <Name>{row.tag.name}</Name> },
        { label: 'Records', numeric: true, value: (row) => row.count.toLocaleString() },
        { label: 'Activities', numeric: true, value: (row) => row.activities.toLocaleString() },
        {
          label: 'Handoffs',
          numeric: true,
          link: (row) => ({
            value: row.handoffs,
            to: row.links.handoffs,
            label: `${row.handoffs} handoffs tagged ${row.tag.name}`,
          }),
        },
        {
          label: 'Deals',
          numeric: true,
          link: (row) => ({
            value: row.deals,
            to: row.links.deals,
            label: `${row.deals} deals tagged ${row.tag.name}`,
          }),
        },
      ]}
    />
  )
}

function Quality({ report }: { report: VoiceOfSalesReport }) {
  const { groupBy } = report
  return (
    <ReportSection
      title="Handoff quality"
      description="Sales' 1-5 rating of the handoffs created in the range."
      rows={report.quality}
      rowKey={groupKey}
      empty="No handoffs were created in this range."
      minWidth={620}
      columns={[
        {
          label: groupBy ? groupingLabels[groupBy] : 'Handoffs',
          value: (row) => <Name>{groupName(row.group, groupBy)}</Name>,
        },
        {
          label: 'Rated',
          numeric: true,
          link: (row) => ({
            value: row.rated,
            to: row.link,
            label: `${row.rated} rated handoffs of ${groupName(row.group, groupBy)}`,
          }),
        },
        {
          label: 'Average',
          numeric: true,
          value: (row) => (row.average === null ? '—' : row.average.toFixed(1)),
        },
        ...(['1', '2', '3', '4', '5'] as const).map(
          (n): ReportColumn<VoiceQuality> => ({
            label: `${n} ★`,
            numeric: true,
            value: (row) => row.distribution[n].toLocaleString(),
          }),
        ),
        {
          label: 'Unrated',
          numeric: true,
          link: (row) => ({
            value: row.unrated,
            to: row.unratedLink,
            label: `${row.unrated} unrated handoffs of ${groupName(row.group, groupBy)}`,
          }),
        },
      ]}
    />
  )
}

function Trends({ report }: { report: VoiceOfSalesReport }) {
  const data = report.trends.map((m) => ({
    month: monthLabel(m.month),
    decided: m.decided,
    rejected: m.rejected,
    losses: m.losses,
  }))
  return (
    <ReportSection
      title="Monthly trend"
      description="Handoffs decided and rejected by the month they were created; deals lost by the month they closed."
      rows={report.trends}
      rowKey={(m) => m.month}
      minWidth={560}
      columns={[
        { label: 'Month', value: (m) => monthLabel(m.month) },
        {
          label: 'Decided',
          numeric: true,
          link: (m) => ({
            value: m.decided,
            to: m.links.decided,
            label: `${m.decided} handoffs of ${monthLabel(m.month)} decided`,
          }),
        },
        {
          label: 'Rejected',
          numeric: true,
          link: (m) => ({
            value: m.rejected,
            to: m.links.rejected,
            label: `${m.rejected} handoffs of ${monthLabel(m.month)} rejected`,
          }),
        },
        { label: 'Rejection rate', numeric: true, value: (m) => formatShare(m.rejectionRate) },
        {
          label: 'Deals lost',
          numeric: true,
          link: (m) => ({
            value: m.losses,
            to: m.links.losses,
            label: `${m.losses} deals lost in ${monthLabel(m.month)}`,
          }),
        },
        {
          label: 'Top rejection reason',
          value: (m) =>
            m.topReason && m.links.topReason ? (
              <Anchor component={Link} to={m.links.topReason}>
                {rejectionLabel(m.topReason)}
              </Anchor>
            ) : (
              '—'
            ),
        },
      ]}
    >
      <div
        role="img"
        aria-label={`Per month, decided, rejected and lost: ${report.trends
          .map((m) => `${monthLabel(m.month)} ${m.decided}, ${m.rejected}, ${m.losses}`)
          .join('; ')}`}
      >
        <LineChart
          h={240}
          data={data}
          dataKey="month"
          withLegend
          series={[
            { name: 'decided', label: 'Decided', color: 'blue.7' },
            { name: 'rejected', label: 'Rejected', color: 'red.7' },
            { name: 'losses', label: 'Deals lost', color: 'gray.7' },
          ]}
        />
      </div>
    </ReportSection>
  )
}
