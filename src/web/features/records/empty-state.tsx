import { Paper, Text } from '@mantine/core'
import type { ReactNode } from 'react'

/** What is missing and what to do next, in one place. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="xl" ta="center">
      <Text fw={600}>{title}</Text>
      <Text size="sm" c="dimmed" mt={4}>
        {children}
      </Text>
    </Paper>
  )
}
