import '@mantine/charts/styles.css'
import { BarChart } from '@mantine/charts'
import { Anchor, Group, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import type { BarShapeProps } from 'recharts'
import {
  type AttributionMeasure,
  type AttributionModel,
  type AttributionReport,
  attributionModels,
  modelNames,
} from '../attribution/attribution-api.ts'
import { ScrollRegion } from '../inbox/scroll-region.tsx'
import { monthLabel } from '../mql/mql-api.ts'
import { formatMoney } from '../records/money.ts'
import {
  channelLabel,
  conversionPlurals,
  drillHref,
  formatConversions,
} from './attribution-format.ts'

/** Channel colours, dark enough to read on white and told apart in the legend. */
const palette = [
  'indigo.7',
  'teal.7',
  'orange.7',
  'grape.7',
  'blue.7',
  'red.7',
  'lime.8',
  'cyan.8',
  'pink.7',
  'yellow.8',
  'violet.7',
  'gray.7',
]

export const measureLabels: Record<AttributionMeasure, string> = {
  revenue: 'Revenue',
  pipeline: 'Pipeline',
  conversions: 'Conversions',
}

/** The measure a conversion is naturally read in: won → revenue, opportunities → pipeline. */
export function defaultMeasure(conversion: AttributionReport['conversion']): AttributionMeasure {
  if (conversion === 'won') return 'revenue'
  if (conversion === 'opportunity_created') return 'pipeline'
  return 'conversions'
}

function formatter(report: AttributionReport, measure: AttributionMeasure) {
  return (value: number) =>
    measure === 'conversions'
      ? formatConversions(value)
      : formatMoney(value, report.baseCurrency, true)
}

export function MeasureControl({
  value,
  onChange,
}: {
  value: AttributionMeasure
  onChange: (measure: AttributionMeasure) => void
}) {
  return (
    <SegmentedControl
      aria-label="Measure"
      value={value}
      onChange={(picked) => onChange(picked as AttributionMeasure)}
      data={(['revenue', 'pipeline', 'conversions'] as const).map((m) => ({
        value: m,
        label: measureLabels[m],
      }))}
    />
  )
}

interface RangeRow {
  key: string
  channel: string
  range: [number, number]
  selected: number
  low: { model: AttributionModel; value: number }
  high: { model: AttributionModel; value: number }
}

function rangeRows(report: AttributionReport, measure: AttributionMeasure): RangeRow[] {
  return report.comparison
    .map((group) => {
      const values = group.models.map((m) => ({ model: m.model, value: m[measure] }))
      const fallback = { model: report.model, value: 0 }
      const low = values.reduce((a, b) => (b.value < a.value ? b : a), values[0] ?? fallback)
      const high = values.reduce((a, b) => (b.value > a.value ? b : a), values[0] ?? fallback)
      return {
        key: group.key,
        channel: channelLabel(group.key),
        range: group.spread[measure],
        selected: values.find((v) => v.model === report.model)?.value ?? 0,
        low,
        high,
      }
    })
    .sort((a, b) => b.selected - a.selected || b.range[1] - a.range[1])
}

/** The range bar of one channel with the selected model's value marked on it. */
function RangeShape(props: BarShapeProps) {
  const row = props.payload as RangeRow | undefined
  if (!row) return null
  const [min, max] = row.range
  const share = max > min ? (row.selected - min) / (max - min) : 0
  const markX = props.x + share * props.width
  const barHeight = Math.min(props.height, 14)
  const y = props.y + (props.height - barHeight) / 2
  return (
    <g>
      <rect
        x={props.x}
        y={y}
        width={Math.max(props.width, 1)}
        height={barHeight}
        rx={3}
        fill="var(--mantine-color-indigo-2)"
      />
      <rect
        x={markX - 2}
        y={props.y + (props.height - 22) / 2}
        width={4}
        height={22}
        rx={1}
        fill="var(--mantine-color-indigo-9)"
      />
    </g>
  )
}

/**
 * Each channel's value under every model as a bar from the lowest to the highest, with the
 * selected model marked, and the table of the same numbers naming which model gives each end.
 */
export function ModelComparison({
  report,
  measure,
}: {
  report: AttributionReport
  measure: AttributionMeasure
}) {
  const format = formatter(report, measure)
  const rows = rangeRows(report, measure)
  const model = modelNames[report.model]
  const what =
    measure === 'conversions'
      ? conversionPlurals[report.conversion].toLowerCase()
      : measureLabels[measure].toLowerCase()
  const summary = rows
    .map(
      (r) =>
        `${r.channel}: ${format(r.selected)} under ${model}, ${format(r.range[0])} to ${format(r.range[1])} over the models`,
    )
    .join('; ')
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="comparison-title">
      <Stack gap="sm">
        <div>
          <Title order={3} size="h4" id="comparison-title">
            Channels under every model
          </Title>
          <Text size="sm" c="dimmed" maw={760}>
            Each bar runs from the lowest to the highest {what} any of the{' '}
            {attributionModels.length} models credits to the channel, and the mark is {model}: the
            longer the bar, the more the channel's number depends on the model chosen, so read it as
            a range rather than a fact.
          </Text>
        </div>
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            No channel earned credit in this range.
          </Text>
        ) : (
          <>
            <div role="img" aria-label={`${measureLabels[measure]} per channel: ${summary}`}>
              <BarChart
                h={Math.max(160, rows.length * 36 + 50)}
                data={rows}
                dataKey="channel"
                orientation="vertical"
                withTooltip={false}
                yAxisProps={{ width: 130 }}
                valueFormatter={format}
                accessibilityLayer={false}
                barProps={{ shape: RangeShape, isAnimationActive: false }}
                series={[{ name: 'range', label: 'Lowest to highest model', color: 'indigo.2' }]}
              />
            </div>
            <ScrollRegion label="Channels under every model, scrollable">
              <Table aria-label="Channels under every model" striped fz="sm" miw={620}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Channel</Table.Th>
                    <Table.Th ta="right">{model}</Table.Th>
                    <Table.Th ta="right">Lowest</Table.Th>
                    <Table.Th ta="right">Highest</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((r) => (
                    <Table.Tr key={r.key}>
                      <Table.Td>{r.channel}</Table.Td>
                      <Table.Td ta="right" fw={600}>
                        {format(r.selected)}
                      </Table.Td>
                      <Table.Td ta="right">
                        {format(r.low.value)}{' '}
                        <Text span size="xs" c="dimmed">
                          {modelNames[r.low.model]}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        {format(r.high.value)}{' '}
                        <Text span size="xs" c="dimmed">
                          {modelNames[r.high.model]}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollRegion>
          </>
        )}
      </Stack>
    </Paper>
  )
}

/** Months × channels under the selected model, stacked; each month opens what was credited. */
export function ChannelTrends({
  report,
  measure,
}: {
  report: AttributionReport
  measure: AttributionMeasure
}) {
  const format = formatter(report, measure)
  const { channels, months } = report.trends
  const other = report.model === report.defaultModel ? null : report.model
  const conversion =
    measure === 'revenue'
      ? 'won'
      : measure === 'pipeline'
        ? 'opportunity_created'
        : report.conversion
  const data = months.map((m) => ({ month: monthLabel(m.month), ...m[measure] }))
  const totalOf = (values: Record<string, number>) =>
    Object.values(values).reduce((sum, v) => sum + v, 0)
  const monthLink = (month: string) =>
    drillHref(
      `/telescope/attribution?month=${month}&from=${report.from}&to=${report.to}`,
      conversion,
      other,
    )
  const summary = months
    .map((m) => {
      const top = channels.map((c) => ({ c, v: m[measure][c] ?? 0 })).sort((a, b) => b.v - a.v)[0]
      const total = totalOf(m[measure])
      return `${monthLabel(m.month)} ${format(total)}${top && top.v > 0 ? `, most from ${channelLabel(top.c)}` : ''}`
    })
    .join('; ')
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="trends-title">
      <Stack gap="sm">
        <div>
          <Title order={3} size="h4" id="trends-title">
            Channel trends
          </Title>
          <Text size="sm" c="dimmed" maw={760}>
            {measureLabels[measure]} credited to each channel under {modelNames[report.model]}, by
            the month of the conversion.
          </Text>
        </div>
        {months.length === 0 || channels.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing was credited in this range.
          </Text>
        ) : (
          <>
            <div role="img" aria-label={`${measureLabels[measure]} per month: ${summary}`}>
              <BarChart
                h={300}
                data={data}
                dataKey="month"
                type="stacked"
                withLegend
                legendProps={{ verticalAlign: 'bottom' }}
                valueFormatter={format}
                yAxisProps={{ width: 70 }}
                accessibilityLayer={false}
                series={channels.map((c, i) => ({
                  name: c,
                  label: channelLabel(c),
                  color: palette[i % palette.length] ?? 'gray.7',
                }))}
              />
            </div>
            <Group gap="xs" component="nav" aria-label="Credited per month">
              <Text size="sm" c="dimmed">
                See what was credited in
              </Text>
              {months.map((m) => (
                <Anchor
                  key={m.month}
                  component={Link}
                  to={monthLink(m.month)}
                  size="sm"
                  aria-label={`${monthLabel(m.month)}: ${format(totalOf(m[measure]))}`}
                >
                  {monthLabel(m.month)}
                </Anchor>
              ))}
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  )
}
