import {
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { IconPlus } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { patchData, postData, putData } from '../../api/client.ts'
import { AdminOnly } from '../../components/admin-only.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { crmKeys, usePipelines } from '../records/crm-queries.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { useCan } from '../records/permissions.ts'
import type { Pipeline } from '../records/types.ts'
import { defaultStages, StageEditor, type StageRow, toRows, toStageInput } from './stage-editor.tsx'

type Editing = { kind: 'new' } | { kind: 'edit'; pipeline: Pipeline } | null

/** Pipelines and their stages: the columns of the board and the steps of every deal. */
export function PipelinesPage() {
  useDocumentTitle('Pipelines')
  const canManage = useCan('catalog:manage')
  const pipelines = usePipelines()
  const [editing, setEditing] = useState<Editing>(null)
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Pipelines</Title>
        {canManage ? (
          <Button
            leftSection={<IconPlus size={16} aria-hidden="true" />}
            onClick={() => setEditing({ kind: 'new' })}
          >
            New pipeline
          </Button>
        ) : null}
      </Group>
      <Text size="sm" c="dimmed">
        Each pipeline is a sequence of stages; new deals go to the default pipeline unless chosen.
      </Text>
      {canManage ? null : <AdminOnly>Only admins can change pipelines and stages.</AdminOnly>}
      {pipelines.isPending ? (
        <LoadingRows label="Loading pipelines" rows={2} height={120} />
      ) : pipelines.error ? (
        <ErrorAlert
          title="Could not load pipelines"
          error={pipelines.error}
          onRetry={() => void pipelines.refetch()}
        />
      ) : pipelines.data.length === 0 ? (
        <EmptyState title="No pipelines yet">
          Use “New pipeline” to set out the stages your deals go through.
        </EmptyState>
      ) : (
        pipelines.data.map((pipeline) => (
          <Paper key={pipeline.id} withBorder p="md" component="section" aria-label={pipeline.name}>
            <Group justify="space-between" mb="xs">
              <Group gap="xs">
                <Title order={3} size="h4">
                  {pipeline.name}
                </Title>
                {pipeline.isDefault ? <Badge variant="light">Default</Badge> : null}
              </Group>
              {canManage ? (
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => setEditing({ kind: 'edit', pipeline })}
                >
                  Edit {pipeline.name}
                </Button>
              ) : null}
            </Group>
            <Table aria-label={`Stages of ${pipeline.name}`} verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Stage</Table.Th>
                  <Table.Th ta="right">Win probability</Table.Th>
                  <Table.Th>Kind</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {pipeline.stages.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>{s.name}</Table.Td>
                    <Table.Td ta="right">{Math.round(s.winProbability * 100)}%</Table.Td>
                    <Table.Td>
                      {s.isWon ? 'Won' : s.isLost ? 'Lost' : 'Open'}
                      {s.isProposalOrLater && !s.isLost ? ', proposal or later' : ''}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        ))
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.kind === 'edit' ? `Edit ${editing.pipeline.name}` : 'New pipeline'}
        size="xl"
      >
        {editing !== null ? (
          <PipelineForm
            pipeline={editing.kind === 'edit' ? editing.pipeline : undefined}
            onDone={() => setEditing(null)}
          />
        ) : null}
      </Modal>
    </Stack>
  )
}

function PipelineForm({ pipeline, onDone }: { pipeline?: Pipeline; onDone: () => void }) {
  const queryClient = useQueryClient()
  const [name, setName] = useState(pipeline?.name ?? '')
  const [isDefault, setIsDefault] = useState(pipeline?.isDefault ?? false)
  const [rows, setRows] = useState<StageRow[]>(() =>
    pipeline ? toRows(pipeline.stages) : defaultStages(),
  )
  const [problem, setProblem] = useState<string | null>(null)
  const save = useMutation({
    mutationFn: async (stages: unknown[]) => {
      if (!pipeline) return postData<Pipeline>('/api/v1/pipelines', { name, isDefault, stages })
      const path = `/api/v1/pipelines/${encodeURIComponent(pipeline.id)}`
      if (name !== pipeline.name || isDefault !== pipeline.isDefault) {
        await patchData<Pipeline>(path, { name, isDefault })
      }
      return putData<Pipeline>(`${path}/stages`, { stages })
    },
    onSuccess: async (saved) => {
      notifySuccess(`Pipeline “${saved.name}” saved.`)
      await queryClient.invalidateQueries({ queryKey: crmKeys.pipelines })
      await queryClient.invalidateQueries({ queryKey: crmKeys.deals })
      onDone()
    },
  })
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const checked = toStageInput(rows)
    setProblem(checked.problem ?? null)
    if (checked.stages) save.mutate(checked.stages)
  }
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        {save.error ? <ErrorAlert title="Not saved" error={save.error} /> : null}
        {problem ? (
          <Text c="red" size="sm" role="alert">
            {problem}
          </Text>
        ) : null}
        <Group align="flex-end">
          <TextInput
            label="Pipeline name"
            required
            data-autofocus
            maxLength={100}
            style={{ flex: 1 }}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <Checkbox
            label="Default for new deals"
            checked={isDefault}
            onChange={(e) => setIsDefault(e.currentTarget.checked)}
            mb={8}
          />
        </Group>
        <StageEditor rows={rows} onChange={setRows} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save pipeline
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
