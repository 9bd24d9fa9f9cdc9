import { Group, Paper, Stack, Text, Title } from '@mantine/core'
import { type DragEvent, type ReactNode, useId, useState } from 'react'
import { formatTotals, sumByCurrency } from '../records/money.ts'
import type { Deal, Stage } from '../records/types.ts'

interface BoardColumnProps {
  stage: Stage
  deals: Deal[]
  canDrop: boolean
  onDropDeal: (dealId: string, stage: Stage) => void
  note?: string
  children: ReactNode
  maxHeight?: string
}

/** One stage of the board: a drop target with its deals and their total per currency. */
export function BoardColumn(props: BoardColumnProps) {
  const { stage, deals, canDrop, onDropDeal, note, children, maxHeight = '70vh' } = props
  const headingId = useId()
  const [isOver, setIsOver] = useState(false)
  const accent = stage.isWon
    ? 'var(--mantine-color-teal-6)'
    : stage.isLost
      ? 'var(--mantine-color-red-6)'
      : 'var(--mantine-primary-color-filled)'
  const total = formatTotals(sumByCurrency(deals))
  const onDrop = (event: DragEvent) => {
    event.preventDefault()
    setIsOver(false)
    const id = event.dataTransfer.getData('text/plain')
    if (id) onDropDeal(id, stage)
  }
  return (
    <Paper
      component="section"
      aria-labelledby={headingId}
      withBorder
      p="xs"
      bg={isOver ? 'var(--mantine-primary-color-light)' : 'var(--mantine-color-default-hover)'}
      style={{
        minWidth: 0,
        borderTop: `3px solid ${accent}`,
        outline: isOver ? '2px dashed var(--mantine-primary-color-filled)' : undefined,
      }}
      onDragOver={(event) => {
        if (!canDrop) return
        event.preventDefault()
        event.dataTransfer.dropEffect = 'move'
        setIsOver(true)
      }}
      onDragLeave={() => setIsOver(false)}
      onDrop={canDrop ? onDrop : undefined}
    >
      <Stack gap="xs">
        <div>
          <Group justify="space-between" gap={4} wrap="nowrap">
            <Title order={2} size="h6" id={headingId}>
              {stage.name}
            </Title>
            <Text size="xs" c="dimmed">
              {Math.round(stage.winProbability * 100)}%
            </Text>
          </Group>
          <Text size="xs" c="dimmed">
            {note ?? `${deals.length} ${deals.length === 1 ? 'deal' : 'deals'} · ${total}`}
          </Text>
        </div>
        {deals.length === 0 ? (
          <Text size="xs" c="dimmed" py="md" ta="center">
            {canDrop ? 'Drop a deal here' : 'No deals'}
          </Text>
        ) : (
          <Stack
            gap={6}
            role="list"
            aria-label={`Deals in ${stage.name}`}
            mah={maxHeight}
            style={{ overflowY: 'auto' }}
          >
            {children}
          </Stack>
        )}
      </Stack>
    </Paper>
  )
}
