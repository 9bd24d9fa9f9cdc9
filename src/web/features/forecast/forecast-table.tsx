import {
  Badge,
  Button,
  Stack,
  Table,
  Text,
  Tooltip,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core'
import type { ReactNode } from 'react'
import { ScrollRegion } from '../inbox/scroll-region.tsx'
import type { DealsView } from './deals-drawer.tsx'
import {
  type Bucket,
  bucketLabels,
  type CallFigures,
  type DealLine,
  type ForecastCall,
  formatAccuracy,
  formatAmount,
  formatCoverage,
  type RepRow,
  type Rollup,
} from './forecast-api.ts'

/** A number that opens the deals behind it. */
function DealsNumber({
  amount,
  currency,
  label,
  onOpen,
}: {
  amount: number
  currency: string
  label: string
  onOpen: () => void
}) {
  return (
    <UnstyledButton
      onClick={onOpen}
      aria-label={`${label}: ${formatAmount(amount, currency)}, show the deals`}
      style={{ textDecoration: 'underline dotted', textUnderlineOffset: 3 }}
    >
      {formatAmount(amount, currency)}
    </UnstyledButton>
  )
}

interface RowSpec {
  key: string
  name: ReactNode
  label: string
  submitted: { commit: number; bestCase: number } | null
  adjustment: ReactNode
  figures: CallFigures
  deals: DealLine[]
  action: ReactNode
  isRollup: boolean
}

const open: Bucket[] = ['commit', 'best_case', 'pipeline']

function Row({
  spec,
  currency,
  onDeals,
}: {
  spec: RowSpec
  currency: string
  onDeals: (view: DealsView) => void
}) {
  const f = spec.figures
  const show = (title: string, deals: DealLine[], weighted = false) =>
    onDeals({ title: `${spec.label}: ${title}`, deals, weighted })
  const accuracy = f.accuracy.commit
  return (
    <Table.Tr fw={spec.isRollup ? 600 : undefined}>
      <Table.Th scope="row" fw={spec.isRollup ? 700 : 500}>
        {spec.name}
      </Table.Th>
      <Table.Td ta="right">
        {spec.submitted
          ? `${formatAmount(spec.submitted.commit, currency)} / ${formatAmount(spec.submitted.bestCase, currency)}`
          : '—'}
      </Table.Td>
      <Table.Td>{spec.adjustment}</Table.Td>
      {open.map((bucket) => (
        <Table.Td key={bucket} ta="right">
          <DealsNumber
            amount={f.categories[bucket].amount}
            currency={currency}
            label={`${spec.label} ${bucketLabels[bucket].toLowerCase()} deals`}
            onOpen={() =>
              show(
                `${bucketLabels[bucket]} deals`,
                spec.deals.filter((d) => d.bucket === bucket),
              )
            }
          />
        </Table.Td>
      ))}
      <Table.Td ta="right">
        <DealsNumber
          amount={f.weighted}
          currency={currency}
          label={`${spec.label} weighted pipeline`}
          onOpen={() =>
            show(
              'weighted pipeline',
              spec.deals.filter((d) => d.bucket !== 'closed_won'),
              true,
            )
          }
        />
      </Table.Td>
      <Table.Td ta="right">
        <DealsNumber
          amount={f.won}
          currency={currency}
          label={`${spec.label} won`}
          onOpen={() =>
            show(
              'won',
              spec.deals.filter((d) => d.bucket === 'closed_won'),
            )
          }
        />
      </Table.Td>
      <Table.Td ta="right">{f.target === null ? '—' : formatAmount(f.target, currency)}</Table.Td>
      <Table.Td ta="right">{formatCoverage(f.coverage)}</Table.Td>
      <Table.Td ta="right">
        <Tooltip
          label={
            accuracy.periods === 0
              ? 'No submission made before a closed period began'
              : `${accuracy.periods} closed ${accuracy.periods === 1 ? 'period' : 'periods'}: committed ${formatAmount(accuracy.forecast, currency)}, won ${formatAmount(accuracy.actual, currency)}`
          }
        >
          <span>{formatAccuracy(accuracy.accuracy)}</span>
        </Tooltip>
      </Table.Td>
      <Table.Td>{spec.action}</Table.Td>
    </Table.Tr>
  )
}

function Adjustment({ row, currency }: { row: RepRow; currency: string }) {
  const adjustment = row.adjustment
  if (!adjustment) return <Text size="sm">—</Text>
  const stale = row.effective?.source !== 'adjustment'
  return (
    <Stack gap={0}>
      <Text size="sm" fw={600} c={stale ? 'dimmed' : undefined}>
        {formatAmount(adjustment.commit, currency)} / {formatAmount(adjustment.bestCase, currency)}
        {stale ? ' (resubmitted since)' : ''}
      </Text>
      <Text size="xs" c="dimmed" maw={240}>
        “{adjustment.note}” — {adjustment.submittedBy?.name ?? 'someone'}
      </Text>
    </Stack>
  )
}

export function ForecastTable({
  call,
  onDeals,
  onAdjust,
}: {
  call: ForecastCall
  onDeals: (view: DealsView) => void
  onAdjust: (row: RepRow) => void
}) {
  const currency = call.baseCurrency
  const ownedBy = (ids: string[]) => {
    const set = new Set(ids)
    return call.deals.filter((d) => d.ownerId !== null && set.has(d.ownerId))
  }
  const repSpecs: RowSpec[] = call.reps.map((row) => ({
    key: row.rep.id,
    name: row.rep.name,
    label: row.rep.name,
    submitted: row.submission,
    adjustment: <Adjustment row={row} currency={currency} />,
    figures: row,
    deals: ownedBy([row.rep.id]),
    isRollup: false,
    action: row.canAdjust ? (
      <Button size="compact-xs" variant="light" onClick={() => onAdjust(row)}>
        Adjust
      </Button>
    ) : row.canSubmit && !row.submission ? (
      <Badge variant="light" color="yellow">
        Not submitted
      </Badge>
    ) : null,
  }))
  const rollupSpec = (key: string, label: string, rollup: Rollup, deals: DealLine[]): RowSpec => ({
    key,
    name: label,
    label,
    submitted: rollup.submitted,
    adjustment: rollup.effective ? (
      <Text size="sm">
        Counts {formatAmount(rollup.effective.commit, currency)} /{' '}
        {formatAmount(rollup.effective.bestCase, currency)}
      </Text>
    ) : (
      '—'
    ),
    figures: rollup,
    deals,
    isRollup: true,
    action: null,
  })
  const rollups = [
    ...call.teams.map((t) => rollupSpec(t.team.id, `Team ${t.team.name}`, t, ownedBy(t.repIds))),
    rollupSpec('company', 'Company', call.company, call.deals),
  ]
  return (
    <ScrollRegion label="Forecast per rep, scrollable">
      <Table aria-label={`Forecast call for ${call.period.key}`} striped fz="sm" miw={1100}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Rep</Table.Th>
            <Table.Th ta="right">Submitted commit / best case</Table.Th>
            <Table.Th>Manager adjustment</Table.Th>
            <Table.Th ta="right">Commit deals</Table.Th>
            <Table.Th ta="right">Best case deals</Table.Th>
            <Table.Th ta="right">Pipeline deals</Table.Th>
            <Table.Th ta="right">Weighted</Table.Th>
            <Table.Th ta="right">Won</Table.Th>
            <Table.Th ta="right">Target</Table.Th>
            <Table.Th ta="right">Coverage</Table.Th>
            <Table.Th ta="right">Accuracy</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {repSpecs.map((spec) => (
            <Row key={spec.key} spec={spec} currency={currency} onDeals={onDeals} />
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          {rollups.map((spec) => (
            <Row key={spec.key} spec={spec} currency={currency} onDeals={onDeals} />
          ))}
        </Table.Tfoot>
      </Table>
    </ScrollRegion>
  )
}
