import {
  Button,
  Group,
  Modal,
  NativeSelect,
  SegmentedControl,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { IconPlus } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api, patchData, postData } from '../../api/client.ts'
import { AdminOnly } from '../../components/admin-only.tsx'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { crmKeys, useCustomFields } from '../records/crm-queries.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { humanize } from '../records/labels.ts'
import { useCan } from '../records/permissions.ts'
import type { CustomField, CustomFieldType, RecordEntity } from '../records/types.ts'
import { CatalogTable } from './catalog-table.tsx'

const entities = [
  { value: 'account', label: 'Accounts' },
  { value: 'contact', label: 'Contacts' },
  { value: 'deal', label: 'Deals' },
]
const types = [
  { value: 'text', label: 'Text' },
  { value: 'number', label: 'Number' },
  { value: 'date', label: 'Date' },
  { value: 'select', label: 'One of a list' },
  { value: 'multi_select', label: 'Several of a list' },
]
const hasOptions = (type: string) => type === 'select' || type === 'multi_select'

/** Extra fields on accounts, contacts and deals: shown on records, filterable as custom.<key>. */
export function CustomFieldsPage() {
  useDocumentTitle('Custom fields')
  const canManage = useCan('catalog:manage')
  const queryClient = useQueryClient()
  const [entity, setEntity] = useState<RecordEntity>('account')
  const fields = useCustomFields(entity)
  const [editing, setEditing] = useState<CustomField | 'new' | null>(null)
  const [deleting, setDeleting] = useState<CustomField | null>(null)
  const remove = useMutation({
    mutationFn: (f: CustomField) => api.delete(`/api/v1/custom-fields/${encodeURIComponent(f.id)}`),
    onSuccess: async (_r, f) => {
      notifySuccess(`Custom field “${f.label}” deleted.`)
      setDeleting(null)
      await queryClient.invalidateQueries({ queryKey: crmKeys.customFields })
    },
  })
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Custom fields</Title>
        {canManage ? (
          <Button
            leftSection={<IconPlus size={16} aria-hidden="true" />}
            onClick={() => setEditing('new')}
          >
            New custom field
          </Button>
        ) : null}
      </Group>
      <Text size="sm" c="dimmed">
        Fields your team needs beyond the built-in ones. They show on records, as list columns and
        in filters.
      </Text>
      {canManage ? null : <AdminOnly>Only admins can change custom fields.</AdminOnly>}
      <SegmentedControl
        aria-label="Record type"
        data={entities}
        value={entity}
        onChange={(v) => setEntity(v as RecordEntity)}
        w="fit-content"
      />
      {fields.isPending ? (
        <LoadingRows label="Loading custom fields" />
      ) : fields.error ? (
        <ErrorAlert
          title="Could not load custom fields"
          error={fields.error}
          onRetry={() => void fields.refetch()}
        />
      ) : fields.data.length === 0 ? (
        <EmptyState title="No custom fields here yet">
          Use “New custom field” to add one, e.g. “Contract end” (date) or “Segment” (one of a
          list).
        </EmptyState>
      ) : (
        <CatalogTable
          label="Custom fields"
          rows={fields.data}
          rowName={(f) => f.label}
          columns={[
            { label: 'Label', render: (f) => f.label },
            { label: 'Key', render: (f) => `custom.${f.key}` },
            {
              label: 'Type',
              render: (f) => types.find((t) => t.value === f.type)?.label ?? humanize(f.type),
            },
            {
              label: 'Options',
              render: (f) => (f.options.length > 0 ? f.options.join(', ') : '—'),
            },
          ]}
          onEdit={canManage ? setEditing : undefined}
          onDelete={
            canManage
              ? (f) => {
                  remove.reset()
                  setDeleting(f)
                }
              : undefined
          }
        />
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New custom field' : 'Edit custom field'}
      >
        {editing !== null ? (
          <FieldForm
            entity={entity}
            field={editing === 'new' ? undefined : editing}
            onDone={() => setEditing(null)}
          />
        ) : null}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title="Delete custom field"
        confirmLabel="Delete field"
        loading={remove.isPending}
        error={remove.error}
        onClose={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) remove.mutate(deleting)
        }}
      >
        Delete “{deleting?.label}”? Records lose its values, and saved views filtering on it stop
        matching.
      </ConfirmModal>
    </Stack>
  )
}

function FieldForm({
  entity,
  field,
  onDone,
}: {
  entity: RecordEntity
  field?: CustomField
  onDone: () => void
}) {
  const queryClient = useQueryClient()
  const [label, setLabel] = useState(field?.label ?? '')
  const [key, setKey] = useState(field?.key ?? '')
  const [type, setType] = useState<CustomFieldType>(field?.type ?? 'text')
  const [options, setOptions] = useState<string[]>(field?.options ?? [])
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      field
        ? patchData<CustomField>(`/api/v1/custom-fields/${encodeURIComponent(field.id)}`, body)
        : postData<CustomField>('/api/v1/custom-fields', body),
    onSuccess: async (saved) => {
      notifySuccess(`Custom field “${saved.label}” saved.`)
      await queryClient.invalidateQueries({ queryKey: crmKeys.customFields })
      onDone()
    },
  })
  const suggestedKey = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^[^a-z]+|_+$/g, '')
      .slice(0, 63)
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const withOptions = hasOptions(type) ? { options } : {}
    if (field) save.mutate({ label: label.trim(), ...withOptions })
    else save.mutate({ entity, key, label: label.trim(), type, ...withOptions })
  }
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        {save.error ? <ErrorAlert title="Not saved" error={save.error} /> : null}
        <TextInput
          label="Label"
          required
          data-autofocus
          maxLength={100}
          value={label}
          onChange={(e) => {
            const next = e.currentTarget.value
            if (!field && (key === '' || key === suggestedKey(label))) setKey(suggestedKey(next))
            setLabel(next)
          }}
        />
        <TextInput
          label="Key"
          description="snake_case; used in the API and filters as custom.<key>; cannot change later"
          required
          disabled={field !== undefined}
          value={key}
          onChange={(e) => setKey(e.currentTarget.value)}
        />
        <NativeSelect
          label="Type"
          data={types}
          disabled={field !== undefined}
          value={type}
          onChange={(e) => setType(e.currentTarget.value as CustomFieldType)}
        />
        {hasOptions(type) ? (
          <TagsInput
            label="Options"
            description="Press Enter after each"
            value={options}
            onChange={setOptions}
          />
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save field
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
