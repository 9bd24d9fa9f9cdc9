import { Button, Checkbox, Group, NativeSelect, Paper, Radio, Stack, Text } from '@mantine/core'
import { useState } from 'react'
import { DropZone } from '../../components/drop-zone.tsx'
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
  maxUploadBytes,
  usePreview,
  useStartImport,
  type ValueMapping,
} from './imports-api.ts'
import { MappingTable } from './mapping-table.tsx'
import { chosenValues, ValueMappingPanel, valueColumns } from './value-mapping.tsx'

function isEntity(value: string): value is ImportEntity {
  return importEntities.some((e) => e.value === value)
}
function isPreset(value: string): value is ImportPresetChoice {
  return importPresets.some((p) => p.value === value)
}

const presetNotes: Record<ImportPresetChoice, string> = {
  '': '',
  hubspot:
    'Read as a HubSpot export: its column names and values (lifecycle stages, lead statuses, deal stages) are recognised, and Record IDs become external ids, so re-importing updates instead of duplicating.',
  salesforce:
    'Read as a Salesforce report: its column names and values (lead statuses, opportunity stages, forecast categories) are recognised, and record ids become external ids, so re-importing updates instead of duplicating.',
}

/**
 * Choose what to import and the file, check how columns and values will be read on the first
 * rows, then import (or only check) it.
 */
export function NewImport() {
  const [entity, setEntity] = useState<ImportEntity>('contacts')
  const [preset, setPreset] = useState<ImportPresetChoice>('')
  const [file, setFile] = useState<File | null>(null)
  const [mapping, setMapping] = useState<Record<string, string>>({})
  const [choices, setChoices] = useState<ValueMapping>({})
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
        onSuccess: (result) => {
          setMapping(
            Object.fromEntries(result.headers.map((h) => [h, result.mapping[h] ?? ignoreColumn])),
          )
          setChoices({})
        },
      },
    )
  }

  const reset = () => {
    setFile(null)
    setMapping({})
    setChoices({})
    setImportId(null)
    preview.reset()
    start.reset()
  }

  const columns = preview.data ? valueColumns(preview.data, mapping) : []
  const submit = (checkOnly: boolean) => {
    if (!file) return
    start.mutate(
      {
        file,
        entity,
        preset,
        map: mapping,
        values: chosenValues(columns, choices),
        dryRun: checkOnly,
      },
      { onSuccess: (record) => setImportId(record.id) },
    )
  }

  if (importId) {
    return (
      <Stack gap="sm">
        <ImportProgress
          id={importId}
          onImportNow={() => submit(false)}
          isStarting={start.isPending}
        />
        {start.error ? <ErrorAlert title="Could not start the import" error={start.error} /> : null}
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
        <Group align="flex-start" gap="xl">
          <NativeSelect
            label="Records"
            description="What each row of the file is"
            data={importEntities.map((e) => ({ value: e.value, label: e.label }))}
            value={entity}
            w={220}
            onChange={(event) => {
              const value = event.currentTarget.value
              if (!isEntity(value)) return
              setEntity(value)
              loadPreview({ entity: value })
            }}
          />
          <Radio.Group
            label="File from"
            description="A preset knows the export's column names and values"
            value={preset}
            onChange={(value) => {
              if (!isPreset(value)) return
              setPreset(value)
              loadPreview({ preset: value })
            }}
          >
            <Group gap="md" mt={8}>
              {importPresets.map((p) => (
                <Radio key={p.value || 'none'} value={p.value} label={p.label} />
              ))}
            </Group>
          </Radio.Group>
        </Group>

        <DropZone
          label="CSV file"
          file={file}
          accept=".csv,.tsv,.txt,text/csv,text/plain"
          maxBytes={maxUploadBytes}
          hint="Drag a CSV file here, or choose one. Up to 512 MB; the first row names the columns."
          onChange={(value) => {
            setFile(value)
            start.reset()
            if (value) loadPreview({ file: value })
            else {
              preview.reset()
              setMapping({})
              setChoices({})
            }
          }}
        />

        {!file ? (
          <Text size="sm" c="dimmed">
            Once a file is chosen, its first rows appear here with the field each column fills and
            the values each column holds, to check before anything is written.
          </Text>
        ) : preview.isPending ? (
          <LoadingRows label="Reading the file" rows={3} height={28} />
        ) : preview.error ? (
          <ErrorAlert
            title="Could not read this file"
            error={preview.error}
            onRetry={() => loadPreview({})}
          />
        ) : preview.data ? (
          <PreviewSteps
            preview={preview.data}
            preset={preset}
            mapping={mapping}
            onMap={(column, field) => setMapping((m) => ({ ...m, [column]: field }))}
            columns={columns}
            choices={choices}
            onChoose={(field, value, target) =>
              setChoices((c) => ({ ...c, [field]: { ...c[field], [value]: target } }))
            }
          />
        ) : null}

        {start.error ? <ErrorAlert title="Could not start the import" error={start.error} /> : null}

        {preview.data && file ? (
          <Group justify="space-between" align="flex-end">
            <Checkbox
              label="Check only"
              description="Read and check every row and count what would change; write nothing"
              checked={dryRun}
              onChange={(event) => setDryRun(event.currentTarget.checked)}
            />
            <Button loading={start.isPending} onClick={() => submit(dryRun)}>
              {dryRun ? 'Check the file' : 'Start import'}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Paper>
  )
}

function PreviewSteps({
  preview,
  preset,
  mapping,
  onMap,
  columns,
  choices,
  onChoose,
}: {
  preview: ImportPreview
  preset: ImportPresetChoice
  mapping: Record<string, string>
  onMap: (column: string, field: string) => void
  columns: ReturnType<typeof valueColumns>
  choices: ValueMapping
  onChoose: (field: string, value: string, target: string) => void
}) {
  const mapped = preview.headers.filter((h) => (mapping[h] ?? ignoreColumn) !== ignoreColumn)
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Text size="sm" fw={600} role="status">
          {mapped.length} of {preview.headers.length} columns will be imported
        </Text>
        {preset ? (
          <Text size="sm" c="dimmed">
            {presetNotes[preset]}
          </Text>
        ) : null}
      </Stack>
      <MappingTable preview={preview} mapping={mapping} onChange={onMap} />
      <ValueMappingPanel
        columns={columns}
        choices={choices}
        sample={preview.sample}
        onChange={onChoose}
      />
    </Stack>
  )
}
