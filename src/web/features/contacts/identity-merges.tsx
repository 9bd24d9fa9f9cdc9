import { Badge, Box, Button, Code, Group, Stack, Text, VisuallyHidden } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { isApiError, postData } from '../../api/client.ts'
import { AdminOnly } from '../../components/admin-only.tsx'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { useCursorList } from '../../components/use-cursor-list.ts'
import { crmKeys } from '../records/crm-queries.ts'
import { useCan } from '../records/permissions.ts'
import type { IdentityMerge } from '../records/types.ts'

const reasonLabels: Record<IdentityMerge['reason'], string> = {
  identify: 'Identify',
  alias: 'Alias',
}

function touchesText(count: number): string {
  return count === 1 ? '1 earlier touch' : `${count} earlier touches`
}

function MergeItem({
  merge,
  canUndo,
  onUndo,
}: {
  merge: IdentityMerge
  canUndo: boolean
  onUndo: () => void
}) {
  return (
    <Box component="li">
      <Stack gap={2}>
        <Group gap={6} justify="space-between" wrap="nowrap">
          <Group gap={6}>
            <Code style={{ overflowWrap: 'anywhere' }}>{merge.anonymousId}</Code>
            <Badge size="xs" variant="light" color="gray">
              {reasonLabels[merge.reason]}
            </Badge>
            {merge.undoneAt ? (
              <Badge size="xs" variant="outline" color="gray">
                Undone
              </Badge>
            ) : null}
          </Group>
          {canUndo && !merge.undoneAt ? (
            <Button size="compact-xs" variant="default" onClick={onUndo}>
              Undo
              <VisuallyHidden> merge of {merge.anonymousId}</VisuallyHidden>
            </Button>
          ) : null}
        </Group>
        <Text size="xs" c="dimmed">
          {touchesText(merge.touchpointsMoved)} joined{' '}
          <time dateTime={merge.mergedAt}>{formatDateTime(merge.mergedAt)}</time>
          {merge.undoneAt ? (
            <>
              ; undone <time dateTime={merge.undoneAt}>{formatDateTime(merge.undoneAt)}</time>
              {merge.undoneBy ? ` by ${merge.undoneBy.name}` : ''}
            </>
          ) : null}
        </Text>
      </Stack>
    </Box>
  )
}

/** Anonymous visitors whose earlier touches joined this contact; an admin may undo a wrong join. */
export function IdentityMerges({ contactId }: { contactId: string }) {
  const queryClient = useQueryClient()
  const canUndo = useCan('identities:manage')
  const [confirming, setConfirming] = useState<IdentityMerge | null>(null)
  const list = useCursorList<IdentityMerge>(
    [...crmKeys.identityMerges, contactId],
    `/api/v1/identity-merges?contactId=${encodeURIComponent(contactId)}`,
    20,
  )
  const undo = useMutation({
    mutationFn: (merge: IdentityMerge) =>
      postData<IdentityMerge>(`/api/v1/identity-merges/${encodeURIComponent(merge.id)}/undo`, {}),
    onSuccess: async (merge) => {
      setConfirming(null)
      notifySuccess(
        `The touches of ${merge.anonymousId} left this contact.`,
        'Identity merge undone',
      )
      await refresh()
    },
    // Someone else undid it meanwhile: show the list as it now is (the dialog says why).
    onError: (error) => (isApiError(error, 409) ? void refresh() : undefined),
  })

  async function refresh() {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: crmKeys.identityMerges }),
      queryClient.invalidateQueries({ queryKey: crmKeys.contacts }),
      queryClient.invalidateQueries({ queryKey: crmKeys.timeline }),
    ])
  }

  function close() {
    setConfirming(null)
    undo.reset()
  }

  if (list.isPending) return <LoadingRows label="Loading identity merges" rows={2} />
  if (list.error) {
    return (
      <ErrorAlert
        title="Could not load identity merges"
        error={list.error}
        onRetry={() => void list.refetch()}
      />
    )
  }
  if (list.items.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No anonymous history has joined this contact. When a visitor tracked before they gave their
        name identifies themself, their earlier visits join here.
      </Text>
    )
  }
  const hasActive = list.items.some((m) => !m.undoneAt)
  return (
    <Stack gap="sm">
      <Stack
        component="ul"
        gap="sm"
        aria-label="Identity merges"
        style={{ listStyle: 'none', margin: 0, padding: 0 }}
      >
        {list.items.map((merge) => (
          <MergeItem
            key={merge.id}
            merge={merge}
            canUndo={canUndo}
            onUndo={() => setConfirming(merge)}
          />
        ))}
      </Stack>
      {list.hasNextPage ? (
        <Button
          variant="default"
          size="xs"
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
        >
          Load more
        </Button>
      ) : null}
      {hasActive && !canUndo ? <AdminOnly>Only an admin can undo a merge.</AdminOnly> : null}
      <ConfirmModal
        opened={confirming !== null}
        title="Undo identity merge"
        confirmLabel="Undo merge"
        loading={undo.isPending}
        error={undo.error}
        onClose={close}
        onConfirm={() => (confirming ? undo.mutate(confirming) : undefined)}
      >
        The touches of anonymous visitor {confirming?.anonymousId} leave this contact, and its
        first-touch, last-touch and lead-creation values are worked out again. A later identify call
        from that visitor joins them again.
      </ConfirmModal>
    </Stack>
  )
}
