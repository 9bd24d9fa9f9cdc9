import { Button, Group, NumberInput, Select, Stack, Switch, Text, TextInput } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { patchData, postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { notifySuccess } from '../../components/notify.ts'
import {
  type Calendar,
  type Policy,
  type SegmentChoice,
  segmentLabel,
  segmentLabels,
} from './types.ts'

// The calendar choice for "no calendar of its own" (a Select needs a non-empty value).
const workspaceCalendar = 'workspace'

// The API's window limits, in business minutes (src/server/sla/policy-service.ts).
const minMinutes = 1
const maxMinutes = 100_000

/** Hours as entered → whole business minutes, or null when out of range. */
function toMinutes(hours: number | string): number | null {
  const value = typeof hours === 'number' ? hours : Number.parseFloat(hours)
  if (!Number.isFinite(value)) return null
  const minutes = Math.round(value * 60)
  return minutes >= minMinutes && minutes <= maxMinutes ? minutes : null
}

interface PolicyFormProps {
  policy?: Policy
  /** Segments that have no policy yet, for a new policy. */
  freeSegments: SegmentChoice[]
  calendars: Calendar[]
  onDone: () => void
}

/** The windows of one segment's SLA, in business hours, and the calendar its clocks run on. */
export function PolicyForm({ policy, freeSegments, calendars, onDone }: PolicyFormProps) {
  const queryClient = useQueryClient()
  const [segment, setSegment] = useState<SegmentChoice>(
    policy ? (policy.segment ?? 'other') : (freeSegments[0] ?? 'other'),
  )
  const [name, setName] = useState(policy?.name ?? '')
  const [firstTouch, setFirstTouch] = useState<number | string>(policy?.firstTouchHours ?? 4)
  const [acceptance, setAcceptance] = useState<number | string>(policy?.acceptanceHours ?? 16)
  const [escalation, setEscalation] = useState<number | string>(policy?.escalationHours ?? 4)
  const [reassign, setReassign] = useState(policy?.reassignOnEscalation ?? false)
  const [calendarId, setCalendarId] = useState(policy?.calendarId ?? workspaceCalendar)
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      policy
        ? patchData<Policy>(`/api/v1/sla/policies/${encodeURIComponent(policy.id)}`, body)
        : postData<Policy>('/api/v1/sla/policies', body),
    onSuccess: async (saved) => {
      notifySuccess(`SLA policy “${saved.name}” saved. New handoffs get these windows.`)
      await queryClient.invalidateQueries({ queryKey: ['sla'] })
      onDone()
    },
  })
  const windows = {
    firstTouchMinutes: toMinutes(firstTouch),
    acceptanceMinutes: toMinutes(acceptance),
    escalationMinutes: toMinutes(escalation),
  }
  const rangeError = 'Between 1 minute and 1,666 hours.'
  const choices: SegmentChoice[] = policy ? [policy.segment ?? 'other'] : freeSegments
  const segmentOptions = choices.map((value) => ({
    value,
    label: value === 'other' ? segmentLabel(null) : segmentLabels[value],
  }))
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (Object.values(windows).some((minutes) => minutes === null)) return
    save.mutate({
      ...(policy ? {} : { segment: segment === 'other' ? null : segment }),
      ...(name.trim() ? { name: name.trim() } : {}),
      ...windows,
      reassignOnEscalation: reassign,
      calendarId: calendarId === workspaceCalendar ? null : calendarId,
    })
  }
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack>
        {save.error ? <ErrorAlert title="Not saved" error={save.error} /> : null}
        <Select
          label="Segment"
          description="Leads are grouped by their account's employees; “Every other lead” covers the rest."
          data={segmentOptions}
          value={segment}
          onChange={(value) => setSegment((value ?? 'other') as SegmentChoice)}
          allowDeselect={false}
          disabled={policy !== undefined}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput
          label="Name"
          placeholder={segmentLabel(segment === 'other' ? null : segment).replace(/ \(.*\)$/, '')}
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <NumberInput
          label="First touch within (business hours)"
          description="From the handoff to the rep's first call, email or meeting."
          data-autofocus
          min={0}
          step={0.5}
          decimalScale={2}
          value={firstTouch}
          onChange={setFirstTouch}
          error={windows.firstTouchMinutes === null ? rangeError : null}
        />
        <NumberInput
          label="Accept or reject within (business hours)"
          description="From the handoff to the rep's decision."
          min={0}
          step={0.5}
          decimalScale={2}
          value={acceptance}
          onChange={setAcceptance}
          error={windows.acceptanceMinutes === null ? rangeError : null}
        />
        <NumberInput
          label="Escalate after a missed first touch (business hours)"
          description="A second window after the breach, then the owner's team manager is notified."
          min={0}
          step={0.5}
          decimalScale={2}
          value={escalation}
          onChange={setEscalation}
          error={windows.escalationMinutes === null ? rangeError : null}
        />
        <Switch
          label="Reassign on escalation"
          description="Also route the handoff to another rep of the team when it escalates."
          checked={reassign}
          onChange={(e) => setReassign(e.currentTarget.checked)}
        />
        <Select
          label="Calendar"
          data={[
            { value: workspaceCalendar, label: 'Workspace calendar' },
            ...calendars.map((c) => ({ value: c.id, label: `${c.name} (${c.timeZone})` })),
          ]}
          value={calendarId}
          onChange={(value) => setCalendarId(value ?? workspaceCalendar)}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
        <Text size="xs" c="dimmed">
          Handoffs already open keep the due times they were given.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save policy
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
