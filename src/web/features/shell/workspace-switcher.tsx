import { Button, Menu, Modal, Text, VisuallyHidden } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { IconCheck, IconPlus, IconSelector } from '@tabler/icons-react'
import { useNavigate } from 'react-router'
import { roleLabel } from '../../api/roles.ts'
import type { WorkspaceSummary } from '../../api/types.ts'
import { notifySuccess } from '../../components/notify.ts'
import { CreateWorkspaceForm } from './create-workspace-form.tsx'
import { useMe } from './me-context.tsx'
import { useSwitchWorkspace } from './use-session-actions.ts'

/** Lists the person's workspaces, switches between them and creates new ones. */
export function WorkspaceSwitcher() {
  const me = useMe()
  const navigate = useNavigate()
  const switchWorkspace = useSwitchWorkspace()
  const [creating, { open, close }] = useDisclosure(false)
  const current = me.workspace

  const choose = async (workspace: WorkspaceSummary) => {
    if (workspace.id === current.id) return
    await switchWorkspace(workspace.id)
    notifySuccess(`Switched to ${workspace.name}.`)
  }

  return (
    <>
      <Menu position="bottom-start" width={280} withinPortal>
        <Menu.Target>
          <Button
            variant="subtle"
            color="gray"
            rightSection={<IconSelector size={16} aria-hidden="true" />}
            aria-label={`Switch workspace (current: ${current.name})`}
            maw={260}
          >
            <Text size="sm" fw={600} truncate>
              {current.name}
            </Text>
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Your workspaces</Menu.Label>
          {me.workspaces.map((workspace) => (
            <Menu.Item
              key={workspace.id}
              onClick={() => void choose(workspace)}
              leftSection={
                workspace.id === current.id ? (
                  <IconCheck size={16} aria-hidden="true" />
                ) : (
                  <span style={{ width: 16, display: 'inline-block' }} />
                )
              }
              rightSection={
                <Text size="xs" c="dimmed">
                  {roleLabel(workspace.role)}
                </Text>
              }
            >
              {workspace.name}
              {workspace.id === current.id ? <VisuallyHidden> (current)</VisuallyHidden> : null}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={open}>
            Create workspace
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={creating} onClose={close} title="Create workspace" size="md">
        <Text size="sm" c="dimmed" mb="md">
          You will be the admin of the new workspace and can invite people from Settings, Members.
        </Text>
        <CreateWorkspaceForm
          onCancel={close}
          onCreated={() => {
            close()
            void navigate('/microscope')
          }}
        />
      </Modal>
    </>
  )
}
