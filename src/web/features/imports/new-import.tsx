import {
  Alert,
  Button,
  Checkbox,
  FileInput,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
} from '@mantine/core'
import { IconFileTypeCsv } from '@tabler/icons-react'
import { useState } from 'react'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { ImportProgress } from './import-progress.tsx'
import {
  type ImportEntity,
  type ImportForm,
  type ImportPresetChoice,
  type ImportPreview,
  ignoreColumn,
  importEntities,
  importPresets,
  usePreview,
  useStartImport,
} from './imports-api.ts'

const previewRows = 5

function isEntity(value: string): value is ImportEntity {
  return importEntities.some((e) => e.value === value)
}
function isPreset(value: string): value is ImportPresetChoice {
  return importPresets.some((p) => p.value === value)
}

/** Choose what to import and the file, check the mapping on the first rows, then start. */
export function NewImport() {
  const [entity, setEntity] = useState<ImportEntity>('contacts')
  const [preset, setPreset] = useState<ImportPresetChoice>('')
  const [file, setFile] = useState<File | null>(null)
  const [mapping, setMapping] = useState<Record<string, string>>({})
  const [dryRun, setDryRun] = useState(false)
  const [importId, setImportId] = useState<string | null>(null)
  const preview = usePreview()
  const start = useStartImport()

  const loadPreview = (form: Partial<ImportForm>) => {
    const next = { file, entity, preset, ...form }
    if (!next.file) return
    preview.mutate(
      { file: next.file, entity: next.entity, preset: next.preset },
      {
        onSuccess: (result) =>
          setMapping(
            Object.fromEntries(result.headers.map((h) => [h, result.mapping[h] ?? ignoreColumn])),
          ),
      },
    )
  }

  const reset = () => {
    setFile(null)
    setMapping({})
    setImportId(null)
    preview.reset()
    start.reset()
  }

  if (importId) {
    return (
      <Stack gap="sm">
        <ImportProgress id={importId} />
        <Group>
          <Button variant="default" onClick={reset}>
            Import another file
          </Button>
        </Group>
      </Stack>
    )
  }

  return (
    <Paper withBorder p="md" component="section" aria-label="New import">
      <Stack gap="md">
        <Group align="flex-end" grow preventGrowOverflow={false}>
          <NativeSelect
            label="Records"
            data={importEntities.map((e) => ({ value: e.value, label: e.label }))}
            value={entity}
            onChange={(event) => {
              const value = event.currentTarget.value
              if (!isEntity(value)) return
              setEntity(value)
              loadPreview({ entity: value })
            }}
          />
          <NativeSelect
            label="File from"
            data={importPresets.map((p) => ({ value: p.value, label: p.label }))}
            value={preset}
            onChange={(event) => {
              const value = event.currentTarget.value
              if (!isPreset(value)) return
              setPreset(value)
              loadPreview({ preset: value })
            }}
          />
          <FileInput
            label="CSV file"
            placeholder="Choose a .csv file"
            accept=".csv,text/csv,text/plain"
            leftSection={<IconFileTypeCsv size={16} aria-hidden="true" />}
            value={file}
            clearable
            onChange={(value) => {
              setFile(value)
              start.reset()
              if (value) loadPreview({ file: value })
              else preview.reset()
            }}
          />
        </Group>

        {!file ? (
          <Text size="sm" c="dimmed">
            Choose a file to see its first rows and how each column will be read. Files up to 512
            MB; the first row names the columns.
          </Text>
        ) : preview.isPending ? (
          <LoadingRows label="Reading the file" rows={3} height={28} />
        ) : preview.error ? (
          <ErrorAlert title="Could not read this file" error={preview.error} />
        ) : preview.data ? (
          <MappingTable
            preview={preview.data}
            mapping={mapping}
            onChange={(column, field) => setMapping((m) => ({ ...m, [column]: field }))}
          />
        ) : null}

        {start.error ? <ErrorAlert title="Could not start the import" error={start.error} /> : null}

        {preview.data && file ? (
          <Group justify="space-between">
            <Checkbox
              label="Dry run: check every row, write nothing"
              checked={dryRun}
              onChange={(event) => setDryRun(event.currentTarget.checked)}
            />
            <Button
              loading={start.isPending}
              onClick={() =>
                start.mutate(
                  { file, entity, preset, map: mapping, dryRun },
                  { onSuccess: (record) => setImportId(record.id) },
                )
              }
            >
              Start import
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Paper>
  )
}

function MappingTable({
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
