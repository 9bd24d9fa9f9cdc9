import { Alert, Button, Group, List, Modal, Stack, Text, Textarea } from '@mantine/core'
import { IconAlertTriangle } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api, postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { crmKeys } from '../records/crm-queries.ts'
import type { DealDetail } from '../records/types.ts'
import { type BlockedMove, useCanOverrideFit } from './fit-guard.ts'
import {
  overrideReasonMax,
  overrideReasonMin,
  overrideReasonProblem,
  type PoorFitRefusal,
  poorFitRefusal,
} from './fit-rules.ts'

/** Posts the override (fit:override) and refreshes every deal view. */
export function useFitOverride(dealId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (reason: string) =>
      postData<DealDetail>(`/api/v1/deals/${encodeURIComponent(dealId)}/fit-override`, {
        reason,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: crmKeys.deals })
    },
  })
}

/** Removes the override (fit:override): the guard applies again. */
export function useRemoveFitOverride(dealId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => api.delete(`/api/v1/deals/${encodeURIComponent(dealId)}/fit-override`),
    onSuccess: async () => {
      notifySuccess('Override removed: the fit guard applies again.')
      await queryClient.invalidateQueries({ queryKey: crmKeys.deals })
    },
  })
}

function RefusalText({ refusal, stageName }: { refusal?: PoorFitRefusal; stageName?: string }) {
  if (!refusal) return null
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden="true" />}>
      <Text size="sm">{refusal.message}</Text>
      {refusal.productFit !== null && refusal.threshold !== null ? (
        <Text size="xs" mt={4}>
          Product fit {refusal.productFit} is below the workspace’s threshold of {refusal.threshold}
          {stageName ? `, so it cannot enter “${stageName}” yet.` : '.'}
        </Text>
      ) : null}
    </Alert>
  )
}

interface FitOverrideFormProps {
  dealId: string
  dealName: string
  refusal?: PoorFitRefusal
  stageName?: string
  /** Called once the override is saved (the caller retries its move, if any). */
  onOverridden: () => void
  onCancel: () => void
  /** The retried move is in flight or failed: shown under the form. */
  retryPending?: boolean
  retryError?: unknown
}

function FitOverrideForm(props: FitOverrideFormProps) {
  const { dealId, dealName, refusal, stageName, onOverridden, onCancel } = props
  const [reason, setReason] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const override = useFitOverride(dealId)
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const found = overrideReasonProblem(reason)
    setProblem(found)
    if (found) return
    override.mutate(reason.trim(), {
      onSuccess: () => {
        notifySuccess(`Fit guard overridden for “${dealName}”.`)
        onOverridden()
      },
    })
  }
  return (
    <form onSubmit={onSubmit} aria-label="Override fit guard" noValidate>
      <Stack>
        <RefusalText refusal={refusal} stageName={stageName} />
        <Text size="sm">
          The deal fits its products poorly. Going ahead is your call: write why, for the audit log
          and for whoever reviews regret later.
        </Text>
        <Textarea
          label="Why override the fit guard?"
          description={`${overrideReasonMin}–${overrideReasonMax} characters; recorded with your name`}
          required
          autosize
          minRows={3}
          maxLength={overrideReasonMax}
          data-autofocus
          value={reason}
          error={problem}
          onChange={(e) => {
            setReason(e.currentTarget.value)
            if (problem) setProblem(null)
          }}
        />
        <Text size="xs" c="dimmed" aria-live="polite">
          {reason.trim().length}/{overrideReasonMax}
        </Text>
        {override.error ? <ErrorAlert title="Not overridden" error={override.error} /> : null}
        {props.retryError ? (
          <ErrorAlert title="Overridden, but the deal did not move" error={props.retryError} />
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" color="red.9" loading={override.isPending || props.retryPending}>
            {stageName ? 'Override and move' : 'Override fit guard'}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

/** For people who may not override: what happened and what to do next. */
function AskManager({ refusal, onClose }: { refusal?: PoorFitRefusal; onClose: () => void }) {
  return (
    <Stack>
      <RefusalText refusal={refusal} />
      <Text size="sm">What you can do:</Text>
      <List size="sm" spacing={4}>
        <List.Item>
          Ask a sales manager to override the fit guard with a reason; then move the deal again.
        </List.Item>
        <List.Item>
          Or fix what does not fit (the products on the deal, its needs, the account’s details).
        </List.Item>
        <List.Item>
          Or close it as lost with “Poor fit, walked away”: a good outcome that does not count
          against the win rate.
        </List.Item>
      </List>
      <Group justify="flex-end">
        <Button onClick={onClose} data-autofocus>
          OK
        </Button>
      </Group>
    </Stack>
  )
}

interface FitGuardModalProps<L> {
  blocked: BlockedMove<L> | null
  onClose: () => void
  /** Retries the refused move after the override is saved. */
  onRetry: (blocked: BlockedMove<L>) => void
  retryPending?: boolean
  retryError?: unknown
}

/**
 * Shown when the guard refuses a move: people with fit:override write a reason, which posts the
 * override and retries the move; others read why and to ask a sales manager.
 */
export function FitGuardModal<L>(props: FitGuardModalProps<L>) {
  const { blocked, onClose, onRetry } = props
  const canOverride = useCanOverrideFit()
  return (
    <Modal
      opened={blocked !== null}
      onClose={onClose}
      title={canOverride ? 'Override fit guard' : 'Poor fit: a sales manager must override'}
      size="lg"
    >
      {blocked === null ? null : canOverride ? (
        <FitOverrideForm
          key={`${blocked.deal.id}:${blocked.stage.id}`}
          dealId={blocked.deal.id}
          dealName={blocked.deal.name}
          refusal={blocked.refusal}
          stageName={blocked.stage.name}
          onOverridden={() => onRetry(blocked)}
          onCancel={onClose}
          retryPending={props.retryPending}
          retryError={poorFitRefusal(props.retryError) ? undefined : props.retryError}
        />
      ) : (
        <AskManager refusal={blocked.refusal} onClose={onClose} />
      )}
    </Modal>
  )
}

/** The same override, asked for ahead of a move (from the deal's fit panel). */
export function FitOverrideModal({
  opened,
  dealId,
  dealName,
  onClose,
}: {
  opened: boolean
  dealId: string
  dealName: string
  onClose: () => void
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Override fit guard" size="lg">
      {opened ? (
        <FitOverrideForm
          dealId={dealId}
          dealName={dealName}
          onOverridden={onClose}
          onCancel={onClose}
        />
      ) : null}
    </Modal>
  )
}
