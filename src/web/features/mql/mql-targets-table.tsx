import { Badge, Button, Group, NumberInput, Paper, Stack, Table, Text, Title } from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api, getData, putData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { type MqlTarget, monthLabel, mqlTargetsKey } from './mql-api.ts'

// The API's default range: 6 months back, the current month (7th row), 5 ahead.
const currentRow = 6

/** Marketing's side of the SLA: how many MQLs it commits to deliver each month. */
export function MqlTargetsSection({ canManage }: { canManage: boolean }) {
  const query = useQuery({
    queryKey: mqlTargetsKey,
    queryFn: () => getData<MqlTarget[]>('/api/v1/mql/targets'),
  })
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          Monthly MQL targets
        </Title>
        <Text size="sm" c="dimmed">
          The number of MQLs marketing commits to hand to sales each month. Reports show the MQLs
          delivered against it, with their acceptance rate, beside sales’ SLA attainment.
        </Text>
        {query.isPending ? (
          <LoadingRows label="Loading the MQL targets" rows={6} height={36} />
        ) : query.error ? (
          <ErrorAlert
            title="Could not load the MQL targets"
            error={query.error}
            onRetry={() => void query.refetch()}
          />
        ) : (
          <>
            {query.data.every((m) => m.target === null) ? (
              <Text size="sm">
                No target set yet.{' '}
                {canManage
                  ? 'Type a number in a month and save it.'
                  : 'Admins and marketing set them here.'}
              </Text>
            ) : null}
            <Table.ScrollContainer minWidth={480}>
              <Table verticalSpacing={6} aria-label="Monthly MQL targets">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Month</Table.Th>
                    <Table.Th>MQL target</Table.Th>
                    {canManage ? <Table.Th aria-label="Actions" /> : null}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {query.data.map((row, index) => (
                    <TargetRow
                      key={`${row.month}:${row.target ?? ''}`}
                      row={row}
                      isCurrent={index === currentRow}
                      canManage={canManage}
                    />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </Stack>
    </Paper>
  )
}

function TargetRow({
  row,
  isCurrent,
  canManage,
}: {
  row: MqlTarget
  isCurrent: boolean
  canManage: boolean
}) {
  const queryClient = useQueryClient()
  const [value, setValue] = useState<number | string>(row.target ?? '')
  const refresh = () => queryClient.invalidateQueries({ queryKey: mqlTargetsKey })
  const save = useMutation({
    mutationFn: (target: number) =>
      putData<MqlTarget>(`/api/v1/mql/targets/${row.month}`, { target }),
    onSuccess: async (saved) => {
      notifySuccess(`MQL target for ${monthLabel(saved.month)} saved.`)
      await refresh()
    },
  })
  const clear = useMutation({
    mutationFn: () => api.delete(`/api/v1/mql/targets/${row.month}`),
    onSuccess: async () => {
      notifySuccess(`MQL target for ${monthLabel(row.month)} removed.`)
      await refresh()
    },
  })
  const label = monthLabel(row.month)
  const parsed = typeof value === 'number' ? value : value.trim() === '' ? null : Number(value)
  const isValid = parsed !== null && Number.isInteger(parsed) && parsed >= 0 && parsed <= 10_000_000
  const changed = parsed !== row.target
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (isValid && changed && parsed !== null) save.mutate(parsed)
  }
  const error = save.error ?? clear.error
  const formId = `mql-target-${row.month}`
  return (
    <Table.Tr>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" fw={isCurrent ? 600 : 400}>
            {label}
          </Text>
          {isCurrent ? (
            <Badge size="xs" variant="light">
              This month
            </Badge>
          ) : null}
        </Group>
      </Table.Td>
      <Table.Td>
        {canManage ? (
          <form id={formId} onSubmit={submit} noValidate>
            <NumberInput
              aria-label={`MQL target for ${label}`}
              placeholder="No target"
              value={value}
              onChange={setValue}
              min={0}
              max={10_000_000}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator=","
              error={
                value !== '' && !isValid
                  ? 'A whole number from 0 to 10,000,000'
                  : error
                    ? error.message
                    : null
              }
              w={200}
              size="xs"
            />
          </form>
        ) : (
          <Text size="sm" c={row.target === null ? 'dimmed' : undefined}>
            {row.target === null ? 'No target' : row.target.toLocaleString()}
          </Text>
        )}
      </Table.Td>
      {canManage ? (
        <Table.Td>
          <Group gap="xs" wrap="nowrap">
            <Button
              type="submit"
              form={formId}
              size="xs"
              loading={save.isPending}
              disabled={!changed || !isValid}
              aria-label={`Save the MQL target for ${label}`}
            >
              Save
            </Button>
            {row.target !== null ? (
              <Button
                size="xs"
                variant="subtle"
                color="red"
                loading={clear.isPending}
                onClick={() => clear.mutate()}
                aria-label={`Remove the MQL target for ${label}`}
              >
                Remove
              </Button>
            ) : null}
          </Group>
        </Table.Td>
      ) : null}
    </Table.Tr>
  )
}
