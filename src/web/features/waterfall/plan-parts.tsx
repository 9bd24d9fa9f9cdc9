import {
  Badge,
  Box,
  Button,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core'
import { formatDateTime } from '../../components/format.ts'
import { formatMoney } from '../records/money.ts'
import type { Measure, Plan, Side } from './waterfall-api.ts'

export interface Waterfall {
  wonDeals: number
  sqls: number
  mqls: number
}

/**
 * src/domain/forecast.ts reverseWaterfall, for the preview while the figures are edited (the
 * server computes the saved plan): each step rounded up, after rounding to 1e-9.
 */
export function previewWaterfall(a: {
  revenueTarget: number
  averageDealSize: number
  sqlToWonRate: number
  mqlToSqlRate: number
}): Waterfall | null {
  if (!(a.revenueTarget > 0 && a.averageDealSize > 0)) return null
  if (!(a.sqlToWonRate > 0 && a.sqlToWonRate <= 1 && a.mqlToSqlRate > 0 && a.mqlToSqlRate <= 1))
    return null
  const up = (value: number) => Math.ceil(Math.round(value * 1e9) / 1e9)
  const wonDeals = up(a.revenueTarget / a.averageDealSize)
  const sqls = up(wonDeals / a.sqlToWonRate)
  return { wonDeals, sqls, mqls: up(sqls / a.mqlToSqlRate) }
}

const count = (n: number) => n.toLocaleString()
export const percent = (x: number | null) =>
  x === null ? '—' : `${(Math.round(x * 1000) / 10).toLocaleString()}%`

/** Revenue → won deals → SQLs → MQLs, as bars widening towards the top of the funnel. */
export function WaterfallBars({
  revenue,
  currency,
  waterfall,
}: {
  revenue: number
  currency: string
  waterfall: Waterfall
}) {
  const steps = [
    { label: 'Revenue', value: formatMoney(revenue, currency), width: null, color: 'teal.9' },
    {
      label: 'Won deals',
      value: count(waterfall.wonDeals),
      width: waterfall.wonDeals,
      color: 'blue.8',
    },
    { label: 'SQLs', value: count(waterfall.sqls), width: waterfall.sqls, color: 'indigo.8' },
    { label: 'MQLs', value: count(waterfall.mqls), width: waterfall.mqls, color: 'grape.8' },
  ]
  const widest = Math.max(1, waterfall.mqls)
  return (
    <Stack gap={6} data-testid="waterfall">
      {steps.map((step) => (
        <Group key={step.label} gap="sm" wrap="nowrap">
          <Text size="sm" w={90} ta="right" fw={500}>
            {step.label}
          </Text>
          <Box style={{ flex: 1 }}>
            <Box
              bg={step.color}
              c="white"
              px="xs"
              py={4}
              style={{
                borderRadius: 4,
                minWidth: 'fit-content',
                width:
                  step.width === null ? '100%' : `${Math.max(4, (step.width / widest) * 100)}%`,
              }}
            >
              <Text
                size="sm"
                fw={700}
                data-testid={`waterfall-${step.label.toLowerCase().replace(' ', '-')}`}
              >
                {step.value}
              </Text>
            </Box>
          </Box>
        </Group>
      ))}
    </Stack>
  )
}

const sideLabels: Record<Side, string> = { sales: 'Sales', marketing: 'Marketing' }

/** Each side's agreement with its Agree / Withdraw button (enabled for that side's lead). */
export function Agreements({
  plan,
  canAgree,
  busy,
  onChange,
}: {
  plan: Plan
  canAgree: Record<Side, boolean>
  busy: boolean
  onChange: (side: Side, agree: boolean) => void
}) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      {(['sales', 'marketing'] as const).map((side) => {
        const agreement = plan.agreements[side]
        const who = side === 'sales' ? 'a sales manager or an admin' : 'marketing or an admin'
        return (
          <Paper
            key={side}
            withBorder
            p="md"
            component="section"
            aria-label={`${sideLabels[side]} agreement`}
          >
            <Stack gap="xs">
              <Group justify="space-between">
                <Title order={3} size="h5">
                  {sideLabels[side]}
                </Title>
                <Badge
                  color={agreement ? 'teal.9' : 'gray.7'}
                  variant="filled"
                  data-testid={`agreement-${side}`}
                >
                  {agreement ? 'Agreed' : 'Not agreed yet'}
                </Badge>
              </Group>
              <Text size="sm">
                {agreement
                  ? `${agreement.name ?? 'Someone'} agreed on ${formatDateTime(agreement.at)}.`
                  : `Waiting for ${who} to agree.`}
              </Text>
              {plan.isOver ? null : agreement ? (
                <Button
                  variant="default"
                  size="xs"
                  disabled={!canAgree[side] || busy}
                  onClick={() => onChange(side, false)}
                >
                  Withdraw {sideLabels[side].toLowerCase()}'s agreement
                </Button>
              ) : (
                <Button
                  size="xs"
                  disabled={!canAgree[side] || busy}
                  onClick={() => onChange(side, true)}
                >
                  Agree for {sideLabels[side].toLowerCase()}
                </Button>
              )}
            </Stack>
          </Paper>
        )
      })}
    </SimpleGrid>
  )
}

/** Live progress against each needed figure, with the share of the period gone by. */
export function PlanProgress({ plan }: { plan: Plan }) {
  const { progress } = plan
  const rows: { label: string; measure: Measure; money: boolean }[] = [
    { label: 'Revenue won', measure: progress.revenue, money: true },
    { label: 'Deals won', measure: progress.wonDeals, money: false },
    { label: 'SQLs', measure: progress.sqls, money: false },
    { label: 'MQLs (handoffs)', measure: progress.mqls, money: false },
  ]
  const show = (n: number, money: boolean) => (money ? formatMoney(n, plan.baseCurrency) : count(n))
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {percent(progress.elapsed)} of the period has gone by.
        {progress.missingRates.length > 0
          ? ` Revenue in ${progress.missingRates.join(', ')} has no exchange rate, so it is not counted.`
          : ''}
      </Text>
      {rows.map(({ label, measure, money }) => (
        <Stack key={label} gap={4}>
          <Group justify="space-between">
            <Text size="sm" fw={500}>
              {label}
            </Text>
            <Text size="sm" data-testid={`progress-${label.split(' ')[0]?.toLowerCase()}`}>
              {measure.actual === null ? '—' : show(measure.actual, money)} of{' '}
              {show(measure.needed, money)} ({percent(measure.share)})
            </Text>
          </Group>
          <Progress
            value={Math.min(100, (measure.share ?? 0) * 100)}
            color={(measure.share ?? 0) >= progress.elapsed ? 'teal' : 'orange'}
            aria-label={`${label}: ${percent(measure.share)} of the plan`}
          />
        </Stack>
      ))}
    </Stack>
  )
}
