import { Anchor, Button, Grid, Group, Modal, NativeSelect, Stack, Text, Title } from '@mantine/core'
import { IconPencil, IconTrash } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { api, getData, patchData } from '../../api/client.ts'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { formatDate } from '../../components/format.ts'
import { notifySuccess } from '../../components/notify.ts'
import { PageLoader } from '../../components/page-loader.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { QuickAddActivity } from '../activities/quick-add-activity.tsx'
import { RecordTimeline } from '../activities/timeline.tsx'
import { crmKeys, recordPath, useCustomFields, usePipelines } from '../records/crm-queries.ts'
import { customValueText } from '../records/custom-columns.tsx'
import { FieldList } from '../records/field-list.tsx'
import { forecastCategoryOptions, humanize, labelOf } from '../records/labels.ts'
import { formatMoney } from '../records/money.ts'
import { useCan } from '../records/permissions.ts'
import { RecordLoadError } from '../records/record-not-found.tsx'
import { RecordSection } from '../records/record-section.tsx'
import type { Deal, DealDetail, Stage } from '../records/types.ts'
import { DealContactsEditor, LineItemsEditor } from './deal-editors.tsx'
import { DealForm } from './deal-form.tsx'
import { StageBadge } from './deal-list.tsx'
import { DealContactsTable, DealStageHistory, LineItemsTable, LossPanel } from './deal-sections.tsx'
import { type LossDetails, LossReasonModal, WonModal } from './loss-reason-modal.tsx'
import { useStageMove } from './use-move-deal.ts'

type Dialog = 'edit' | 'delete' | 'lines' | 'contacts' | null

export function DealPage() {
  const { id = '' } = useParams()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const canWrite = useCan('records:write')
  const canDelete = useCan('records:delete')
  const pipelines = usePipelines()
  const custom = useCustomFields('deal')
  const [dialog, setDialog] = useState<Dialog>(null)
  const query = useQuery({
    queryKey: [...crmKeys.deals, id],
    queryFn: () => getData<DealDetail>(`/api/v1/deals/${encodeURIComponent(id)}`),
  })
  useDocumentTitle(query.data?.name ?? 'Deal')
  const moveMutation = useMutation({
    mutationFn: (input: { stage: Stage; loss?: LossDetails }) =>
      patchData<DealDetail>(`/api/v1/deals/${encodeURIComponent(id)}`, {
        stageId: input.stage.id,
        ...input.loss,
      }),
    onSuccess: async (_saved, { stage }) => {
      notifySuccess(`Moved to ${stage.name}.`)
      move.done()
      await queryClient.invalidateQueries({ queryKey: crmKeys.deals })
      await queryClient.invalidateQueries({ queryKey: crmKeys.timeline })
    },
  })
  const move = useStageMove((_deal: Deal, stage: Stage, loss?: LossDetails) => {
    moveMutation.reset()
    moveMutation.mutate({ stage, loss })
  })
  const remove = useMutation({
    mutationFn: () => api.delete(`/api/v1/deals/${encodeURIComponent(id)}`),
    onSuccess: async () => {
      notifySuccess('Deal moved to the Trash. Restore it from Settings, Trash within 30 days.')
      queryClient.removeQueries({ queryKey: [...crmKeys.deals, id] })
      void navigate('/microscope/deals')
      await queryClient.invalidateQueries({ queryKey: crmKeys.deals })
    },
  })

  if (query.isPending) return <PageLoader label="Loading the deal" />
  if (query.error) {
    return (
      <RecordLoadError
        error={query.error}
        noun="deal"
        listPath="/microscope/deals"
        onRetry={() => void query.refetch()}
      />
    )
  }
  const deal = query.data
  const pipeline = pipelines.data?.find((p) => p.id === deal.pipelineId)
  const stages = pipeline?.stages ?? []
  const stage = stages.find((s) => s.id === deal.stageId)
  const isLost = stage?.isLost ?? deal.stage?.isLost ?? false
  const close = () => setDialog(null)

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/microscope/deals" size="sm">
        All deals
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{deal.name}</Title>
          <Group gap="xs">
            <StageBadge deal={{ ...deal, stage: stage ?? deal.stage }} />
            <Text fw={600}>{formatMoney(deal.amount, deal.currency)}</Text>
            {deal.account ? (
              <Anchor component={Link} to={recordPath('account', deal.account.id)}>
                {deal.account.name}
              </Anchor>
            ) : null}
          </Group>
        </Stack>
        {canWrite ? (
          <Group gap="xs" align="flex-end">
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
            <Button
              variant="default"
              leftSection={<IconPencil size={16} aria-hidden="true" />}
              onClick={() => setDialog('edit')}
            >
              Edit
            </Button>
            {canDelete ? (
              <Button
                variant="subtle"
                color="red"
                leftSection={<IconTrash size={16} aria-hidden="true" />}
                onClick={() => setDialog('delete')}
              >
                Delete
              </Button>
            ) : null}
          </Group>
        ) : null}
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            {isLost ? (
              <RecordSection title="Why it was lost">
                <LossPanel deal={deal} />
              </RecordSection>
            ) : null}
            <RecordSection title="Details">
              <FieldList
                label="Deal details"
                fields={[
                  ['Pipeline', pipeline?.name ?? '—'],
                  ['Owner', deal.owner?.name ?? 'No owner'],
                  ['Close date', deal.closeDate ? formatDate(deal.closeDate) : '—'],
                  ['Forecast', labelOf(deal.forecastCategory, forecastCategoryOptions)],
                  ['Needs', deal.needs.length > 0 ? deal.needs.map(humanize).join(', ') : '—'],
                  ...(custom.data ?? []).map((f): [string, string] => [
                    f.label,
                    customValueText(deal.custom[f.key]),
                  ]),
                  ['Created', formatDate(deal.createdAt)],
                ]}
              />
            </RecordSection>
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
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
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
            {canWrite ? (
              <RecordSection title="Log activity">
                <QuickAddActivity links={{ dealId: deal.id }} />
              </RecordSection>
            ) : null}
            <RecordSection title="Timeline">
              <RecordTimeline entity="deal" id={deal.id} />
            </RecordSection>
          </Stack>
        </Grid.Col>
      </Grid>
      <Modal opened={dialog === 'edit'} onClose={close} title="Edit deal" size="lg">
        <DealForm deal={deal} onCancel={close} onSaved={close} />
      </Modal>
      <Modal opened={dialog === 'lines'} onClose={close} title="Line items" size="xl">
        <LineItemsEditor deal={deal} onDone={close} />
      </Modal>
      <Modal opened={dialog === 'contacts'} onClose={close} title="Contacts on this deal" size="lg">
        <DealContactsEditor deal={deal} onDone={close} />
      </Modal>
      <ConfirmModal
        opened={dialog === 'delete'}
        title="Delete deal"
        confirmLabel="Move to Trash"
        loading={remove.isPending}
        error={remove.error}
        onClose={close}
        onConfirm={() => remove.mutate()}
      >
        Move “{deal.name}” to the Trash? It can be restored from Settings, Trash for 30 days.
      </ConfirmModal>
      <LossReasonModal
        opened={move.pending?.stage.isLost === true}
        dealName={deal.name}
        stageName={move.pending?.stage.name ?? ''}
        loading={moveMutation.isPending}
        error={moveMutation.error}
        onSubmit={(loss) => move.confirm(loss)}
        onClose={move.cancel}
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
    </Stack>
  )
}
