import { Button, Group, Stack, Text } from '@mantine/core'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import type { ApiCondition } from './filter.ts'
import type { Column } from './list-config.ts'
import { RecordTable } from './record-table.tsx'
import { useRecordList } from './use-record-list.ts'

interface RelatedListProps<T extends { id: string }> {
  label: string
  path: string
  queryKey: readonly string[]
  conditions: ApiCondition[]
  sort: string
  columns: Column<T>[]
  rowName: (row: T) => string
  rowHref: (row: T) => string
  empty: string
}

/** Records linked to this one (an account's contacts, a contact's deals), through list filters. */
export function RelatedList<T extends { id: string }>(props: RelatedListProps<T>) {
  const { label, path, queryKey, conditions, sort, columns, rowName, rowHref, empty } = props
  const list = useRecordList<T>(queryKey, path, { q: '', filter: { all: conditions }, sort }, 25)
  if (list.isPending) return <LoadingRows label={`Loading ${label.toLowerCase()}`} rows={3} />
  if (list.error) {
    return (
      <ErrorAlert
        title={`Could not load ${label.toLowerCase()}`}
        error={list.error}
        onRetry={() => void list.refetch()}
      />
    )
  }
  if (list.items.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    )
  }
  return (
    <Stack gap="xs">
      <RecordTable
        label={label}
        rows={list.items}
        columns={columns.map((c) => ({ ...c, sort: undefined }))}
        sort={sort}
        onSort={() => undefined}
        rowName={rowName}
        rowHref={rowHref}
      />
      {list.hasNextPage ? (
        <Group justify="center">
          <Button
            variant="default"
            size="xs"
            onClick={() => void list.fetchNextPage()}
            loading={list.isFetchingNextPage}
          >
            Load more
          </Button>
        </Group>
      ) : null}
    </Stack>
  )
}
