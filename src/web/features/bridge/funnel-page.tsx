import { Title } from '@mantine/core'

// Placeholder until issue 8's Funnel lands (routed in app.tsx).
export function FunnelPage() {
  return <Title order={2}>Funnel</Title>
}
