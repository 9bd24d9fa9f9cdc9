import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
} from '@mantine/core'
import { IconDownload } from '@tabler/icons-react'
import { useState } from 'react'
import { Link } from 'react-router'
import { errorMessage } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import {
  downloadErrors,
  type ImportRecord,
  type ImportStatus,
  importEntities,
  useImport,
} from './imports-api.ts'

/** Dot badges: the colour marks the status, the text stays readable (light badges fail AA). */
export const statusColors: Record<ImportStatus, string> = {
  queued: 'gray',
  running: 'blue',
  done: 'green',
  failed: 'red',
}

const entityPaths: Partial<Record<ImportRecord['entity'], string>> = {
  contacts: '/microscope/contacts',
  accounts: '/microscope/accounts',
  deals: '/microscope/deals',
}

const number = new Intl.NumberFormat()

export function DownloadErrorsButton({ record }: { record: ImportRecord }) {
  const [error, setError] = useState<string | null>(null)
  if (!record.errorsUrl) return null
  return (
    <Stack gap={4}>
      <Button
        variant="default"
        size="xs"
        leftSection={<IconDownload size={14} aria-hidden="true" />}
        onClick={() => {
          setError(null)
          downloadErrors(record).catch((e: unknown) => setError(errorMessage(e)))
        }}
      >
        Download rejected rows
      </Button>
      {error ? (
        <Text size="xs" c="red">
          {error}
        </Text>
      ) : null}
    </Stack>
  )
}

/**
 * A live view of one import: progress bar while it runs, then its counts and error file. After a
 * check (dry run) that went through, `onImportNow` imports the same file for real.
 */
export function ImportProgress({
  id,
  onImportNow,
  isStarting = false,
}: {
  id: string
  onImportNow?: () => void
  isStarting?: boolean
}) {
  const query = useImport(id)
  if (query.error) {
    return <ErrorAlert title="Could not read the import's progress" error={query.error} />
  }
  const record = query.data
  const status = record?.status ?? 'queued'
  const percent = Math.round((record?.progress ?? 0) * 100)
  const label = entityLabel(record?.entity)
  const listPath = record ? entityPaths[record.entity] : undefined
  const isCheck = record?.options.dryRun === true
  return (
    <Paper withBorder p="md" aria-label="Import progress" component="section">
      <Stack gap="sm">
        <Group justify="space-between">
          <Text fw={600}>
            {record
              ? `${isCheck ? 'Check of ' : ''}${label} from ${record.fileName}`
              : 'Starting the import…'}
          </Text>
          <Badge color={statusColors[status]} variant="dot">
            {status}
          </Badge>
        </Group>
        <Progress
          value={percent}
          animated={status === 'running' || status === 'queued'}
          color={status === 'failed' ? 'red' : undefined}
          aria-label={`Imported ${percent}%`}
          size="lg"
        />
        <div role="status" aria-live="polite">
          {record ? <Counts record={record} /> : null}
          {record && isCheck && status === 'done' ? (
            <Text size="sm" mt="sm">
              Check only: nothing was written. The counts say what importing this file would do
              {record.rejected > 0 ? '; the rejected rows and why are in the file below.' : '.'}
            </Text>
          ) : null}
        </div>
        {record?.error ? (
          <Alert color="red" variant="light" title="The import failed">
            {record.error}
          </Alert>
        ) : null}
        {record ? (
          <Group>
            <DownloadErrorsButton record={record} />
            {isCheck && status === 'done' && onImportNow ? (
              <Button size="xs" onClick={onImportNow} loading={isStarting}>
                Import now
              </Button>
            ) : null}
            {status === 'done' && listPath && !isCheck ? (
              <Button component={Link} to={listPath} variant="light" size="xs">
                Open {label.toLowerCase()}
              </Button>
            ) : null}
          </Group>
        ) : null}
      </Stack>
    </Paper>
  )
}

function entityLabel(entity: ImportRecord['entity'] | undefined) {
  return importEntities.find((e) => e.value === entity)?.label ?? 'Records'
}

/** A check (dry run) writes nothing: its counts say what the import would do. */
const checkLabels: Record<string, string> = {
  Imported: 'Would import',
  Created: 'Would create',
  Updated: 'Would update',
  Unchanged: 'Would not change',
}

function Counts({ record }: { record: ImportRecord }) {
  const counts: [string, number][] = [
    ['Rows read', record.rows],
    ['Imported', record.imported],
    ['Rejected', record.rejected],
    ['Created', record.created],
    ['Updated', record.updated],
    ['Unchanged', record.unchanged],
  ]
  const finished = record.status === 'done' || record.status === 'failed'
  return (
    <SimpleGrid cols={{ base: 3, sm: 6 }} spacing="xs">
      {counts
        .filter(([name]) => finished || ['Rows read', 'Imported', 'Rejected'].includes(name))
        .map(([name, value]) => (
          <Stack key={name} gap={0}>
            <Text size="xs" c="dimmed">
              {record.options.dryRun ? (checkLabels[name] ?? name) : name}
            </Text>
            <Text fw={600} data-count={name}>
              {number.format(value)}
            </Text>
          </Stack>
        ))}
    </SimpleGrid>
  )
}
