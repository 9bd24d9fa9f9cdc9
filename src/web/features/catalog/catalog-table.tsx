import { Button, Group, Paper, Table, VisuallyHidden } from '@mantine/core'
import type { ReactNode } from 'react'

export interface CatalogColumn<T> {
  label: string
  render: (row: T) => ReactNode
}

interface CatalogTableProps<T extends { id: string }> {
  label: string
  rows: T[]
  columns: CatalogColumn<T>[]
  rowName: (row: T) => string
  onEdit?: (row: T) => void
  onDelete?: (row: T) => void
  deleteLabel?: string
  deleteColor?: string
}

/** A settings table whose rows can be edited or deleted; buttons say which row they act on. */
export function CatalogTable<T extends { id: string }>(props: CatalogTableProps<T>) {
  const { label, rows, columns, rowName, onEdit, onDelete } = props
  const { deleteLabel = 'Delete', deleteColor = 'red' } = props
  const hasActions = onEdit !== undefined || onDelete !== undefined
  return (
    <Paper withBorder>
      <Table verticalSpacing="sm" aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.label}>{c.label}</Table.Th>
            ))}
            {hasActions ? (
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            ) : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.id}>
              {columns.map((c) => (
                <Table.Td key={c.label}>{c.render(row)}</Table.Td>
              ))}
              {hasActions ? (
                <Table.Td ta="right">
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    {onEdit ? (
                      <Button size="xs" variant="subtle" onClick={() => onEdit(row)}>
                        Edit<VisuallyHidden> {rowName(row)}</VisuallyHidden>
                      </Button>
                    ) : null}
                    {onDelete ? (
                      <Button
                        size="xs"
                        variant="subtle"
                        color={deleteColor}
                        onClick={() => onDelete(row)}
                      >
                        {deleteLabel}
                        <VisuallyHidden> {rowName(row)}</VisuallyHidden>
                      </Button>
                    ) : null}
                  </Group>
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  )
}
