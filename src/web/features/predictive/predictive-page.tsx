import { Title } from '@mantine/core'

/** /reports/predictive: the predictive model, its holdout accuracy and calibration (placeholder). */
export function PredictivePage() {
  return <Title order={2}>Predictive model</Title>
}
