import { Title } from '@mantine/core'

/** Reports → Regret rate (issue 9). Placeholder: replaced by its builder. */
export function RegretPage() {
  return <Title order={2}>Reports → Regret rate (issue 9)</Title>
}
