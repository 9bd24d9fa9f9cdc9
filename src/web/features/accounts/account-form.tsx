import { Button, Group, NativeSelect, SimpleGrid, Stack, TextInput } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { patchData, postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { crmKeys } from '../records/crm-queries.ts'
import { lifecycleOptions } from '../records/labels.ts'
import { isCurrency, toMajor, toMinor } from '../records/money.ts'
import { OwnerSelect } from '../records/pickers.tsx'
import type { AccountDetail } from '../records/types.ts'
import { useMe } from '../shell/me-context.tsx'
import { regionOptions, tierOptions } from './account-options.ts'

interface Values {
  name: string
  domain: string
  industry: string
  employees: string
  annualRevenue: string
  annualRevenueCurrency: string
  country: string
  region: string
  tier: string
  ownerId: string
  lifecycleStage: string
}

function toValues(account: AccountDetail | undefined, base: string, ownerId: string): Values {
  const currency = account?.annualRevenueCurrency ?? base
  return {
    name: account?.name ?? '',
    domain: account?.domain ?? '',
    industry: account?.industry ?? '',
    employees: account?.employees?.toString() ?? '',
    annualRevenue:
      account?.annualRevenue != null ? String(toMajor(account.annualRevenue, currency)) : '',
    annualRevenueCurrency: currency,
    country: account?.country ?? '',
    region: account?.region ?? '',
    tier: account?.tier ?? '',
    ownerId: account ? (account.ownerId ?? '') : ownerId,
    lifecycleStage: account?.lifecycleStage ?? '',
  }
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim())

/** Creates an account, or edits one when `account` is given. */
export function AccountForm({
  account,
  onSaved,
  onCancel,
}: {
  account?: AccountDetail
  onSaved: (account: AccountDetail) => void
  onCancel: () => void
}) {
  const me = useMe()
  const queryClient = useQueryClient()
  const [values, setValues] = useState(() =>
    toValues(account, me.workspace.baseCurrency, me.user?.id ?? ''),
  )
  const [errors, setErrors] = useState<Partial<Record<keyof Values, string>>>({})
  const set = (key: keyof Values) => (value: string) => setValues({ ...values, [key]: value })
  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      account
        ? patchData<AccountDetail>(`/api/v1/accounts/${account.id}`, body)
        : postData<AccountDetail>('/api/v1/accounts', body),
    onSuccess: async (saved) => {
      notifySuccess(account ? 'Account saved.' : `Account “${saved.name}” created.`)
      await queryClient.invalidateQueries({ queryKey: crmKeys.accounts })
      onSaved(saved)
    },
  })

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const found: typeof errors = {}
    if (!values.name.trim()) found.name = 'Give the account a name.'
    if (values.employees && !/^\d+$/.test(values.employees.trim()))
      found.employees = 'A whole number, e.g. 250.'
    if (values.annualRevenue && !Number.isFinite(Number(values.annualRevenue)))
      found.annualRevenue = 'A number, e.g. 1200000.'
    if (values.annualRevenue && !isCurrency(values.annualRevenueCurrency))
      found.annualRevenueCurrency = 'A 3-letter code such as USD.'
    if (values.country && !/^[A-Za-z]{2}$/.test(values.country.trim()))
      found.country = 'A 2-letter ISO code such as DE.'
    setErrors(found)
    if (Object.keys(found).length > 0) return
    const revenue = orNull(values.annualRevenue)
    mutation.mutate({
      name: values.name.trim(),
      domain: orNull(values.domain),
      industry: orNull(values.industry),
      employees: values.employees ? Number(values.employees) : null,
      annualRevenue:
        revenue === null ? null : toMinor(Number(revenue), values.annualRevenueCurrency),
      annualRevenueCurrency: revenue === null ? null : values.annualRevenueCurrency,
      country: orNull(values.country.toUpperCase()),
      region: orNull(values.region),
      tier: orNull(values.tier),
      ownerId: orNull(values.ownerId),
      ...(values.lifecycleStage ? { lifecycleStage: values.lifecycleStage } : {}),
    })
  }

  return (
    <form onSubmit={onSubmit} aria-label={account ? 'Edit account' : 'New account'}>
      <Stack>
        {mutation.error ? <ErrorAlert title="Not saved" error={mutation.error} /> : null}
        <TextInput
          label="Name"
          required
          data-autofocus
          maxLength={200}
          value={values.name}
          error={errors.name}
          onChange={(e) => set('name')(e.currentTarget.value)}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Domain"
            placeholder="example.com"
            value={values.domain}
            onChange={(e) => set('domain')(e.currentTarget.value)}
          />
          <TextInput
            label="Industry"
            value={values.industry}
            onChange={(e) => set('industry')(e.currentTarget.value)}
          />
          <TextInput
            label="Employees"
            inputMode="numeric"
            value={values.employees}
            error={errors.employees}
            onChange={(e) => set('employees')(e.currentTarget.value)}
          />
          <Group gap="xs" align="flex-start" wrap="nowrap">
            <TextInput
              label="Annual revenue"
              inputMode="decimal"
              style={{ flex: 1 }}
              value={values.annualRevenue}
              error={errors.annualRevenue}
              onChange={(e) => set('annualRevenue')(e.currentTarget.value)}
            />
            <TextInput
              label="Currency"
              w={80}
              maxLength={3}
              value={values.annualRevenueCurrency}
              error={errors.annualRevenueCurrency}
              onChange={(e) => set('annualRevenueCurrency')(e.currentTarget.value.toUpperCase())}
            />
          </Group>
          <TextInput
            label="Country"
            description="2-letter ISO code"
            maxLength={2}
            value={values.country}
            error={errors.country}
            onChange={(e) => set('country')(e.currentTarget.value.toUpperCase())}
          />
          <NativeSelect
            label="Region"
            description="Where the account buys from"
            data={[{ value: '', label: 'None' }, ...regionOptions]}
            value={values.region}
            onChange={(e) => set('region')(e.currentTarget.value)}
          />
          <NativeSelect
            label="Tier"
            data={[{ value: '', label: 'None' }, ...tierOptions]}
            value={values.tier}
            onChange={(e) => set('tier')(e.currentTarget.value)}
          />
          <OwnerSelect value={values.ownerId} onChange={set('ownerId')} />
          <NativeSelect
            label="Lifecycle stage"
            data={[{ value: '', label: account ? 'Unchanged' : 'None' }, ...lifecycleOptions]}
            value={values.lifecycleStage}
            onChange={(e) => set('lifecycleStage')(e.currentTarget.value)}
          />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {account ? 'Save account' : 'Create account'}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
