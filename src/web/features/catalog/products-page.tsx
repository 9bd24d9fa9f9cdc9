import {
  Button,
  Fieldset,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { IconPlus } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api, patchData, postData } from '../../api/client.ts'
import { AdminOnly } from '../../components/admin-only.tsx'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { useCursorList } from '../../components/use-cursor-list.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { regionOptions } from '../accounts/account-options.ts'
import { crmKeys } from '../records/crm-queries.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { ExportButton } from '../records/export-button.tsx'
import { humanize } from '../records/labels.ts'
import { formatMoney, isCurrency, toMajor, toMinor } from '../records/money.ts'
import { useCan } from '../records/permissions.ts'
import { useMe } from '../shell/me-context.tsx'
import { CatalogTable } from './catalog-table.tsx'

interface Product {
  id: string
  name: string
  family: string | null
  price: number
  currency: string
  icpIndustries: string[]
  icpEmployeesMin: number | null
  icpEmployeesMax: number | null
  icpRegions: string[]
  icpProblems: string[]
}

function employeesRange(p: Product): string {
  if (p.icpEmployeesMin === null && p.icpEmployeesMax === null) return 'any size'
  if (p.icpEmployeesMax === null) return `${p.icpEmployeesMin?.toLocaleString()}+ employees`
  return `${(p.icpEmployeesMin ?? 0).toLocaleString()}–${p.icpEmployeesMax.toLocaleString()} employees`
}

function icpText(p: Product): string {
  const industries =
    p.icpIndustries.length > 0 ? p.icpIndustries.map(humanize).join(', ') : 'any industry'
  const regions = p.icpRegions.length > 0 ? p.icpRegions.join(', ').toUpperCase() : 'any region'
  return `${industries}; ${employeesRange(p)}; ${regions}`
}

/** Products with their ideal customer profile, which product fit checks deals against. */
export function ProductsPage() {
  useDocumentTitle('Products')
  const canManage = useCan('catalog:manage')
  const queryClient = useQueryClient()
  const list = useCursorList<Product>(crmKeys.products, '/api/v1/products', 100)
  const [editing, setEditing] = useState<Product | 'new' | null>(null)
  const [deleting, setDeleting] = useState<Product | null>(null)
  const remove = useMutation({
    mutationFn: (p: Product) => api.delete(`/api/v1/products/${encodeURIComponent(p.id)}`),
    onSuccess: async (_r, p) => {
      notifySuccess(`Product “${p.name}” moved to the Trash.`)
      setDeleting(null)
      await queryClient.invalidateQueries({ queryKey: crmKeys.products })
    },
  })
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Products</Title>
        <Group gap="xs">
          <ExportButton entity="products" state={{ sort: 'name' }} label="All products" />
          {canManage ? (
            <Button
              leftSection={<IconPlus size={16} aria-hidden="true" />}
              onClick={() => setEditing('new')}
            >
              New product
            </Button>
          ) : null}
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        The ideal customer profile of each product (industries, size, regions, problems it solves)
        is what flags a deal as a poor fit before a proposal goes out.
      </Text>
      {canManage ? null : <AdminOnly>Only admins can change products.</AdminOnly>}
      {list.isPending ? (
        <LoadingRows label="Loading products" />
      ) : list.error ? (
        <ErrorAlert
          title="Could not load products"
          error={list.error}
          onRetry={() => void list.refetch()}
        />
      ) : list.items.length === 0 ? (
        <EmptyState title="No products yet">
          Use “New product” to add what you sell, with who it fits, so deals can carry line items.
        </EmptyState>
      ) : (
        <CatalogTable
          label="Products"
          rows={list.items}
          rowName={(p) => p.name}
          columns={[
            { label: 'Name', render: (p) => p.name },
            { label: 'Family', render: (p) => (p.family ? humanize(p.family) : '—') },
            { label: 'List price', render: (p) => formatMoney(p.price, p.currency) },
            { label: 'Fits', render: icpText },
            {
              label: 'Solves',
              render: (p) =>
                p.icpProblems.length > 0 ? p.icpProblems.map(humanize).join(', ') : '—',
            },
          ]}
          onEdit={canManage ? setEditing : undefined}
          onDelete={
            canManage
              ? (p) => {
                  remove.reset()
                  setDeleting(p)
                }
              : undefined
          }
        />
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New product' : 'Edit product'}
        size="lg"
      >
        {editing !== null ? (
          <ProductForm
            product={editing === 'new' ? undefined : editing}
            onDone={() => setEditing(null)}
          />
        ) : null}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title="Delete product"
        confirmLabel="Move to Trash"
        loading={remove.isPending}
        error={remove.error}
        onClose={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) remove.mutate(deleting)
        }}
      >
        Move “{deleting?.name}” to the Trash? Deals keep their line items; it can be restored for 30
        days.
      </ConfirmModal>
    </Stack>
  )
}

function ProductForm({ product, onDone }: { product?: Product; onDone: () => void }) {
  const me = useMe()
  const queryClient = useQueryClient()
  const currency0 = product?.currency ?? me.workspace.baseCurrency
  const [name, setName] = useState(product?.name ?? '')
  const [family, setFamily] = useState(product?.family ?? '')
  const [price, setPrice] = useState(product ? String(toMajor(product.price, currency0)) : '')
  const [currency, setCurrency] = useState(currency0)
  const [industries, setIndustries] = useState(product?.icpIndustries ?? [])
  const [min, setMin] = useState(product?.icpEmployeesMin?.toString() ?? '')
  const [max, setMax] = useState(product?.icpEmployeesMax?.toString() ?? '')
  const [regions, setRegions] = useState(product?.icpRegions ?? [])
  const [problems, setProblems] = useState(product?.icpProblems ?? [])
  const [problem, setProblem] = useState<string | null>(null)
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      product
        ? patchData<Product>(`/api/v1/products/${encodeURIComponent(product.id)}`, body)
        : postData<Product>('/api/v1/products', body),
    onSuccess: async (saved) => {
      notifySuccess(`Product “${saved.name}” saved.`)
      await queryClient.invalidateQueries({ queryKey: crmKeys.products })
      onDone()
    },
  })
  const whole = (text: string) => (text.trim() === '' ? null : Number(text))
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const amount = price.trim() === '' ? 0 : Number(price)
    if (!Number.isFinite(amount) || amount < 0) return setProblem('The price is a positive number.')
    if (!isCurrency(currency)) return setProblem('The currency is a 3-letter code such as USD.')
    const [lo, hi] = [whole(min), whole(max)]
    if ((lo !== null && !Number.isInteger(lo)) || (hi !== null && !Number.isInteger(hi)))
      return setProblem('Employee counts are whole numbers.')
    if ((lo !== null && lo < 0) || (hi !== null && hi < 0))
      return setProblem('Employee counts cannot be negative.')
    if (lo !== null && hi !== null && lo > hi)
      return setProblem('“Fits from” must not be above “Fits up to” (employees).')
    setProblem(null)
    save.mutate({
      name: name.trim(),
      family: family.trim() || null,
      price: toMinor(amount, currency),
      currency,
      icpIndustries: industries,
      icpEmployeesMin: lo,
      icpEmployeesMax: hi,
      icpRegions: regions,
      icpProblems: problems,
    })
  }
  return (
    <form onSubmit={onSubmit}>
      <Stack>
        {save.error ? <ErrorAlert title="Not saved" error={save.error} /> : null}
        {problem ? (
          <Text c="red" size="sm" role="alert">
            {problem}
          </Text>
        ) : null}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Name"
            required
            data-autofocus
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <TextInput
            label="Family"
            value={family}
            onChange={(e) => setFamily(e.currentTarget.value)}
          />
          <TextInput
            label="List price"
            inputMode="decimal"
            value={price}
            onChange={(e) => setPrice(e.currentTarget.value)}
          />
          <TextInput
            label="Currency"
            maxLength={3}
            value={currency}
            onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
          />
        </SimpleGrid>
        <Fieldset legend="Ideal customer profile">
          <Stack gap="sm">
            <Text size="xs" c="dimmed">
              Each deal line is checked against it: industry, employees, region and one check per
              need of the deal. A profile with no criteria gives “fit unknown” (50).
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="Fits from (employees)"
                description="Empty: no lower limit"
                inputMode="numeric"
                value={min}
                onChange={(e) => setMin(e.currentTarget.value)}
              />
              <TextInput
                label="Fits up to (employees)"
                description="Empty: no upper limit"
                inputMode="numeric"
                value={max}
                onChange={(e) => setMax(e.currentTarget.value)}
              />
            </SimpleGrid>
            <TagsInput
              label="Industries it fits"
              description="Press Enter after each; empty means any"
              value={industries}
              onChange={setIndustries}
            />
            <TagsInput
              label="Regions it fits"
              description="Empty means any"
              data={regionOptions.map((r) => r.value)}
              value={regions}
              onChange={setRegions}
            />
            <TagsInput
              label="Problems it solves"
              description="Matched against a deal's needs"
              value={problems}
              onChange={setProblems}
            />
          </Stack>
        </Fieldset>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save product
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
