import { Alert, Badge, Group, NativeSelect, Paper, Stack, Table, Text, Title } from '@mantine/core'
import { labelOf } from '../records/labels.ts'
import type { ImportField, ImportPreview, ValueMapping } from './imports-api.ts'

/** Value mapping compares trimmed, lower-cased values, as the server does (imports/mapping.ts). */
export const normalizeValue = (value: string) => value.trim().toLowerCase()

/** "Closed Won" → closed_won: enumerations also take their values written as words. */
const enumName = (value: string) =>
  value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')

/**
 * What the import makes of a value nobody mapped: the preset's translation, else the value itself
 * when it is one of the field's (also written as words or in another case, as imports/rows.ts and
 * the stage lookup read it). Undefined means the row will be rejected.
 */
export function automaticValue(
  field: ImportField,
  raw: string,
  presetValues: Record<string, string> | undefined,
): string | undefined {
  const key = normalizeValue(raw)
  const preset = Object.entries(presetValues ?? {}).find(([from]) => normalizeValue(from) === key)
  const target = preset?.[1] ?? raw.trim()
  return field.values?.find(
    (v) => v === target || v === enumName(target) || v.toLowerCase() === target.toLowerCase(),
  )
}

/** A column mapped to a field with a fixed set of values, and the values the file holds. */
export interface ValueColumn {
  column: string
  field: ImportField
  values: { value: string; rows: number; automatic: string | undefined }[]
  more: boolean
}

export function valueColumns(preview: ImportPreview, mapping: Record<string, string>) {
  const byKey = new Map(preview.fields.map((f) => [f.key, f]))
  const columns: ValueColumn[] = []
  for (const column of preview.headers) {
    const field = byKey.get(mapping[column] ?? '')
    const seen = preview.columnValues[column]
    if (!field?.values || !seen || seen.values.length === 0) continue
    const presetValues = preview.valueMapping[field.key]
    columns.push({
      column,
      field,
      values: seen.values.map((v) => ({
        ...v,
        automatic: automaticValue(field, v.value, presetValues),
      })),
      more: seen.more,
    })
  }
  return columns
}

/** The user's choices for the mapped columns, as the API's `values` form field. */
export function chosenValues(columns: ValueColumn[], choices: ValueMapping): ValueMapping {
  const out: ValueMapping = {}
  for (const { field, values } of columns) {
    const mine = choices[field.key] ?? {}
    for (const { value, automatic } of values) {
      const chosen = mine[normalizeValue(value)]
      if (!chosen || chosen === automatic) continue
      out[field.key] = { ...out[field.key], [value]: chosen }
    }
  }
  return out
}

/** Values that match nothing, so their rows would be rejected. */
export function unmatchedValues(columns: ValueColumn[], choices: ValueMapping) {
  return columns.flatMap(({ column, field, values }) =>
    values
      .filter((v) => !(choices[field.key]?.[normalizeValue(v.value)] ?? v.automatic))
      .map((v) => ({ column, value: v.value, rows: v.rows })),
  )
}

/**
 * The value-mapping step: for each column whose field has a fixed set of values, every distinct
 * value seen in the file's first rows and which of our values it becomes.
 */
export function ValueMappingPanel({
  columns,
  choices,
  sample,
  onChange,
}: {
  columns: ValueColumn[]
  choices: ValueMapping
  sample: ImportPreview['sample']
  onChange: (field: string, value: string, target: string) => void
}) {
  if (columns.length === 0) return null
  const unmatched = unmatchedValues(columns, choices)
  return (
    <Stack gap="sm" component="section" aria-labelledby="value-mapping">
      <Stack gap={2}>
        <Title order={3} size="h4" id="value-mapping">
          Values
        </Title>
        <Text size="sm" c="dimmed">
          {sample.isWholeFile
            ? `Every value of these columns in the file (${sample.rows} rows)`
            : `The values of these columns in the first ${sample.rows} rows`}
          , and what each becomes. Values are compared ignoring case.
          {sample.isWholeFile ? '' : ' Rows further down with other values are rejected.'}
        </Text>
      </Stack>
      {unmatched.length > 0 ? (
        <Alert color="yellow" variant="light" role="note" title="Some values match nothing">
          Rows with{' '}
          {unmatched
            .slice(0, 5)
            .map((u) => `“${u.value}” (${u.column})`)
            .join(', ')}
          {unmatched.length > 5 ? ` and ${unmatched.length - 5} more` : ''} would be rejected.
          Choose one of our values for each.
        </Alert>
      ) : null}
      <Group align="flex-start" gap="md">
        {columns.map((c) => (
          <ValueTable
            key={c.column}
            column={c}
            choices={choices[c.field.key] ?? {}}
            onChange={onChange}
          />
        ))}
      </Group>
    </Stack>
  )
}

function ValueTable({
  column: { column, field, values, more },
  choices,
  onChange,
}: {
  column: ValueColumn
  choices: Record<string, string>
  onChange: (field: string, value: string, target: string) => void
}) {
  const options = (field.values ?? []).map((v) => ({ value: v, label: labelOf(v) }))
  return (
    <Paper withBorder p="xs" miw={300} style={{ flex: '1 1 320px', maxWidth: 480 }}>
      <Table
        aria-label={`Values of column ${column}`}
        verticalSpacing={4}
        captionSide="top"
        layout="fixed"
      >
        <Table.Caption ta="left" mt={0} mb="xs">
          <Text span fw={600} c="var(--mantine-color-text)">
            {column}
          </Text>{' '}
          <Text span c="dimmed" size="sm">
            → {field.label}
          </Text>
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>In the file</Table.Th>
            <Table.Th w={56} ta="right">
              Rows
            </Table.Th>
            <Table.Th>Imported as</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {values.map(({ value, rows, automatic }) => {
            const chosen = choices[normalizeValue(value)] ?? automatic ?? ''
            return (
              <Table.Tr key={value}>
                <Table.Td>
                  <Text size="sm" truncate="end" title={value}>
                    {value}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{rows}</Text>
                </Table.Td>
                <Table.Td>
                  <NativeSelect
                    size="xs"
                    aria-label={`${field.label} for “${value}” in column ${column}`}
                    data={automatic ? options : [{ value: '', label: 'Choose…' }, ...options]}
                    value={chosen}
                    error={chosen === '' ? true : undefined}
                    aria-invalid={chosen === ''}
                    onChange={(event) =>
                      onChange(field.key, normalizeValue(value), event.currentTarget.value)
                    }
                  />
                </Table.Td>
              </Table.Tr>
            )
          })}
        </Table.Tbody>
      </Table>
      {more ? (
        <Group gap={6} mt="xs">
          <Badge variant="light" color="gray" size="sm">
            more values
          </Badge>
          <Text size="xs" c="dimmed">
            Only the 50 most frequent are listed.
          </Text>
        </Group>
      ) : null}
    </Paper>
  )
}
