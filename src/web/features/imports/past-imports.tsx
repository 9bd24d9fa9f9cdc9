import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { useCursorList } from '../../components/use-cursor-list.ts'
import { DownloadErrorsButton, statusColors } from './import-progress.tsx'
import { type ImportRecord, importEntities, importKeys } from './imports-api.ts'

const number = new Intl.NumberFormat()

/** Every import of the workspace, newest first, with its counts and error file. */
export function PastImports() {
  const list = useCursorList<ImportRecord>(importKeys.list, '/api/v1/imports', 20)
  return (
    <Stack gap="sm" component="section" aria-labelledby="past-imports">
      <Title order={3} id="past-imports">
        Past imports
      </Title>
      {list.isPending ? (
        <LoadingRows label="Loading past imports" rows={3} />
      ) : list.error ? (
        <ErrorAlert
          title="Could not load past imports"
          error={list.error}
          onRetry={() => void list.refetch()}
        />
      ) : list.items.length === 0 ? (
        <Paper withBorder p="lg" ta="center">
          <Text fw={600}>No imports yet</Text>
          <Text size="sm" c="dimmed" mt={4}>
            Choose what to import and a CSV file above; each import is listed here with its counts
            and rejected rows.
          </Text>
        </Paper>
      ) : (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={640}>
            <Table aria-label="Past imports" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>File</Table.Th>
                  <Table.Th>Records</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th ta="right">Imported</Table.Th>
                  <Table.Th ta="right">Rejected</Table.Th>
                  <Table.Th>Started</Table.Th>
                  <Table.Th>Rejected rows</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.map((record) => (
                  <Table.Tr key={record.id}>
                    <Table.Td>{record.fileName}</Table.Td>
                    <Table.Td>
                      {importEntities.find((e) => e.value === record.entity)?.label}
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        color={statusColors[record.status]}
                        variant="dot"
                        // A label that may truncate has no minimum width: the column would squeeze it.
                        miw="max-content"
                      >
                        {record.status}
                      </Badge>
                      {record.options.dryRun ? (
                        <Text size="xs" c="dimmed">
                          check only
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td ta="right">{number.format(record.imported)}</Table.Td>
                    <Table.Td ta="right">{number.format(record.rejected)}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(record.createdAt)}</Text>
                      {record.createdBy ? (
                        <Text size="xs" c="dimmed">
                          {record.createdBy}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <DownloadErrorsButton record={record} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {list.hasNextPage ? (
        <Group>
          <Button
            variant="default"
            loading={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
          >
            Load more
          </Button>
        </Group>
      ) : null}
    </Stack>
  )
}
