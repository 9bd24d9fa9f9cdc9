import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconPlus, IconTrash } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api, patchData } from '../../api/client.ts'
import type { Page } from '../../api/types.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { contactName } from '../contacts/contact-list.tsx'
import { crmKeys, getAll } from '../records/crm-queries.ts'
import { toMajor, toMinor } from '../records/money.ts'
import type { Contact, DealDetail } from '../records/types.ts'

interface Product {
  id: string
  name: string
  price: number
  currency: string
}

interface Row {
  productId: string
  quantity: string
  unitPrice: string
}

function useSaveDeal(deal: DealDetail, message: string, onDone: () => void) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (patch: Record<string, unknown>) =>
      patchData<DealDetail>(`/api/v1/deals/${encodeURIComponent(deal.id)}`, patch),
    onSuccess: async () => {
      notifySuccess(message)
      await queryClient.invalidateQueries({ queryKey: crmKeys.deals })
      onDone()
    },
  })
}

/** Products on the deal: quantity and unit price (typed in whole units of the deal's currency). */
export function LineItemsEditor({ deal, onDone }: { deal: DealDetail; onDone: () => void }) {
  const products = useQuery({
    queryKey: [...crmKeys.products, 'all'],
    queryFn: () => getAll<Product>('/api/v1/products'),
  })
  const [rows, setRows] = useState<Row[]>(() =>
    deal.lineItems.map((i) => ({
      productId: i.productId,
      quantity: String(i.quantity),
      unitPrice: String(toMajor(i.unitPrice, deal.currency)),
    })),
  )
  const [problem, setProblem] = useState<string | null>(null)
  const save = useSaveDeal(deal, 'Line items saved.', onDone)
  const list = products.data ?? []
  const change = (index: number, row: Row) => setRows(rows.map((r, i) => (i === index ? row : r)))
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const bad = rows.findIndex(
      (r) => !r.productId || !(Number(r.quantity) > 0) || !(Number(r.unitPrice) >= 0),
    )
    if (bad >= 0) {
      setProblem(`Line ${bad + 1}: pick a product, a quantity above 0 and a price.`)
      return
    }
    setProblem(null)
    save.mutate({
      lineItems: rows.map((r) => ({
        productId: r.productId,
        quantity: Number(r.quantity),
        unitPrice: toMinor(Number(r.unitPrice), deal.currency),
      })),
    })
  }
  return (
    <form onSubmit={onSubmit} aria-label="Line items">
      <Stack gap="sm">
        {save.error ? <ErrorAlert title="Not saved" error={save.error} /> : null}
        {products.error ? <ErrorAlert title="No products" error={products.error} /> : null}
        {problem ? (
          <Text c="red" size="sm" role="alert">
            {problem}
          </Text>
        ) : null}
        {rows.map((row, index) => {
          const n = index + 1
          return (
            <Group key={`line-${n}`} gap="xs" align="flex-end" wrap="nowrap">
              <NativeSelect
                label={index === 0 ? 'Product' : undefined}
                aria-label={`Product of line ${n}`}
                style={{ flex: 1 }}
                data={[
                  { value: '', label: 'Choose…' },
                  ...list.map((p) => ({ value: p.id, label: p.name })),
                ]}
                value={row.productId}
                onChange={(e) => {
                  const product = list.find((p) => p.id === e.currentTarget.value)
                  const price =
                    product && product.currency === deal.currency
                      ? String(toMajor(product.price, product.currency))
                      : row.unitPrice
                  change(index, { ...row, productId: e.currentTarget.value, unitPrice: price })
                }}
              />
              <TextInput
                label={index === 0 ? 'Quantity' : undefined}
                aria-label={`Quantity of line ${n}`}
                inputMode="decimal"
                w={90}
                value={row.quantity}
                onChange={(e) => change(index, { ...row, quantity: e.currentTarget.value })}
              />
              <TextInput
                label={index === 0 ? `Unit price (${deal.currency})` : undefined}
                aria-label={`Unit price of line ${n}`}
                inputMode="decimal"
                w={140}
                value={row.unitPrice}
                onChange={(e) => change(index, { ...row, unitPrice: e.currentTarget.value })}
              />
              <ActionIcon
                variant="subtle"
                color="gray"
                size="lg"
                aria-label={`Remove line ${n}`}
                onClick={() => setRows(rows.filter((_, i) => i !== index))}
              >
                <IconTrash size={16} aria-hidden="true" />
              </ActionIcon>
            </Group>
          )
        })}
        <Group justify="space-between">
          <Button
            variant="subtle"
            size="xs"
            leftSection={<IconPlus size={14} aria-hidden="true" />}
            onClick={() => setRows([...rows, { productId: '', quantity: '1', unitPrice: '' }])}
          >
            Add line
          </Button>
          <Group gap="xs">
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save line items
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  )
}

/** Adds a contact to the deal with a role, or removes one; the rest stay as they are. */
export function DealContactsEditor({ deal, onDone }: { deal: DealDetail; onDone: () => void }) {
  const [search, setSearch] = useState('')
  const [debounced] = useDebouncedValue(search, 250)
  const [contactId, setContactId] = useState<string | null>(null)
  const [role, setRole] = useState('')
  const [isPrimary, setIsPrimary] = useState(deal.contacts.length === 0)
  const save = useSaveDeal(deal, 'Deal contacts saved.', onDone)
  const found = useQuery({
    queryKey: [...crmKeys.contacts, 'picker', debounced, deal.accountId],
    queryFn: () => {
      const params = new URLSearchParams({ limit: '20' })
      if (debounced) params.set('q', debounced)
      else if (deal.accountId) {
        params.set(
          'filter',
          JSON.stringify({ all: [{ field: 'accountId', op: 'eq', value: deal.accountId }] }),
        )
      }
      return api.get<Page<Contact>>(`/api/v1/contacts?${params.toString()}`)
    },
  })
  const current = deal.contacts.map((c) => ({
    contactId: c.contactId,
    role: c.role,
    isPrimary: c.isPrimary,
  }))
  const options = (found.data?.data ?? [])
    .filter((c) => !deal.contacts.some((d) => d.contactId === c.id))
    .map((c) => ({ value: c.id, label: `${contactName(c)}${c.email ? ` <${c.email}>` : ''}` }))
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (!contactId) return
    const rest = isPrimary ? current.map((c) => ({ ...c, isPrimary: false })) : current
    save.mutate({ contacts: [...rest, { contactId, role: role.trim() || null, isPrimary }] })
  }
  return (
    <Stack>
      {save.error ? <ErrorAlert title="Not saved" error={save.error} /> : null}
      {deal.contacts.length > 0 ? (
        <Stack gap={4}>
          {deal.contacts.map((c) => (
            <Group key={c.contactId} justify="space-between">
              <Text size="sm">
                {c.name || c.email} {c.role ? `(${c.role})` : ''}
              </Text>
              <Button
                size="compact-xs"
                variant="subtle"
                color="red"
                loading={save.isPending}
                onClick={() =>
                  save.mutate({ contacts: current.filter((x) => x.contactId !== c.contactId) })
                }
              >
                Remove {c.name || c.email}
              </Button>
            </Group>
          ))}
        </Stack>
      ) : null}
      <form onSubmit={onSubmit} aria-label="Add a contact to the deal">
        <Stack gap="sm">
          <Select
            label="Contact"
            placeholder="Type a name or email"
            searchable
            data={options}
            value={contactId}
            onChange={setContactId}
            searchValue={search}
            onSearchChange={setSearch}
            filter={({ options: all }) => all}
            nothingFoundMessage={found.isFetching ? 'Searching…' : 'No contact matches'}
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput
            label="Role"
            placeholder="e.g. economic buyer, champion, signer"
            value={role}
            onChange={(e) => setRole(e.currentTarget.value)}
          />
          <Checkbox
            label="Primary contact"
            checked={isPrimary}
            onChange={(e) => setIsPrimary(e.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone}>
              Close
            </Button>
            <Button type="submit" disabled={!contactId} loading={save.isPending}>
              Add contact
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  )
}
