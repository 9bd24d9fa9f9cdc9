import { Button, Group, Modal, Radio, Select, Stack, Textarea, TextInput } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import dayjs from 'dayjs'
import { type FormEvent, useState } from 'react'
import { postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { TagPicker } from '../feedback/tag-picker.tsx'
import { type HandoffDetail, useRefreshHandoffs } from './handoffs-api.ts'

/** DEFINITIONS.md "Reasons for rejecting a lead": each reason's default outcome. */
const recycleReasons = [
  { value: 'no_budget', label: 'No budget' },
  { value: 'bad_timing', label: 'Bad timing' },
  { value: 'no_response', label: 'No response (after several attempts)' },
  { value: 'no_need', label: 'No need' },
]
const disqualifyReasons = [
  { value: 'not_icp', label: 'Not our ideal customer (industry, size, geography)' },
  { value: 'wrong_persona', label: 'Wrong persona' },
  { value: 'existing_customer_or_open_deal', label: 'Existing customer or open deal' },
  { value: 'duplicate', label: 'Duplicate' },
  { value: 'competitor_partner_or_student', label: 'Competitor, partner or student' },
  { value: 'invalid_contact_data', label: 'Invalid contact data' },
  { value: 'spam_or_test', label: 'Spam or test' },
]

export const rejectionReasonLabels: Record<string, string> = Object.fromEntries(
  [...recycleReasons, ...disqualifyReasons].map((r) => [r.value, r.label]),
)

type Outcome = 'recycle' | 'disqualify'

function defaultOutcome(reason: string): Outcome {
  return recycleReasons.some((r) => r.value === reason) ? 'recycle' : 'disqualify'
}

/** Reject with a reason; the outcome follows the reason unless the rep overrides it. */
export function RejectDialog({
  handoff,
  opened,
  onClose,
}: {
  handoff: HandoffDetail
  opened: boolean
  onClose: () => void
}) {
  const refresh = useRefreshHandoffs()
  const [reason, setReason] = useState<string | null>(null)
  const [outcome, setOutcome] = useState<Outcome>('recycle')
  const [recycleOn, setRecycleOn] = useState(() => dayjs().add(90, 'day').format('YYYY-MM-DD'))
  const [note, setNote] = useState('')
  const [tagIds, setTagIds] = useState<string[]>([])
  const [missingReason, setMissingReason] = useState(false)
  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      postData<HandoffDetail>(`/api/v1/handoffs/${handoff.id}/reject`, body),
    onSuccess: async (updated) => {
      notifySuccess(
        updated.rejectionOutcome === 'recycle'
          ? `Rejected and recycled: re-engage on ${updated.recycleOn}.`
          : 'Rejected and disqualified.',
      )
      await refresh()
      onClose()
    },
  })

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (!reason) {
      setMissingReason(true)
      return
    }
    mutation.mutate({
      reason,
      outcome,
      ...(outcome === 'recycle' && recycleOn ? { recycleOn } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
      ...(tagIds.length > 0 ? { tagIds } : {}),
    })
  }

  return (
    <Modal opened={opened} onClose={onClose} title="Reject this MQL" size="lg">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Select
            label="Reason"
            placeholder="Why is this lead not for sales now?"
            required
            data={[
              { group: 'Recycle by default', items: recycleReasons },
              { group: 'Disqualify by default', items: disqualifyReasons },
            ]}
            value={reason}
            onChange={(value) => {
              setReason(value)
              setMissingReason(false)
              if (value) setOutcome(defaultOutcome(value))
            }}
            error={missingReason ? 'Choose a reason: marketing learns from it.' : undefined}
            comboboxProps={{ withinPortal: true }}
          />
          <Radio.Group
            label="Outcome"
            description="Follows the reason; change it if this lead is the exception."
            value={outcome}
            onChange={(value) => setOutcome(value === 'disqualify' ? 'disqualify' : 'recycle')}
          >
            <Group mt={6}>
              <Radio value="recycle" label="Recycle (back to nurture)" />
              <Radio value="disqualify" label="Disqualify" />
            </Group>
          </Radio.Group>
          {outcome === 'recycle' ? (
            <TextInput
              type="date"
              label="Re-engage on"
              description="The contact returns to marketing's nurture until this date."
              value={recycleOn}
              onChange={(event) => setRecycleOn(event.currentTarget.value)}
              min={dayjs().format('YYYY-MM-DD')}
            />
          ) : null}
          <TagPicker value={tagIds} onChange={setTagIds} />
          <Textarea
            label="Note for marketing"
            autosize
            minRows={2}
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
          />
          {mutation.error ? <ErrorAlert title="Could not reject" error={mutation.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={mutation.isPending}>
              Reject
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
