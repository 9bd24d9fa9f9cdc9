import { Button, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { patchData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { memberOptions, useAllMembers } from './crm-queries.ts'
import type { BulkField } from './list-config.ts'

interface BulkUpdateModalProps {
  opened: boolean
  ids: string[]
  fields: BulkField[]
  path: string
  queryKey: readonly string[]
  noun: { one: string; many: string }
  onClose: () => void
  onDone: () => void
}

/** One change applied to every selected record at once (all or nothing on the server). */
export function BulkUpdateModal(props: BulkUpdateModalProps) {
  const { opened, ids, fields, path, queryKey, noun, onClose, onDone } = props
  const queryClient = useQueryClient()
  const members = useAllMembers()
  const [fieldKey, setFieldKey] = useState(fields[0]?.key ?? '')
  const [value, setValue] = useState('')
  const field = fields.find((f) => f.key === fieldKey) ?? fields[0]
  const mutation = useMutation({
    mutationFn: (patch: Record<string, unknown>) =>
      patchData<{ updated: number }>(`${path}/bulk`, { ids, patch }),
    onSuccess: async (result) => {
      const count = result?.updated ?? ids.length
      notifySuccess(`${count} ${count === 1 ? noun.one : noun.many} updated.`)
      await queryClient.invalidateQueries({ queryKey })
      setValue('')
      onDone()
    },
  })
  const options =
    field?.kind === 'owner'
      ? [{ value: '', label: 'No owner' }, ...memberOptions(members.data)]
      : [{ value: '', label: 'None (clear it)' }, ...(field?.options ?? [])]

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (!field) return
    const trimmed = value.trim()
    mutation.mutate({ [field.key]: trimmed === '' ? null : trimmed })
  }

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={`Change ${ids.length} ${ids.length === 1 ? noun.one : noun.many}`}
    >
      <form onSubmit={onSubmit}>
        <Stack>
          {mutation.error ? (
            <ErrorAlert title="Nothing was changed" error={mutation.error} />
          ) : null}
          <NativeSelect
            label="Field to change"
            data={fields.map((f) => ({ value: f.key, label: f.label }))}
            value={field?.key ?? ''}
            onChange={(event) => {
              setFieldKey(event.currentTarget.value)
              setValue('')
            }}
          />
          {field?.kind === 'text' ? (
            <TextInput
              label="New value"
              description="Leave empty to clear it"
              value={value}
              onChange={(event) => setValue(event.currentTarget.value)}
            />
          ) : (
            <NativeSelect
              label="New value"
              data={options}
              value={value}
              onChange={(event) => setValue(event.currentTarget.value)}
            />
          )}
          <Text size="sm" c="dimmed">
            Every selected record gets this value; if one cannot, none is changed.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              Apply to {ids.length}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
