import { ActionIcon, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core'
import { IconPlus, IconTrash } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { getData, putData } from '../../api/client.ts'
import { AdminOnly } from '../../components/admin-only.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { crmKeys } from '../records/crm-queries.ts'
import { isCurrency } from '../records/money.ts'
import { useCan } from '../records/permissions.ts'

interface Rates {
  baseCurrency: string
  rates: { currency: string; rateToBase: number; isBase: boolean; updatedAt: string | null }[]
}

interface Row {
  key: number
  currency: string
  rate: string
}

let nextKey = 0
const row = (currency: string, rate: string): Row => {
  nextKey += 1
  return { key: nextKey, currency, rate }
}

/** How much one unit of each currency is worth in the base currency, for totals in base. */
export function ExchangeRatesPage() {
  useDocumentTitle('Exchange rates')
  const canManage = useCan('catalog:manage')
  const query = useQuery({
    queryKey: crmKeys.exchangeRates,
    queryFn: () => getData<Rates>('/api/v1/exchange-rates'),
  })
  return (
    <Stack>
      <Title order={2}>Exchange rates</Title>
      <Text size="sm" c="dimmed">
        Amounts stay in their own currency; reports that add them up convert to the base currency
        with these rates, and say so.
      </Text>
      {canManage ? null : <AdminOnly>Only admins can change exchange rates.</AdminOnly>}
      {query.isPending ? (
        <LoadingRows label="Loading exchange rates" />
      ) : query.error ? (
        <ErrorAlert
          title="Could not load exchange rates"
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      ) : (
        <RatesForm key={query.dataUpdatedAt} rates={query.data} canManage={canManage} />
      )}
    </Stack>
  )
}

function RatesForm({ rates, canManage }: { rates: Rates; canManage: boolean }) {
  const queryClient = useQueryClient()
  const base = rates.baseCurrency
  const [rows, setRows] = useState<Row[]>(() =>
    rates.rates.filter((r) => !r.isBase).map((r) => row(r.currency, String(r.rateToBase))),
  )
  const [problem, setProblem] = useState<string | null>(null)
  const save = useMutation({
    mutationFn: (body: { rates: { currency: string; rateToBase: number }[] }) =>
      putData<Rates>('/api/v1/exchange-rates', body),
    onSuccess: async () => {
      notifySuccess('Exchange rates saved.')
      await queryClient.invalidateQueries({ queryKey: crmKeys.exchangeRates })
    },
  })
  const updated = rates.rates
    .map((r) => r.updatedAt)
    .filter((d): d is string => d !== null)
    .sort()
    .at(-1)
  const change = (index: number, next: Row) => setRows(rows.map((r, i) => (i === index ? next : r)))
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    for (const [i, r] of rows.entries()) {
      if (!isCurrency(r.currency)) return setProblem(`Line ${i + 1}: a 3-letter code such as EUR.`)
      if (!(Number(r.rate) > 0)) return setProblem(`Line ${i + 1}: the rate is a number above 0.`)
      if (r.currency === base)
        return setProblem(`Line ${i + 1}: ${base} is the base currency (always 1).`)
    }
    setProblem(null)
    save.mutate({ rates: rows.map((r) => ({ currency: r.currency, rateToBase: Number(r.rate) })) })
  }
  return (
    <Paper withBorder p="md" maw={560}>
      <form onSubmit={onSubmit} aria-label="Exchange rates">
        <Stack gap="sm">
          {save.error ? <ErrorAlert title="Not saved" error={save.error} /> : null}
          {problem ? (
            <Text c="red" size="sm" role="alert">
              {problem}
            </Text>
          ) : null}
          <Text size="sm">
            Base currency: <b>{base}</b> (1 {base} = 1 {base}). Change it in Settings, Workspace.
          </Text>
          {rows.length === 0 ? (
            <Text size="sm" c="dimmed">
              No other currencies yet. Add one for each currency your deals or costs use.
            </Text>
          ) : null}
          {rows.map((r, index) => {
            const n = index + 1
            return (
              <Group key={r.key} gap="xs" align="flex-end" wrap="nowrap">
                <Text size="sm" w={20}>
                  1
                </Text>
                <TextInput
                  aria-label={`Currency of line ${n}`}
                  w={90}
                  maxLength={3}
                  disabled={!canManage}
                  value={r.currency}
                  onChange={(e) =>
                    change(index, { ...r, currency: e.currentTarget.value.toUpperCase() })
                  }
                />
                <Text size="sm">=</Text>
                <TextInput
                  aria-label={`Value of 1 ${r.currency || 'unit'} in ${base}`}
                  inputMode="decimal"
                  w={140}
                  disabled={!canManage}
                  value={r.rate}
                  onChange={(e) => change(index, { ...r, rate: e.currentTarget.value })}
                />
                <Text size="sm">{base}</Text>
                {canManage ? (
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    size="lg"
                    aria-label={`Remove ${r.currency || `line ${n}`}`}
                    onClick={() => setRows(rows.filter((_, i) => i !== index))}
                  >
                    <IconTrash size={16} aria-hidden="true" />
                  </ActionIcon>
                ) : null}
              </Group>
            )
          })}
          {updated ? (
            <Text size="xs" c="dimmed">
              Last changed {formatDate(updated)}.
            </Text>
          ) : null}
          {canManage ? (
            <Group justify="space-between">
              <Button
                variant="subtle"
                size="xs"
                leftSection={<IconPlus size={14} aria-hidden="true" />}
                onClick={() => setRows([...rows, row('', '')])}
              >
                Add currency
              </Button>
              <Button type="submit" loading={save.isPending}>
                Save rates
              </Button>
            </Group>
          ) : null}
        </Stack>
      </form>
    </Paper>
  )
}
