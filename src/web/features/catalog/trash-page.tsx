import { Button, Group, NativeSelect, Stack, Text, Title } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate, formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifyError, notifySuccess } from '../../components/notify.ts'
import { useCursorList } from '../../components/use-cursor-list.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { crmKeys } from '../records/crm-queries.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { useCan } from '../records/permissions.ts'
import { CatalogTable } from './catalog-table.tsx'

interface TrashItem {
  entity: string
  id: string
  name: string
  deletedAt: string
  purgeOn: string
}

const entities = [
  { value: 'account', label: 'Accounts' },
  { value: 'contact', label: 'Contacts' },
  { value: 'deal', label: 'Deals' },
  { value: 'activity', label: 'Activities' },
  { value: 'campaign', label: 'Campaigns' },
  { value: 'product', label: 'Products' },
]

const entityKeys: Record<string, readonly string[]> = {
  account: crmKeys.accounts,
  contact: crmKeys.contacts,
  deal: crmKeys.deals,
  activity: crmKeys.timeline,
  product: crmKeys.products,
}

/** Deleted records wait here for 30 days and can be brought back as they were. */
export function TrashPage() {
  useDocumentTitle('Trash')
  const canRestore = useCan('records:delete')
  const queryClient = useQueryClient()
  const [entity, setEntity] = useState('account')
  const list = useCursorList<TrashItem>(
    [...crmKeys.trash, entity],
    `/api/v1/trash?entity=${entity}`,
  )
  const restore = useMutation({
    mutationFn: (item: TrashItem) =>
      postData(`/api/v1/trash/${item.entity}/${encodeURIComponent(item.id)}/restore`, {}),
    onSuccess: async (_r, item) => {
      notifySuccess(`“${item.name}” restored.`)
      await queryClient.invalidateQueries({ queryKey: crmKeys.trash })
      const key = entityKeys[item.entity]
      if (key) await queryClient.invalidateQueries({ queryKey: key })
    },
    onError: (error, item) => notifyError(`“${item.name}” was not restored`, error),
  })
  return (
    <Stack>
      <Title order={2}>Trash</Title>
      <Text size="sm" c="dimmed">
        Deleted records stay here for 30 days, then are deleted for good.
        {canRestore ? '' : ' Only admins, marketing and sales managers can restore them.'}
      </Text>
      <NativeSelect
        label="Show deleted"
        data={entities}
        value={entity}
        onChange={(e) => setEntity(e.currentTarget.value)}
        w={220}
      />
      {list.isPending ? (
        <LoadingRows label="Loading the Trash" />
      ) : list.error ? (
        <ErrorAlert
          title="Could not load the Trash"
          error={list.error}
          onRetry={() => void list.refetch()}
        />
      ) : list.items.length === 0 ? (
        <EmptyState title="Nothing here">
          Nothing of this kind was deleted in the last 30 days. Deleted records show here until
          then.
        </EmptyState>
      ) : (
        <Stack gap="sm">
          <CatalogTable
            label="Deleted records"
            rows={list.items}
            rowName={(i) => i.name}
            columns={[
              { label: 'Name', render: (i) => i.name },
              { label: 'Deleted', render: (i) => formatDateTime(i.deletedAt) },
              { label: 'Gone for good after', render: (i) => formatDate(i.purgeOn) },
            ]}
            onDelete={canRestore ? (item) => restore.mutate(item) : undefined}
            deleteLabel="Restore"
            deleteColor="indigo"
          />
          {list.hasNextPage ? (
            <Group justify="center">
              <Button
                variant="default"
                onClick={() => void list.fetchNextPage()}
                loading={list.isFetchingNextPage}
              >
                Load more
              </Button>
            </Group>
          ) : null}
        </Stack>
      )}
    </Stack>
  )
}
