import '@mantine/charts/styles.css'
import { CompositeChart, type CompositeChartSeries } from '@mantine/charts'
import { Paper, Stack, Text, useComputedColorScheme } from '@mantine/core'
import { toMajor } from '../records/money.ts'
import { formatTrendValue, type TrendPoint, type TrendUnit, weekLabel } from './trends-api.ts'

interface ChartRow {
  week: string
  label: string
  value: number | null
  band: [number, number] | null
}

/** Chart numbers: money in major units, rates in percent, counts as they are. */
function scaler(unit: TrendUnit, currency: string) {
  return (value: number) =>
    unit === 'money' ? toMajor(value, currency) : unit === 'rate' ? value * 100 : value
}

function unscaler(unit: TrendUnit, currency: string) {
  const one = scaler(unit, currency)(1)
  return (value: number) => value / one
}

export function chartRows(
  series: TrendPoint[],
  range: { low: number; high: number } | null,
  unit: TrendUnit,
  currency: string,
): ChartRow[] {
  const scale = scaler(unit, currency)
  return series.map((p) => ({
    week: p.week,
    label: weekLabel(p.week),
    value: p.value === null ? null : scale(p.value),
    band: range ? [scale(range.low), scale(range.high)] : null,
  }))
}

function HoverCard({ row, format }: { row: ChartRow | undefined; format: (v: number) => string }) {
  if (!row) return null
  return (
    <Paper withBorder shadow="sm" p="xs" fz="sm">
      <Stack gap={2}>
        <Text fw={600} size="sm">
          {row.label}
        </Text>
        <Text size="sm">{row.value === null ? 'No value' : format(row.value)}</Text>
        {row.band ? (
          <Text size="sm">
            Normal range: {format(row.band[0])} – {format(row.band[1])}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  )
}

/**
 * A metric's weekly values as a line, its normal range as a shaded band, and a marker where the
 * latest 4 weeks begin. Screen readers get the sentence and the figures in the label.
 */
export function ChangeChart({
  title,
  series,
  range,
  unit,
  currency,
  recentFrom,
  height = 180,
}: {
  title: string
  series: TrendPoint[]
  range: { low: number; high: number } | null
  unit: TrendUnit
  currency: string
  recentFrom?: string
  height?: number
}) {
  const scheme = useComputedColorScheme('light')
  const rows = chartRows(series, range, unit, currency)
  const unscale = unscaler(unit, currency)
  const format = (value: number) => formatTrendValue(unscale(value), unit, currency)
  const chartSeries: CompositeChartSeries[] = [
    ...(range
      ? [{ name: 'band', label: 'Normal range', color: 'teal.5', type: 'area' as const }]
      : []),
    {
      name: 'value',
      label: 'Weekly value',
      color: scheme === 'dark' ? 'indigo.3' : 'indigo.8',
      type: 'line',
    },
  ]
  const first = series[0]
  const last = series.at(-1)
  const summary =
    first && last
      ? `${title}: weekly values from ${weekLabel(first.week)} to ${weekLabel(last.week)}, last ${
          last.value === null ? 'none' : formatTrendValue(last.value, unit, currency)
        }${range ? `; normal range ${formatTrendValue(range.low, unit, currency)} to ${formatTrendValue(range.high, unit, currency)}` : ''}`
      : `${title}: no weeks`
  return (
    <div role="img" aria-label={summary}>
      <CompositeChart
        h={height}
        data={rows}
        dataKey="label"
        series={chartSeries}
        curveType="linear"
        withLegend
        legendProps={{ verticalAlign: 'bottom' }}
        withDots={false}
        connectNulls={false}
        accessibilityLayer={false}
        valueFormatter={format}
        yAxisProps={{ width: 70 }}
        xAxisProps={{ minTickGap: 24 }}
        referenceLines={
          recentFrom
            ? [
                {
                  x: weekLabel(recentFrom),
                  label: 'Last 4 weeks',
                  color: 'gray.6',
                  labelPosition: 'insideTopLeft',
                },
              ]
            : undefined
        }
        areaProps={() => ({
          fillOpacity: 0.25,
          stroke: 'none',
          strokeWidth: 0,
          dot: false,
          activeDot: false,
          legendType: 'square',
        })}
        lineProps={() => ({ dot: false, activeDot: { r: 4 } })}
        tooltipProps={{
          content: ({ payload }) => (
            <HoverCard row={payload?.[0]?.payload as ChartRow | undefined} format={format} />
          ),
        }}
      />
    </div>
  )
}
