import '@mantine/charts/styles.css'
import { BarChart } from '@mantine/charts'
import { Alert, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import dayjs from 'dayjs'
import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { ReportHeader } from '../../components/report-header.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { ScrollRegion } from '../inbox/scroll-region.tsx'
import { crmKeys, getAll } from '../records/crm-queries.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { toMajor } from '../records/money.ts'
import { useMe } from '../shell/me-context.tsx'
import { DealsDrawer, type DealsView } from './deals-drawer.tsx'
import {
  type ForecastCall,
  formatAmount,
  type PeriodKind,
  type RepRow,
  useForecastCall,
  useSubmissionHistory,
} from './forecast-api.ts'
import { AdjustDialog, SubmitForm } from './forecast-forms.tsx'
import { ForecastTable } from './forecast-table.tsx'

/** Month keys from a year back to three months ahead, newest first. */
function monthKeys() {
  const now = dayjs().startOf('month')
  return Array.from({ length: 16 }, (_, i) => now.add(3 - i, 'month').format('YYYY-MM'))
}

/** Fiscal quarter keys (FY named by the year it ends) from a year back to two quarters ahead. */
function quarterKeys(startMonth: number) {
  const now = dayjs().startOf('month')
  const keys: string[] = []
  for (let i = 6; i >= -12; i -= 3) {
    const at = now.add(i, 'month')
    const month = at.month() + 1
    const fiscalYear = startMonth === 1 || month < startMonth ? at.year() : at.year() + 1
    const quarter = Math.floor(((month - startMonth + 12) % 12) / 3) + 1
    const key = `FY${fiscalYear}-Q${quarter}`
    if (!keys.includes(key)) keys.push(key)
  }
  return keys
}

/** /microscope/forecast: the forecast call: submissions vs weighted vs coverage vs target. */
export function ForecastPage() {
  useDocumentTitle('Forecast call')
  const me = useMe()
  const [params, setParams] = useSearchParams()
  const periodKind: PeriodKind = params.get('periodKind') === 'quarter' ? 'quarter' : 'month'
  const periodKey = params.get('periodKey')
  const teamId = params.get('teamId')
  const call = useForecastCall({ periodKind, periodKey, teamId })
  const teams = useQuery({
    queryKey: [...crmKeys.teams, 'all'],
    queryFn: () => getAll<{ id: string; name: string }>('/api/v1/teams'),
  })
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params)
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value)
      else next.delete(key)
    }
    setParams(next, { replace: true })
  }
  const shownKey = periodKey ?? call.data?.period.key ?? null
  const keys = periodKind === 'month' ? monthKeys() : quarterKeys(me.workspace.fiscalYearStartMonth)
  if (shownKey && !keys.includes(shownKey)) keys.unshift(shownKey)

  return (
    <Stack gap="lg">
      <ReportHeader
        title="Forecast call"
        description="Each rep's submitted forecast beside the deals behind it, weighted by learned stage probabilities, against target."
      >
        <Group gap="sm" align="flex-end">
          <Select
            label="Period"
            data={[
              { value: 'month', label: 'Month' },
              { value: 'quarter', label: 'Fiscal quarter' },
            ]}
            value={periodKind}
            allowDeselect={false}
            onChange={(value) => set({ periodKind: value, periodKey: null })}
            w={150}
          />
          <Select
            label={periodKind === 'month' ? 'Month' : 'Quarter'}
            data={keys}
            value={shownKey}
            allowDeselect={false}
            onChange={(value) => set({ periodKey: value })}
            w={140}
          />
          <Select
            label="Team"
            placeholder="All teams"
            data={(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
            value={teamId}
            clearable
            onChange={(value) => set({ teamId: value })}
            w={180}
          />
        </Group>
      </ReportHeader>
      {call.isPending ? (
        <LoadingRows label="Loading the forecast call" rows={6} height={40} />
      ) : call.error ? (
        <ErrorAlert
          title="Could not load the forecast call"
          error={call.error}
          onRetry={() => void call.refetch()}
        />
      ) : (
        <Loaded call={call.data} userId={me.user?.id ?? null} />
      )}
    </Stack>
  )
}

function Loaded({ call, userId }: { call: ForecastCall; userId: string | null }) {
  const [deals, setDeals] = useState<DealsView | null>(null)
  const [adjusting, setAdjusting] = useState<RepRow | null>(null)
  const mine = call.reps.find((r) => r.rep.id === userId)
  return (
    <>
      <Text size="sm" c="dimmed">
        {call.period.key}: {call.period.startsOn} to{' '}
        {dayjs(call.period.endsOn).subtract(1, 'day').format('YYYY-MM-DD')} ({call.period.timeZone}
        ), {call.period.closed ? 'closed' : 'open'}. Amounts in {call.baseCurrency}. Accuracy is 1 −
        WAPE of commit over {call.accuracyPeriods[0]} – {call.accuracyPeriods.at(-1)}, each rep's
        last submission before the period began.
      </Text>
      {call.missingRates.length > 0 ? (
        <Alert color="yellow" title="Some deals are left out of the sums">
          No exchange rate to {call.baseCurrency} for {call.missingRates.join(', ')}: add one in
          Settings → Exchange rates.
        </Alert>
      ) : null}
      {call.period.closed ? (
        <Alert color="blue" title={`${call.period.key} has closed`}>
          Forecasts are submitted and adjusted only for open periods; this is the record.
        </Alert>
      ) : null}
      {call.canSubmit ? <SubmitForm key={call.period.key} call={call} mine={mine} /> : null}
      {call.reps.length === 0 ? (
        <EmptyState title="No reps in this view">
          Reps appear once they sell (sales roles), own deals closing in the period, or submit a
          forecast. Pick another team or period.
        </EmptyState>
      ) : (
        <>
          <Chart call={call} />
          <ForecastTable call={call} onDeals={setDeals} onAdjust={setAdjusting} />
        </>
      )}
      <History call={call} />
      <DealsDrawer view={deals} currency={call.baseCurrency} onClose={() => setDeals(null)} />
      <AdjustDialog call={call} row={adjusting} onClose={() => setAdjusting(null)} />
    </>
  )
}

function Chart({ call }: { call: ForecastCall }) {
  const major = (minor: number | null | undefined) =>
    Math.round(toMajor(minor ?? 0, call.baseCurrency))
  const rows = [
    ...call.reps.map((r) => ({
      who: r.rep.name,
      commit: major(r.effective?.commit),
      weighted: major(r.weighted),
      target: major(r.target),
    })),
    {
      who: 'Company',
      commit: major(call.company.effective?.commit),
      weighted: major(call.company.weighted),
      target: major(call.company.target),
    },
  ]
  const money = (minor: number | null | undefined) => formatAmount(minor ?? 0, call.baseCurrency)
  const summary = [
    ...call.reps.map(
      (r) =>
        `${r.rep.name}: commit ${money(r.effective?.commit)}, weighted ${money(r.weighted)}, target ${r.target === null ? 'none' : money(r.target)}`,
    ),
  ].join('; ')
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="forecast-chart">
      <Title order={2} size="h3" id="forecast-chart" mb="sm">
        Submitted vs weighted vs target
      </Title>
      <div role="img" aria-label={`Submitted commit, weighted pipeline and target: ${summary}`}>
        <BarChart
          h={Math.max(180, rows.length * 44)}
          data={rows}
          dataKey="who"
          orientation="vertical"
          yAxisProps={{ width: 140 }}
          accessibilityLayer={false}
          valueFormatter={(value) =>
            new Intl.NumberFormat(undefined, {
              style: 'currency',
              currency: call.baseCurrency,
              notation: 'compact',
              maximumFractionDigits: 1,
            }).format(value)
          }
          withLegend
          series={[
            { name: 'commit', label: 'Commit (counted)', color: 'blue.6' },
            { name: 'weighted', label: 'Weighted pipeline', color: 'teal.6' },
            { name: 'target', label: 'Target', color: 'gray.6' },
          ]}
        />
      </div>
    </Paper>
  )
}

function History({ call }: { call: ForecastCall }) {
  const history = useSubmissionHistory(call.period.kind, call.period.key)
  const currency = call.baseCurrency
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="forecast-history">
      <Stack gap="sm">
        <Title order={2} size="h3" id="forecast-history">
          Submission history
        </Title>
        {history.isPending ? (
          <LoadingRows label="Loading the submissions" rows={3} height={28} />
        ) : history.error ? (
          <ErrorAlert title="Could not load the submissions" error={history.error} />
        ) : history.data.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            No one has submitted a forecast for {call.period.key} yet.
          </Text>
        ) : (
          <ScrollRegion label="Submission history, scrollable">
            <Table aria-label={`Submissions for ${call.period.key}`} fz="sm" striped miw={800}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Rep</Table.Th>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th ta="right">Commit</Table.Th>
                  <Table.Th ta="right">Best case</Table.Th>
                  <Table.Th ta="right">Pipeline</Table.Th>
                  <Table.Th>Note</Table.Th>
                  <Table.Th>By</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {history.data.data.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>{new Date(s.submittedAt).toLocaleString()}</Table.Td>
                    <Table.Td>{s.rep.name}</Table.Td>
                    <Table.Td>{s.kind === 'adjustment' ? 'Adjustment' : 'Submission'}</Table.Td>
                    <Table.Td ta="right">{formatAmount(s.commit, currency)}</Table.Td>
                    <Table.Td ta="right">{formatAmount(s.bestCase, currency)}</Table.Td>
                    <Table.Td ta="right">{formatAmount(s.pipeline, currency)}</Table.Td>
                    <Table.Td>{s.note ?? ''}</Table.Td>
                    <Table.Td>{s.submittedBy?.name ?? '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollRegion>
        )}
      </Stack>
    </Paper>
  )
}
