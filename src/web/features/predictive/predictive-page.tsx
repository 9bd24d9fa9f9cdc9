import {
  Alert,
  Badge,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate, formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { ReportHeader } from '../../components/report-header.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import {
  formatAuc,
  formatLoss,
  formatPercent,
  type Learner,
  learnerLabels,
  type PredictiveModel,
  type PredictiveModelState,
  usePredictiveModel,
} from './predictive-api.ts'
import { CalibrationChart, GainsChart, ImportanceChart } from './predictive-charts.tsx'
import {
  MqlOptIn,
  RetrainButton,
  TrainingStatusNote,
  useCanRetrain,
} from './predictive-controls.tsx'

/** /reports/predictive: the predictive model, its holdout accuracy and calibration. */
export function PredictivePage() {
  useDocumentTitle('Predictive model')
  const query = usePredictiveModel()
  const canRetrain = useCanRetrain()
  return (
    <Stack gap="lg">
      <ReportHeader
        title="Predictive model"
        description="The probability that a lead becomes a customer within 90 days of lead creation, learned from this workspace’s own history, and how good it is on leads it never saw."
      >
        {canRetrain && query.data ? <RetrainButton state={query.data} /> : null}
      </ReportHeader>
      {query.isPending ? (
        <LoadingRows label="Loading the predictive model" rows={5} height={48} />
      ) : query.error ? (
        <ErrorAlert
          title="Could not load the predictive model"
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      ) : (
        <Loaded state={query.data} canRetrain={canRetrain} />
      )}
    </Stack>
  )
}

function Loaded({ state, canRetrain }: { state: PredictiveModelState; canRetrain: boolean }) {
  return (
    <>
      <TrainingStatusNote state={state} />
      {state.model ? (
        <>
          <Accuracy model={state.model} />
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
            <CalibrationChart model={state.model} />
            <GainsChart model={state.model} />
          </SimpleGrid>
          <Learners model={state.model} />
          <ImportanceChart model={state.model} />
        </>
      ) : (
        <NoModel state={state} canRetrain={canRetrain} />
      )}
      <Eligibility state={state} />
      <MqlOptIn state={state} />
    </>
  )
}

function NoModel({ state, canRetrain }: { state: PredictiveModelState; canRetrain: boolean }) {
  const { minLeads, minConversions } = state.eligibility
  return (
    <Paper withBorder p="xl" component="section" aria-labelledby="predictive-empty">
      <Stack gap="xs" align="center" ta="center">
        <Title order={2} size="h3" id="predictive-empty">
          No model trained yet
        </Title>
        <Text size="sm" maw={640}>
          The model learns from leads created in the past and whether they became customers within
          90 days. It trains each week, or now with the button above; it can be put in charge of
          MQLs once the workspace has at least {minLeads.toLocaleString()} leads and{' '}
          {minConversions.toLocaleString()} conversions in the last 200 days. Until then the rules
          decide.
        </Text>
        {canRetrain ? null : (
          <Text size="sm" c="dimmed">
            Admins and marketing can start a training.
          </Text>
        )}
      </Stack>
    </Paper>
  )
}

/** Holdout AUC of the model and of the rule score, big and in plain words. */
function Accuracy({ model }: { model: PredictiveModel }) {
  const { auc, baselineAuc } = model.holdout
  const total = model.sizes.train + model.sizes.calibration + model.sizes.holdout
  const beatsRules = baselineAuc === null || auc > baselineAuc
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="predictive-accuracy">
      <Stack gap="sm">
        <Title order={2} size="h3" id="predictive-accuracy">
          How good it is
        </Title>
        <Group align="flex-end" gap="xl">
          <div>
            <Text size="xs" c="dimmed">
              Model AUC
            </Text>
            <Text fz={48} fw={700} lh={1} data-testid="predictive-model-auc">
              {formatAuc(auc)}
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              Rule score AUC
            </Text>
            <Text fz={48} fw={700} lh={1} c="dark.3" data-testid="predictive-rules-auc">
              {formatAuc(baselineAuc)}
            </Text>
          </div>
          <Badge color="blue.9" size="lg">
            {learnerLabels[model.learner]}
          </Badge>
        </Group>
        <Text data-testid="predictive-auc-sentence">
          Out of two holdout leads, one that converted and one that did not, the model ranks the
          converter higher {formatPercent(auc)} of the time
          {baselineAuc === null
            ? '. The rule score could not be measured on these leads.'
            : `; the rule score ${formatPercent(baselineAuc)}.`}{' '}
          {beatsRules
            ? ''
            : 'On these leads the rules rank better than the model: keep the rules in charge.'}
        </Text>
        <Text size="sm" c="dimmed">
          Trained {formatDateTime(model.trainedAt)} on {total.toLocaleString()} leads created{' '}
          {formatDate(model.leadsFrom)} – {formatDate(model.leadsTo)} (
          {model.sizes.positives.toLocaleString()} became customers within 90 days). The oldest{' '}
          {model.sizes.train.toLocaleString()} trained it, the next{' '}
          {model.sizes.calibration.toLocaleString()} calibrated it, and the newest{' '}
          {model.sizes.holdout.toLocaleString()} ({model.sizes.holdoutPositives.toLocaleString()}{' '}
          converted) measure it here. {model.scored.toLocaleString()} contacts have a predictive
          score.
        </Text>
      </Stack>
    </Paper>
  )
}

/** Both learners on the same holdout; the one with the higher AUC is in use. */
function Learners({ model }: { model: PredictiveModel }) {
  const learners: Learner[] = ['gbm', 'logistic']
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="predictive-learners">
      <Stack gap="sm">
        <Title order={2} size="h3" id="predictive-learners">
          Both learners on the holdout
        </Title>
        <Table aria-label="Learners on the holdout" striped fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Learner</Table.Th>
              <Table.Th ta="right">AUC (higher is better)</Table.Th>
              <Table.Th ta="right">Log loss (lower is better)</Table.Th>
              <Table.Th ta="right">Brier score (lower is better)</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {learners.map((learner) => {
              const report = model.learners[learner]
              return (
                <Table.Tr key={learner}>
                  <Table.Td>
                    {learnerLabels[learner]}
                    {learner === model.learner ? (
                      <Badge ml="xs" size="sm" color="teal.9">
                        In use
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td ta="right">{formatAuc(report.auc)}</Table.Td>
                  <Table.Td ta="right">{formatLoss(report.logLoss)}</Table.Td>
                  <Table.Td ta="right">{formatLoss(report.brier)}</Table.Td>
                </Table.Tr>
              )
            })}
          </Table.Tbody>
        </Table>
        <Text size="sm" c="dimmed">
          Both were calibrated on the same leads and measured on the same newest leads; the higher
          AUC wins.
        </Text>
      </Stack>
    </Paper>
  )
}

/** Leads and conversions of the last 200 days against the thresholds (DEFINITIONS.md). */
function Eligibility({ state }: { state: PredictiveModelState }) {
  const { leads, conversions, minLeads, minConversions, eligible } = state.eligibility
  const bars = [
    { label: 'Leads created', value: leads, min: minLeads },
    { label: 'Conversions', value: conversions, min: minConversions },
  ]
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="predictive-eligibility">
      <Stack gap="sm">
        <Title order={2} size="h3" id="predictive-eligibility">
          Enough history?
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          {bars.map((b) => (
            <Stack key={b.label} gap={4}>
              <Text size="sm">
                {b.label} in the last 200 days:{' '}
                <Text span fw={600}>
                  {b.value.toLocaleString()}
                </Text>{' '}
                of {b.min.toLocaleString()} needed
              </Text>
              <Progress
                value={Math.min(100, (b.value / Math.max(1, b.min)) * 100)}
                color={b.value >= b.min ? 'teal.8' : 'orange.8'}
                aria-label={`${b.label}: ${b.value} of ${b.min} needed`}
              />
            </Stack>
          ))}
        </SimpleGrid>
        {eligible ? (
          <Text size="sm" data-testid="predictive-eligibility">
            Enough history: an admin may put the model in charge of MQLs.
          </Text>
        ) : (
          <Alert color="orange" variant="light" data-testid="predictive-eligibility">
            Not enough history yet: the model needs at least {minLeads.toLocaleString()} leads and{' '}
            {minConversions.toLocaleString()} conversions in the last 200 days. Rules stay in
            charge.
          </Alert>
        )}
      </Stack>
    </Paper>
  )
}
