import { NativeSelect, Stack, TextInput } from '@mantine/core'

export interface WorkspaceValues {
  name: string
  timeZone: string
  baseCurrency: string
  fiscalYearStartMonth: number
}

export type WorkspaceErrors = Partial<Record<keyof WorkspaceValues, string>>

const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

export const monthOptions = months.map((label, index) => ({ value: String(index + 1), label }))

export function monthName(month: number): string {
  return months[month - 1] ?? String(month)
}

const allTimeZones = Intl.supportedValuesOf('timeZone')
const currencies = new Set(Intl.supportedValuesOf('currency'))

/**
 * Every IANA zone the browser knows (plus UTC and the current value if it lacks them), grouped by
 * region. A native select: long, but type-ahead works and every screen reader knows it.
 */
function timeZoneGroups(current: string) {
  const zones = new Set(allTimeZones)
  zones.add('UTC')
  if (current) zones.add(current)
  const groups = new Map<string, string[]>()
  for (const zone of [...zones].sort()) {
    const region = zone.includes('/') ? (zone.split('/')[0] ?? 'Other') : 'Other'
    groups.set(region, [...(groups.get(region) ?? []), zone])
  }
  return [...groups].map(([group, items]) => ({ group, items }))
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

export function defaultWorkspaceValues(): WorkspaceValues {
  return { name: '', timeZone: browserTimeZone(), baseCurrency: 'USD', fiscalYearStartMonth: 1 }
}

export function validateWorkspace(values: WorkspaceValues): WorkspaceErrors {
  const errors: WorkspaceErrors = {}
  if (values.name.trim().length === 0) errors.name = 'Give the workspace a name.'
  else if (values.name.trim().length > 100) errors.name = 'Use at most 100 characters.'
  if (!values.timeZone) errors.timeZone = 'Pick a time zone.'
  if (!/^[A-Z]{3}$/.test(values.baseCurrency) || !currencies.has(values.baseCurrency)) {
    errors.baseCurrency = 'Use a 3-letter ISO 4217 code such as USD, EUR or GBP.'
  }
  return errors
}

interface WorkspaceFieldsProps {
  values: WorkspaceValues
  errors: WorkspaceErrors
  onChange: (values: WorkspaceValues) => void
  autoFocus?: boolean
}

/** Name, time zone, base currency and fiscal year start: shared by creation and settings. */
export function WorkspaceFields({ values, errors, onChange, autoFocus }: WorkspaceFieldsProps) {
  return (
    <Stack>
      <TextInput
        label="Name"
        required
        autoFocus={autoFocus}
        maxLength={100}
        value={values.name}
        error={errors.name}
        onChange={(event) => onChange({ ...values, name: event.currentTarget.value })}
      />
      <NativeSelect
        label="Time zone"
        description="Days, weeks and SLA clocks follow this zone"
        data={timeZoneGroups(values.timeZone)}
        value={values.timeZone}
        error={errors.timeZone}
        onChange={(event) => onChange({ ...values, timeZone: event.currentTarget.value })}
      />
      <TextInput
        label="Base currency"
        description="ISO 4217 code; amounts are reported in it"
        maxLength={3}
        autoComplete="off"
        value={values.baseCurrency}
        error={errors.baseCurrency}
        onChange={(event) =>
          onChange({ ...values, baseCurrency: event.currentTarget.value.toUpperCase() })
        }
      />
      <NativeSelect
        label="Fiscal year start month"
        data={monthOptions}
        value={String(values.fiscalYearStartMonth)}
        onChange={(event) =>
          onChange({ ...values, fiscalYearStartMonth: Number(event.currentTarget.value) })
        }
      />
    </Stack>
  )
}
