import { Button, Menu } from '@mantine/core'
import { IconDownload } from '@tabler/icons-react'
import { getStoredWorkspaceId } from '../../api/client.ts'
import type { ApiFilter } from './filter.ts'

export type ExportEntity =
  | 'accounts'
  | 'contacts'
  | 'products'
  | 'deals'
  | 'activities'
  | 'campaigns'

/**
 * The download address of an export with the list's search, filter and sort. A link cannot send
 * X-Workspace-Id, so the workspace travels as `workspaceId` (the session cookie goes along).
 */
export function exportHref(
  entity: ExportEntity,
  format: 'csv' | 'jsonl',
  state: { q?: string; filter?: ApiFilter | null; sort?: string },
): string {
  const params = new URLSearchParams({ format })
  if (state.q) params.set('q', state.q)
  if (state.filter) params.set('filter', JSON.stringify(state.filter))
  if (state.sort) params.set('sort', state.sort)
  const workspaceId = getStoredWorkspaceId()
  if (workspaceId) params.set('workspaceId', workspaceId)
  return `/api/v1/exports/${entity}?${params.toString()}`
}

/** "Export" on a list: every record the list shows (all pages), as CSV or JSON Lines. */
export function ExportButton({
  entity,
  state,
  label,
}: {
  entity: ExportEntity
  state: { q?: string; filter?: ApiFilter | null; sort?: string }
  label: string
}) {
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" leftSection={<IconDownload size={16} aria-hidden="true" />}>
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{label}</Menu.Label>
        <Menu.Item component="a" href={exportHref(entity, 'csv', state)} download>
          CSV (spreadsheets, re-import)
        </Menu.Item>
        <Menu.Item component="a" href={exportHref(entity, 'jsonl', state)} download>
          JSON Lines
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  )
}
