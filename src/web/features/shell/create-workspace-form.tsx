import { Button, Group, Stack } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { postData } from '../../api/client.ts'
import type { Workspace } from '../../api/types.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { notifySuccess } from '../../components/notify.ts'
import {
  defaultWorkspaceValues,
  validateWorkspace,
  type WorkspaceErrors,
  WorkspaceFields,
} from '../../components/workspace-fields.tsx'
import { useSwitchWorkspace } from './use-session-actions.ts'

interface CreateWorkspaceFormProps {
  onCreated?: (workspace: Workspace) => void
  onCancel?: () => void
}

/** Creates a workspace (the creator becomes its admin) and switches to it. */
export function CreateWorkspaceForm({ onCreated, onCancel }: CreateWorkspaceFormProps) {
  const [values, setValues] = useState(defaultWorkspaceValues)
  const [errors, setErrors] = useState<WorkspaceErrors>({})
  const switchWorkspace = useSwitchWorkspace()
  const mutation = useMutation({
    mutationFn: () =>
      postData<Workspace>('/api/v1/workspaces', { ...values, name: values.name.trim() }),
    onSuccess: async (workspace) => {
      notifySuccess(`Workspace “${workspace.name}” created.`)
      onCreated?.(workspace)
      await switchWorkspace(workspace.id)
    },
  })

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const found = validateWorkspace(values)
    setErrors(found)
    if (Object.keys(found).length === 0) mutation.mutate()
  }

  return (
    <form onSubmit={onSubmit}>
      <Stack>
        {mutation.error ? (
          <ErrorAlert title="Could not create the workspace" error={mutation.error} />
        ) : null}
        <WorkspaceFields values={values} errors={errors} onChange={setValues} autoFocus />
        <Group justify="flex-end">
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          ) : null}
          <Button type="submit" loading={mutation.isPending}>
            Create workspace
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
