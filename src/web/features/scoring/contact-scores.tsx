import '@mantine/charts/styles.css'
import { LineChart } from '@mantine/charts'
import {
  Badge,
  Button,
  Divider,
  Group,
  List,
  Progress,
  SimpleGrid,
  Stack,
  Text,
} from '@mantine/core'
import { IconRefresh } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import dayjs from 'dayjs'
import { postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate, formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { PredictiveScoreBlock } from '../predictive/predictive-score.tsx'
import { useCan } from '../records/permissions.ts'
import { RecordSection } from '../records/record-section.tsx'
import {
  type ContactScores,
  formatPoints,
  type ScoreCause,
  type ScoreReason,
  scoringKeys,
  useContactScores,
} from './scoring-api.ts'

const causeLabels: Record<ScoreCause, string> = {
  rules: 'rules changed',
  touch: 'new touch',
  record: 'record changed',
  decay: 'decay',
  manual: 'recomputed',
}

/**
 * The contact's fit and engagement scores, why, how they moved, and a way to recompute them; and
 * the predictive score with its top factors.
 */
export function ContactScoresCard({ contactId, erased }: { contactId: string; erased?: boolean }) {
  const canWrite = useCan('records:write')
  const queryClient = useQueryClient()
  const scores = useContactScores(contactId)
  const recompute = useMutation({
    mutationFn: () =>
      postData<ContactScores>(
        `/api/v1/contacts/${encodeURIComponent(contactId)}/scores/recompute`,
        {},
      ),
    onSuccess: (data) => queryClient.setQueryData(scoringKeys.contact(contactId), data),
  })
  return (
    <RecordSection
      title="Scores"
      actions={
        canWrite && !erased ? (
          <Button
            size="xs"
            variant="default"
            leftSection={<IconRefresh size={14} aria-hidden="true" />}
            loading={recompute.isPending}
            onClick={() => recompute.mutate()}
          >
            Recompute
          </Button>
        ) : null
      }
    >
      {recompute.error ? (
        <ErrorAlert title="The scores were not recomputed" error={recompute.error} />
      ) : null}
      {scores.isPending ? (
        <LoadingRows label="Loading the scores" rows={2} />
      ) : scores.error ? (
        <ErrorAlert
          title="Could not load the scores"
          error={scores.error}
          onRetry={() => void scores.refetch()}
        />
      ) : (
        <ScoresBody scores={scores.data} />
      )}
    </RecordSection>
  )
}

function ScoresBody({ scores }: { scores: ContactScores }) {
  const { mql } = scores
  if (scores.fit === null || scores.engagement === null) {
    return (
      <Stack gap="sm">
        <Stack gap={4}>
          <Text size="sm">Not scored yet.</Text>
          <Text size="xs" c="dimmed">
            New and changed contacts are scored within seconds; “Recompute” scores this one now. An
            MQL needs{' '}
            {mql.predictiveInCharge
              ? `a predictive score of at least ${Math.round(mql.predictiveMin * 100)}%`
              : `fit ≥ ${mql.fitMin} and engagement ≥ ${mql.engagementMin}`}
            .
          </Text>
        </Stack>
        <Divider />
        <PredictiveScoreBlock predictive={scores.predictive ?? null} mql={mql} />
      </Stack>
    )
  }
  const fitReasons = scores.explanation.filter((r) => r.kind === 'fit')
  const engagementReasons = scores.explanation.filter((r) => r.kind === 'engagement')
  return (
    <Stack gap="sm">
      <SimpleGrid cols={2} spacing="sm">
        <ScoreFigure
          label="Fit"
          value={scores.fit}
          min={mql.predictiveInCharge ? null : mql.fitMin}
          color="blue"
        />
        <ScoreFigure
          label="Engagement"
          value={scores.engagement}
          min={mql.predictiveInCharge ? null : mql.engagementMin}
          color="grape"
        />
      </SimpleGrid>
      <Group gap="xs">
        <Badge
          variant={mql.qualifies ? 'filled' : 'light'}
          color={mql.qualifies ? 'teal.9' : 'gray'}
        >
          {mql.qualifies ? 'Meets the MQL thresholds' : 'Below the MQL thresholds'}
        </Badge>
        {scores.scoredAt ? (
          <Text size="xs" c="dimmed">
            Scored {formatDateTime(scores.scoredAt)}
          </Text>
        ) : null}
      </Group>
      <Divider />
      <PredictiveScoreBlock predictive={scores.predictive ?? null} mql={mql} />
      <Divider />
      <Explanation title="Fit" reasons={fitReasons} />
      <Explanation title="Engagement" reasons={engagementReasons} />
      <History history={scores.history} />
    </Stack>
  )
}

function ScoreFigure({
  label,
  value,
  min,
  color,
}: {
  label: string
  value: number
  /** The MQL threshold, or null while the predictive model decides MQLs. */
  min: number | null
  color: string
}) {
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fz={28} fw={600} lh={1}>
        {value}
        <Text span size="sm" c="dimmed" fw={400}>
          {' '}
          / 100
        </Text>
      </Text>
      <Progress
        value={value}
        color={color}
        size="sm"
        aria-label={`${label} score ${value} of 100`}
      />
      <Text size="xs" c="dimmed">
        {min === null ? 'The model decides MQLs' : `MQL at ≥ ${min}`}
      </Text>
    </Stack>
  )
}

function Explanation({ title, reasons }: { title: string; reasons: ScoreReason[] }) {
  return (
    <Stack gap={2}>
      <Text size="sm" fw={500}>
        {title}: why
      </Text>
      {reasons.length === 0 ? (
        <Text size="xs" c="dimmed">
          No {title.toLowerCase()} rule fired.
        </Text>
      ) : (
        <List size="sm" spacing={2} aria-label={`${title} rules that fired`}>
          {reasons.map((r) => (
            <List.Item key={r.ruleId}>
              <Text span size="sm" fw={500}>
                {formatPoints(r.kind === 'engagement' ? Math.round(r.points * 10) / 10 : r.points)}
              </Text>{' '}
              {r.name}
              {r.touches !== undefined ? (
                <Text span size="xs" c="dimmed">
                  {' '}
                  ({r.touches} touch{r.touches === 1 ? '' : 'es'})
                </Text>
              ) : null}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  )
}

function History({ history }: { history: ContactScores['history'] }) {
  if (history.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        No score history yet.
      </Text>
    )
  }
  const data = history.map((h) => ({
    date: dayjs(h.recordedAt).format('D MMM'),
    fit: h.fit,
    engagement: h.engagement,
  }))
  const last = history[history.length - 1]
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        History
      </Text>
      <div
        role="img"
        aria-label={`Score history, fit and engagement: ${history
          .slice(-12)
          .map(
            (h) =>
              `${formatDate(h.recordedAt)} ${h.fit} and ${h.engagement} (${causeLabels[h.cause]})`,
          )
          .join('; ')}`}
      >
        <LineChart
          h={160}
          data={data}
          dataKey="date"
          yAxisProps={{ domain: [0, 100], width: 32 }}
          withLegend
          curveType="stepAfter"
          series={[
            { name: 'fit', label: 'Fit', color: 'blue.7' },
            { name: 'engagement', label: 'Engagement', color: 'grape.7' },
          ]}
        />
      </div>
      {last ? (
        <Text size="xs" c="dimmed">
          Last change {formatDate(last.recordedAt)} ({causeLabels[last.cause]}).
        </Text>
      ) : null}
    </Stack>
  )
}
