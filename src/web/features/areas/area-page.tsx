import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import type { Area } from './areas.ts'

/** Placeholder for an area that is not built yet: its name and one sentence, nothing invented. */
export function AreaPage({ area }: { area: Area }) {
  const Icon = area.icon
  useDocumentTitle(area.label)
  return (
    <Stack maw={720} gap="lg">
      <Group gap="sm">
        <Icon size={28} aria-hidden="true" />
        <Title order={1}>{area.label}</Title>
        <Badge variant="light" color="gray">
          Not built yet
        </Badge>
      </Group>
      <Paper withBorder p="lg">
        <Text>{area.promise}</Text>
      </Paper>
    </Stack>
  )
}
