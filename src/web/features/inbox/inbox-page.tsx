import {
  Anchor,
  Badge,
  Button,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from '@mantine/core'
import { useInfiniteQuery } from '@tanstack/react-query'
import { Link, useSearchParams } from 'react-router'
import { getPage } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { humanize, labelOf, leadStatusOptions } from '../records/labels.ts'
import { useMe } from '../shell/me-context.tsx'
import {
  type Handoff,
  handoffKeys,
  mqlSourceLabels,
  tones,
  useCanWorkHandoffs,
  useHandoffCounts,
} from './handoffs-api.ts'
import { ScrollRegion } from './scroll-region.tsx'
import { SlaClock } from './sla-clock.tsx'

type Tab = 'mine' | 'unassigned' | 'open' | 'decided'
type Decided = 'accepted' | 'rejected'

const tabs: Tab[] = ['mine', 'unassigned', 'open', 'decided']

/** The API query of a tab: open tabs by the most urgent first-touch deadline. */
function queryOf(tab: Tab, decided: Decided): string {
  switch (tab) {
    case 'mine':
      return 'status=open&ownerId=me&sort=due'
    case 'unassigned':
      return 'status=open&ownerId=none&sort=due'
    case 'open':
      return 'status=open&sort=due'
    case 'decided':
      return `status=${decided}&sort=-createdAt`
  }
}

const empty: Record<Tab, { title: string; text: string }> = {
  mine: {
    title: 'No open handoffs for you',
    text: 'No open handoffs — new MQLs routed to you land here with their SLA clock.',
  },
  unassigned: {
    title: 'Nothing waiting for an owner',
    text: 'MQLs no routing rule could give to a rep wait here until a manager assigns them.',
  },
  open: {
    title: 'No open handoffs',
    text: 'No open handoffs — new MQLs land here with their SLA clock.',
  },
  decided: {
    title: 'Nothing decided yet',
    text: 'Handoffs accepted or rejected by sales show here with the reason.',
  },
}

/** /microscope/inbox: the rep's work list of handoffs, most urgent first. */
export function InboxPage() {
  useDocumentTitle('Inbox')
  const me = useMe()
  const canWork = useCanWorkHandoffs()
  const [params, setParams] = useSearchParams()
  const fallback: Tab = me.role === 'sales' ? 'mine' : 'open'
  const requested = params.get('tab')
  const tab = tabs.includes(requested as Tab) ? (requested as Tab) : fallback
  const decided: Decided = params.get('decided') === 'rejected' ? 'rejected' : 'accepted'
  const counts = useHandoffCounts()
  const setTab = (next: string | null) => {
    const nextParams = new URLSearchParams(params)
    nextParams.set('tab', next ?? fallback)
    setParams(nextParams, { replace: true })
  }
  const count = (n: number | undefined) => (n === undefined ? '' : ` (${n})`)

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Inbox</Title>
          <Text c="dimmed">
            Marketing-qualified leads handed to sales, with their SLA clocks.
            {canWork
              ? ' Accept or reject each with a reason; a logged call is the first touch.'
              : ''}
          </Text>
        </div>
        {counts.data && counts.data.overdue > 0 ? (
          <Badge color={tones.bad} size="lg">
            {counts.data.overdue} overdue
          </Badge>
        ) : null}
      </Group>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List aria-label="Handoffs">
          <Tabs.Tab value="mine">Mine{count(counts.data?.mine)}</Tabs.Tab>
          <Tabs.Tab value="unassigned">Unassigned{count(counts.data?.unassigned)}</Tabs.Tab>
          <Tabs.Tab value="open">All open{count(counts.data?.open)}</Tabs.Tab>
          <Tabs.Tab value="decided">Decided</Tabs.Tab>
        </Tabs.List>
        {tabs.map((value) => (
          <Tabs.Panel key={value} value={value} pt="md">
            <Stack gap="sm">
              {value === 'decided' ? (
                <SegmentedControl
                  w="fit-content"
                  aria-label="Decision"
                  value={decided}
                  onChange={(next) => {
                    const nextParams = new URLSearchParams(params)
                    nextParams.set('decided', next)
                    setParams(nextParams, { replace: true })
                  }}
                  data={[
                    { value: 'accepted', label: 'Accepted' },
                    { value: 'rejected', label: 'Rejected' },
                  ]}
                />
              ) : null}
              <HandoffList tab={value} query={queryOf(value, decided)} />
            </Stack>
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  )
}

/** One tab's list, refreshed every minute so the clocks stay live, paged with "Load more". */
function HandoffList({ tab, query }: { tab: Tab; query: string }) {
  const list = useInfiniteQuery({
    queryKey: handoffKeys.list(query),
    queryFn: ({ pageParam }) => getPage<Handoff>(`/api/v1/handoffs?${query}`, 25, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
    refetchInterval: 60_000,
  })
  const items = list.data?.pages.flatMap((page) => page.data) ?? []
  if (list.isPending) return <LoadingRows label="Loading handoffs" rows={5} height={48} />
  if (list.error) {
    return (
      <ErrorAlert
        title="Could not load the inbox"
        error={list.error}
        onRetry={() => void list.refetch()}
      />
    )
  }
  if (items.length === 0) {
    return <EmptyState title={empty[tab].title}>{empty[tab].text}</EmptyState>
  }
  return (
    <Stack gap="sm">
      <ScrollRegion label="Handoffs, scrollable">
        <Table aria-label="Handoffs" verticalSpacing="sm" highlightOnHover miw={900}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Contact</Table.Th>
              <Table.Th>Why an MQL</Table.Th>
              <Table.Th>Campaign</Table.Th>
              <Table.Th>Owner</Table.Th>
              <Table.Th>{tab === 'decided' ? 'Decision' : 'First-touch SLA'}</Table.Th>
              <Table.Th>Lead status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((handoff) => (
              <HandoffRow key={handoff.id} handoff={handoff} decided={tab === 'decided'} />
            ))}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
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
  )
}

function HandoffRow({ handoff, decided }: { handoff: Handoff; decided: boolean }) {
  const subtitle = [handoff.contact.title, handoff.account?.name].filter(Boolean).join(' · ')
  return (
    <Table.Tr data-handoff-id={handoff.id}>
      <Table.Td>
        <Anchor component={Link} to={`/microscope/inbox/${handoff.id}`} fw={600}>
          {handoff.contact.name}
        </Anchor>
        {subtitle ? (
          <Text size="sm" c="dimmed">
            {subtitle}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td maw={280}>
        <Text size="sm" lineClamp={2}>
          {handoff.mqlReason}
        </Text>
        <Group gap={4} mt={2}>
          <Badge size="xs" variant="light" color="gray">
            {mqlSourceLabels[handoff.mqlSource] ?? humanize(handoff.mqlSource)}
          </Badge>
          {handoff.isReMql ? (
            <Badge size="xs" color={tones.reMql}>
              Re-MQL
            </Badge>
          ) : null}
        </Group>
      </Table.Td>
      <Table.Td>{handoff.campaign?.name ?? <Text c="dimmed">—</Text>}</Table.Td>
      <Table.Td>{handoff.owner?.name ?? <Text c="dimmed">Unassigned</Text>}</Table.Td>
      <Table.Td>
        {decided ? <DecisionCell handoff={handoff} /> : <SlaClock handoff={handoff} />}
      </Table.Td>
      <Table.Td>{labelOf(handoff.contact.leadStatus, leadStatusOptions)}</Table.Td>
    </Table.Tr>
  )
}

function DecisionCell({ handoff }: { handoff: Handoff }) {
  return (
    <Stack gap={2}>
      <Badge color={handoff.status === 'accepted' ? tones.good : tones.bad}>
        {handoff.status === 'accepted'
          ? 'Accepted'
          : `Rejected: ${humanize(handoff.rejectionReason ?? '')}`}
      </Badge>
      <Text size="xs" c="dimmed">
        {handoff.decidedAt ? formatDateTime(handoff.decidedAt) : ''}
        {handoff.rejectionOutcome === 'recycle' && handoff.recycleOn
          ? ` · re-engage ${handoff.recycleOn}`
          : ''}
      </Text>
    </Stack>
  )
}
