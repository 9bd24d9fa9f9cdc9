import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core'
import { useDebouncedValue, useDisclosure } from '@mantine/hooks'
import { IconArrowMerge } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useNavigate } from 'react-router'
import { api } from '../../api/client.ts'
import type { Page } from '../../api/types.ts'
import { crmKeys, recordPath } from '../records/crm-queries.ts'
import { MergeCompare } from './merge-compare.tsx'
import type { MergeEntity } from './merge-fields.ts'

interface Candidate {
  id: string
  name?: string
  domain?: string | null
  firstName?: string | null
  lastName?: string | null
  email?: string | null
}

const plural = { contact: 'contacts', account: 'accounts' } as const

function candidateLabel(c: Candidate): string {
  if (c.name !== undefined) return c.domain ? `${c.name} (${c.domain})` : c.name
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ')
  if (name && c.email) return `${name} (${c.email})`
  return name || c.email || 'Unnamed contact'
}

/** "Merge with…" on a record page: find the other record, then compare and merge. */
export function MergeWithButton({ entity, id }: { entity: MergeEntity; id: string }) {
  const navigate = useNavigate()
  const [picking, picker] = useDisclosure(false)
  const [otherId, setOtherId] = useState<string | null>(null)
  const [comparing, setComparing] = useState(false)
  const [search, setSearch] = useState('')
  const [term] = useDebouncedValue(search, 250)
  const found = useQuery({
    queryKey: [...crmKeys[plural[entity]], 'merge-picker', term],
    queryFn: () =>
      api.get<Page<Candidate>>(
        `/api/v1/${plural[entity]}?limit=20${term ? `&q=${encodeURIComponent(term)}` : ''}`,
      ),
    enabled: picking,
    staleTime: 30_000,
  })
  const options = (found.data?.data ?? [])
    .filter((c) => c.id !== id)
    .map((c) => ({ value: c.id, label: candidateLabel(c) }))

  return (
    <>
      <Button
        variant="default"
        leftSection={<IconArrowMerge size={16} aria-hidden="true" />}
        onClick={picker.open}
      >
        Merge with…
      </Button>
      <Modal opened={picking} onClose={picker.close} title={`Merge with another ${entity}`}>
        <Stack>
          <Text size="sm">
            Find the duplicate of this {entity}; the next step shows both side by side.
          </Text>
          <Select
            label={`Other ${entity}`}
            placeholder={`Type to search ${plural[entity]}`}
            searchable
            data={options}
            value={otherId}
            onChange={setOtherId}
            searchValue={search}
            onSearchChange={setSearch}
            filter={({ options: all }) => all}
            nothingFoundMessage={found.isFetching ? 'Searching…' : `No ${entity} matches`}
            comboboxProps={{ withinPortal: true }}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={picker.close}>
              Cancel
            </Button>
            <Button
              disabled={otherId === null}
              onClick={() => {
                picker.close()
                setComparing(true)
              }}
            >
              Compare
            </Button>
          </Group>
        </Stack>
      </Modal>
      <MergeCompare
        entity={entity}
        ids={otherId ? [id, otherId] : [id]}
        opened={comparing}
        onClose={() => setComparing(false)}
        onMerged={(survivorId) => {
          setComparing(false)
          setOtherId(null)
          if (survivorId !== id) void navigate(recordPath(entity, survivorId))
        }}
      />
    </>
  )
}
