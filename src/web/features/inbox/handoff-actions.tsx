import { Button, Group, Radio, Select, Stack, Text, TextInput } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { patchData, postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { crmKeys, useAllMembers } from '../records/crm-queries.ts'
import { leadStatusOptions } from '../records/labels.ts'
import { type HandoffDetail, useCanManageHandoffs, useRefreshHandoffs } from './handoffs-api.ts'
import { RejectDialog } from './reject-dialog.tsx'

/** Accept or reject an open handoff; 409s and 403s from the API show inline. */
export function DecisionActions({ handoff }: { handoff: HandoffDetail }) {
  const refresh = useRefreshHandoffs()
  const [rejecting, setRejecting] = useState(false)
  const accept = useMutation({
    mutationFn: () => postData<HandoffDetail>(`/api/v1/handoffs/${handoff.id}/accept`, {}),
    onSuccess: async () => {
      notifySuccess(`${handoff.contact.name} is now a sales-accepted lead.`)
      await refresh()
    },
  })
  return (
    <Stack gap="xs">
      <Group gap="sm">
        <Button color="green" onClick={() => accept.mutate()} loading={accept.isPending}>
          Accept
        </Button>
        <Button color="red" variant="light" onClick={() => setRejecting(true)}>
          Reject
        </Button>
      </Group>
      {accept.error ? <ErrorAlert title="Could not accept" error={accept.error} /> : null}
      <RejectDialog handoff={handoff} opened={rejecting} onClose={() => setRejecting(false)} />
    </Stack>
  )
}

/** Logs a call on the contact: the first call, email or meeting after the handoff is its first touch. */
export function LogCallForm({ handoff }: { handoff: HandoffDetail }) {
  const refresh = useRefreshHandoffs()
  const queryClient = useQueryClient()
  const [subject, setSubject] = useState('')
  const [missing, setMissing] = useState(false)
  const mutation = useMutation({
    mutationFn: (summary: string) =>
      postData('/api/v1/activities', {
        type: 'call',
        subject: summary,
        contactId: handoff.contact.id,
        ...(handoff.account ? { accountId: handoff.account.id } : {}),
      }),
    onSuccess: async () => {
      notifySuccess('Call logged.')
      setSubject('')
      await refresh()
      await queryClient.invalidateQueries({ queryKey: crmKeys.timeline })
    },
  })
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (!subject.trim()) {
      setMissing(true)
      return
    }
    mutation.mutate(subject.trim())
  }
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="xs">
        <Group align="flex-end" gap="sm">
          <TextInput
            label="Call summary"
            placeholder="e.g. Intro call: wants a demo next week"
            value={subject}
            onChange={(event) => {
              setSubject(event.currentTarget.value)
              setMissing(false)
            }}
            error={missing ? 'Say in a few words how the call went.' : undefined}
            style={{ flex: 1 }}
          />
          <Button type="submit" loading={mutation.isPending}>
            Log call
          </Button>
        </Group>
        {mutation.error ? (
          <ErrorAlert title="Could not log the call" error={mutation.error} />
        ) : null}
      </Stack>
    </form>
  )
}

/**
 * The lead status inside mql and sal (DEFINITIONS.md): new → attempting → connected → qualified |
 * disqualified. Logging a call moves new to attempting by itself; the rest is the rep's call.
 */
export function LeadStatusSelect({ handoff }: { handoff: HandoffDetail }) {
  const refresh = useRefreshHandoffs()
  const mutation = useMutation({
    mutationFn: (leadStatus: string) =>
      patchData(`/api/v1/contacts/${handoff.contact.id}`, { leadStatus }),
    onSuccess: async () => {
      notifySuccess('Lead status saved.')
      await refresh()
    },
  })
  const stage = handoff.contact.lifecycleStage
  if (stage !== 'mql' && stage !== 'sal') return null
  return (
    <Stack gap="xs">
      <Select
        label="Lead status"
        data={leadStatusOptions}
        value={handoff.contact.leadStatus}
        onChange={(value) => {
          if (value) mutation.mutate(value)
        }}
        allowDeselect={false}
        disabled={mutation.isPending}
        w={240}
      />
      {mutation.error ? (
        <ErrorAlert title="Could not save the lead status" error={mutation.error} />
      ) : null}
    </Stack>
  )
}

/** Managers give an open handoff to another rep, or route it again through the rules. */
export function ReassignForm({ handoff }: { handoff: HandoffDetail }) {
  const canManage = useCanManageHandoffs()
  const members = useAllMembers()
  const refresh = useRefreshHandoffs()
  const [ownerId, setOwnerId] = useState<string | null>(null)
  const mutation = useMutation({
    mutationFn: (body: { ownerId: string } | { reroute: true }) =>
      postData<HandoffDetail>(`/api/v1/handoffs/${handoff.id}/reassign`, body),
    onSuccess: async (updated) => {
      notifySuccess(
        updated.owner
          ? `Now with ${updated.owner.name}.`
          : 'No rep was eligible: it is unassigned.',
      )
      setOwnerId(null)
      await refresh()
    },
  })
  if (!canManage) return null
  const reps = (members.data ?? [])
    .filter((m) => ['sales', 'sales_manager', 'admin'].includes(m.role))
    .filter((m) => m.userId !== handoff.owner?.id)
    .map((m) => ({ value: m.userId, label: m.name }))
  return (
    <Stack gap="xs">
      <Group align="flex-end" gap="sm">
        <Select
          label="Give to"
          placeholder="Choose a rep"
          data={reps}
          value={ownerId}
          onChange={setOwnerId}
          searchable
          style={{ flex: 1 }}
        />
        <Button
          variant="default"
          disabled={!ownerId}
          onClick={() => ownerId && mutation.mutate({ ownerId })}
          loading={mutation.isPending && !!ownerId}
        >
          Reassign
        </Button>
        <Button variant="subtle" onClick={() => mutation.mutate({ reroute: true })}>
          Route again
        </Button>
      </Group>
      {mutation.error ? <ErrorAlert title="Could not reassign" error={mutation.error} /> : null}
    </Stack>
  )
}

/** The rep's 1-5 rating of the lead's quality: marketing's feedback loop. */
export function QualityRating({ handoff }: { handoff: HandoffDetail }) {
  const refresh = useRefreshHandoffs()
  const mutation = useMutation({
    mutationFn: (quality: number) =>
      postData<HandoffDetail>(`/api/v1/handoffs/${handoff.id}/rating`, { quality }),
    onSuccess: async () => {
      notifySuccess('Rating saved.')
      await refresh()
    },
  })
  return (
    <Stack gap="xs">
      <Radio.Group
        label="Lead quality"
        description="1 = far from what sales needs, 5 = exactly the lead we want more of."
        value={handoff.quality === null ? null : String(handoff.quality)}
        onChange={(value) => mutation.mutate(Number(value))}
      >
        <Group mt={6} gap="md">
          {[1, 2, 3, 4, 5].map((n) => (
            <Radio key={n} value={String(n)} label={String(n)} disabled={mutation.isPending} />
          ))}
        </Group>
      </Radio.Group>
      {handoff.quality === null ? (
        <Text size="xs" c="dimmed">
          Not rated yet.
        </Text>
      ) : null}
      {mutation.error ? (
        <ErrorAlert title="Could not save the rating" error={mutation.error} />
      ) : null}
    </Stack>
  )
}
