import { Title } from '@mantine/core'

// Placeholder until issue 8's Objections & competitors lands (routed in app.tsx).
export function FeedbackSettingsPage() {
  return <Title order={2}>Objections & competitors</Title>
}
