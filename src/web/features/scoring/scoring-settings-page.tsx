import { Title } from '@mantine/core'

/** Settings → Scoring (issue 9). Placeholder: replaced by its builder. */
export function ScoringSettingsPage() {
  return <Title order={2}>Settings → Scoring (issue 9)</Title>
}
