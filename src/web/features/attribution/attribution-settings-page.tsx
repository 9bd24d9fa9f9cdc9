import {
  Button,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { patchData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { errorPath } from '../scoring/scoring-api.ts'
import { useMe } from '../shell/me-context.tsx'
import {
  type AttributionModel,
  type AttributionSettings,
  type MilestoneWeights,
  modelNames,
  useAttributionSettings,
  useAttributionStatus,
  useRecomputeAttribution,
} from './attribution-api.ts'

const weightLabels: Record<keyof MilestoneWeights, string> = {
  FT: 'First touch (FT)',
  LC: 'Lead creation (LC)',
  OC: 'Opportunity creation (OC)',
  CW: 'Closed won (CW)',
  others: 'Touches between them',
}
const weightKeys = Object.keys(weightLabels) as (keyof MilestoneWeights)[]

/** Settings → Attribution: the default model, the lookback window and the models' parameters. */
export function AttributionSettingsPage() {
  useDocumentTitle('Attribution')
  const canManage = useMe().permissions.includes('attribution:manage')
  const settings = useAttributionSettings()
  return (
    <Stack gap="md">
      <Title order={2}>Attribution</Title>
      <Text size="sm" c="dimmed" maw={720}>
        Which touches earned a lead, a deal and its revenue. Every model is computed for every
        report; the default model is the one reports open with and whose credits are kept per touch.
        Bots and security scanners never earn credit.
      </Text>
      <Paper withBorder p="md" component="section" aria-label="Attribution settings">
        {settings.isPending ? (
          <LoadingRows label="Loading the attribution settings" rows={3} />
        ) : settings.error ? (
          <ErrorAlert
            title="Could not load the attribution settings"
            error={settings.error}
            onRetry={() => void settings.refetch()}
          />
        ) : (
          <SettingsForm
            key={settings.data.updatedAt ?? 'defaults'}
            settings={settings.data}
            canManage={canManage}
          />
        )}
      </Paper>
      <RecomputeSection canManage={canManage} />
    </Stack>
  )
}

/** When the credits were last computed, and a button to recompute them now. */
function RecomputeSection({ canManage }: { canManage: boolean }) {
  const status = useAttributionStatus()
  const recompute = useRecomputeAttribution()
  const data = status.data
  const busy = data?.status === 'queued' || data?.status === 'running'
  return (
    <Paper withBorder p="md" component="section" aria-label="Recompute">
      <Stack gap="sm">
        <Text size="sm" role="status" aria-live="polite">
          {status.isPending
            ? 'Loading…'
            : !data
              ? 'Could not load when attribution was last computed.'
              : data.status === 'failed'
                ? `The last recompute failed: ${data.error ?? 'unknown error'}`
                : busy
                  ? 'A recompute is on its way.'
                  : data.finishedAt
                    ? `Credits computed ${formatDateTime(data.finishedAt)} (default model ${data.model ? modelNames[data.model] : '—'}); every night they are computed again.`
                    : 'Credits have not been computed yet.'}
        </Text>
        {data && data.missingRates.length > 0 ? (
          <Text size="sm" c="orange">
            Deals in {data.missingRates.join(', ')} have no exchange rate to the base currency:
            their value counts as 0. Add the rates in Settings → Exchange rates.
          </Text>
        ) : null}
        {recompute.error ? (
          <ErrorAlert title="Could not queue a recompute" error={recompute.error} />
        ) : null}
        {canManage ? (
          <Group>
            <Button
              variant="default"
              loading={recompute.isPending}
              disabled={busy}
              onClick={() => recompute.mutate()}
            >
              Recompute now
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Paper>
  )
}

const toNumber = (value: number | string) =>
  typeof value === 'number' ? value : Number.parseFloat(value)

function SettingsForm({
  settings,
  canManage,
}: {
  settings: AttributionSettings
  canManage: boolean
}) {
  const queryClient = useQueryClient()
  const [model, setModel] = useState<AttributionModel>(settings.defaultModel)
  const [lookback, setLookback] = useState<number | string>(settings.lookbackDays)
  const [halfLife, setHalfLife] = useState<number | string>(settings.halfLifeDays)
  const [weights, setWeights] = useState<Record<keyof MilestoneWeights, number | string>>(
    () =>
      Object.fromEntries(
        weightKeys.map((key) => [key, Math.round(settings.customWeights[key] * 1000) / 10]),
      ) as Record<keyof MilestoneWeights, number>,
  )
  const [includeSales, setIncludeSales] = useState(settings.includeSalesTouches)
  const [sourcedBy, setSourcedBy] = useState(settings.sourcedBy)
  const save = useMutation({
    mutationFn: (input: Partial<AttributionSettings>) =>
      patchData<AttributionSettings>('/api/v1/attribution/settings', input),
    onSuccess: async () => {
      notifySuccess('Attribution settings saved. The credits are being recomputed.')
      await queryClient.invalidateQueries({ queryKey: ['attribution'] })
    },
  })

  const lookbackValue = toNumber(lookback)
  const lookbackOk = Number.isInteger(lookbackValue) && lookbackValue >= 1 && lookbackValue <= 730
  const halfLifeValue = toNumber(halfLife)
  const halfLifeOk = Number.isFinite(halfLifeValue) && halfLifeValue > 0 && halfLifeValue <= 365
  const percents = weightKeys.map((key) => toNumber(weights[key]))
  const percentSum = percents.reduce((sum, value) => sum + (Number.isFinite(value) ? value : 0), 0)
  const weightsOk =
    percents.every((value) => Number.isFinite(value) && value >= 0 && value <= 100) &&
    Math.abs(percentSum - 100) < 1e-6
  const customWeights = Object.fromEntries(
    weightKeys.map((key, i) => [key, (percents[i] ?? 0) / 100]),
  ) as unknown as MilestoneWeights

  const input: Partial<AttributionSettings> = {}
  if (model !== settings.defaultModel) input.defaultModel = model
  if (lookbackOk && lookbackValue !== settings.lookbackDays) input.lookbackDays = lookbackValue
  if (halfLifeOk && halfLifeValue !== settings.halfLifeDays) input.halfLifeDays = halfLifeValue
  if (
    weightsOk &&
    weightKeys.some((key) => Math.abs(customWeights[key] - settings.customWeights[key]) > 1e-9)
  ) {
    input.customWeights = customWeights
  }
  if (includeSales !== settings.includeSalesTouches) input.includeSalesTouches = includeSales
  if (sourcedBy !== settings.sourcedBy) input.sourcedBy = sourcedBy
  const valid = lookbackOk && halfLifeOk && weightsOk
  const path = errorPath(save.error)
  const serverError = (field: string) =>
    save.error && path?.split('.')[0] === field ? save.error.message : null
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (valid && Object.keys(input).length > 0) save.mutate(input)
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Group align="flex-start" gap="lg">
          <Select
            label="Default model"
            description="Reports open with it; its credits are kept per touch."
            data={Object.entries(modelNames).map(([value, label]) => ({ value, label }))}
            value={model}
            onChange={(value) => value && setModel(value as AttributionModel)}
            allowDeselect={false}
            disabled={!canManage}
            error={serverError('defaultModel')}
            w={280}
          />
          <NumberInput
            label="Lookback window (days)"
            description="Older touches earn no credit for a conversion."
            value={lookback}
            onChange={setLookback}
            min={1}
            max={730}
            allowDecimal={false}
            error={lookbackOk ? serverError('lookbackDays') : 'A whole number from 1 to 730'}
            disabled={!canManage}
            w={240}
          />
          <NumberInput
            label="Time-decay half-life (days)"
            description="A touch counts half as much this many days earlier."
            value={halfLife}
            onChange={setHalfLife}
            min={0.01}
            max={365}
            decimalScale={2}
            error={halfLifeOk ? serverError('halfLifeDays') : 'More than 0 and at most 365 days'}
            disabled={!canManage}
            w={240}
          />
        </Group>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Custom model weights (%)
          </Text>
          <Group align="flex-start" gap="sm">
            {weightKeys.map((key) => (
              <NumberInput
                key={key}
                label={weightLabels[key]}
                value={weights[key]}
                onChange={(value) => setWeights((current) => ({ ...current, [key]: value }))}
                min={0}
                max={100}
                decimalScale={1}
                suffix="%"
                disabled={!canManage}
                w={170}
              />
            ))}
          </Group>
          <Text size="xs" c={weightsOk ? 'dimmed' : 'red'} role="status" aria-live="polite">
            {weightsOk
              ? 'The weights add up to 100 %. A milestone that has not happened gives its share to the others.'
              : `The weights add up to ${Math.round(percentSum * 10) / 10} %; they must add up to 100 %.`}
          </Text>
        </Stack>
        <Switch
          label="Count reps’ logged calls, meetings and emails as touches"
          checked={includeSales}
          onChange={(event) => setIncludeSales(event.currentTarget.checked)}
          disabled={!canManage}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="sourced-by-label">
            Sourced pipeline follows
          </Text>
          <SegmentedControl
            aria-labelledby="sourced-by-label"
            value={sourcedBy}
            onChange={(value) => setSourcedBy(value as AttributionSettings['sourcedBy'])}
            data={[
              { value: 'first_touch', label: 'The first touch' },
              { value: 'lead_creation', label: 'The lead-creation touch' },
            ]}
            disabled={!canManage}
            w="fit-content"
          />
        </Stack>
        {save.error && !path ? (
          <ErrorAlert title="Could not save the attribution settings" error={save.error} />
        ) : null}
        {canManage ? (
          <Group>
            <Button
              type="submit"
              loading={save.isPending}
              disabled={!valid || Object.keys(input).length === 0}
            >
              Save settings
            </Button>
            <Text size="xs" c="dimmed">
              {settings.updatedAt
                ? `Last changed ${formatDateTime(settings.updatedAt)}`
                : 'The defaults apply (W-shaped, 90 days).'}
            </Text>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            Only admins and marketing can change the attribution settings.
          </Text>
        )}
      </Stack>
    </form>
  )
}
