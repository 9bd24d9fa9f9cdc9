import {
  Button,
  Checkbox,
  Group,
  SegmentedControl,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { TagPicker } from '../feedback/tag-picker.tsx'
import { crmKeys } from '../records/crm-queries.ts'
import { activityTypeOptions, humanize } from '../records/labels.ts'
import type { Activity, ActivityType } from '../records/types.ts'

export interface ActivityLinks {
  contactId?: string
  accountId?: string
  dealId?: string
}

const placeholders: Record<ActivityType, string> = {
  call: 'e.g. Discovery call: budget confirmed',
  email: 'e.g. Sent the ROI case study',
  meeting: 'e.g. Demo with the operations team',
  note: 'e.g. Prefers contact after 3 pm',
  task: 'e.g. Send the proposal',
}

/** Logs a call, email, meeting, note or task on a record in a few keystrokes. */
export function QuickAddActivity({ links }: { links: ActivityLinks }) {
  const queryClient = useQueryClient()
  const [type, setType] = useState<ActivityType>('call')
  const [subject, setSubject] = useState('')
  const [body, setBody] = useState('')
  const [dueAt, setDueAt] = useState('')
  const [done, setDone] = useState(false)
  const [tagIds, setTagIds] = useState<string[]>([])
  const [error, setError] = useState<string | null>(null)
  const mutation = useMutation({
    mutationFn: (input: Record<string, unknown>) => postData<Activity>('/api/v1/activities', input),
    onSuccess: async (activity) => {
      notifySuccess(`${humanize(activity.type)} logged.`)
      setSubject('')
      setBody('')
      setDueAt('')
      setDone(false)
      setTagIds([])
      await queryClient.invalidateQueries({ queryKey: crmKeys.timeline })
      await queryClient.invalidateQueries({ queryKey: crmKeys.activities })
    },
  })

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (!subject.trim()) {
      setError('Say in a few words what happened or what to do.')
      return
    }
    setError(null)
    const isTask = type === 'task'
    mutation.mutate({
      type,
      subject: subject.trim(),
      body: body.trim() || null,
      ...links,
      ...(isTask && dueAt ? { dueAt: new Date(dueAt).toISOString() } : {}),
      ...(isTask ? { done } : {}),
      ...(!isTask && tagIds.length > 0 ? { tagIds } : {}),
    })
  }

  return (
    <form onSubmit={onSubmit} aria-label="Log an activity">
      <Stack gap="xs">
        {mutation.error ? <ErrorAlert title="Not logged" error={mutation.error} /> : null}
        <SegmentedControl
          aria-label="Activity type"
          size="xs"
          data={activityTypeOptions}
          value={type}
          onChange={(value) => setType(value as ActivityType)}
          fullWidth
        />
        <TextInput
          label="Subject"
          placeholder={placeholders[type]}
          maxLength={300}
          value={subject}
          error={error}
          onChange={(event) => setSubject(event.currentTarget.value)}
        />
        <Textarea
          label="Details"
          autosize
          minRows={2}
          maxRows={8}
          value={body}
          onChange={(event) => setBody(event.currentTarget.value)}
        />
        {type === 'task' ? (
          <Group gap="md" align="flex-end">
            <TextInput
              label="Due"
              type="datetime-local"
              value={dueAt}
              onChange={(event) => setDueAt(event.currentTarget.value)}
            />
            <Checkbox
              label="Already done"
              checked={done}
              onChange={(event) => setDone(event.currentTarget.checked)}
              mb={8}
            />
          </Group>
        ) : (
          <TagPicker value={tagIds} onChange={setTagIds} />
        )}
        <Group justify="flex-end">
          <Button type="submit" size="xs" loading={mutation.isPending}>
            Log {humanize(type).toLowerCase()}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
