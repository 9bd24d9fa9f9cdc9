import {
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core'
import { type CSSProperties, type FormEvent, useState } from 'react'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { toMajor, toMinor } from '../records/money.ts'
import {
  type Figures,
  type ForecastCall,
  formatAmount,
  type RepRow,
  useAdjustForecast,
  useSubmitForecast,
} from './forecast-api.ts'

type Field = 'commit' | 'bestCase' | 'pipeline'

/**
 * Mantine's error red (red.6) is below 4.5:1 on white, for the message and the field's own text:
 * one shade darker keeps both readable (WCAG AA).
 */
const readableError = {
  error: { color: 'var(--mantine-color-red-8)' },
  input: { '--input-color': 'var(--mantine-color-text)' } as CSSProperties,
}
type Values = Record<Field, number | string>
const fieldLabels: Record<Field, string> = {
  commit: 'Commit',
  bestCase: 'Best case',
  pipeline: 'Pipeline',
}

const valuesOf = (figures: Figures | null | undefined, currency: string): Values => ({
  commit: figures ? toMajor(figures.commit, currency) : '',
  bestCase: figures ? toMajor(figures.bestCase, currency) : '',
  pipeline: figures ? toMajor(figures.pipeline, currency) : '',
})

/** The figures in minor units, or the first problem of each field, in words. */
function check(values: Values, currency: string) {
  const errors: Partial<Record<Field, string>> = {}
  const minor: Partial<Figures> = {}
  for (const field of ['commit', 'bestCase', 'pipeline'] as const) {
    const value = values[field]
    if (value === '' || value === null) errors[field] = 'Enter an amount (0 if none).'
    else if (typeof value !== 'number' || !Number.isFinite(value)) errors[field] = 'Not a number.'
    else if (value < 0) errors[field] = 'Cannot be negative.'
    else minor[field] = toMinor(value, currency)
  }
  if (!errors.commit && !errors.bestCase && (minor.bestCase as number) < (minor.commit as number)) {
    errors.bestCase = 'Best case is commit plus the upside: at least the commit.'
  }
  return { errors, figures: minor as Figures }
}

function FigureInputs({
  values,
  errors,
  currency,
  onChange,
}: {
  values: Values
  errors: Partial<Record<Field, string>>
  currency: string
  onChange: (field: Field, value: number | string) => void
}) {
  const descriptions: Record<Field, string> = {
    commit: 'What you will win this period, won deals included.',
    bestCase: 'If the upside lands too.',
    pipeline: 'The rest of your open pipeline for the period.',
  }
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      {(['commit', 'bestCase', 'pipeline'] as const).map((field) => (
        <NumberInput
          key={field}
          label={`${fieldLabels[field]} (${currency})`}
          description={descriptions[field]}
          required
          min={0}
          thousandSeparator=","
          allowNegative={false}
          value={values[field]}
          onChange={(value) => onChange(field, value)}
          error={errors[field]}
          styles={readableError}
        />
      ))}
    </SimpleGrid>
  )
}

/** A rep's own forecast for the period; every submission is kept. */
export function SubmitForm({ call, mine }: { call: ForecastCall; mine: RepRow | undefined }) {
  const currency = call.baseCurrency
  const [values, setValues] = useState<Values>(() => valuesOf(mine?.submission, currency))
  const [note, setNote] = useState('')
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})
  const submit = useSubmitForecast()

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const checked = check(values, currency)
    setErrors(checked.errors)
    if (Object.keys(checked.errors).length > 0) return
    submit.mutate(
      {
        periodKind: call.period.kind,
        periodKey: call.period.key,
        ...checked.figures,
        ...(note.trim() ? { note: note.trim() } : {}),
      },
      {
        onSuccess: () => {
          notifySuccess(`Forecast for ${call.period.key} submitted.`)
          setNote('')
        },
      },
    )
  }

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="forecast-submit">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h3" id="forecast-submit">
            Your forecast for {call.period.key}
          </Title>
          {mine?.submission ? (
            <Text size="sm" c="dimmed">
              Last submitted {new Date(mine.submission.submittedAt).toLocaleString()}: commit{' '}
              {formatAmount(mine.submission.commit, currency)}. A new submission is kept beside it.
            </Text>
          ) : null}
          <FigureInputs
            values={values}
            errors={errors}
            currency={currency}
            onChange={(field, value) => setValues((v) => ({ ...v, [field]: value }))}
          />
          <Textarea
            label="Note"
            description="Optional: what moved since last time."
            value={note}
            maxLength={2000}
            onChange={(event) => setNote(event.currentTarget.value)}
          />
          {submit.error ? (
            <ErrorAlert title="Could not submit the forecast" error={submit.error} />
          ) : null}
          <Group>
            <Button type="submit" loading={submit.isPending}>
              Submit forecast
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  )
}

/** A manager's adjustment of a rep's submission; the note is required. */
export function AdjustDialog({
  call,
  row,
  onClose,
}: {
  call: ForecastCall
  row: RepRow | null
  onClose: () => void
}) {
  return (
    <Modal
      opened={row !== null}
      onClose={onClose}
      title={row ? `Adjust ${row.rep.name}'s forecast for ${call.period.key}` : ''}
      size="lg"
    >
      {row?.submission ? <AdjustForm call={call} row={row} onClose={onClose} /> : null}
    </Modal>
  )
}

function AdjustForm({
  call,
  row,
  onClose,
}: {
  call: ForecastCall
  row: RepRow
  onClose: () => void
}) {
  const currency = call.baseCurrency
  const [values, setValues] = useState<Values>(() => valuesOf(row.effective, currency))
  const [note, setNote] = useState('')
  const [errors, setErrors] = useState<Partial<Record<Field | 'note', string>>>({})
  const adjust = useAdjustForecast()
  const submission = row.submission

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const checked = check(values, currency)
    const all: Partial<Record<Field | 'note', string>> = { ...checked.errors }
    if (!note.trim()) all.note = 'Say why: the rep and the call read it.'
    setErrors(all)
    if (Object.keys(all).length > 0 || !submission) return
    adjust.mutate(
      { id: submission.id, ...checked.figures, note: note.trim() },
      {
        onSuccess: () => {
          notifySuccess(`${row.rep.name}'s forecast adjusted.`)
          onClose()
        },
      },
    )
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        {submission ? (
          <Text size="sm">
            {row.rep.name} submitted commit {formatAmount(submission.commit, currency)}, best case{' '}
            {formatAmount(submission.bestCase, currency)}, pipeline{' '}
            {formatAmount(submission.pipeline, currency)}
            {submission.note ? ` (“${submission.note}”)` : ''}. Their submission is kept; the
            adjustment counts until they submit again.
          </Text>
        ) : null}
        <FigureInputs
          values={values}
          errors={errors}
          currency={currency}
          onChange={(field, value) => setValues((v) => ({ ...v, [field]: value }))}
        />
        <Textarea
          label="Note"
          description="Why the figure changes."
          required
          value={note}
          maxLength={2000}
          onChange={(event) => {
            setNote(event.currentTarget.value)
            setErrors(({ note: _, ...rest }) => rest)
          }}
          error={errors.note}
          styles={readableError}
          data-autofocus
        />
        {adjust.error ? (
          <ErrorAlert title="Could not adjust the forecast" error={adjust.error} />
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={adjust.isPending}>
            Save adjustment
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
