import { Title } from '@mantine/core'

// Placeholder until issue 8's Records lands (routed in app.tsx).
export function DrillRecordsPage() {
  return <Title order={2}>Records</Title>
}
