import '@mantine/charts/styles.css'
import { CompositeChart, type CompositeChartSeries } from '@mantine/charts'
import { Paper, Stack, Text, useComputedColorScheme } from '@mantine/core'
import { monthLabel } from '../mql/mql-api.ts'
import { formatValue, type OutlookSeries } from './outlook-api.ts'
import { type ChartRow, chartRows, historyShown } from './outlook-rows.ts'

/** The lines and bands; the forecast line is darker than its bands in light, lighter in dark. */
function chartSeries(scheme: 'light' | 'dark'): CompositeChartSeries[] {
  return [
    { name: 'band95', label: '95% interval', color: 'violet.4', type: 'area' },
    { name: 'band80', label: '80% interval', color: 'violet.5', type: 'area' },
    { name: 'actual', label: 'Actual', color: 'blue.6', type: 'line' },
    {
      name: 'forecast',
      label: 'Forecast',
      color: scheme === 'dark' ? 'violet.1' : 'violet.9',
      type: 'line',
    },
    { name: 'target', label: 'Target', color: 'orange.6', type: 'line', strokeDasharray: '6 4' },
  ]
}

/** A chart value (major units for money) in the series' own words. */
function chartFormatter(series: OutlookSeries, currency: string, compact: boolean) {
  return (value: number) =>
    series.unit === 'money'
      ? new Intl.NumberFormat(undefined, {
          style: 'currency',
          currency,
          notation: compact ? 'compact' : 'standard',
          maximumFractionDigits: compact ? 1 : 0,
        }).format(value)
      : formatValue(value, 'count', currency, compact)
}

function HoverCard({
  row,
  format,
}: {
  row: ChartRow | undefined
  format: (value: number) => string
}) {
  if (!row) return null
  const range = (band: [number, number]) => `${format(band[0])} – ${format(band[1])}`
  const isForecast = row.actual === null
  return (
    <Paper withBorder shadow="sm" p="xs" fz="sm">
      <Stack gap={2}>
        <Text fw={600} size="sm">
          {row.label}
        </Text>
        {row.actual !== null ? <Text size="sm">Actual: {format(row.actual)}</Text> : null}
        {isForecast && row.forecast !== null ? (
          <Text size="sm">Forecast: {format(row.forecast)}</Text>
        ) : null}
        {isForecast && row.band80 ? <Text size="sm">80%: {range(row.band80)}</Text> : null}
        {isForecast && row.band95 ? <Text size="sm">95%: {range(row.band95)}</Text> : null}
        {row.target !== null ? <Text size="sm">Target: {format(row.target)}</Text> : null}
      </Stack>
    </Paper>
  )
}

/**
 * History, forecast, the 80% and 95% prediction intervals as shaded bands and the targets as a
 * dashed line, on one chart. Screen readers get a summary here and the numbers in the table.
 */
export function OutlookChart({ series, currency }: { series: OutlookSeries; currency: string }) {
  const scheme = useComputedColorScheme('light')
  const rows = chartRows(series, currency)
  const format = chartFormatter(series, currency, false)
  const first = series.forecast[0]
  const last = series.forecast.at(-1)
  const shownHistory = series.history.slice(-historyShown)
  const summary = [
    shownHistory.length > 0
      ? `actuals ${monthLabel(shownHistory[0]?.month ?? '')} to ${monthLabel(shownHistory.at(-1)?.month ?? '')}`
      : 'no actuals',
    first && last
      ? `forecast ${format(rows.find((r) => r.month === first.month)?.forecast ?? 0)} in ${monthLabel(first.month)} to ${format(rows.at(-1)?.forecast ?? 0)} in ${monthLabel(last.month)}, with 80% and 95% intervals`
      : 'no forecast',
    series.targets.length > 0 ? `targets for ${series.targets.length} months` : 'no targets',
  ].join('; ')
  return (
    <div role="img" aria-label={`${series.label}: ${summary}`}>
      <CompositeChart
        h={300}
        data={rows}
        dataKey="label"
        series={chartSeries(scheme).filter((s) => s.name !== 'target' || series.targets.length > 0)}
        curveType="linear"
        withLegend
        legendProps={{ verticalAlign: 'bottom' }}
        withDots={false}
        connectNulls={false}
        accessibilityLayer={false}
        valueFormatter={chartFormatter(series, currency, true)}
        yAxisProps={{ width: 70 }}
        xAxisProps={{ minTickGap: 24 }}
        referenceLines={
          first
            ? [
                {
                  x: monthLabel(first.month),
                  label: 'Forecast',
                  color: 'gray.6',
                  labelPosition: 'insideTopLeft',
                },
              ]
            : undefined
        }
        areaProps={(s) => ({
          fillOpacity: s.name === 'band95' ? 0.18 : 0.32,
          stroke: 'none',
          strokeWidth: 0,
          dot: false,
          activeDot: false,
          legendType: 'square',
        })}
        lineProps={(s) =>
          s.name === 'target'
            ? { dot: { r: 3, strokeWidth: 1 }, activeDot: { r: 4 }, connectNulls: false }
            : { dot: false, activeDot: { r: 4 } }
        }
        tooltipProps={{
          content: ({ payload }) => (
            <HoverCard row={payload?.[0]?.payload as ChartRow | undefined} format={format} />
          ),
        }}
      />
    </div>
  )
}
