import { Anchor, Box, Group, Progress, Stack, Text } from '@mantine/core'
import { Link } from 'react-router'
import { formatDate } from '../../components/format.ts'
import type { ContactScores, PredictiveFactor, PredictiveScore } from '../scoring/scoring-api.ts'
import { formatPercent } from './predictive-api.ts'

/** A factor's value as shown: numbers rounded, missing said plainly. */
export function formatFactorValue(value: PredictiveFactor['value']): string {
  if (value === null || value === '') return 'unknown'
  if (typeof value === 'number') {
    return value.toLocaleString(undefined, { maximumFractionDigits: 2 })
  }
  return value
}

/** "+0.42" / "−0.18": a contribution in log-odds. */
function formatContribution(contribution: number): string {
  const shown = Math.abs(contribution).toFixed(2)
  return contribution >= 0 ? `+${shown}` : `−${shown}`
}

/**
 * The contact's predictive probability, when it was computed, and the factors that moved it most,
 * each with a bar to the right (raises) or to the left (lowers).
 */
export function PredictiveScoreBlock({
  predictive,
  mql,
}: {
  predictive: PredictiveScore | null
  mql: ContactScores['mql']
}) {
  const link = (
    <Anchor component={Link} to="/reports/predictive" size="xs">
      About the predictive model
    </Anchor>
  )
  if (!predictive) {
    return (
      <Stack gap={2}>
        <Text size="sm" fw={500}>
          Predictive score
        </Text>
        <Text size="sm">No predictive score yet.</Text>
        <Text size="xs" c="dimmed">
          Leads are scored by the model once one is trained on this workspace’s history. {link}
        </Text>
      </Stack>
    )
  }
  const largest = Math.max(1e-9, ...predictive.factors.map((f) => Math.abs(f.contribution)))
  const percent = formatPercent(predictive.probability)
  return (
    <Stack gap={6}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Text size="xs" c="dimmed">
            Predictive score
          </Text>
          <Text fz={28} fw={600} lh={1} data-testid="predictive-probability">
            {percent}
          </Text>
        </Stack>
        {link}
      </Group>
      <Progress
        value={predictive.probability * 100}
        color="indigo.7"
        size="sm"
        aria-label={`Probability of becoming a customer within 90 days: ${percent}`}
      />
      <Text size="xs" c="dimmed">
        Chance of becoming a customer within 90 days of lead creation, as of{' '}
        {formatDate(predictive.scoredAt)}.
        {mql.predictiveInCharge
          ? ` The model decides MQLs: MQL at ≥ ${formatPercent(mql.predictiveMin)}.`
          : ''}
      </Text>
      {predictive.factors.length === 0 ? null : (
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            Predictive: why
          </Text>
          <Box
            component="ul"
            aria-label="Factors behind the predictive score"
            m={0}
            p={0}
            style={{ listStyle: 'none' }}
          >
            {predictive.factors.map((f) => (
              <Box component="li" key={f.feature} mb={6}>
                <FactorRow factor={f} largest={largest} />
              </Box>
            ))}
          </Box>
          <Text size="xs" c="dimmed">
            Bars to the right raise the probability, to the left lower it (log-odds).
          </Text>
        </Stack>
      )}
    </Stack>
  )
}

function FactorRow({ factor, largest }: { factor: PredictiveFactor; largest: number }) {
  const raises = factor.contribution >= 0
  const width = `${Math.max(2, (Math.abs(factor.contribution) / largest) * 50)}%`
  return (
    <Stack gap={2}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm">
          {factor.label}:{' '}
          <Text span fw={500}>
            {formatFactorValue(factor.value)}
          </Text>
        </Text>
        <Text size="sm" fw={500} style={{ whiteSpace: 'nowrap' }}>
          {raises ? 'raises' : 'lowers'} {formatContribution(factor.contribution)}
        </Text>
      </Group>
      <Box pos="relative" h={6} aria-hidden="true" bg="gray.1" style={{ borderRadius: 3 }}>
        <Box
          pos="absolute"
          top={0}
          h={6}
          bg={raises ? 'teal.7' : 'red.7'}
          style={{
            borderRadius: 3,
            width,
            ...(raises ? { left: '50%' } : { right: '50%' }),
          }}
        />
        <Box pos="absolute" top={-2} h={10} w={1} bg="gray.6" style={{ left: '50%' }} />
      </Box>
    </Stack>
  )
}
