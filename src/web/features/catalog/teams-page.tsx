import { Button, Group, Modal, MultiSelect, Stack, Text, TextInput, Title } from '@mantine/core'
import { IconPlus } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api, patchData, postData } from '../../api/client.ts'
import { AdminOnly } from '../../components/admin-only.tsx'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { useCursorList } from '../../components/use-cursor-list.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { crmKeys, memberOptions, useAllMembers } from '../records/crm-queries.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { useCan } from '../records/permissions.ts'
import { OwnerSelect } from '../records/pickers.tsx'
import type { Ref } from '../records/types.ts'
import { CatalogTable } from './catalog-table.tsx'

interface Team {
  id: string
  name: string
  managerId: string | null
  manager: Ref | null
  members: Ref[]
}

/** Sales teams: who manages whom, for routing, targets and reports by team. */
export function TeamsPage() {
  useDocumentTitle('Teams')
  const canManage = useCan('catalog:manage')
  const queryClient = useQueryClient()
  const list = useCursorList<Team>(crmKeys.teams, '/api/v1/teams', 100)
  const [editing, setEditing] = useState<Team | 'new' | null>(null)
  const [deleting, setDeleting] = useState<Team | null>(null)
  const remove = useMutation({
    mutationFn: (team: Team) => api.delete(`/api/v1/teams/${encodeURIComponent(team.id)}`),
    onSuccess: async (_r, team) => {
      notifySuccess(`Team “${team.name}” deleted.`)
      setDeleting(null)
      await queryClient.invalidateQueries({ queryKey: crmKeys.teams })
    },
  })

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Teams</Title>
        {canManage ? (
          <Button
            leftSection={<IconPlus size={16} aria-hidden="true" />}
            onClick={() => setEditing('new')}
          >
            New team
          </Button>
        ) : null}
      </Group>
      <Text size="sm" c="dimmed">
        Group reps under a manager; reports, targets and routing can then work by team.
      </Text>
      {canManage ? null : <AdminOnly>Only admins can change teams.</AdminOnly>}
      {list.isPending ? (
        <LoadingRows label="Loading teams" />
      ) : list.error ? (
        <ErrorAlert
          title="Could not load teams"
          error={list.error}
          onRetry={() => void list.refetch()}
        />
      ) : list.items.length === 0 ? (
        <EmptyState title="No teams yet">
          Use “New team” to group reps with their manager, e.g. “Enterprise” or “Mid-Market”.
        </EmptyState>
      ) : (
        <CatalogTable
          label="Teams"
          rows={list.items}
          rowName={(t) => t.name}
          columns={[
            { label: 'Name', render: (t) => t.name },
            { label: 'Manager', render: (t) => t.manager?.name ?? '—' },
            {
              label: 'Members',
              render: (t) => (t.members.length > 0 ? t.members.map((m) => m.name).join(', ') : '—'),
            },
          ]}
          onEdit={canManage ? setEditing : undefined}
          onDelete={
            canManage
              ? (team) => {
                  remove.reset()
                  setDeleting(team)
                }
              : undefined
          }
        />
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New team' : 'Edit team'}
      >
        {editing !== null ? (
          <TeamForm
            team={editing === 'new' ? undefined : editing}
            onDone={() => setEditing(null)}
          />
        ) : null}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title="Delete team"
        confirmLabel="Delete team"
        loading={remove.isPending}
        error={remove.error}
        onClose={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) remove.mutate(deleting)
        }}
      >
        Delete the team “{deleting?.name}”? Its people stay in the workspace.
      </ConfirmModal>
    </Stack>
  )
}

function TeamForm({ team, onDone }: { team?: Team; onDone: () => void }) {
  const queryClient = useQueryClient()
  const members = useAllMembers()
  const [name, setName] = useState(team?.name ?? '')
  const [managerId, setManagerId] = useState(team?.managerId ?? '')
  const [memberIds, setMemberIds] = useState<string[]>(team?.members.map((m) => m.id) ?? [])
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      team
        ? patchData<Team>(`/api/v1/teams/${encodeURIComponent(team.id)}`, body)
        : postData<Team>('/api/v1/teams', body),
    onSuccess: async (saved) => {
      notifySuccess(`Team “${saved.name}” saved.`)
      await queryClient.invalidateQueries({ queryKey: crmKeys.teams })
      onDone()
    },
  })
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate({ name: name.trim(), managerId: managerId || null, memberIds })
  }
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        {save.error ? <ErrorAlert title="Not saved" error={save.error} /> : null}
        <TextInput
          label="Name"
          required
          data-autofocus
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <OwnerSelect
          label="Manager"
          emptyLabel="No manager"
          value={managerId}
          onChange={setManagerId}
        />
        <MultiSelect
          label="Members"
          searchable
          data={memberOptions(members.data)}
          value={memberIds}
          onChange={setMemberIds}
          comboboxProps={{ withinPortal: true }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save team
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
