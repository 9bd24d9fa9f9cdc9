import { Button, Group, NativeSelect, SimpleGrid, Stack, TagsInput, TextInput } from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { patchData, postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { crmKeys, getAll, usePipelines } from '../records/crm-queries.ts'
import { forecastCategoryOptions } from '../records/labels.ts'
import { isCurrency, toMajor, toMinor } from '../records/money.ts'
import { AccountPicker, OwnerSelect } from '../records/pickers.tsx'
import type { DealDetail, Ref } from '../records/types.ts'
import { useMe } from '../shell/me-context.tsx'

interface Values {
  name: string
  account: Ref | null
  pipelineId: string
  stageId: string
  amount: string
  currency: string
  closeDate: string
  ownerId: string
  forecastCategory: string
  needs: string[]
}

type Errors = Partial<Record<keyof Values, string>>

/** Creates a deal (amount typed in major units, sent in minor units), or edits one. */
export function DealForm({
  deal,
  account = null,
  contactId,
  onSaved,
  onCancel,
}: {
  deal?: DealDetail
  account?: Ref | null
  /** A new deal's primary contact. */
  contactId?: string
  onSaved: (deal: DealDetail) => void
  onCancel: () => void
}) {
  const me = useMe()
  const queryClient = useQueryClient()
  const pipelines = usePipelines()
  const [values, setValues] = useState<Values>(() => ({
    name: deal?.name ?? '',
    account: deal ? deal.account : account,
    pipelineId: deal?.pipelineId ?? '',
    stageId: deal?.stageId ?? '',
    amount: deal ? String(toMajor(deal.amount, deal.currency)) : '',
    currency: deal?.currency ?? me.workspace.baseCurrency,
    closeDate: deal?.closeDate ?? '',
    ownerId: deal ? (deal.ownerId ?? '') : (me.user?.id ?? ''),
    forecastCategory: deal?.forecastCategory ?? '',
    needs: deal?.needs ?? [],
  }))
  const [errors, setErrors] = useState<Errors>({})
  // The problems products solve are the needs worth suggesting (product fit matches them).
  const products = useQuery({
    queryKey: [...crmKeys.products, 'all'],
    queryFn: () => getAll<{ id: string; icpProblems?: string[] }>('/api/v1/products'),
  })
  const needOptions = [...new Set((products.data ?? []).flatMap((p) => p.icpProblems ?? []))]
  const set = <K extends keyof Values>(key: K, value: Values[K]) =>
    setValues((v) => ({ ...v, [key]: value }))
  const all = pipelines.data ?? []
  const pipeline =
    all.find((p) => p.id === values.pipelineId) ?? all.find((p) => p.isDefault) ?? all[0]
  const openStages = (pipeline?.stages ?? []).filter((s) => !s.isWon && !s.isLost)
  const stageId = values.stageId || openStages[0]?.id || ''
  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      deal
        ? patchData<DealDetail>(`/api/v1/deals/${deal.id}`, body)
        : postData<DealDetail>('/api/v1/deals', body),
    onSuccess: async (saved) => {
      notifySuccess(deal ? 'Deal saved.' : `Deal “${saved.name}” created.`)
      await queryClient.invalidateQueries({ queryKey: crmKeys.deals })
      onSaved(saved)
    },
  })

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const found: Errors = {}
    if (!values.name.trim()) found.name = 'Name the deal, e.g. “Acme: 20 AMR-100”.'
    const amount = values.amount.trim() === '' ? 0 : Number(values.amount.replaceAll(',', ''))
    if (!Number.isFinite(amount) || amount < 0) found.amount = 'A positive number, e.g. 45000.'
    if (!isCurrency(values.currency)) found.currency = 'A 3-letter code such as USD.'
    if (!deal && !pipeline) found.pipelineId = 'Create a pipeline in Settings first.'
    if (values.needs.some((n) => n.trim().length > 100))
      found.needs = 'At most 100 characters each.'
    if (values.needs.length > 50) found.needs = 'At most 50 needs.'
    setErrors(found)
    if (Object.keys(found).length > 0) return
    mutation.mutate({
      name: values.name.trim(),
      accountId: values.account?.id ?? null,
      ...(deal ? {} : { pipelineId: pipeline?.id, stageId }),
      ...(!deal && contactId ? { contacts: [{ contactId, role: null, isPrimary: true }] } : {}),
      amount: toMinor(amount, values.currency),
      currency: values.currency,
      closeDate: values.closeDate || null,
      ownerId: values.ownerId || null,
      ...(values.forecastCategory ? { forecastCategory: values.forecastCategory } : {}),
      needs: values.needs.map((n) => n.trim()).filter((n) => n !== ''),
    })
  }

  return (
    <form onSubmit={onSubmit} aria-label={deal ? 'Edit deal' : 'New deal'}>
      <Stack>
        {mutation.error ? <ErrorAlert title="Not saved" error={mutation.error} /> : null}
        {pipelines.error ? (
          <ErrorAlert title="Could not load the pipelines" error={pipelines.error} />
        ) : null}
        <TextInput
          label="Deal name"
          required
          data-autofocus
          maxLength={200}
          value={values.name}
          error={errors.name}
          onChange={(e) => set('name', e.currentTarget.value)}
        />
        <AccountPicker value={values.account} onChange={(a) => set('account', a)} />
        {deal ? null : (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              label="Pipeline"
              data={all.map((p) => ({ value: p.id, label: p.name }))}
              value={pipeline?.id ?? ''}
              error={errors.pipelineId}
              disabled={pipelines.isPending}
              onChange={(e) => {
                const id = e.currentTarget.value
                setValues((v) => ({ ...v, pipelineId: id, stageId: '' }))
              }}
            />
            <NativeSelect
              label="Stage"
              data={openStages.map((s) => ({ value: s.id, label: s.name }))}
              value={stageId}
              disabled={pipelines.isPending}
              onChange={(e) => set('stageId', e.currentTarget.value)}
            />
          </SimpleGrid>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Group gap="xs" align="flex-start" wrap="nowrap">
            <TextInput
              label="Amount"
              description="In whole units, e.g. 45000.50"
              inputMode="decimal"
              style={{ flex: 1 }}
              value={values.amount}
              error={errors.amount}
              onChange={(e) => set('amount', e.currentTarget.value)}
            />
            <TextInput
              label="Currency"
              description="ISO code"
              w={90}
              maxLength={3}
              value={values.currency}
              error={errors.currency}
              onChange={(e) => set('currency', e.currentTarget.value.toUpperCase())}
            />
          </Group>
          <TextInput
            label="Close date"
            description="When you expect to sign"
            type="date"
            value={values.closeDate}
            onChange={(e) => set('closeDate', e.currentTarget.value)}
          />
          <OwnerSelect value={values.ownerId} onChange={(v) => set('ownerId', v)} />
          <NativeSelect
            label="Forecast category"
            data={[{ value: '', label: 'From the stage' }, ...forecastCategoryOptions]}
            value={values.forecastCategory}
            onChange={(e) => set('forecastCategory', e.currentTarget.value)}
          />
        </SimpleGrid>
        <TagsInput
          label="Needs"
          description="The customer's pain points; product fit checks each against the problems its products solve"
          data={needOptions}
          value={values.needs}
          error={errors.needs}
          onChange={(needs) => set('needs', needs)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {deal ? 'Save deal' : 'Create deal'}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
