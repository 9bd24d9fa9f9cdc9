import { Anchor, Group, NativeSelect, Paper, Stack, Text } from '@mantine/core'
import { Link } from 'react-router'
import { formatDate } from '../../components/format.ts'
import { PoorFitBadge } from '../fit/fit-badge.tsx'
import { recordPath } from '../records/crm-queries.ts'
import { formatMoney } from '../records/money.ts'
import type { Deal, Stage } from '../records/types.ts'

interface DealCardProps {
  deal: Deal
  stages: Stage[]
  canMove: boolean
  onMove: (deal: Deal, stage: Stage) => void
}

/** A deal on the board: drag it to another column, or pick the stage from its select. */
export function DealCard({ deal, stages, canMove, onMove }: DealCardProps) {
  return (
    <Paper
      withBorder
      p="xs"
      role="listitem"
      draggable={canMove}
      data-deal-id={deal.id}
      onDragStart={(event) => {
        event.dataTransfer.setData('text/plain', deal.id)
        event.dataTransfer.effectAllowed = 'move'
      }}
      style={{ cursor: canMove ? 'grab' : undefined }}
    >
      <Stack gap={4}>
        <Anchor component={Link} to={recordPath('deal', deal.id)} size="sm" fw={600} lh={1.3}>
          {deal.name}
        </Anchor>
        {deal.account ? (
          <Text size="xs" c="dimmed" lineClamp={1}>
            {deal.account.name}
          </Text>
        ) : null}
        <Group gap={6} justify="space-between" wrap="wrap">
          <Text size="sm" fw={500}>
            {formatMoney(deal.amount, deal.currency)}
          </Text>
          <PoorFitBadge deal={deal} size="xs" />
        </Group>
        <Text size="xs" c="dimmed">
          {deal.closeDate ? `Closes ${formatDate(deal.closeDate)}` : 'No close date'}
          {deal.owner ? ` · ${deal.owner.name}` : ''}
        </Text>
        {canMove ? (
          <NativeSelect
            size="xs"
            aria-label={`Move ${deal.name} to stage`}
            data={stages.map((s) => ({ value: s.id, label: s.name }))}
            value={deal.stageId}
            onChange={(event) => {
              const stage = stages.find((s) => s.id === event.currentTarget.value)
              if (stage) onMove(deal, stage)
            }}
          />
        ) : null}
      </Stack>
    </Paper>
  )
}
