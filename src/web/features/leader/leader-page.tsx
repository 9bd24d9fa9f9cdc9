import '@mantine/charts/styles.css'
import { BarChart, LineChart } from '@mantine/charts'
import { Anchor, Box, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { AdminOnly } from '../../components/admin-only.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { ReportHeader } from '../../components/report-header.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { monthLabel } from '../mql/mql-api.ts'
import { formatMoney, toMajor } from '../records/money.ts'
import { useMe } from '../shell/me-context.tsx'
import { type CoveragePoint, type LeaderView, type RatePoint, useLeaderView } from './leader-api.ts'

const percent = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${Math.round(x * 1000) / 10}%`

const describe = (points: RatePoint[], format: (v: number) => string) => {
  const known = points.filter((p) => p.value !== null)
  return known.length === 0
    ? 'no data yet'
    : known.map((p) => `${monthLabel(p.period)} ${format(p.value ?? 0)}`).join(', ')
}

/**
 * /leader: for leaders (admins, and anyone given leader:read), revenue vs target, pipeline
 * coverage, the alignment index, regret rate, win rate and the top loss reasons and objections,
 * each with its trend and the page behind it.
 */
export function LeaderPage() {
  useDocumentTitle('Leader view')
  const canRead = useMe().permissions.includes('leader:read')
  const view = useLeaderView()
  return (
    <Stack gap="lg">
      <ReportHeader
        title="Leader view"
        description="The company's numbers on one page, each with its last 12 months and the page behind it."
      >
        {null}
      </ReportHeader>
      {!canRead ? (
        <AdminOnly>The leader view is for admins.</AdminOnly>
      ) : view.isPending ? (
        <LoadingRows label="Loading the leader view" rows={6} height={120} />
      ) : view.error ? (
        <ErrorAlert
          title="Could not load the leader view"
          error={view.error}
          onRetry={() => void view.refetch()}
        />
      ) : (
        <Cards view={view.data} />
      )}
    </Stack>
  )
}

function Card({
  id,
  title,
  value,
  caption,
  link,
  linkLabel,
  children,
}: {
  id: string
  title: string
  value: string
  caption: ReactNode
  link: string
  linkLabel: string
  children?: ReactNode
}) {
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={`${id}-title`}>
      <Stack gap="xs" h="100%">
        <Title order={2} size="h4" id={`${id}-title`}>
          {title}
        </Title>
        <Text fz={36} fw={800} lh={1} data-testid={`leader-${id}`}>
          {value}
        </Text>
        <Text size="sm" c="dimmed">
          {caption}
        </Text>
        {children}
        <Anchor component={Link} to={link} size="sm" mt="auto">
          {linkLabel}
        </Anchor>
      </Stack>
    </Paper>
  )
}

/** A line chart as one image, its values in its label (axe: no focusable chart inside). */
function Trend({
  label,
  data,
  series,
  percentAxis,
}: {
  label: string
  data: Record<string, string | number | null>[]
  series: { name: string; label: string; color: string }[]
  percentAxis?: boolean
}) {
  return (
    <Box role="img" aria-label={label}>
      <LineChart
        h={140}
        data={data}
        dataKey="month"
        connectNulls
        withLegend={series.length > 1}
        accessibilityLayer={false}
        yAxisProps={percentAxis ? { domain: [0, 100] } : {}}
        series={series}
      />
    </Box>
  )
}

function coverageText(point: CoveragePoint | undefined) {
  if (!point) return '—'
  if (point.value === 'met') return 'Met'
  if (point.value === null) return '—'
  return `${Math.round(point.value * 10) / 10}×`
}

function Cards({ view }: { view: LeaderView }) {
  const currency = view.baseCurrency
  const money = (n: number | null | undefined) =>
    n === null || n === undefined ? '—' : formatMoney(n, currency, true)
  const revenue = view.revenue.value
  const revenueData = view.revenue.series.map((p) => ({
    month: monthLabel(p.period),
    won: p.won === null ? null : toMajor(p.won, currency),
    target: p.target === null ? null : toMajor(p.target, currency),
  }))
  const rateData = (points: RatePoint[], scale = 100) =>
    points.map((p) => ({
      month: monthLabel(p.period),
      value: p.value === null ? null : Math.round(p.value * scale * 10) / 10,
    }))
  const { insights } = view
  return (
    <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="lg">
      <Card
        id="revenue"
        title="Revenue vs target"
        value={revenue ? `${money(revenue.won)} of ${money(revenue.target)}` : '—'}
        caption={
          revenue
            ? `${monthLabel(revenue.period)} so far: ${percent(revenue.attainment)} of the company target${
                revenue.targetSource === 'quarter' ? ' (its share of the quarter target)' : ''
              }.${view.revenue.missingRates.length > 0 ? ` No exchange rate for ${view.revenue.missingRates.join(', ')}.` : ''}`
            : 'No month yet.'
        }
        link={view.revenue.link}
        linkLabel="See this month's won deals"
      >
        <Trend
          label={`Revenue won and target per month: ${view.revenue.series
            .map((p) => `${monthLabel(p.period)} ${money(p.won)} of ${money(p.target)}`)
            .join(', ')}`}
          data={revenueData}
          series={[
            { name: 'won', label: 'Won', color: 'teal.7' },
            { name: 'target', label: 'Target', color: 'gray.6' },
          ]}
        />
      </Card>
      <Card
        id="coverage"
        title="Pipeline coverage"
        value={coverageText(view.coverage.value)}
        caption="Open pipeline closing in the month ÷ what remains of its revenue target (no history of the pipeline is kept, so this month and next only)."
        link={view.coverage.link}
        linkLabel="Open the pipeline"
      >
        <Box
          role="img"
          aria-label={`Coverage: ${view.coverage.series
            .map((p) => `${monthLabel(p.period)} ${coverageText(p)}`)
            .join(', ')}`}
        >
          <BarChart
            h={120}
            data={view.coverage.series.map((p) => ({
              month: monthLabel(p.period),
              open: p.openPipeline === null ? 0 : toMajor(p.openPipeline, currency),
              remaining: p.remaining === null ? 0 : toMajor(p.remaining, currency),
            }))}
            dataKey="month"
            withLegend
            accessibilityLayer={false}
            series={[
              { name: 'open', label: 'Open pipeline', color: 'indigo.7' },
              { name: 'remaining', label: 'Target remaining', color: 'gray.6' },
            ]}
          />
        </Box>
      </Card>
      <Card
        id="alignment"
        title="Alignment index"
        value={view.alignment.value === null ? '—' : `${Math.round(view.alignment.value)} / 100`}
        caption={`${monthLabel(view.alignment.period)}, the last complete month.`}
        link={view.alignment.link}
        linkLabel="Open the Bridge"
      >
        <Trend
          label={`Alignment index per month: ${describe(view.alignment.series, (v) => String(Math.round(v)))}`}
          data={rateData(view.alignment.series, 1)}
          series={[{ name: 'value', label: 'Index', color: 'indigo.7' }]}
          percentAxis
        />
      </Card>
      <Card
        id="regret"
        title="Regret rate"
        value={percent(view.regret.value)}
        caption={`${view.regret.regretted} of ${view.regret.won} mature won deals (closed ${view.regret.from} – ${view.regret.to}) churned, were refunded or downgraded, or were a poor fit.`}
        link={view.regret.link}
        linkLabel="Open the regret report"
      >
        <Trend
          label={`Regret rate per closing month: ${describe(view.regret.series, percent)}`}
          data={rateData(view.regret.series)}
          series={[{ name: 'value', label: 'Regret %', color: 'orange.8' }]}
          percentAxis
        />
      </Card>
      <Card
        id="win-rate"
        title="Win rate"
        value={percent(view.winRate.value)}
        caption={`${view.winRate.won} won ÷ (${view.winRate.won} won + ${view.winRate.lost} lost) over 12 months; ${view.winRate.walkedAway} walked away from a poor fit (not a loss).`}
        link={view.winRate.link}
        linkLabel="See the closed deals"
      >
        <Trend
          label={`Win rate per month: ${describe(view.winRate.series, percent)}`}
          data={rateData(view.winRate.series)}
          series={[{ name: 'value', label: 'Win %', color: 'teal.7' }]}
          percentAxis
        />
      </Card>
      <Card
        id="insights"
        title="Top insights"
        value={`${insights.lossReasons.reduce((n, l) => n + l.count, 0)} losses`}
        caption={insights.note}
        link={insights.link}
        linkLabel="Open voice of sales"
      >
        <Text size="sm" fw={600}>
          Loss reasons
        </Text>
        {insights.lossReasons.length === 0 ? (
          <Text size="sm" c="dimmed">
            No lost deals in the last 90 days.
          </Text>
        ) : (
          <List size="sm" spacing={2}>
            {insights.lossReasons.map((l) => (
              <List.Item key={l.reason ?? 'none'}>
                {l.link ? (
                  <Anchor component={Link} to={l.link} size="sm">
                    {l.reason}
                  </Anchor>
                ) : (
                  (l.reason ?? 'No reason')
                )}{' '}
                {l.count} ({percent(l.share)}){l.goodOutcome ? ', a good outcome' : ''}
              </List.Item>
            ))}
          </List>
        )}
        <Text size="sm" fw={600}>
          Objections
        </Text>
        {insights.objections.length === 0 ? (
          <Text size="sm" c="dimmed">
            No objections tagged in the last 90 days.
          </Text>
        ) : (
          <List size="sm" spacing={2}>
            {insights.objections.map((o) => (
              <List.Item key={o.tagId}>
                <Anchor component={Link} to={o.link} size="sm">
                  {o.name}
                </Anchor>{' '}
                on {o.count} records
              </List.Item>
            ))}
          </List>
        )}
      </Card>
    </SimpleGrid>
  )
}
