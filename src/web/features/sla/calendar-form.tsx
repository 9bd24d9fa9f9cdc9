import {
  ActionIcon,
  Button,
  Group,
  NativeSelect,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from '@mantine/core'
import { IconTrash } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { patchData, postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { type Calendar, type DayHours, type Week, weekdays } from './types.ts'

const officeHours: DayHours = { start: '09:00', end: '17:00' }
const officeWeek: Week = {
  1: officeHours,
  2: officeHours,
  3: officeHours,
  4: officeHours,
  5: officeHours,
  6: null,
  7: null,
}
const allTimeZones = Intl.supportedValuesOf('timeZone')

/** Every IANA zone the browser knows, grouped by region (type-ahead works in a native select). */
function timeZoneGroups(current: string) {
  const zones = new Set(allTimeZones)
  zones.add('UTC')
  zones.add(current)
  const groups = new Map<string, string[]>()
  for (const zone of [...zones].sort()) {
    const region = zone.includes('/') ? (zone.split('/')[0] ?? 'Other') : 'Other'
    groups.set(region, [...(groups.get(region) ?? []), zone])
  }
  return [...groups].map(([group, items]) => ({ group, items }))
}

// A time input cannot show 24:00: midnight at the end of a day is entered and shown as 00:00.
const toInputEnd = (end: string) => (end === '24:00' ? '00:00' : end)
const fromInputEnd = (end: string) => (end === '00:00' ? '24:00' : end)

/** What is wrong with one day's hours, or null. */
function dayError(hours: DayHours | null): string | null {
  if (!hours) return null
  if (!hours.start || !hours.end) return 'Enter both times.'
  return hours.end > hours.start
    ? null
    : 'Closing must be after opening (overnight hours are not supported).'
}

interface CalendarFormProps {
  calendar?: Calendar
  /** The workspace time zone, for a new calendar. */
  defaultTimeZone: string
  /** Whether a new calendar starts as the workspace calendar (when there is none yet). */
  suggestDefault: boolean
  onDone: () => void
}

/** Name, time zone, weekly hours (with closed days) and holidays of one business calendar. */
export function CalendarForm({
  calendar,
  defaultTimeZone,
  suggestDefault,
  onDone,
}: CalendarFormProps) {
  const queryClient = useQueryClient()
  const [name, setName] = useState(calendar?.name ?? '')
  const [timeZone, setTimeZone] = useState(calendar?.timeZone ?? defaultTimeZone)
  const [week, setWeek] = useState<Week>(calendar?.week ?? officeWeek)
  const [holidays, setHolidays] = useState<string[]>(calendar?.holidays ?? [])
  const [newHoliday, setNewHoliday] = useState('')
  const [isDefault, setDefault] = useState(calendar?.isDefault ?? suggestDefault)
  const [checked, setChecked] = useState(false)
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      calendar
        ? patchData<Calendar>(`/api/v1/sla/calendars/${encodeURIComponent(calendar.id)}`, body)
        : postData<Calendar>('/api/v1/sla/calendars', body),
    onSuccess: async (saved) => {
      notifySuccess(
        `Calendar “${saved.name}” saved. New handoffs use it; open ones keep their due times.`,
      )
      await queryClient.invalidateQueries({ queryKey: ['sla'] })
      onDone()
    },
  })
  const setDay = (key: keyof Week, hours: DayHours | null) => setWeek({ ...week, [key]: hours })
  const isAllClosed = Object.values(week).every((hours) => hours === null)
  const hasDayErrors = weekdays.some(({ key }) => dayError(week[key]) !== null)
  const addHoliday = () => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(newHoliday)) return
    setHolidays([...new Set([...holidays, newHoliday])].sort())
    setNewHoliday('')
  }
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    setChecked(true)
    if (name.trim() === '' || isAllClosed || hasDayErrors) return
    save.mutate({ name: name.trim(), timeZone, week, holidays, isDefault })
  }
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        {save.error ? <ErrorAlert title="Not saved" error={save.error} /> : null}
        <TextInput
          label="Name"
          required
          data-autofocus
          maxLength={200}
          placeholder="e.g. Berlin office"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={checked && name.trim() === '' ? 'Give the calendar a name.' : null}
        />
        <NativeSelect
          label="Time zone"
          description="Opening hours and holidays are wall-clock times in this zone; clocks follow its daylight saving changes."
          data={timeZoneGroups(timeZone)}
          value={timeZone}
          onChange={(e) => setTimeZone(e.currentTarget.value)}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="week-label">
            Opening hours
          </Text>
          <Text size="xs" c="dimmed">
            SLA clocks run only inside these hours. An end of 00:00 means midnight.
          </Text>
          <Table aria-labelledby="week-label" verticalSpacing={4}>
            <Table.Tbody>
              {weekdays.map(({ key, label }) => {
                const hours = week[key]
                const error = checked ? dayError(hours) : null
                return (
                  <Table.Tr key={key}>
                    <Table.Td w={110}>
                      <Text size="sm">{label}</Text>
                    </Table.Td>
                    <Table.Td w={100}>
                      <Switch
                        label={hours ? 'Open' : 'Closed'}
                        aria-label={`${label} open`}
                        checked={hours !== null}
                        onChange={(e) => setDay(key, e.currentTarget.checked ? officeHours : null)}
                      />
                    </Table.Td>
                    <Table.Td>
                      {hours ? (
                        <Group gap="xs" wrap="nowrap" align="flex-start">
                          <TextInput
                            type="time"
                            aria-label={`${label} opens at`}
                            value={hours.start}
                            onChange={(e) =>
                              setDay(key, { ...hours, start: e.currentTarget.value })
                            }
                            error={error}
                            w={140}
                          />
                          <Text size="sm" pt={6} aria-hidden="true">
                            to
                          </Text>
                          <TextInput
                            type="time"
                            aria-label={`${label} closes at`}
                            value={toInputEnd(hours.end)}
                            onChange={(e) =>
                              setDay(key, { ...hours, end: fromInputEnd(e.currentTarget.value) })
                            }
                            error={error ? ' ' : null}
                            w={140}
                          />
                        </Group>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                )
              })}
            </Table.Tbody>
          </Table>
          {checked && isAllClosed ? (
            <Text size="sm" c="red" role="alert">
              Open at least one day of the week.
            </Text>
          ) : null}
        </Stack>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Holidays
          </Text>
          <Text size="xs" c="dimmed">
            Closed all day; clocks pause as on a weekend. At most 366.
          </Text>
          {holidays.length === 0 ? (
            <Text size="sm" c="dimmed">
              No holidays.
            </Text>
          ) : (
            <Stack gap={2} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {holidays.map((date) => (
                <Group key={date} component="li" gap="xs">
                  <Text size="sm" ff="monospace">
                    {date}
                  </Text>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    aria-label={`Remove holiday ${date}`}
                    onClick={() => setHolidays(holidays.filter((d) => d !== date))}
                  >
                    <IconTrash size={14} aria-hidden="true" />
                  </ActionIcon>
                </Group>
              ))}
            </Stack>
          )}
          <Group gap="xs" align="flex-end">
            <TextInput
              type="date"
              label="Add a holiday"
              value={newHoliday}
              onChange={(e) => setNewHoliday(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault()
                  addHoliday()
                }
              }}
              w={180}
            />
            <Button
              variant="default"
              onClick={addHoliday}
              disabled={newHoliday === '' || holidays.length >= 366}
            >
              Add
            </Button>
          </Group>
        </Stack>
        <Switch
          label="Workspace calendar"
          description="Used by every SLA policy that has no calendar of its own; replaces the current one."
          checked={isDefault}
          onChange={(e) => setDefault(e.currentTarget.checked)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save calendar
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
