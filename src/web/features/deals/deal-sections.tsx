import { Alert, Anchor, Badge, List, Table, Text } from '@mantine/core'
import { IconThumbUp } from '@tabler/icons-react'
import { Link } from 'react-router'
import { formatDateTime } from '../../components/format.ts'
import { recordPath } from '../records/crm-queries.ts'
import { FieldList } from '../records/field-list.tsx'
import {
  humanize,
  labelOf,
  lossReasonOptions,
  marketingCouldHelpOptions,
} from '../records/labels.ts'
import { formatMoney } from '../records/money.ts'
import type { DealDetail, DealStageEntry, Stage } from '../records/types.ts'

/** Why the deal was lost, as the rep told it; walking away from a poor fit reads as a good call. */
export function LossPanel({ deal }: { deal: DealDetail }) {
  const isGoodOutcome = deal.lossReason === 'poor_fit_walked_away'
  return (
    <>
      {isGoodOutcome ? (
        <Alert color="teal" variant="light" icon={<IconThumbUp aria-hidden="true" />}>
          We walked away from a poor fit: a good outcome, not counted against the win rate.
        </Alert>
      ) : null}
      <FieldList
        label="Loss details"
        fields={[
          ['Loss reason', labelOf(deal.lossReason, lossReasonOptions)],
          ...(deal.lossCompetitor ? [['Competitor', deal.lossCompetitor] as [string, string]] : []),
          ['Marketing could help', labelOf(deal.marketingCouldHelp, marketingCouldHelpOptions)],
          ['Notes', deal.lossNotes ?? '—'],
        ]}
      />
    </>
  )
}

/** Every stage the deal entered, oldest first, with when and by whom. */
export function DealStageHistory({
  entries,
  stages,
}: {
  entries: DealStageEntry[]
  stages: Stage[]
}) {
  if (entries.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No stage changes yet.
      </Text>
    )
  }
  // Changes stamped at the same moment read in pipeline order.
  const rank = (e: DealStageEntry) => stages.findIndex((s) => s.id === e.toStage.id)
  const sorted = [...entries].sort(
    (a, b) => a.changedAt.localeCompare(b.changedAt) || rank(a) - rank(b),
  )
  return (
    <List spacing={4} size="sm" aria-label="Stage history">
      {sorted.map((entry) => (
        <List.Item key={entry.id}>
          <Text span fw={500}>
            {stages.find((s) => s.id === entry.toStage.id)?.name ?? entry.toStage.name}
          </Text>{' '}
          <Text span size="sm" c="dimmed">
            <time dateTime={entry.changedAt}>{formatDateTime(entry.changedAt)}</time>
            {entry.changedBy ? ` by ${entry.changedBy.name}` : ''}
            {entry.fromStage ? ` (from ${entry.fromStage.name})` : ''}
          </Text>
        </List.Item>
      ))}
    </List>
  )
}

export function LineItemsTable({ deal }: { deal: DealDetail }) {
  if (deal.lineItems.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No products yet. Add line items so product fit and revenue by product can be reported.
      </Text>
    )
  }
  const total = deal.lineItems.reduce((sum, i) => sum + i.amount, 0)
  return (
    <Table aria-label="Line items" verticalSpacing={6}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Product</Table.Th>
          <Table.Th ta="right">Quantity</Table.Th>
          <Table.Th ta="right">Unit price</Table.Th>
          <Table.Th ta="right">Total</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {deal.lineItems.map((item) => (
          <Table.Tr key={item.id}>
            <Table.Td>{item.productName}</Table.Td>
            <Table.Td ta="right">{Number(item.quantity).toLocaleString()}</Table.Td>
            <Table.Td ta="right">{formatMoney(item.unitPrice, deal.currency)}</Table.Td>
            <Table.Td ta="right">{formatMoney(item.amount, deal.currency)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
      <Table.Tfoot>
        <Table.Tr>
          <Table.Th colSpan={3}>Sum of line items</Table.Th>
          <Table.Th ta="right">{formatMoney(total, deal.currency)}</Table.Th>
        </Table.Tr>
      </Table.Tfoot>
    </Table>
  )
}

export function DealContactsTable({ deal }: { deal: DealDetail }) {
  if (deal.contacts.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No contacts on this deal. Add the buyer, the champion and whoever signs, with their roles.
      </Text>
    )
  }
  return (
    <Table aria-label="Contacts on this deal" verticalSpacing={6}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Name</Table.Th>
          <Table.Th>Role</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {deal.contacts.map((c) => (
          <Table.Tr key={c.contactId}>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>
              <Anchor component={Link} to={recordPath('contact', c.contactId)} size="sm">
                {c.name || c.email || 'Unnamed contact'}
              </Anchor>
              {c.isPrimary ? (
                <Badge size="xs" variant="light" ml={6}>
                  Primary
                </Badge>
              ) : null}
            </Table.Td>
            <Table.Td>{c.role ? humanize(c.role) : '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
