import { Anchor, Button, Modal, NativeSelect, Stack, Text } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Link } from 'react-router'
import { patchData } from '../../api/client.ts'
import { formatDate } from '../../components/format.ts'
import { notifyError, notifySuccess } from '../../components/notify.ts'
import { QuickAddActivity } from '../activities/quick-add-activity.tsx'
import { RecordTimeline } from '../activities/timeline.tsx'
import { TagBadges } from '../feedback/tag-picker.tsx'
import { PoorFitBadge } from '../fit/fit-badge.tsx'
import { useFitGuard } from '../fit/fit-guard.ts'
import { FitGuardModal } from '../fit/fit-guard-modal.tsx'
import { FitPanel } from '../fit/fit-panel.tsx'
import { OutcomeDatesSection } from '../fit/outcome-dates.tsx'
import { crmKeys, recordPath, useCustomFields, usePipelines } from '../records/crm-queries.ts'
import { forecastCategoryOptions, humanize, labelOf } from '../records/labels.ts'
import { formatMoney } from '../records/money.ts'
import { useCan } from '../records/permissions.ts'
import { EditButton, RecordDetails, RecordPage, RecordView } from '../records/record-page.tsx'
import { RecordSection } from '../records/record-section.tsx'
import type { Deal, DealDetail, Stage } from '../records/types.ts'
import { DealContactsEditor, LineItemsEditor } from './deal-editors.tsx'
import { DealForm } from './deal-form.tsx'
import { StageBadge } from './deal-list.tsx'
import { DealContactsTable, DealStageHistory, LineItemsTable, LossPanel } from './deal-sections.tsx'
import { type LossDetails, LossReasonModal, WonModal } from './loss-reason-modal.tsx'
import { useStageMove } from './use-move-deal.ts'

type Dialog = 'edit' | 'lines' | 'contacts' | null

export function DealPage() {
  const queryClient = useQueryClient()
  const canWrite = useCan('records:write')
  const pipelines = usePipelines()
  const custom = useCustomFields('deal')
  const [dialog, setDialog] = useState<Dialog>(null)
  const guard = useFitGuard<LossDetails>()
  const moveMutation = useMutation({
    mutationFn: (input: { deal: Deal; stage: Stage; loss?: LossDetails }) =>
      patchData<DealDetail>(`/api/v1/deals/${encodeURIComponent(input.deal.id)}`, {
        stageId: input.stage.id,
        ...input.loss,
      }),
    onSuccess: async (_saved, { stage }) => {
      notifySuccess(`Moved to ${stage.name}.`)
      move.done()
      guard.close()
      await queryClient.invalidateQueries({ queryKey: crmKeys.deals })
      await queryClient.invalidateQueries({ queryKey: crmKeys.timeline })
    },
    onError: (error, { deal, stage, loss }) => {
      // The poor-fit guard's 409 gets its own dialog (explain, or override and retry).
      if (guard.catchRefusal(error, deal, stage, loss)) move.cancel()
      else if (!stage.isWon && !stage.isLost) notifyError(`${deal.name} did not move`, error)
    },
  })
  const move = useStageMove((deal: Deal, stage: Stage, loss?: LossDetails) => {
    moveMutation.reset()
    moveMutation.mutate({ deal, stage, loss })
  })
  const close = () => setDialog(null)

  return (
    <RecordPage<DealDetail> entity="deal" nameOf={(deal) => deal.name}>
      {(deal) => {
        const pipeline = pipelines.data?.find((p) => p.id === deal.pipelineId)
        const stages = pipeline?.stages ?? []
        const stage = stages.find((s) => s.id === deal.stageId)
        const isLost = stage?.isLost ?? deal.stage?.isLost ?? false
        const tags = deal.tags ?? []
        return (
          <RecordView
            entity="deal"
            id={deal.id}
            name={deal.name}
            badges={
              <>
                <StageBadge deal={{ ...deal, stage: stage ?? deal.stage }} />
                <PoorFitBadge deal={deal} />
                <Text fw={600}>{formatMoney(deal.amount, deal.currency)}</Text>
                {deal.account ? (
                  <Anchor component={Link} to={recordPath('account', deal.account.id)}>
                    {deal.account.name}
                  </Anchor>
                ) : null}
              </>
            }
            actionsAlign="flex-end"
            actions={
              <>
                <NativeSelect
                  label="Stage"
                  data={stages.map((s) => ({ value: s.id, label: s.name }))}
                  value={deal.stageId}
                  disabled={stages.length === 0 || moveMutation.isPending}
                  onChange={(e) => {
                    const next = stages.find((s) => s.id === e.currentTarget.value)
                    if (next) move.request(deal, next)
                  }}
                />
                <EditButton onClick={() => setDialog('edit')} />
              </>
            }
            aside={
              <>
                {isLost ? (
                  <RecordSection title="Why it was lost">
                    <LossPanel deal={deal} />
                  </RecordSection>
                ) : null}
                {tags.length > 0 ? (
                  <RecordSection title="Objections & competitors">
                    <TagBadges tags={tags} />
                  </RecordSection>
                ) : null}
                <RecordDetails
                  label="Deal details"
                  record={deal}
                  customFields={custom.data}
                  fields={[
                    ['Pipeline', pipeline?.name ?? '—'],
                    ['Owner', deal.owner?.name ?? 'No owner'],
                    ['Close date', deal.closeDate ? formatDate(deal.closeDate) : '—'],
                    ['Forecast', labelOf(deal.forecastCategory, forecastCategoryOptions)],
                    ['Needs', deal.needs.length > 0 ? deal.needs.map(humanize).join(', ') : '—'],
                  ]}
                />
                <OutcomeDatesSection
                  entity="deal"
                  id={deal.id}
                  dates={{
                    churnedOn: deal.churnedOn ?? null,
                    refundedOn: deal.refundedOn ?? null,
                    downgradedOn: deal.downgradedOn ?? null,
                  }}
                />
                <RecordSection title="Stage history">
                  <DealStageHistory entries={deal.stageHistory} stages={stages} />
                </RecordSection>
                <RecordSection
                  title="Contacts"
                  actions={
                    canWrite ? (
                      <Button size="xs" variant="default" onClick={() => setDialog('contacts')}>
                        Edit contacts
                      </Button>
                    ) : null
                  }
                >
                  <DealContactsTable deal={deal} />
                </RecordSection>
              </>
            }
            main={
              <Stack gap="md">
                <RecordSection
                  title="Line items"
                  actions={
                    canWrite ? (
                      <Button size="xs" variant="default" onClick={() => setDialog('lines')}>
                        Edit line items
                      </Button>
                    ) : null
                  }
                >
                  <LineItemsTable deal={deal} />
                </RecordSection>
                <RecordSection title="Product fit">
                  <FitPanel deal={deal} />
                </RecordSection>
                {canWrite ? (
                  <RecordSection title="Log activity">
                    <QuickAddActivity links={{ dealId: deal.id }} />
                  </RecordSection>
                ) : null}
                <RecordSection title="Timeline">
                  <RecordTimeline entity="deal" id={deal.id} />
                </RecordSection>
              </Stack>
            }
          >
            <Modal opened={dialog === 'edit'} onClose={close} title="Edit deal" size="lg">
              <DealForm deal={deal} onCancel={close} onSaved={close} />
            </Modal>
            <Modal opened={dialog === 'lines'} onClose={close} title="Line items" size="xl">
              <LineItemsEditor deal={deal} onDone={close} />
            </Modal>
            <Modal
              opened={dialog === 'contacts'}
              onClose={close}
              title="Contacts on this deal"
              size="lg"
            >
              <DealContactsEditor deal={deal} onDone={close} />
            </Modal>
            <LossReasonModal
              opened={move.pending?.stage.isLost === true}
              dealName={deal.name}
              stageName={move.pending?.stage.name ?? ''}
              loading={moveMutation.isPending}
              error={moveMutation.error}
              onSubmit={(loss) => move.confirm(loss)}
              onClose={move.cancel}
              currentTags={tags}
            />
            <FitGuardModal
              blocked={guard.blocked}
              onClose={guard.close}
              onRetry={(blocked) => {
                moveMutation.reset()
                moveMutation.mutate({
                  deal: blocked.deal,
                  stage: blocked.stage,
                  loss: blocked.extra,
                })
              }}
              retryPending={moveMutation.isPending}
              retryError={moveMutation.error}
            />
            <WonModal
              opened={move.pending?.stage.isWon === true}
              dealName={deal.name}
              amount={formatMoney(deal.amount, deal.currency)}
              loading={moveMutation.isPending}
              error={moveMutation.error}
              onConfirm={() => move.confirm()}
              onClose={move.cancel}
            />
          </RecordView>
        )
      }}
    </RecordPage>
  )
}
