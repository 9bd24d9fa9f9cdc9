import { Anchor, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatValue, type OutlookSeries, useOutlook } from './outlook-api.ts'

const shownMetrics = ['leads', 'revenue'] as const

/** The next 12 months' forecast total against the last 12 months' actuals. */
function Line({ series, currency }: { series: OutlookSeries; currency: string }) {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
  const next = sum(series.forecast.slice(0, 12).map((f) => f.value))
  const lastMonths = series.history.slice(-12)
  const last = sum(lastMonths.map((h) => h.value))
  const change = last > 0 && lastMonths.length === 12 ? (next - last) / last : null
  const format = (value: number) => formatValue(value, series.unit, currency, true)
  return (
    <Text size="sm">
      <Text span fw={600}>
        {series.label}:
      </Text>{' '}
      {format(next)} forecast for the next 12 months
      {lastMonths.length > 0
        ? `, against ${format(last)} in the last ${lastMonths.length === 12 ? '12 months' : `${lastMonths.length} months`}`
        : ''}
      {change !== null
        ? ` (${change >= 0 ? '+' : '−'}${Math.abs(change * 100).toLocaleString(undefined, { maximumFractionDigits: 0 })}%)`
        : ''}
      .
    </Text>
  )
}

/** The main Telescope page's glance at the long-range forecast, opening the Outlook page. */
export function OutlookCard() {
  const outlook = useOutlook(12)
  const series = (outlook.data?.series ?? []).filter(
    (s) => (shownMetrics as readonly string[]).includes(s.metric) && s.model !== null,
  )
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="outlook-card-title">
      <Stack gap="xs">
        <Group justify="space-between" align="baseline">
          <Title order={2} size="h4" id="outlook-card-title">
            Two-year outlook
          </Title>
          <Anchor component={Link} to="/telescope/outlook" size="sm">
            Open the outlook
          </Anchor>
        </Group>
        {outlook.isPending ? (
          <Stack role="status" aria-busy="true" gap={6}>
            <Skeleton h={18} w="70%" />
            <Skeleton h={18} w="60%" />
          </Stack>
        ) : outlook.error ? (
          <ErrorAlert
            title="Could not load the outlook"
            error={outlook.error}
            onRetry={() => void outlook.refetch()}
          />
        ) : series.length === 0 ? (
          <Text size="sm" c="dimmed">
            Not enough history yet: the forecast needs at least 3 complete months.
          </Text>
        ) : (
          series.map((s) => <Line key={s.metric} series={s} currency={outlook.data.currency} />)
        )}
      </Stack>
    </Paper>
  )
}
