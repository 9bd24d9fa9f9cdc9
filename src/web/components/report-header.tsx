import { Group, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'

/** A report page's title and what it counts, with its inputs (the range) at the right. */
export function ReportHeader({
  title,
  description,
  children,
}: {
  title: string
  description: ReactNode
  children: ReactNode
}) {
  return (
    <Group justify="space-between" align="flex-end">
      <div>
        <Title order={1}>{title}</Title>
        <Text c="dimmed">{description}</Text>
      </div>
      {children}
    </Group>
  )
}
