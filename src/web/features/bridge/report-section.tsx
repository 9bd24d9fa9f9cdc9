import { Anchor, Paper, Stack, Table, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { ScrollRegion } from '../inbox/scroll-region.tsx'

/** A count that opens the records behind it (the drill-down); plain when there are none. */
function Drill({ value, to, label }: { value: number; to: string | null; label: string }) {
  if (value === 0 || !to) return <>{value.toLocaleString()}</>
  return (
    <Anchor component={Link} to={to} aria-label={label}>
      {value.toLocaleString()}
    </Anchor>
  )
}

/** A long name cut to the cell, whole in its title. */
export function Name({ children }: { children: string }) {
  return (
    <Text size="sm" truncate="end" maw={260} title={children}>
      {children}
    </Text>
  )
}

/** One column of a report table: its header and what each row shows in it. */
export interface ReportColumn<Row> {
  label: string
  /** Right-aligned, header and cells. */
  numeric?: boolean
  /** The cell's content; a count with `link` needs none. */
  value?: (row: Row) => ReactNode
  /** A count that opens the records behind it (see Drill). */
  link?: (row: Row) => { value: number; to: string | null; label: string }
}

/**
 * A titled section of a report: its description, then (unless `rows` is empty, when `empty` says
 * so) what comes before the table (a chart), and the table of `columns`, scrollable when `minWidth`
 * is given.
 */
export function ReportSection<Row>({
  title,
  description,
  label = title,
  rows,
  rowKey,
  columns,
  empty,
  minWidth,
  children,
}: {
  title: string
  description: string
  /** The table's name, when it is not the title. */
  label?: string
  rows: readonly Row[]
  rowKey: (row: Row) => string
  columns: readonly ReportColumn<Row>[]
  /** Said instead of the table when there are no rows; without it the table is always shown. */
  empty?: string
  minWidth?: number
  children?: ReactNode
}) {
  const table = (
    <Table aria-label={label} striped fz="sm" miw={minWidth}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((column) => (
            <Table.Th key={column.label} ta={column.numeric ? 'right' : undefined}>
              {column.label}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={rowKey(row)}>
            {columns.map((column) => (
              <Table.Td key={column.label} ta={column.numeric ? 'right' : undefined}>
                {cell(column, row)}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <div>
          <Title order={2} size="h3">
            {title}
          </Title>
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        </div>
        {empty !== undefined && rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            {empty}
          </Text>
        ) : (
          <>
            {children}
            {minWidth === undefined ? (
              table
            ) : (
              <ScrollRegion label={`${label}, scrollable`}>{table}</ScrollRegion>
            )}
          </>
        )}
      </Stack>
    </Paper>
  )
}

function cell<Row>(column: ReportColumn<Row>, row: Row): ReactNode {
  if (column.link) return <Drill {...column.link(row)} />
  return column.value?.(row)
}
