import {
  Box,
  Button,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { IconPlus } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { patchData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifyError } from '../../components/notify.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { DealForm } from '../deals/deal-form.tsx'
import { type LossDetails, LossReasonModal, WonModal } from '../deals/loss-reason-modal.tsx'
import { useStageMove } from '../deals/use-move-deal.ts'
import { useFitGuard } from '../fit/fit-guard.ts'
import { FitGuardModal } from '../fit/fit-guard-modal.tsx'
import { crmKeys, usePipelines } from '../records/crm-queries.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { formatMoney } from '../records/money.ts'
import { useCan } from '../records/permissions.ts'
import type { Deal, DealDetail, Stage } from '../records/types.ts'
import { useMe } from '../shell/me-context.tsx'
import { BoardColumn } from './board-column.tsx'
import { DealCard } from './deal-card.tsx'
import { boardKey, boardLimit, useClosedDeals, useOpenDeals } from './use-board-deals.ts'

type BoardData = { deals: Deal[]; isComplete: boolean } | null | undefined

/** The kanban of one pipeline: columns are stages, cards are its open deals. */
export function PipelineBoardPage() {
  useDocumentTitle('Pipeline')
  const me = useMe()
  const queryClient = useQueryClient()
  const canMove = useCan('records:write')
  const [params, setParams] = useSearchParams()
  const [creating, createModal] = useDisclosure(false)
  const [announcement, setAnnouncement] = useState('')
  const pipelines = usePipelines()
  const all = pipelines.data ?? []
  const pipeline =
    all.find((p) => p.id === params.get('pipeline')) ?? all.find((p) => p.isDefault) ?? all[0]
  const ownerId = params.get('owner') === 'me' ? (me.user?.id ?? '') : ''
  const stages = pipeline?.stages ?? []
  const openStages = stages.filter((s) => !s.isWon && !s.isLost)
  const wonStage = stages.find((s) => s.isWon)
  const lostStages = stages.filter((s) => s.isLost)
  const open = useOpenDeals(pipeline, ownerId)
  const won = useClosedDeals(pipeline, wonStage?.id ?? '', ownerId)
  const lost = useClosedDeals(pipeline, lostStages[0]?.id ?? '', ownerId)
  const key = boardKey(pipeline?.id ?? '', ownerId)
  const guard = useFitGuard<LossDetails>()

  const mutation = useMutation({
    mutationFn: (input: { deal: Deal; stage: Stage; loss?: LossDetails }) =>
      patchData<DealDetail>(`/api/v1/deals/${encodeURIComponent(input.deal.id)}`, {
        stageId: input.stage.id,
        ...input.loss,
      }),
    onMutate: async ({ deal, stage }) => {
      if (stage.isWon || stage.isLost) return
      await queryClient.cancelQueries({ queryKey: key })
      queryClient.setQueryData<BoardData>(key, (data) =>
        data
          ? {
              ...data,
              deals: data.deals.map((d) =>
                d.id === deal.id ? { ...d, stageId: stage.id, stage: { ...stage } } : d,
              ),
            }
          : data,
      )
    },
    onSuccess: (_saved, { deal, stage }) => {
      setAnnouncement(`Moved ${deal.name} to ${stage.name}.`)
      move.done()
      guard.close()
    },
    onError: (error, { deal, stage, loss }) => {
      // The poor-fit guard's 409 gets its own dialog (explain, or override and retry).
      if (guard.catchRefusal(error, deal, stage, loss)) {
        move.cancel()
        setAnnouncement(`${deal.name} did not move: it fits poorly.`)
      } else if (!stage.isWon && !stage.isLost) notifyError(`${deal.name} did not move`, error)
    },
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: crmKeys.deals })
    },
  })
  const move = useStageMove((deal, stage, loss) => {
    mutation.reset()
    mutation.mutate({ deal, stage, loss })
  })
  const deals = open.data?.deals ?? []
  const findDeal = (id: string) =>
    [...deals, ...(won.data?.deals ?? []), ...(lost.data?.deals ?? [])].find((d) => d.id === id)
  const onDropDeal = (id: string, stage: Stage) => {
    const deal = findDeal(id)
    if (deal) move.request(deal, stage)
  }
  const card = (deal: Deal) => (
    <DealCard key={deal.id} deal={deal} stages={stages} canMove={canMove} onMove={move.request} />
  )

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={1}>Pipeline</Title>
        <Group gap="xs" align="flex-end">
          <NativeSelect
            label="Pipeline"
            data={all.map((p) => ({ value: p.id, label: p.name }))}
            value={pipeline?.id ?? ''}
            disabled={all.length < 2}
            onChange={(e) =>
              setParams({ ...Object.fromEntries(params), pipeline: e.currentTarget.value })
            }
          />
          <NativeSelect
            label="Show"
            data={[
              { value: '', label: 'All deals' },
              { value: 'me', label: 'My deals' },
            ]}
            value={params.get('owner') ?? ''}
            onChange={(e) => {
              const next = new URLSearchParams(params)
              if (e.currentTarget.value) next.set('owner', e.currentTarget.value)
              else next.delete('owner')
              setParams(next)
            }}
          />
          {canMove ? (
            <Button
              leftSection={<IconPlus size={16} aria-hidden="true" />}
              onClick={createModal.open}
            >
              New deal
            </Button>
          ) : null}
        </Group>
      </Group>
      <VisuallyHidden role="status" aria-live="polite">
        {announcement}
      </VisuallyHidden>
      {canMove ? (
        <Text size="sm" c="dimmed">
          Drag a card to another stage, or use its “Move to stage” select. Won and lost ask first.
        </Text>
      ) : null}
      {pipelines.isPending || (open.isPending && pipeline) ? (
        <LoadingRows label="Loading the pipeline" rows={4} height={80} />
      ) : pipelines.error ? (
        <ErrorAlert
          title="Could not load the pipelines"
          error={pipelines.error}
          onRetry={() => void pipelines.refetch()}
        />
      ) : !pipeline ? (
        <EmptyState title="No pipeline yet">
          An admin can create one in Settings, Pipelines: its stages become the board's columns.
        </EmptyState>
      ) : open.error ? (
        <ErrorAlert
          title="Could not load the deals"
          error={open.error}
          onRetry={() => void open.refetch()}
        />
      ) : (
        <>
          {open.data && !open.data.isComplete ? (
            <Text size="sm" c="orange.8">
              Showing the first {boardLimit} open deals; totals cover only those. Filter by owner or
              use the Deals list to see the rest.
            </Text>
          ) : null}
          {deals.length === 0 ? (
            <Text size="sm" c="dimmed">
              No open deals in {pipeline.name}
              {ownerId ? ' that you own' : ''}. Create one with “New deal”; it lands in the first
              stage.
            </Text>
          ) : null}
          <Box
            style={{
              display: 'grid',
              gridTemplateColumns: 'repeat(auto-fit, minmax(168px, 1fr))',
              gap: 'var(--mantine-spacing-xs)',
              alignItems: 'start',
            }}
          >
            {openStages.map((stage) => {
              const inStage = deals.filter((d) => d.stageId === stage.id)
              return (
                <BoardColumn
                  key={stage.id}
                  stage={stage}
                  deals={inStage}
                  canDrop={canMove}
                  onDropDeal={onDropDeal}
                >
                  {inStage.map(card)}
                </BoardColumn>
              )
            })}
            <Stack gap="xs">
              {[
                ...(wonStage ? [{ stage: wonStage, data: won.data }] : []),
                ...lostStages.map((stage, i) => ({ stage, data: i === 0 ? lost.data : undefined })),
              ].map(({ stage, data }) => (
                <BoardColumn
                  key={stage.id}
                  stage={stage}
                  deals={data?.deals ?? []}
                  canDrop={canMove}
                  onDropDeal={onDropDeal}
                  maxHeight="32vh"
                  note={
                    data && data.deals.length > 0 ? 'Latest, newest first' : 'Drop here to close'
                  }
                >
                  {(data?.deals ?? []).map(card)}
                </BoardColumn>
              ))}
            </Stack>
          </Box>
        </>
      )}
      <LossReasonModal
        opened={move.pending?.stage.isLost === true}
        dealName={move.pending?.deal.name ?? ''}
        stageName={move.pending?.stage.name ?? ''}
        currentTags={move.pending?.deal.tags}
        loading={mutation.isPending}
        error={mutation.error}
        onSubmit={(loss) => move.confirm(loss)}
        onClose={move.cancel}
      />
      <FitGuardModal
        blocked={guard.blocked}
        onClose={guard.close}
        onRetry={(blocked) => {
          mutation.reset()
          mutation.mutate({ deal: blocked.deal, stage: blocked.stage, loss: blocked.extra })
        }}
        retryPending={mutation.isPending}
        retryError={mutation.error}
      />
      <WonModal
        opened={move.pending?.stage.isWon === true}
        dealName={move.pending?.deal.name ?? ''}
        amount={
          move.pending ? formatMoney(move.pending.deal.amount, move.pending.deal.currency) : ''
        }
        loading={mutation.isPending}
        error={mutation.error}
        onConfirm={() => move.confirm()}
        onClose={move.cancel}
      />
      <Modal opened={creating} onClose={createModal.close} title="New deal" size="lg">
        <DealForm onCancel={createModal.close} onSaved={createModal.close} />
      </Modal>
    </Stack>
  )
}
