import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core'
import { useState } from 'react'
import { Link, useNavigate } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { useCursorList } from '../../components/use-cursor-list.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { recordPath } from '../records/crm-queries.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { useCan } from '../records/permissions.ts'
import { duplicatesKey, MergeCompare } from './merge-compare.tsx'
import type { MergeEntity } from './merge-fields.ts'

interface DuplicateRecord {
  id: string
  name: string
  email?: string | null
  phone?: string | null
  domain?: string | null
  account?: { id: string; name: string } | null
  createdAt: string
}

interface DuplicateGroup {
  reason: string
  key: string
  size: number
  records: DuplicateRecord[]
}

const reasons: Record<MergeEntity, { value: string; label: string }[]> = {
  contact: [
    { value: 'all', label: 'All' },
    { value: 'email', label: 'Same email' },
    { value: 'name_phone', label: 'Same name and phone' },
    { value: 'name_company', label: 'Same name and account' },
  ],
  account: [
    { value: 'all', label: 'All' },
    { value: 'domain', label: 'Same domain' },
    { value: 'name', label: 'Same name' },
  ],
}

const plural = { contact: 'contacts', account: 'accounts' } as const

function reasonLabel(entity: MergeEntity, reason: string) {
  return reasons[entity].find((r) => r.value === reason)?.label ?? reason
}

function detailOf(record: DuplicateRecord): string {
  return [record.email, record.phone, record.domain, record.account?.name]
    .filter(Boolean)
    .join(' · ')
}

/** Groups of likely duplicates with why they match, each a click away from a side-by-side merge. */
export function DuplicatesPage({ entity }: { entity: MergeEntity }) {
  const title = `Duplicate ${plural[entity]}`
  useDocumentTitle(title)
  const navigate = useNavigate()
  const canWrite = useCan('records:write')
  const [reason, setReason] = useState('all')
  const [comparing, setComparing] = useState<string[] | null>(null)
  const path = `/api/v1/duplicates/${plural[entity]}${reason === 'all' ? '' : `?reason=${reason}`}`
  const list = useCursorList<DuplicateGroup>([...duplicatesKey, entity, reason], path, 20)

  return (
    <Stack gap="md">
      <Anchor component={Link} to={`/microscope/${plural[entity]}`} size="sm">
        All {plural[entity]}
      </Anchor>
      <Title order={1}>{title}</Title>
      <SegmentedControl
        aria-label="Why they match"
        data={reasons[entity]}
        value={reason}
        onChange={setReason}
        w="fit-content"
      />
      {list.isPending ? (
        <LoadingRows label="Looking for duplicates" rows={4} height={80} />
      ) : list.error ? (
        <ErrorAlert
          title="Could not look for duplicates"
          error={list.error}
          onRetry={() => void list.refetch()}
        />
      ) : list.items.length === 0 ? (
        <EmptyState title="No likely duplicates">
          No two {plural[entity]} share{' '}
          {entity === 'contact'
            ? 'an email, a name and phone, or a name and account'
            : 'a domain or a name'}
          {reason === 'all' ? '' : ' in this way'}.
        </EmptyState>
      ) : (
        <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {list.items.map((group) => (
            <Paper
              key={`${group.reason}:${group.key}`}
              withBorder
              p="md"
              component="li"
              aria-label={`${reasonLabel(entity, group.reason)}: ${group.records.map((r) => r.name).join(', ')}`}
            >
              <Group justify="space-between" align="flex-start">
                <Stack gap={4}>
                  <Group gap="xs">
                    <Badge variant="light">{reasonLabel(entity, group.reason)}</Badge>
                    <Text size="sm" c="dimmed">
                      {group.size} {plural[entity]}
                    </Text>
                  </Group>
                  {group.records.map((record) => (
                    <Text key={record.id} size="sm">
                      <Anchor component={Link} to={recordPath(entity, record.id)}>
                        {record.name || 'Unnamed'}
                      </Anchor>
                      {detailOf(record) ? ` · ${detailOf(record)}` : ''}
                    </Text>
                  ))}
                </Stack>
                {canWrite ? (
                  <Button
                    variant="light"
                    onClick={() => setComparing(group.records.slice(0, 51).map((r) => r.id))}
                  >
                    Compare and merge
                  </Button>
                ) : null}
              </Group>
            </Paper>
          ))}
        </Stack>
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
      <MergeCompare
        entity={entity}
        ids={comparing ?? []}
        opened={comparing !== null}
        onClose={() => setComparing(null)}
        onMerged={(id) => {
          setComparing(null)
          void navigate(recordPath(entity, id))
        }}
      />
    </Stack>
  )
}
