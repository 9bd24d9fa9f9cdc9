import { Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { getData, patchData } from '../../api/client.ts'
import { queryKeys } from '../../api/queries.ts'
import { hasPermission } from '../../api/roles.ts'
import type { Workspace } from '../../api/types.ts'
import { AdminOnly } from '../../components/admin-only.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import {
  monthName,
  validateWorkspace,
  type WorkspaceErrors,
  WorkspaceFields,
  type WorkspaceValues,
} from '../../components/workspace-fields.tsx'
import { useMe } from '../shell/me-context.tsx'

export function WorkspaceSettingsPage() {
  useDocumentTitle('Workspace settings')
  const me = useMe()
  const canEdit = hasPermission(me, 'workspace:update')
  const query = useQuery({
    queryKey: queryKeys.workspace,
    queryFn: () => getData<Workspace>('/api/v1/workspace'),
  })

  return (
    <Stack>
      <Title order={2}>Workspace</Title>
      {query.isPending ? (
        <LoadingRows label="Loading workspace settings" rows={4} height={56} />
      ) : query.error ? (
        <ErrorAlert
          title="Could not load the workspace"
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      ) : canEdit ? (
        <WorkspaceForm key={query.data.id} workspace={query.data} />
      ) : (
        <>
          <AdminOnly>Only admins can change workspace settings.</AdminOnly>
          <WorkspaceDetails workspace={query.data} />
        </>
      )}
    </Stack>
  )
}

function WorkspaceDetails({ workspace }: { workspace: Workspace }) {
  const rows: [string, string][] = [
    ['Name', workspace.name],
    ['Time zone', workspace.timeZone],
    ['Base currency', workspace.baseCurrency],
    ['Fiscal year starts in', monthName(workspace.fiscalYearStartMonth)],
    ['Created', formatDate(workspace.createdAt)],
  ]
  return (
    <Paper withBorder>
      <Table>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th scope="row" w={220}>
                {label}
              </Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  )
}

function toValues(workspace: Workspace): WorkspaceValues {
  return {
    name: workspace.name,
    timeZone: workspace.timeZone,
    baseCurrency: workspace.baseCurrency,
    fiscalYearStartMonth: workspace.fiscalYearStartMonth,
  }
}

function WorkspaceForm({ workspace }: { workspace: Workspace }) {
  const queryClient = useQueryClient()
  const [values, setValues] = useState(() => toValues(workspace))
  const [errors, setErrors] = useState<WorkspaceErrors>({})
  const mutation = useMutation({
    mutationFn: (patch: WorkspaceValues) => patchData<Workspace>('/api/v1/workspace', patch),
    onSuccess: async (saved) => {
      queryClient.setQueryData(queryKeys.workspace, saved)
      setValues(toValues(saved))
      notifySuccess('Workspace settings saved.')
      await queryClient.invalidateQueries({ queryKey: queryKeys.me })
    },
  })
  const initial = toValues(workspace)
  const isDirty = (Object.keys(initial) as (keyof WorkspaceValues)[]).some(
    (key) => initial[key] !== values[key],
  )

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const found = validateWorkspace(values)
    setErrors(found)
    if (Object.keys(found).length === 0) mutation.mutate({ ...values, name: values.name.trim() })
  }

  return (
    <Paper withBorder p="lg" maw={560}>
      <form onSubmit={onSubmit} aria-label="Workspace settings">
        <Stack>
          {mutation.error ? (
            <ErrorAlert title="Could not save the settings" error={mutation.error} />
          ) : null}
          <WorkspaceFields values={values} errors={errors} onChange={setValues} />
          <Text size="xs" c="dimmed">
            Created {formatDate(workspace.createdAt)}.
          </Text>
          <Group justify="flex-end">
            <Button
              variant="default"
              disabled={!isDirty || mutation.isPending}
              onClick={() => {
                setValues(initial)
                setErrors({})
              }}
            >
              Discard changes
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              Save changes
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  )
}
