import { Title } from '@mantine/core'

// Placeholder until issue 8's Voice of sales lands (routed in app.tsx).
export function VoiceOfSalesPage() {
  return <Title order={2}>Voice of sales</Title>
}
