import {
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Paper,
  SegmentedControl,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  UnstyledButton,
} from '@mantine/core'
import { IconRefresh } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import { Link, useSearchParams } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { ReportHeader } from '../../components/report-header.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { monthLabel } from '../mql/mql-api.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { computedWhen } from '../telescope/attribution-format.ts'
import {
  backtestWords,
  explainModel,
  formatValue,
  type Outlook,
  type OutlookHorizon,
  type OutlookSeries,
  outlookHorizons,
  useOutlook,
  useRecomputeOutlook,
} from './outlook-api.ts'
import { OutlookChart } from './outlook-chart.tsx'

/** Complete months a series needs before it is forecast (the ETS fit's minimum). */
const minimumMonths = 3

/** The horizon in the URL (?horizon=12), 24 months unless it names another allowed one. */
function useHorizon(): [OutlookHorizon, (horizon: OutlookHorizon) => void] {
  const [params, setParams] = useSearchParams()
  const asked = Number(params.get('horizon'))
  const horizon = outlookHorizons.find((h) => h === asked) ?? 24
  const setHorizon = (next: OutlookHorizon) => {
    const changed = new URLSearchParams(params)
    if (next === 24) changed.delete('horizon')
    else changed.set('horizon', String(next))
    setParams(changed, { replace: true })
  }
  return [horizon, setHorizon]
}

/**
 * /telescope/outlook: leads, MQLs, pipeline created and revenue for the next 12 or 24 months by
 * exponential smoothing, with prediction intervals, backtest error and the company's targets
 * (DEFINITIONS.md "Long-range forecast").
 */
export function OutlookPage() {
  useDocumentTitle('Outlook')
  const [horizon, setHorizon] = useHorizon()
  const outlook = useOutlook(horizon)
  const recompute = useRecomputeOutlook(horizon)
  return (
    <Stack gap="lg">
      <ReportHeader
        title="Outlook"
        description="Leads, MQLs, pipeline created and revenue month by month for the next two years, with how sure the forecast is and how it did on months held out."
      >
        <Group gap="sm" align="flex-end">
          <SegmentedControl
            aria-label="Horizon"
            value={String(horizon)}
            onChange={(value) => setHorizon(Number(value) as OutlookHorizon)}
            data={outlookHorizons.map((h) => ({ value: String(h), label: `${h} months` }))}
          />
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} aria-hidden="true" />}
            loading={recompute.isPending}
            disabled={outlook.isPending}
            onClick={() => recompute.mutate()}
          >
            Recompute
          </Button>
        </Group>
      </ReportHeader>
      {recompute.error ? (
        <ErrorAlert title="Could not recompute the outlook" error={recompute.error} />
      ) : null}
      {outlook.isPending ? (
        <Loading />
      ) : outlook.error ? (
        <ErrorAlert
          title="Could not load the outlook"
          error={outlook.error}
          onRetry={() => void outlook.refetch()}
        />
      ) : (
        <Loaded outlook={outlook.data} stale={outlook.isPlaceholderData} />
      )}
    </Stack>
  )
}

function Loading() {
  return (
    <Stack role="status" aria-busy="true" gap="lg">
      <Text size="sm" c="dimmed">
        Loading the outlook…
      </Text>
      {['a', 'b'].map((key) => (
        <Paper key={key} withBorder p="md">
          <Skeleton h={24} w={180} mb="sm" />
          <Skeleton h={260} />
        </Paper>
      ))}
    </Stack>
  )
}

function Loaded({ outlook, stale }: { outlook: Outlook; stale: boolean }) {
  const hasHistory = outlook.series.some((s) => s.model !== null)
  return (
    <>
      <Text size="sm" data-testid="outlook-computed">
        <span title={formatDateTime(outlook.computedAt)}>
          Computed {computedWhen(outlook.computedAt)}
        </span>{' '}
        from complete months up to {monthLabel(outlook.lastCompleteMonth)}; the forecast runs{' '}
        {outlook.horizon} months from {monthLabel(nextMonth(outlook.lastCompleteMonth))}. Amounts in{' '}
        {outlook.currency}. Targets are the company's, from{' '}
        <Anchor component={Link} to="/microscope/targets" size="sm">
          Targets
        </Anchor>
        .{stale ? ' Loading the other horizon…' : ''}
      </Text>
      {hasHistory ? (
        outlook.series.map((s) => (
          <SeriesCard key={s.metric} series={s} currency={outlook.currency} />
        ))
      ) : (
        <EmptyState title="Not enough history yet">
          Tandem needs at least {minimumMonths} complete months of leads, MQLs, pipeline or revenue
          to forecast them, and two full years to see the seasons. The outlook fills in as the
          months close.
        </EmptyState>
      )}
    </>
  )
}

function nextMonth(month: string): string {
  const [year = 2000, number = 1] = month.split('-').map(Number)
  const next = new Date(Date.UTC(year, number, 1))
  return `${next.getUTCFullYear()}-${String(next.getUTCMonth() + 1).padStart(2, '0')}`
}

/** One series: its chart, model, backtest error, notes and the forecast's numbers. */
function SeriesCard({ series, currency }: { series: OutlookSeries; currency: string }) {
  const id = `outlook-${series.metric}`
  // Money to the nearest thousand or so ($33.3M): a forecast's cents would be false precision.
  const format = (value: number) =>
    formatValue(value, series.unit, currency, series.unit === 'money')
  const enough = series.model !== null && series.forecast.length > 0
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="xs">
          <Title order={2} size="h3" id={id}>
            {series.label}
          </Title>
          {series.model !== null && enough ? <ModelBadge model={series.model} /> : null}
        </Group>
        {enough ? (
          <>
            <Text size="sm" data-testid={`${id}-backtest`}>
              {backtestWords(series.backtest, format)}
            </Text>
            {series.notes.length > 0 ? (
              <List size="sm" c="dimmed" spacing={2}>
                {series.notes.map((note) => (
                  <List.Item key={note}>{note}</List.Item>
                ))}
              </List>
            ) : null}
            <OutlookChart series={series} currency={currency} />
            <ForecastTable series={series} format={format} />
          </>
        ) : (
          <Text size="sm" c="dimmed">
            Not enough history yet: Tandem needs at least {minimumMonths} complete months of{' '}
            {series.label.toLowerCase()} to forecast them (it has {series.history.length}).
          </Text>
        )}
      </Stack>
    </Paper>
  )
}

/** The model's name; hovering or focusing it explains it in plain words. */
function ModelBadge({ model }: { model: string }) {
  const explained = explainModel(model) ?? 'The forecasting model chosen for this series.'
  return (
    <Tooltip
      label={explained}
      multiline
      w={320}
      withArrow
      events={{ hover: true, focus: true, touch: true }}
    >
      <UnstyledButton aria-label={`${model}: ${explained}`}>
        <Badge component="span" variant="light" color="violet" size="lg" tt="none">
          {model}
        </Badge>
      </UnstyledButton>
    </Tooltip>
  )
}

/** The forecast's numbers month by month, for keyboard and screen-reader users and for reading. */
function ForecastTable({
  series,
  format,
}: {
  series: OutlookSeries
  format: (value: number) => string
}) {
  const targets = new Map(series.targets.map((t) => [t.month, t.amount]))
  const hasTargets = series.targets.length > 0
  const name = `${series.label}: forecast by month`
  return (
    <TableScroll label={`${name}, scrollable`}>
      <Table aria-label={name} striped stickyHeader fz="sm" miw={560}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Month</Table.Th>
            <Table.Th ta="right">Forecast</Table.Th>
            <Table.Th ta="right">80% interval</Table.Th>
            <Table.Th ta="right">95% interval</Table.Th>
            {hasTargets ? <Table.Th ta="right">Target</Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {series.forecast.map((f) => {
            const target = targets.get(f.month)
            return (
              <Table.Tr key={f.month}>
                <Table.Td>{monthLabel(f.month)}</Table.Td>
                <Table.Td ta="right" fw={600}>
                  {format(f.value)}
                </Table.Td>
                <Table.Td ta="right">
                  {format(f.lower80)} – {format(f.upper80)}
                </Table.Td>
                <Table.Td ta="right">
                  {format(f.lower95)} – {format(f.upper95)}
                </Table.Td>
                {hasTargets ? (
                  <Table.Td ta="right">{target === undefined ? '—' : format(target)}</Table.Td>
                ) : null}
              </Table.Tr>
            )
          })}
        </Table.Tbody>
      </Table>
    </TableScroll>
  )
}

/** A focusable, named region that scrolls the table when it is taller than the card should be. */
function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  const style = { overflow: 'auto', maxHeight: 300 }
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to scroll by keyboard.
    <section aria-label={label} tabIndex={0} style={style}>
      {children}
    </section>
  )
}
