import { Anchor, Checkbox, Table, Text, UnstyledButton, VisuallyHidden } from '@mantine/core'
import { IconArrowDown, IconArrowsSort, IconArrowUp } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import { Link } from 'react-router'
import type { Column } from './list-config.ts'

interface RecordTableProps<T extends { id: string }> {
  label: string
  rows: T[]
  columns: Column<T>[]
  sort: string
  onSort: (sort: string) => void
  rowName: (row: T) => string
  rowHref: (row: T) => string | undefined
  selected?: Set<string>
  onSelect?: (ids: Set<string>) => void
}

function SortHeader({
  label,
  field,
  sort,
  onSort,
}: {
  label: string
  field: string
  sort: string
  onSort: (sort: string) => void
}) {
  const active = sort === field || sort === `-${field}`
  const descending = sort === `-${field}`
  const Icon = !active ? IconArrowsSort : descending ? IconArrowDown : IconArrowUp
  return (
    <UnstyledButton
      onClick={() => onSort(active && !descending ? `-${field}` : field)}
      style={{ display: 'inline-flex', alignItems: 'center', gap: 4, fontWeight: 600 }}
    >
      {label}
      <Icon size={14} aria-hidden="true" opacity={active ? 1 : 0.5} />
      <VisuallyHidden>
        {active ? (descending ? ', sorted descending' : ', sorted ascending') : ', sort'}
      </VisuallyHidden>
    </UnstyledButton>
  )
}

/** A list of records: the first column links to the record; headers sort; rows can be selected. */
export function RecordTable<T extends { id: string }>(props: RecordTableProps<T>) {
  const { label, rows, columns, sort, onSort, rowName, rowHref, selected, onSelect } = props
  const allSelected =
    selected !== undefined && rows.length > 0 && rows.every((r) => selected.has(r.id))
  const someSelected = selected !== undefined && rows.some((r) => selected.has(r.id))
  return (
    <Table verticalSpacing="xs" highlightOnHover aria-label={label} style={{ tableLayout: 'auto' }}>
      <Table.Thead>
        <Table.Tr>
          {selected && onSelect ? (
            <Table.Th w={36}>
              <Checkbox
                aria-label="Select all loaded rows"
                checked={allSelected}
                indeterminate={someSelected && !allSelected}
                onChange={() => onSelect(allSelected ? new Set() : new Set(rows.map((r) => r.id)))}
              />
            </Table.Th>
          ) : null}
          {columns.map((column) => {
            const field = column.sort
            const ariaSort =
              field && sort === field
                ? 'ascending'
                : field && sort === `-${field}`
                  ? 'descending'
                  : undefined
            return (
              <Table.Th key={column.key} aria-sort={ariaSort}>
                {field ? (
                  <SortHeader label={column.label} field={field} sort={sort} onSort={onSort} />
                ) : (
                  column.label
                )}
              </Table.Th>
            )
          })}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.id}>
            {selected && onSelect ? (
              <Table.Td>
                <Checkbox
                  aria-label={`Select ${rowName(row)}`}
                  checked={selected.has(row.id)}
                  onChange={() => {
                    const next = new Set(selected)
                    if (next.has(row.id)) next.delete(row.id)
                    else next.add(row.id)
                    onSelect(next)
                  }}
                />
              </Table.Td>
            ) : null}
            {columns.map((column, index) => (
              <Table.Td
                key={column.key}
                style={column.breaksAnywhere ? { overflowWrap: 'anywhere' } : undefined}
              >
                {index === 0 ? (
                  <RowName href={rowHref(row)}>{column.render(row)}</RowName>
                ) : (
                  column.render(row)
                )}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

function RowName({ href, children }: { href: string | undefined; children: ReactNode }) {
  if (!href)
    return (
      <Text span fw={500} size="sm">
        {children}
      </Text>
    )
  return (
    <Anchor component={Link} to={href} fw={500}>
      {children}
    </Anchor>
  )
}
