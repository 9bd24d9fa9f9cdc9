import {
  ActionIcon,
  Button,
  Group,
  Modal,
  NativeSelect,
  Stack,
  TextInput,
  Tooltip,
} from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { IconDeviceFloppy, IconTrash } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api, postData } from '../../api/client.ts'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { crmKeys, getList } from './crm-queries.ts'
import type { ApiFilter } from './filter.ts'
import type { ListEntity } from './list-config.ts'
import type { SavedView } from './types.ts'

interface SavedViewsProps {
  entity: ListEntity
  current: { filter: ApiFilter | null; sort: string; columns: string[] }
  onApply: (view: SavedView | null) => void
}

/** Named filter + sort + columns, kept per person on the server; one select to switch. */
export function SavedViews({ entity, current, onApply }: SavedViewsProps) {
  const queryClient = useQueryClient()
  const key = [...crmKeys.savedViews, entity]
  const [selected, setSelected] = useState('')
  const [saving, { open, close }] = useDisclosure(false)
  const [deleting, setDeleting] = useState<SavedView | null>(null)
  const [name, setName] = useState('')
  const views = useQuery({
    queryKey: key,
    queryFn: () => getList<SavedView>(`/api/v1/saved-views?entity=${entity}`),
  })
  const save = useMutation({
    mutationFn: (viewName: string) =>
      postData<SavedView>('/api/v1/saved-views', { entity, name: viewName, ...current }),
    onSuccess: async (view) => {
      notifySuccess(`View “${view.name}” saved.`)
      setSelected(view.id)
      close()
      setName('')
      await queryClient.invalidateQueries({ queryKey: key })
    },
  })
  const remove = useMutation({
    mutationFn: (view: SavedView) =>
      api.delete(`/api/v1/saved-views/${encodeURIComponent(view.id)}`),
    onSuccess: async (_r, view) => {
      notifySuccess(`View “${view.name}” deleted.`)
      setDeleting(null)
      setSelected('')
      await queryClient.invalidateQueries({ queryKey: key })
    },
  })
  const list = views.data ?? []
  const chosen = list.find((v) => v.id === selected) ?? null
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (name.trim()) save.mutate(name.trim())
  }

  return (
    <Group gap={4} wrap="nowrap">
      <NativeSelect
        aria-label="Saved view"
        size="sm"
        w={170}
        disabled={views.isPending || Boolean(views.error)}
        data={[
          { value: '', label: views.error ? 'Views unavailable' : 'All records' },
          ...list.map((v) => ({ value: v.id, label: v.name })),
        ]}
        value={selected}
        onChange={(event) => {
          const id = event.currentTarget.value
          setSelected(id)
          onApply(list.find((v) => v.id === id) ?? null)
        }}
      />
      <Tooltip label="Save this view">
        <ActionIcon variant="default" size="lg" aria-label="Save view" onClick={open}>
          <IconDeviceFloppy size={16} aria-hidden="true" />
        </ActionIcon>
      </Tooltip>
      {chosen ? (
        <Tooltip label="Delete this view">
          <ActionIcon
            variant="default"
            size="lg"
            aria-label={`Delete view ${chosen.name}`}
            onClick={() => {
              remove.reset()
              setDeleting(chosen)
            }}
          >
            <IconTrash size={16} aria-hidden="true" />
          </ActionIcon>
        </Tooltip>
      ) : null}
      <Modal opened={saving} onClose={close} title="Save view">
        <form onSubmit={onSubmit}>
          <Stack>
            {save.error ? <ErrorAlert title="Could not save the view" error={save.error} /> : null}
            <TextInput
              label="View name"
              description="Keeps the search filters, sort and columns you see now"
              required
              data-autofocus
              maxLength={100}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={save.isPending}>
                Save view
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title="Delete view"
        confirmLabel="Delete view"
        loading={remove.isPending}
        error={remove.error}
        onClose={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) remove.mutate(deleting)
        }}
      >
        Delete the view “{deleting?.name}”? The records themselves stay as they are.
      </ConfirmModal>
    </Group>
  )
}
