import { Table } from '@mantine/core'
import type { ReactNode } from 'react'

/** A record's fields as label/value rows; row headers keep them readable to screen readers. */
export function FieldList({ label, fields }: { label: string; fields: [string, ReactNode][] }) {
  return (
    <Table aria-label={label} verticalSpacing={6}>
      <Table.Tbody>
        {fields.map(([name, value]) => (
          <Table.Tr key={name}>
            <Table.Th scope="row" w="40%" fw={500} c="dimmed">
              {name}
            </Table.Th>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{value ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
