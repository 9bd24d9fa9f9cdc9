import { Anchor, Drawer, Stack, Table, Text } from '@mantine/core'
import { Link } from 'react-router'
import { ScrollRegion } from '../inbox/scroll-region.tsx'
import { bucketLabels, type DealLine, formatAmount } from './forecast-api.ts'

export interface DealsView {
  title: string
  deals: DealLine[]
  /** Show the weighted amounts (the weighted pipeline's deals). */
  weighted?: boolean
}

/** The deals behind a number of the forecast call, each a link to the deal. */
export function DealsDrawer({
  view,
  currency,
  onClose,
}: {
  view: DealsView | null
  currency: string
  onClose: () => void
}) {
  const total = (view?.deals ?? []).reduce(
    (sum, d) => sum + ((view?.weighted ? d.weighted : d.amountInBase) ?? 0),
    0,
  )
  return (
    <Drawer
      opened={view !== null}
      onClose={onClose}
      title={view?.title}
      position="right"
      size="xl"
      closeButtonProps={{ 'aria-label': 'Close the deals' }}
    >
      {view ? (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {view.deals.length} {view.deals.length === 1 ? 'deal' : 'deals'},{' '}
            {formatAmount(total, currency)}
            {view.weighted ? ' weighted' : ''} in {currency}.
          </Text>
          {view.deals.length === 0 ? (
            <Text size="sm">No deals behind this number.</Text>
          ) : (
            <ScrollRegion label={`${view.title}, scrollable`}>
              <Table aria-label={view.title} striped fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Deal</Table.Th>
                    <Table.Th>Owner</Table.Th>
                    <Table.Th>Category</Table.Th>
                    <Table.Th>Stage</Table.Th>
                    <Table.Th>Closes</Table.Th>
                    <Table.Th ta="right">Amount</Table.Th>
                    {view.weighted ? <Table.Th ta="right">Weighted</Table.Th> : null}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {view.deals.map((deal) => (
                    <Table.Tr key={deal.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/microscope/deals/${deal.id}`}>
                          {deal.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{deal.ownerName ?? 'No owner'}</Table.Td>
                      <Table.Td>{bucketLabels[deal.bucket]}</Table.Td>
                      <Table.Td>
                        {deal.stageName}
                        {deal.bucket === 'closed_won'
                          ? ''
                          : ` (${Math.round(deal.probability * 100)}%)`}
                      </Table.Td>
                      <Table.Td>{deal.closedAt?.slice(0, 10) ?? deal.closeDate ?? '—'}</Table.Td>
                      <Table.Td ta="right">
                        {formatAmount(deal.amount, deal.currency)}
                        {deal.currency !== currency && deal.amountInBase !== null
                          ? ` (${formatAmount(deal.amountInBase, currency)})`
                          : ''}
                      </Table.Td>
                      {view.weighted ? (
                        <Table.Td ta="right">
                          {deal.weighted === null ? '—' : formatAmount(deal.weighted, currency)}
                        </Table.Td>
                      ) : null}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollRegion>
          )}
        </Stack>
      ) : null}
    </Drawer>
  )
}
