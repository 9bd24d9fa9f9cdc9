import {
  ActionIcon,
  Anchor,
  Button,
  Group,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core'
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react'
import { Fragment, useState } from 'react'
import { Link } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import {
  type AttributionConversion,
  type AttributionCredit,
  type AttributionCredits,
  type AttributionModel,
  type CreditGroup,
  isDealConversion,
} from '../attribution/attribution-api.ts'
import { ScrollRegion } from '../inbox/scroll-region.tsx'
import { EmptyState } from '../records/empty-state.tsx'
import { formatMoney } from '../records/money.ts'
import { useMe } from '../shell/me-context.tsx'
import { CreditBar, Journey } from './journey.tsx'

export const creditsPageSize = 50

type CreditsQuery = {
  data: AttributionCredits | undefined
  error: Error | null
  isPending: boolean
  isFetching: boolean
  refetch: () => unknown
}

/**
 * The deals or people credited to a group for one conversion, a page at a time, each row opening
 * its journey. The query is the caller's (it names the list in its title from the answer).
 */
export function CreditsList({
  query,
  conversion,
  group,
  offset,
  onOffset,
  emptyHint,
}: {
  query: CreditsQuery
  conversion: AttributionConversion
  group: CreditGroup
  offset: number
  onOffset: (offset: number) => void
  emptyHint: string
}) {
  if (query.isPending) return <LoadingRows label="Loading the credited records" rows={6} />
  if (query.error) {
    return (
      <ErrorAlert
        title="Could not load the credited records"
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    )
  }
  const page = query.data
  const noun = isDealConversion(conversion) ? 'deals' : 'people'
  if (!page || page.meta.total === 0 || page.data.length === 0) {
    return <EmptyState title={`No ${noun} credited`}>{emptyHint}</EmptyState>
  }
  const { total, limit } = page.meta
  const first = page.meta.offset + 1
  const last = page.meta.offset + page.data.length
  return (
    <Stack gap="sm">
      <Text fw={600} data-testid="credits-total" aria-live="polite">
        {total.toLocaleString()} {total !== 1 ? noun : noun === 'deals' ? 'deal' : 'person'}
        {total > page.data.length
          ? ` (showing ${first.toLocaleString()}–${last.toLocaleString()})`
          : ''}
      </Text>
      <ScrollRegion label={`Credited ${noun}, scrollable`}>
        <CreditsTable
          key={`${page.meta.offset}-${conversion}-${page.meta.model}`}
          rows={page.data}
          conversion={conversion}
          model={page.meta.perTouch ? null : page.meta.model}
          group={group}
        />
      </ScrollRegion>
      {total > limit ? (
        <Group justify="flex-end" gap="sm">
          <Button
            variant="default"
            disabled={offset === 0 || query.isFetching}
            onClick={() => onOffset(Math.max(0, offset - limit))}
          >
            Previous
          </Button>
          <Button
            variant="default"
            disabled={last >= total || query.isFetching}
            onClick={() => onOffset(offset + limit)}
          >
            Next
          </Button>
        </Group>
      ) : null}
    </Stack>
  )
}

function CreditsTable({
  rows,
  conversion,
  model,
  group,
}: {
  rows: AttributionCredit[]
  conversion: AttributionConversion
  /** null: the model whose per-touch credits are stored. */
  model: AttributionModel | null
  group: CreditGroup
}) {
  const currency = useMe().workspace.baseCurrency
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set())
  const withMoney = isDealConversion(conversion)
  const columns = withMoney ? 7 : 5
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  return (
    <Table aria-label={withMoney ? 'Credited deals' : 'Credited people'} fz="sm" miw={760}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={44}>
            <VisuallyHidden>Journey</VisuallyHidden>
          </Table.Th>
          <Table.Th>{withMoney ? 'Deal' : 'Person'}</Table.Th>
          <Table.Th>Converted</Table.Th>
          <Table.Th ta="right">Credit</Table.Th>
          {withMoney ? <Table.Th ta="right">Credited revenue</Table.Th> : null}
          {withMoney ? <Table.Th ta="right">Amount</Table.Th> : null}
          <Table.Th ta="right">Touches</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => {
          const isOpen = open.has(row.id)
          const journeyId = `journey-${row.id}`
          return (
            <Fragment key={row.id}>
              <Table.Tr>
                <Table.Td>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    aria-expanded={isOpen}
                    aria-controls={isOpen ? journeyId : undefined}
                    aria-label={`${isOpen ? 'Hide' : 'Show'} the journey of ${row.name}`}
                    onClick={() => toggle(row.id)}
                  >
                    {isOpen ? (
                      <IconChevronDown size={16} aria-hidden="true" />
                    ) : (
                      <IconChevronRight size={16} aria-hidden="true" />
                    )}
                  </ActionIcon>
                </Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={row.link} fw={500}>
                    {row.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{formatDate(row.convertedAt)}</Table.Td>
                <Table.Td>
                  <CreditBar credit={row.credit} />
                </Table.Td>
                {withMoney ? (
                  <Table.Td ta="right">{formatMoney(row.revenue, currency)}</Table.Td>
                ) : null}
                {withMoney ? (
                  <Table.Td ta="right">{formatMoney(row.amount, currency)}</Table.Td>
                ) : null}
                <Table.Td ta="right">
                  {row.touches === null ? (
                    <Text span size="sm" c="dimmed" title="This model keeps no credit per touch">
                      —
                    </Text>
                  ) : (
                    row.touches.toLocaleString()
                  )}
                </Table.Td>
              </Table.Tr>
              {isOpen ? (
                <Table.Tr id={journeyId}>
                  <Table.Td />
                  <Table.Td colSpan={columns - 1}>
                    <Journey
                      subjectId={row.id}
                      conversion={conversion}
                      model={model}
                      group={group}
                    />
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Fragment>
          )
        })}
      </Table.Tbody>
    </Table>
  )
}
