import { Alert, Button, Group, Modal, Radio, Stack, Table, Text } from '@mantine/core'
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import { api, getData } from '../../api/client.ts'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { crmKeys, useCustomFields } from '../records/crm-queries.ts'
import {
  defaultSource,
  type MergeEntity,
  type MergeRecord,
  mergeFieldsOf,
  mergeRecordHint,
  mergeRecordName,
} from './merge-fields.ts'

export const duplicatesKey = ['duplicates'] as const

interface MergeCompareProps {
  entity: MergeEntity
  /** The records to merge; the first is kept unless the person picks another. */
  ids: string[]
  opened: boolean
  onClose: () => void
  onMerged: (survivorId: string) => void
}

const plural = { contact: 'contacts', account: 'accounts' } as const
// Long emails and domains wrap inside their column instead of widening the table.
const wrapping = {
  label: { overflowWrap: 'anywhere' },
  description: { overflowWrap: 'anywhere' },
} as const

/**
 * Side by side: the person picks the record to keep and, for each field whose values differ, the
 * value to keep; then merges after a confirmation.
 */
export function MergeCompare({ entity, ids, opened, onClose, onMerged }: MergeCompareProps) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={`Compare and merge ${plural[entity]}`}
      size={ids.length > 2 ? '90%' : 'xl'}
    >
      {opened ? (
        <CompareBody entity={entity} ids={ids} onClose={onClose} onMerged={onMerged} />
      ) : null}
    </Modal>
  )
}

function CompareBody({ entity, ids, onClose, onMerged }: Omit<MergeCompareProps, 'opened'>) {
  const queryClient = useQueryClient()
  const custom = useCustomFields(entity)
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: [...crmKeys[plural[entity]], id],
      queryFn: () => getData<MergeRecord>(`/api/v1/${plural[entity]}/${encodeURIComponent(id)}`),
    })),
  })
  const records = results.flatMap((r) => (r.data ? [r.data] : []))
  const failed = results.find((r) => r.error)
  const [survivorId, setSurvivorId] = useState(ids[0] ?? '')
  const [choices, setChoices] = useState<Record<string, string>>({})
  const [confirming, setConfirming] = useState(false)
  const ordered = useMemo(() => {
    const survivor = records.find((r) => r.id === survivorId)
    return survivor ? [survivor, ...records.filter((r) => r.id !== survivorId)] : records
  }, [records, survivorId])
  const fields = mergeFieldsOf(entity, custom.data)
  const differing = fields.filter((f) => new Set(records.map((r) => f.text(r))).size > 1)
  const loaded = records.length === ids.length

  // Each time the kept record changes, preselect what the server would keep by default.
  const defaultsKey = `${survivorId}:${loaded}:${differing.map((f) => f.key).join(',')}`
  // biome-ignore lint/correctness/useExhaustiveDependencies: recomputed when defaultsKey changes
  useEffect(() => {
    if (!loaded) return
    const picks: Record<string, string> = {}
    for (const field of differing) {
      const source = defaultSource(field, ordered)
      if (source) picks[field.key] = source
    }
    setChoices(picks)
  }, [defaultsKey])

  const merge = useMutation({
    mutationFn: () =>
      api.post(`/api/v1/${plural[entity]}/${encodeURIComponent(survivorId)}/merge`, {
        otherIds: ordered.filter((r) => r.id !== survivorId).map((r) => r.id),
        fields: choices,
      }),
    onSuccess: async () => {
      setConfirming(false)
      notifySuccess(`Merged ${ids.length} ${plural[entity]} into one.`)
      await Promise.all([
        // A merge moves contacts, deals and activities between records: refresh them all.
        queryClient.invalidateQueries({ queryKey: crmKeys.contacts }),
        queryClient.invalidateQueries({ queryKey: crmKeys.accounts }),
        queryClient.invalidateQueries({ queryKey: crmKeys.deals }),
        queryClient.invalidateQueries({ queryKey: duplicatesKey }),
        queryClient.invalidateQueries({ queryKey: crmKeys.timeline }),
        queryClient.invalidateQueries({ queryKey: crmKeys.activities }),
      ])
      onMerged(survivorId)
    },
  })

  if (failed) return <ErrorAlert title="Could not load the records" error={failed.error} />
  if (!loaded) return <LoadingRows label="Loading the records to compare" rows={5} />
  const survivor = ordered[0]
  if (!survivor) return null
  const others = ordered.length - 1

  return (
    <Stack gap="md">
      <Text size="sm">
        Pick the record to keep, then the value to keep where they differ. Activities, touches,
        stage history and deal links of every record move to the one kept; the others are removed
        and cannot be restored from the Trash.
      </Text>
      <Table.ScrollContainer minWidth={140 + 240 * records.length}>
        <Table withTableBorder withColumnBorders verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Field</Table.Th>
              {records.map((record) => (
                <Table.Th key={record.id} scope="col">
                  <Radio
                    name="merge-survivor"
                    value={record.id}
                    checked={record.id === survivorId}
                    onChange={() => setSurvivorId(record.id)}
                    label={`Keep ${mergeRecordName(record)}`}
                    description={mergeRecordHint(record)}
                    styles={wrapping}
                  />
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {differing.map((field) => (
              <Table.Tr key={field.key}>
                <Table.Th scope="row">{field.label}</Table.Th>
                {records.map((record) => (
                  <Table.Td key={record.id}>
                    <Radio
                      name={`merge-field-${field.key}`}
                      value={record.id}
                      checked={choices[field.key] === record.id}
                      onChange={() => setChoices((c) => ({ ...c, [field.key]: record.id }))}
                      label={field.text(record)}
                      styles={wrapping}
                      aria-label={`${field.label}: ${field.text(record)} (from ${mergeRecordName(record)})`}
                    />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {differing.length === 0 ? (
        <Alert variant="light" color="blue">
          Every field has the same value in these records.
        </Alert>
      ) : (
        <Text size="xs" c="dimmed">
          {fields.length - differing.length} other fields are the same in every record.
        </Text>
      )}
      {merge.error && !confirming ? (
        <ErrorAlert title="The merge did not work" error={merge.error} />
      ) : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color="red" onClick={() => setConfirming(true)}>
          Merge
        </Button>
      </Group>
      <ConfirmModal
        opened={confirming}
        title={`Merge ${plural[entity]}`}
        confirmLabel={`Merge into ${mergeRecordName(survivor)}`}
        loading={merge.isPending}
        error={merge.error}
        onClose={() => setConfirming(false)}
        onConfirm={() => merge.mutate()}
      >
        Merge {others} other {others === 1 ? entity : plural[entity]} into{' '}
        {mergeRecordName(survivor)}? This cannot be undone.
      </ConfirmModal>
    </Stack>
  )
}
