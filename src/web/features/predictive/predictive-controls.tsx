import {
  Alert,
  Button,
  Group,
  Loader,
  NumberInput,
  Paper,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core'
import { IconRefresh } from '@tabler/icons-react'
import { type FormEvent, useState } from 'react'
import { AdminOnly } from '../../components/admin-only.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { notifySuccess } from '../../components/notify.ts'
import { useMe } from '../shell/me-context.tsx'
import {
  formatPercent,
  isTraining,
  type PredictiveModelState,
  useRetrain,
  useSetPredictiveRules,
} from './predictive-api.ts'

/** Whether the signed-in person may retrain the model (admins and marketing). */
export function useCanRetrain(): boolean {
  return useMe().permissions.includes('scoring:manage')
}

/** Queues a training now; disabled while one is queued or running. */
export function RetrainButton({ state }: { state: PredictiveModelState }) {
  const retrain = useRetrain()
  const busy = isTraining(state)
  return (
    <Stack gap="xs" align="flex-end">
      <Button
        leftSection={<IconRefresh size={16} aria-hidden="true" />}
        loading={retrain.isPending}
        disabled={busy}
        onClick={() => retrain.mutate()}
      >
        {state.model ? 'Retrain now' : 'Train now'}
      </Button>
      {retrain.error ? (
        <ErrorAlert title="The training was not queued" error={retrain.error} />
      ) : null}
    </Stack>
  )
}

/** Queued, running or failed, said plainly; while idle, only the reason the last try made no model. */
export function TrainingStatusNote({ state }: { state: PredictiveModelState }) {
  const { status, error, startedAt } = state.training
  if (status === 'queued' || status === 'running') {
    return (
      <Alert color="blue" variant="light" role="status" data-testid="predictive-training">
        <Group gap="sm" wrap="nowrap">
          <Loader size="sm" aria-hidden="true" />
          <Text size="sm">
            {status === 'queued'
              ? 'Training queued: it starts within a minute.'
              : `Training${startedAt ? ` since ${formatDateTime(startedAt)}` : ''}: the page updates when it is done.`}{' '}
            {state.model ? 'The current model keeps scoring until then.' : ''}
          </Text>
        </Group>
      </Alert>
    )
  }
  if (status === 'failed') {
    return (
      <Alert color="red" variant="light" role="alert" title="The last training failed">
        {error ?? 'No reason was recorded.'}{' '}
        {state.model ? 'The previous model is still in use.' : ''}
      </Alert>
    )
  }
  if (error) {
    // Idle with a reason: the last training found too little history to learn from.
    return (
      <Alert color="orange" variant="light" title="The last training made no model">
        {error} {state.model ? 'The previous model is still in use.' : ''}
      </Alert>
    )
  }
  return null
}

/** Why the model cannot be put in charge now, or null when it can. */
function blockedReason(state: PredictiveModelState): string | null {
  if (!state.model) return 'No model has been trained yet.'
  if (!state.eligibility.eligible) {
    return `The workspace needs at least ${state.eligibility.minLeads.toLocaleString()} leads and ${state.eligibility.minConversions.toLocaleString()} conversions in the last 200 days.`
  }
  return null
}

/** Parses the threshold P: a probability from 0 to 1, or null. */
function probability(value: number | string): number | null {
  const n = typeof value === 'number' ? value : Number.parseFloat(value)
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : null
}

/** Who decides MQLs: the rules, or (an admin's opt-in) the model with probability ≥ P. */
export function MqlOptIn({ state }: { state: PredictiveModelState }) {
  const isAdmin = useMe().role === 'admin'
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="predictive-mql">
      <Stack gap="sm">
        <Title order={2} size="h3" id="predictive-mql">
          Who decides MQLs
        </Title>
        <Text size="sm" data-testid="predictive-in-charge">
          {state.inCharge
            ? `The model decides: a lead becomes an MQL when its probability is at least ${formatPercent(state.predictiveMin)}.`
            : 'The rules decide: a lead becomes an MQL when its fit and engagement scores reach their thresholds.'}
        </Text>
        {isAdmin ? (
          <OptInForm key={`${state.inCharge}-${state.predictiveMin}`} state={state} />
        ) : (
          <AdminOnly>Only an admin can put the model in charge of MQLs.</AdminOnly>
        )}
      </Stack>
    </Paper>
  )
}

function OptInForm({ state }: { state: PredictiveModelState }) {
  const save = useSetPredictiveRules()
  const [inCharge, setInCharge] = useState(state.inCharge)
  const [min, setMin] = useState<number | string>(state.predictiveMin)
  const p = probability(min)
  const blocked = blockedReason(state)
  // Handing MQLs back to the rules is always allowed; taking them needs a model and the data.
  const canChange = blocked === null || state.inCharge
  const changed = inCharge !== state.inCharge || p !== state.predictiveMin
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (p === null) return
    save.mutate(
      { predictiveInCharge: inCharge, predictiveMin: p },
      {
        onSuccess: (rules) =>
          notifySuccess(
            rules.predictiveInCharge
              ? `The model now decides MQLs (probability ≥ ${formatPercent(rules.predictiveMin)}).`
              : 'The rules decide MQLs again.',
          ),
      },
    )
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Switch
          label="Let the model decide MQLs"
          description={
            blocked && !state.inCharge
              ? `Not available: ${blocked} Rules stay in charge.`
              : 'Instead of the fit and engagement thresholds. Applies to the next score of each lead.'
          }
          checked={inCharge}
          onChange={(e) => setInCharge(e.currentTarget.checked)}
          disabled={!canChange}
        />
        <NumberInput
          label="Probability threshold P"
          description="0 to 1: a lead becomes an MQL when its probability is at least P (0.30 = 30%)"
          value={min}
          onChange={setMin}
          min={0}
          max={1}
          step={0.05}
          decimalScale={2}
          error={p === null ? 'A probability from 0 to 1' : null}
          disabled={!canChange}
          w={320}
        />
        {save.error ? <ErrorAlert title="MQL rules not changed" error={save.error} /> : null}
        <Group>
          <Button
            type="submit"
            loading={save.isPending}
            disabled={!canChange || !changed || p === null}
          >
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
