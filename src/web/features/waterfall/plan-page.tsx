import {
  Alert,
  Anchor,
  Button,
  Grid,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core'
import { type FormEvent, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifyError, notifySuccess } from '../../components/notify.ts'
import { ReportHeader } from '../../components/report-header.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { formatMoney, toMajor, toMinor } from '../records/money.ts'
import { useMe } from '../shell/me-context.tsx'
import {
  Agreements,
  PlanProgress,
  percent,
  previewWaterfall,
  WaterfallBars,
} from './plan-parts.tsx'
import {
  type Assumptions,
  type Plan,
  type PlanPeriodKind,
  type Side,
  useAgreement,
  useAssumptions,
  usePlan,
  useSavePlan,
} from './waterfall-api.ts'

/** The workspace's current local year and month. */
function currentMonth(timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(new Date())
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  return { year: part('year'), month: part('month') }
}

const shift = (year: number, month: number, by: number) => {
  const index = year * 12 + (month - 1) + by
  return { year: Math.floor(index / 12), month: (index % 12) + 1 }
}

/** Fiscal quarter keys as src/domain/calendar.ts names them: FY by its ending year. */
function quarterKey(year: number, month: number, startMonth: number) {
  const offset = (month - startMonth + 12) % 12
  const fiscalYear = startMonth === 1 || month < startMonth ? year : year + 1
  return `FY${fiscalYear}-Q${Math.floor(offset / 3) + 1}`
}

/** The previous period, the current one and the next few: months or fiscal quarters. */
function periodOptions(kind: PlanPeriodKind, timeZone: string, startMonth: number) {
  const now = currentMonth(timeZone)
  if (kind === 'month') {
    return Array.from({ length: 8 }, (_, i) => {
      const m = shift(now.year, now.month, i - 1)
      const value = `${m.year}-${String(m.month).padStart(2, '0')}`
      const label = new Date(Date.UTC(m.year, m.month - 1, 1)).toLocaleDateString(undefined, {
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      })
      return { value, label: i === 1 ? `${label} (this month)` : label }
    })
  }
  const back = (now.month - startMonth + 12) % 3
  const first = shift(now.year, now.month, -back)
  return Array.from({ length: 6 }, (_, i) => {
    const m = shift(first.year, first.month, (i - 1) * 3)
    const value = quarterKey(m.year, m.month, startMonth)
    return { value, label: i === 1 ? `${value} (this quarter)` : value }
  })
}

/**
 * /bridge/plan: the reverse waterfall from a revenue target to the MQLs it needs, with measured
 * (editable) assumptions, both leads' agreement, and live progress (DEFINITIONS.md "Forecasting
 * and targets").
 */
export function PlanPage() {
  useDocumentTitle('The plan')
  const me = useMe()
  const [params, setParams] = useSearchParams()
  const kind: PlanPeriodKind = params.get('periodKind') === 'quarter' ? 'quarter' : 'month'
  const options = periodOptions(kind, me.workspace.timeZone, me.workspace.fiscalYearStartMonth)
  const periodKey = params.get('periodKey') ?? options[1]?.value ?? ''
  const assumptions = useAssumptions(kind, periodKey)
  const plan = usePlan(kind, periodKey)
  const set = (values: Record<string, string>) =>
    setParams(new URLSearchParams({ periodKind: kind, periodKey, ...values }), { replace: true })

  return (
    <Stack gap="lg">
      <ReportHeader
        title="The plan"
        description="From the revenue target to the won deals, SQLs and MQLs it needs: proposed from measured rates, agreed by both teams' leads, tracked live."
      >
        <Group align="flex-end">
          <SegmentedControl
            aria-label="Period kind"
            value={kind}
            data={[
              { value: 'month', label: 'Month' },
              { value: 'quarter', label: 'Quarter' },
            ]}
            onChange={(value) =>
              setParams(new URLSearchParams({ periodKind: value }), { replace: true })
            }
          />
          <Select
            label="Period"
            data={options}
            value={periodKey}
            allowDeselect={false}
            onChange={(value) => value && set({ periodKey: value })}
            w={220}
          />
        </Group>
      </ReportHeader>
      <Anchor component={Link} to="/bridge" size="sm">
        Back to the Bridge
      </Anchor>
      {assumptions.isPending || plan.isPending ? (
        <LoadingRows label="Loading the plan" rows={4} height={64} />
      ) : assumptions.error || plan.error ? (
        <ErrorAlert
          title="Could not load the plan"
          error={assumptions.error ?? plan.error}
          onRetry={() => {
            void assumptions.refetch()
            void plan.refetch()
          }}
        />
      ) : (
        <PlanView
          key={`${kind}:${periodKey}:${plan.data?.updatedAt ?? 'new'}`}
          assumptions={assumptions.data}
          plan={plan.data}
        />
      )}
    </Stack>
  )
}

function PlanView({ assumptions, plan }: { assumptions: Assumptions; plan: Plan | null }) {
  const me = useMe()
  const currency = assumptions.baseCurrency
  const canAgree: Record<Side, boolean> = {
    sales: me.permissions.includes('plan:agree_sales'),
    marketing: me.permissions.includes('plan:agree_marketing'),
  }
  const canPlan = canAgree.sales || canAgree.marketing
  const isOver = assumptions.period.isOver
  const major = (minor: number | null | undefined) =>
    minor === null || minor === undefined ? '' : toMajor(minor, currency)
  const pct = (rate: number | null | undefined) =>
    rate === null || rate === undefined ? '' : Math.round(rate * 1e6) / 1e4
  const [revenue, setRevenue] = useState<number | string>(
    major(plan?.revenueTarget ?? assumptions.revenueTarget),
  )
  const [dealSize, setDealSize] = useState<number | string>(
    major(plan?.averageDealSize ?? assumptions.averageDealSize.value),
  )
  const [sqlToWon, setSqlToWon] = useState<number | string>(
    pct(plan?.sqlToWonRate ?? assumptions.sqlToWonRate.value),
  )
  const [mqlToSql, setMqlToSql] = useState<number | string>(
    pct(plan?.mqlToSqlRate ?? assumptions.mqlToSqlRate.value),
  )
  const save = useSavePlan()
  const agreement = useAgreement()
  const input = {
    periodKind: assumptions.period.kind,
    periodKey: assumptions.period.key,
    revenueTarget: toMinor(Number(revenue) || 0, currency),
    averageDealSize: toMinor(Number(dealSize) || 0, currency),
    sqlToWonRate: (Number(sqlToWon) || 0) / 100,
    mqlToSqlRate: (Number(mqlToSql) || 0) / 100,
  }
  const preview = previewWaterfall(input)
  const changed =
    !plan ||
    plan.revenueTarget !== input.revenueTarget ||
    plan.averageDealSize !== input.averageDealSize ||
    Math.abs(plan.sqlToWonRate - input.sqlToWonRate) > 5e-7 ||
    Math.abs(plan.mqlToSqlRate - input.mqlToSqlRate) > 5e-7

  const submit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate(input, {
      onSuccess: () =>
        notifySuccess(plan ? 'Plan changed: both sides agree again' : 'Plan proposed'),
    })
  }
  const onAgreement = (side: Side, agree: boolean) => {
    if (!plan) return
    agreement.mutate(
      { plan, side, agree },
      {
        onSuccess: (next) =>
          notifySuccess(
            next.agreed
              ? 'Both sides agree: the plan is now the company target'
              : agree
                ? 'Agreement recorded'
                : 'Agreement withdrawn',
          ),
        onError: (error) => notifyError('Could not record the agreement', error),
      },
    )
  }
  const m = assumptions

  return (
    <Stack gap="lg">
      {isOver ? (
        <Alert color="gray" variant="light" title="This period is over">
          Its plan can no longer be changed or agreed; its progress stays as it ended.
        </Alert>
      ) : null}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper
            withBorder
            p="lg"
            component="form"
            onSubmit={submit}
            aria-labelledby="assumptions-title"
          >
            <Stack gap="sm">
              <Title order={2} size="h4" id="assumptions-title">
                Target and assumptions
              </Title>
              <Text size="xs" c="dimmed">
                Measured over {m.from} – {m.to}; edit any of them before proposing.
              </Text>
              <NumberInput
                label={`Revenue target (${currency})`}
                description={
                  m.revenueTarget === null
                    ? 'No company revenue target is set for this period yet.'
                    : `The company target of the period: ${formatMoney(m.revenueTarget, currency)}.`
                }
                value={revenue}
                onChange={setRevenue}
                min={0}
                thousandSeparator=","
                disabled={!canPlan || isOver}
              />
              <NumberInput
                label={`Average won deal (${currency})`}
                description={
                  m.averageDealSize.value === null
                    ? 'No deal won in the last 12 months: type your estimate.'
                    : `Measured: ${formatMoney(m.averageDealSize.value, currency)} over ${m.averageDealSize.wonDeals} won deals.`
                }
                value={dealSize}
                onChange={setDealSize}
                min={0}
                thousandSeparator=","
                disabled={!canPlan || isOver}
              />
              <NumberInput
                label="SQL → won rate (%)"
                description={`Measured: ${percent(m.sqlToWonRate.value)} (${m.sqlToWonRate.wonDeals} deals won ÷ ${m.sqlToWonRate.sqls} SQLs).`}
                value={sqlToWon}
                onChange={setSqlToWon}
                min={0}
                max={100}
                decimalScale={4}
                disabled={!canPlan || isOver}
              />
              <NumberInput
                label="MQL → SQL rate (%)"
                description={`Measured: ${percent(m.mqlToSqlRate.value)} (${m.mqlToSqlRate.converted} of ${m.mqlToSqlRate.mqls} MQLs reached SQL within 90 days).`}
                value={mqlToSql}
                onChange={setMqlToSql}
                min={0}
                max={100}
                decimalScale={4}
                disabled={!canPlan || isOver}
              />
              {save.error ? (
                <ErrorAlert title="Could not save the plan" error={save.error} />
              ) : null}
              {canPlan && !isOver ? (
                <Group>
                  <Button type="submit" loading={save.isPending} disabled={!preview || !changed}>
                    {plan ? 'Save changes' : 'Propose this plan'}
                  </Button>
                  {plan && changed ? (
                    <Text size="xs" c="dimmed">
                      Saving new figures clears both agreements.
                    </Text>
                  ) : null}
                </Group>
              ) : !canPlan ? (
                <Text size="sm" c="dimmed">
                  Sales managers, marketing and admins propose and agree to plans.
                </Text>
              ) : null}
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="lg" h="100%" component="section" aria-labelledby="waterfall-title">
            <Stack gap="sm">
              <Title order={2} size="h4" id="waterfall-title">
                {plan && !changed ? 'The plan' : plan ? 'The plan, with your changes' : 'Proposal'}
              </Title>
              {preview ? (
                <WaterfallBars
                  revenue={input.revenueTarget}
                  currency={currency}
                  waterfall={preview}
                />
              ) : (
                <Text size="sm" c="dimmed">
                  Enter a revenue target, an average deal and both rates to see what the target
                  needs.
                </Text>
              )}
              {preview ? (
                <Text size="sm">
                  Marketing's proposed MQL target:{' '}
                  <strong>{preview.mqls.toLocaleString()} MQLs</strong> for {assumptions.period.key}
                  .
                </Text>
              ) : null}
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>
      {plan ? (
        <>
          <section aria-labelledby="agreement-title">
            <Group justify="space-between" mb="sm">
              <Title order={2} size="h4" id="agreement-title">
                Agreement
              </Title>
              <Text size="sm" data-testid="plan-status">
                {plan.agreed
                  ? 'Both sides agree: these figures are the company targets of the period.'
                  : 'Once both sides agree, these figures become the company targets of the period.'}
              </Text>
            </Group>
            <Agreements
              plan={plan}
              canAgree={canAgree}
              busy={agreement.isPending || changed}
              onChange={onAgreement}
            />
          </section>
          <Paper withBorder p="lg" component="section" aria-labelledby="progress-title">
            <Title order={2} size="h4" id="progress-title" mb="sm">
              Progress so far
            </Title>
            <PlanProgress plan={plan} />
          </Paper>
        </>
      ) : (
        <Text size="sm" c="dimmed">
          No plan is proposed for {assumptions.period.key} yet.
        </Text>
      )}
    </Stack>
  )
}
