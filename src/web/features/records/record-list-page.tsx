import {
  Badge,
  Button,
  CloseButton,
  Group,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useDebouncedCallback, useDisclosure } from '@mantine/hooks'
import { IconFilter, IconSearch } from '@tabler/icons-react'
import { type ReactNode, useState } from 'react'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { BulkUpdateModal } from './bulk-update-modal.tsx'
import { ColumnChooser } from './column-chooser.tsx'
import { EmptyState } from './empty-state.tsx'
import { ExportButton, type ExportEntity } from './export-button.tsx'
import { describeCondition, parseFilter } from './filter.ts'
import { FilterBuilder } from './filter-builder.tsx'
import type { ListConfig } from './list-config.ts'
import { useCan } from './permissions.ts'
import { RecordTable } from './record-table.tsx'
import { SavedViews } from './saved-views.tsx'
import { useColumns } from './use-columns.ts'
import { useListState } from './use-list-state.ts'
import { useRecordList } from './use-record-list.ts'

const maxBulk = 200

/** A list of records with search, filters, sort, columns, saved views, selection and bulk edit. */
export function RecordListPage<T extends { id: string }>({
  config,
  actions,
}: {
  config: ListConfig<T>
  actions?: ReactNode
}) {
  useDocumentTitle(config.title)
  const canBulk = useCan('records:write') && config.bulkFields.length > 0
  const [state, update] = useListState(config.defaultSort)
  const [search, setSearch] = useState(state.q)
  const pushSearch = useDebouncedCallback((q: string) => update({ q }), 300)
  const [filtering, filterPanel] = useDisclosure(false)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [bulkOpen, bulk] = useDisclosure(false)
  const columns = useColumns(config.entity, config.columns)
  const list = useRecordList<T>(config.queryKey, config.path, state)
  const conditions = state.filter?.all ?? []
  const isFiltered = Boolean(state.q) || conditions.length > 0
  const selectedIds = [...selected].filter((id) => list.items.some((r) => r.id === id))

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1}>{config.title}</Title>
        {actions}
      </Group>
      <Group gap="xs" align="flex-end" wrap="wrap">
        <TextInput
          aria-label={`Search ${config.noun.many}`}
          placeholder={`Search ${config.noun.many}`}
          leftSection={<IconSearch size={16} aria-hidden="true" />}
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value)
            pushSearch(event.currentTarget.value.trim())
          }}
          style={{ flex: '1 1 220px' }}
        />
        <Button
          variant={conditions.length > 0 ? 'light' : 'default'}
          leftSection={<IconFilter size={16} aria-hidden="true" />}
          onClick={filterPanel.toggle}
          aria-expanded={filtering}
        >
          Filters{conditions.length > 0 ? ` (${conditions.length})` : ''}
        </Button>
        <ColumnChooser
          columns={config.columns}
          visibleKeys={columns.visibleKeys}
          onChange={columns.setVisibleKeys}
        />
        <ExportButton
          entity={config.path.split('/').pop() as ExportEntity}
          state={state}
          label={`${isFiltered ? 'Matching' : 'All'} ${config.noun.many}`}
        />
        <SavedViews
          entity={config.entity}
          current={{ filter: state.filter, sort: state.sort, columns: columns.visibleKeys }}
          onApply={(view) => {
            update({ filter: view ? parseFilter(view.filter) : null, sort: view?.sort ?? '' })
            if (view && view.columns.length > 0) columns.setVisibleKeys(view.columns)
          }}
        />
      </Group>
      {filtering ? (
        <FilterBuilder
          fields={config.filterFields}
          value={state.filter}
          onCancel={filterPanel.close}
          onApply={(filter) => {
            update({ filter })
            filterPanel.close()
          }}
        />
      ) : null}
      {conditions.length > 0 ? (
        <Group gap={6} aria-label="Active filters" role="list">
          {conditions.map((condition, index) => {
            const text = describeCondition(condition, config.filterFields)
            return (
              <Badge
                key={`${condition.field}-${condition.op}-${JSON.stringify(condition.value)}`}
                role="listitem"
                variant="light"
                size="lg"
                tt="none"
                rightSection={
                  <CloseButton
                    size="xs"
                    aria-label={`Remove filter: ${text}`}
                    onClick={() => {
                      const all = conditions.filter((_, i) => i !== index)
                      update({ filter: all.length > 0 ? { all } : null })
                    }}
                  />
                }
              >
                {text}
              </Badge>
            )
          })}
        </Group>
      ) : null}
      {canBulk && selectedIds.length > 0 ? (
        <Paper withBorder p="xs" role="region" aria-label="Bulk actions">
          <Group justify="space-between">
            <Text size="sm" aria-live="polite">
              {selectedIds.length} selected
              {selectedIds.length > maxBulk ? ` (at most ${maxBulk} at a time)` : ''}
            </Text>
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={() => setSelected(new Set())}>
                Clear selection
              </Button>
              <Button size="xs" onClick={bulk.open} disabled={selectedIds.length > maxBulk}>
                Change selected
              </Button>
            </Group>
          </Group>
        </Paper>
      ) : null}
      {list.isPending ? (
        <LoadingRows label={`Loading ${config.noun.many}`} rows={8} height={36} />
      ) : list.error ? (
        <ErrorAlert
          title={`Could not load ${config.noun.many}`}
          error={list.error}
          onRetry={() => void list.refetch()}
        />
      ) : list.items.length === 0 ? (
        isFiltered ? (
          <EmptyState title={`No ${config.noun.many} match`}>
            Try fewer words in the search or remove a filter.
          </EmptyState>
        ) : (
          <EmptyState title={`No ${config.noun.many} yet`}>{config.emptyHint}</EmptyState>
        )
      ) : (
        <Stack gap="sm">
          <Paper withBorder>
            <RecordTable
              label={config.title}
              rows={list.items}
              columns={columns.visible}
              sort={state.sort}
              onSort={(sort) => update({ sort })}
              rowName={config.rowName}
              rowHref={config.rowHref}
              selected={canBulk ? selected : undefined}
              onSelect={canBulk ? setSelected : undefined}
            />
          </Paper>
          <Group justify="center">
            {list.hasNextPage ? (
              <Button
                variant="default"
                onClick={() => void list.fetchNextPage()}
                loading={list.isFetchingNextPage}
              >
                Load more
              </Button>
            ) : (
              <Text size="xs" c="dimmed">
                {list.items.length} {list.items.length === 1 ? config.noun.one : config.noun.many},
                that is all.
              </Text>
            )}
          </Group>
        </Stack>
      )}
      {config.bulkFields.length > 0 ? (
        <BulkUpdateModal
          opened={bulkOpen}
          ids={selectedIds}
          fields={config.bulkFields}
          path={config.path}
          queryKey={config.queryKey}
          noun={config.noun}
          onClose={bulk.close}
          onDone={() => {
            bulk.close()
            setSelected(new Set())
          }}
        />
      ) : null}
    </Stack>
  )
}
