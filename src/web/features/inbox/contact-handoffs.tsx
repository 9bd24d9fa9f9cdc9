import { Anchor, Badge, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { Link } from 'react-router'
import { api, postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate } from '../../components/format.ts'
import { crmKeys } from '../records/crm-queries.ts'
import { useCan } from '../records/permissions.ts'
import { RecordSection } from '../records/record-section.tsx'
import { type Handoff, handoffKeys, tones } from './handoffs-api.ts'
import { SlaClock } from './sla-clock.tsx'

/** The contact page's handoffs: "Mark as MQL" (by hand, with a reason) and every past handoff. */
export function ContactHandoffs({ contactId, name }: { contactId: string; name: string }) {
  const canWrite = useCan('records:write')
  const [open, setOpen] = useState(false)
  const [created, setCreated] = useState<string | null>(null)
  const handoffs = useQuery({
    queryKey: handoffKeys.ofContact(contactId),
    queryFn: () =>
      api.get<{ data: Handoff[] }>(
        `/api/v1/handoffs?contactId=${encodeURIComponent(contactId)}&limit=20`,
      ),
  })
  const list = handoffs.data?.data ?? []
  const hasOpen = list.some((h) => h.status === 'open')
  return (
    <RecordSection
      title="Handoffs"
      actions={
        canWrite && !hasOpen ? (
          <Button size="xs" variant="light" onClick={() => setOpen(true)}>
            Mark as MQL
          </Button>
        ) : null
      }
    >
      {created ? (
        <Text size="sm" role="status">
          Handed off to sales.{' '}
          <Anchor component={Link} to={`/microscope/inbox/${created}`}>
            Open the handoff
          </Anchor>
        </Text>
      ) : null}
      {handoffs.error ? (
        <ErrorAlert title="Could not load handoffs" error={handoffs.error} />
      ) : null}
      {list.length === 0 && !handoffs.isPending ? (
        <Text size="sm" c="dimmed">
          Never handed off to sales. Marking {name} as an MQL routes them to a rep with an SLA
          clock.
        </Text>
      ) : null}
      <Stack gap="xs">
        {list.map((h) => (
          <Group key={h.id} justify="space-between" wrap="nowrap" gap="xs">
            <Stack gap={0}>
              <Anchor component={Link} to={`/microscope/inbox/${h.id}`} size="sm">
                Handoff of {formatDate(h.createdAt)}
              </Anchor>
              <Text size="xs" c="dimmed">
                {h.owner?.name ?? 'Unassigned'}
              </Text>
            </Stack>
            {h.status === 'open' ? (
              <SlaClock handoff={h} />
            ) : (
              <Badge color={h.status === 'accepted' ? tones.good : tones.bad}>
                {h.status === 'accepted' ? 'Accepted' : 'Rejected'}
              </Badge>
            )}
          </Group>
        ))}
      </Stack>
      <MarkMqlDialog
        contactId={contactId}
        name={name}
        opened={open}
        onClose={() => setOpen(false)}
        onCreated={(id) => {
          setCreated(id)
          setOpen(false)
        }}
      />
    </RecordSection>
  )
}

function MarkMqlDialog({
  contactId,
  name,
  opened,
  onClose,
  onCreated,
}: {
  contactId: string
  name: string
  opened: boolean
  onClose: () => void
  onCreated: (handoffId: string) => void
}) {
  const queryClient = useQueryClient()
  const [reason, setReason] = useState('')
  const [missing, setMissing] = useState(false)
  const mutation = useMutation({
    mutationFn: (why: string) =>
      postData<{ handoffId: string | null }>(`/api/v1/contacts/${contactId}/lifecycle`, {
        stage: 'mql',
        reason: why,
      }),
    onSuccess: async (result) => {
      setReason('')
      await queryClient.invalidateQueries({ queryKey: handoffKeys.all })
      await queryClient.invalidateQueries({ queryKey: crmKeys.contacts })
      if (result.handoffId) onCreated(result.handoffId)
      else onClose()
    },
  })
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (!reason.trim()) {
      setMissing(true)
      return
    }
    mutation.mutate(reason.trim())
  }
  return (
    <Modal opened={opened} onClose={onClose} title="Mark as MQL">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Text size="sm">
            {name} goes to sales now: routed to a rep, with a first-touch clock. Tell sales why.
          </Text>
          <Textarea
            label="Why should sales talk to this person?"
            placeholder="e.g. Asked for pricing at the trade show booth"
            required
            autosize
            minRows={2}
            value={reason}
            onChange={(event) => {
              setReason(event.currentTarget.value)
              setMissing(false)
            }}
            error={missing ? 'Give sales the reason: it shows on the handoff.' : undefined}
          />
          {mutation.error ? <ErrorAlert title="Could not hand off" error={mutation.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              Hand off to sales
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
