import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core'
import { IconArrowLeft } from '@tabler/icons-react'
import { Link, useSearchParams } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate, formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { rejectionReasonLabels } from '../inbox/reject-dialog.tsx'
import { ScrollRegion } from '../inbox/scroll-region.tsx'
import { EmptyState } from '../records/empty-state.tsx'
import { formatMoney } from '../records/money.ts'
import {
  type ContactRecord,
  type DealRecord,
  type DrillKind,
  drillKinds,
  type HandoffRecord,
  useDrillRecords,
} from './records-api.ts'

const titles: Record<DrillKind, string> = {
  handoffs: 'Handoffs',
  deals: 'Deals',
  contacts: 'Contacts',
}

const slaWords: Record<HandoffRecord['slaState'], string> = {
  running: 'Clock running',
  met: 'Met',
  missed: 'Missed',
  closed: 'Not counted',
}

const count = (n: number, kind: DrillKind) =>
  `${n.toLocaleString()} ${n === 1 ? titles[kind].toLowerCase().replace(/s$/, '') : titles[kind].toLowerCase()}`

/**
 * /bridge/records?kind=…&from=…&to=…&…: the records behind a Bridge number, so anyone can check
 * what a report counted. The URL carries the report's own filters; the total is the number shown.
 */
export function DrillRecordsPage() {
  useDocumentTitle('Records behind the number')
  const [params] = useSearchParams()
  const kind = params.get('kind') as DrillKind | null
  const isKnown = kind !== null && drillKinds.includes(kind)
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/bridge" size="sm">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden="true" />
          Back to the Bridge
        </Group>
      </Anchor>
      {isKnown ? (
        <Records kind={kind} params={params} />
      ) : (
        <>
          <Title order={1}>Records behind the number</Title>
          <EmptyState title="Which records?">
            This page lists the records behind a number of the Bridge's reports. Open it from a
            report's link.
          </EmptyState>
        </>
      )}
    </Stack>
  )
}

function Records({ kind, params }: { kind: DrillKind; params: URLSearchParams }) {
  const query = useDrillRecords(params)
  const pages = query.data?.pages ?? []
  const first = pages[0]
  const rows = pages.flatMap((page) => page.rows)
  return (
    <>
      <Stack gap={4}>
        <Title order={1}>{titles[kind]} behind the number</Title>
        {first ? (
          <Text c="dimmed" data-testid="drill-description">
            {first.description}
          </Text>
        ) : null}
      </Stack>
      {query.isPending ? (
        <LoadingRows label="Loading the records" rows={6} />
      ) : query.error ? (
        <ErrorAlert
          title="Could not load the records"
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      ) : !first || first.total === 0 ? (
        <EmptyState title="No records match">
          Nothing was counted for this number in this range. Try a wider range on the report.
        </EmptyState>
      ) : (
        <Stack gap="sm">
          <Text fw={600} data-testid="drill-total" aria-live="polite">
            {count(first.total, kind)}
            {rows.length < first.total ? ` (showing ${rows.length.toLocaleString()})` : ''}
          </Text>
          <ScrollRegion label={`${titles[kind]}, scrollable`}>
            {kind === 'handoffs' ? (
              <HandoffTable rows={rows as HandoffRecord[]} />
            ) : kind === 'deals' ? (
              <DealTable rows={rows as DealRecord[]} />
            ) : (
              <ContactTable rows={rows as ContactRecord[]} stage={params.get('stage')} />
            )}
          </ScrollRegion>
          {query.hasNextPage ? (
            <Group>
              <Button
                variant="default"
                loading={query.isFetchingNextPage}
                onClick={() => void query.fetchNextPage()}
              >
                Load more
              </Button>
            </Group>
          ) : null}
        </Stack>
      )}
    </>
  )
}

function HandoffTable({ rows }: { rows: HandoffRecord[] }) {
  return (
    <Table striped fz="sm" miw={860} aria-label="Handoffs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Contact</Table.Th>
          <Table.Th>Created</Table.Th>
          <Table.Th>Owner</Table.Th>
          <Table.Th>Campaign</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>First touch SLA</Table.Th>
          <Table.Th ta="right">Quality</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((h) => (
          <Table.Tr key={h.id}>
            <Table.Td>
              <Anchor component={Link} to={h.link} fw={500}>
                {h.contact.name}
              </Anchor>
              {h.contact.email ? (
                <Text size="xs" c="dimmed">
                  {h.contact.email}
                </Text>
              ) : null}
            </Table.Td>
            <Table.Td>{formatDateTime(h.createdAt)}</Table.Td>
            <Table.Td>{h.owner?.name ?? 'Unassigned'}</Table.Td>
            <Table.Td>{h.campaign?.name ?? '—'}</Table.Td>
            <Table.Td>
              {h.status === 'rejected'
                ? `Rejected: ${rejectionReasonLabels[h.rejectionReason ?? ''] ?? h.rejectionReason}`
                : h.status === 'accepted'
                  ? 'Accepted'
                  : 'Open'}
            </Table.Td>
            <Table.Td>
              {slaWords[h.slaState]}
              {h.firstTouchAt ? (
                <Text size="xs" c="dimmed">
                  touched {formatDateTime(h.firstTouchAt)}
                </Text>
              ) : null}
            </Table.Td>
            <Table.Td ta="right">{h.quality === null ? '—' : `${h.quality} / 5`}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

function DealTable({ rows }: { rows: DealRecord[] }) {
  return (
    <Table striped fz="sm" miw={860} aria-label="Deals">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Deal</Table.Th>
          <Table.Th>Account</Table.Th>
          <Table.Th>Owner</Table.Th>
          <Table.Th ta="right">Amount</Table.Th>
          <Table.Th>Closed</Table.Th>
          <Table.Th>Outcome</Table.Th>
          <Table.Th>Marketing could help</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((d) => (
          <Table.Tr key={d.id}>
            <Table.Td>
              <Anchor component={Link} to={d.link} fw={500}>
                {d.name}
              </Anchor>
            </Table.Td>
            <Table.Td>{d.account?.name ?? '—'}</Table.Td>
            <Table.Td>{d.owner?.name ?? 'Unassigned'}</Table.Td>
            <Table.Td ta="right">{formatMoney(d.amount, d.currency)}</Table.Td>
            <Table.Td>{formatDate(d.closedAt)}</Table.Td>
            <Table.Td>
              {d.outcome === 'won' ? (
                <Text size="sm" fw={600} c="teal.9">
                  Won
                </Text>
              ) : d.outcome === 'lost' ? (
                <Stack gap={2}>
                  <Text size="sm" fw={600} c="red.9">
                    Lost
                  </Text>
                  <Text size="xs">
                    {[d.lossReason, d.lossCompetitor].filter(Boolean).join(' · ') || '—'}
                  </Text>
                </Stack>
              ) : (
                'Closed'
              )}
            </Table.Td>
            <Table.Td>{d.marketingCouldHelp ?? '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

function ContactTable({ rows, stage }: { rows: ContactRecord[]; stage: string | null }) {
  const hasReached = rows.some((c) => c.reachedAt !== null)
  return (
    <Table striped fz="sm" miw={720} aria-label="Contacts">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Contact</Table.Th>
          <Table.Th>Account</Table.Th>
          <Table.Th>Entered {stage ?? 'the stage'}</Table.Th>
          {hasReached ? <Table.Th>Reached the later stage</Table.Th> : null}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((c) => (
          <Table.Tr key={c.id}>
            <Table.Td>
              <Anchor component={Link} to={c.link} fw={500}>
                {c.name}
              </Anchor>
              {c.email ? (
                <Text size="xs" c="dimmed">
                  {c.email}
                </Text>
              ) : null}
            </Table.Td>
            <Table.Td>{c.account?.name ?? '—'}</Table.Td>
            <Table.Td>{formatDateTime(c.enteredAt)}</Table.Td>
            {hasReached ? (
              <Table.Td>{c.reachedAt ? formatDateTime(c.reachedAt) : '—'}</Table.Td>
            ) : null}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
