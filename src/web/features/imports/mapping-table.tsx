import { Alert, NativeSelect, Stack, Table, Text } from '@mantine/core'
import { type ImportPreview, ignoreColumn } from './imports-api.ts'

const previewRows = 5

/** The column mapping: each column of the file with the field it fills, over its first rows. */
export function MappingTable({
  preview,
  mapping,
  onChange,
}: {
  preview: ImportPreview
  mapping: Record<string, string>
  onChange: (column: string, field: string) => void
}) {
  const options = [
    { value: ignoreColumn, label: 'Ignore this column' },
    ...preview.fields.map((f) => ({ value: f.key, label: f.required ? `${f.label} *` : f.label })),
  ]
  const mapped = new Set(Object.values(mapping))
  const missing = preview.fields.filter((f) => f.required && !mapped.has(f.key))
  return (
    <Stack gap="xs">
      <Text size="sm">
        Each column of the file goes to the field chosen above it. The first {previewRows} of the
        file's rows are shown.
      </Text>
      {missing.length > 0 ? (
        <Alert color="yellow" variant="light" role="note">
          Required: {missing.map((f) => f.label).join(', ')}. Choose a column for each.
        </Alert>
      ) : null}
      <Table.ScrollContainer minWidth={Math.max(480, preview.headers.length * 170)}>
        <Table aria-label="File preview" withTableBorder withColumnBorders verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              {preview.headers.map((header) => (
                <Table.Th key={header} miw={160}>
                  <Stack gap={4}>
                    <Text size="sm" fw={600}>
                      {header}
                    </Text>
                    <NativeSelect
                      size="xs"
                      aria-label={`Field for column ${header}`}
                      data={options}
                      value={mapping[header] ?? ignoreColumn}
                      onChange={(event) => onChange(header, event.currentTarget.value)}
                    />
                  </Stack>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.rows.slice(0, previewRows).map((row, index) => (
              // Rows of a file have no identity but their position.
              // biome-ignore lint/suspicious/noArrayIndexKey: preview rows never reorder
              <Table.Tr key={index}>
                {preview.headers.map((header, column) => (
                  <Table.Td key={header}>
                    <Text size="sm" lineClamp={2}>
                      {row[column] ?? ''}
                    </Text>
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {preview.rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          The file has a header row but no data rows.
        </Text>
      ) : null}
    </Stack>
  )
}
