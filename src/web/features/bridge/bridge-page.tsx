import { Title } from '@mantine/core'

// Placeholder until issue 8's The Bridge lands (routed in app.tsx).
export function BridgePage() {
  return <Title order={2}>The Bridge</Title>
}
