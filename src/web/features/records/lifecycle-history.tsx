import { Badge, List, Text } from '@mantine/core'
import { formatDateTime } from '../../components/format.ts'
import { labelOf, lifecycleOptions } from './labels.ts'
import type { LifecycleEntry } from './types.ts'

/** Every lifecycle stage entered, oldest first, kept forever (DEFINITIONS.md, Lifecycle). */
export function LifecycleHistory({ entries }: { entries: LifecycleEntry[] }) {
  if (entries.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No lifecycle stage yet. Set one with “Edit”; each stage entered is kept here with its date.
      </Text>
    )
  }
  // A jump stamps the skipped stages with one time (DEFINITIONS.md), so ties go in stage order.
  const rank = (stage: string) => lifecycleOptions.findIndex((o) => o.value === stage)
  const sorted = [...entries].sort(
    (a, b) => a.enteredAt.localeCompare(b.enteredAt) || rank(a.stage) - rank(b.stage),
  )
  return (
    <List spacing={4} size="sm" aria-label="Lifecycle stage history">
      {sorted.map((entry) => (
        <List.Item key={`${entry.stage}-${entry.enteredAt}`}>
          <Text span fw={500}>
            {labelOf(entry.stage, lifecycleOptions)}
          </Text>{' '}
          <Text span c="dimmed" size="sm">
            <time dateTime={entry.enteredAt}>{formatDateTime(entry.enteredAt)}</time>
          </Text>
          {entry.isReentry ? (
            <Badge size="xs" variant="light" ml={6}>
              Re-entered
            </Badge>
          ) : null}
        </List.Item>
      ))}
    </List>
  )
}
