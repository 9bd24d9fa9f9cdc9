import { NativeSelect, Select } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../api/client.ts'
import type { Page } from '../../api/types.ts'
import { crmKeys, memberOptions, useAllMembers } from './crm-queries.ts'
import type { Account, Ref } from './types.ts'

interface OwnerSelectProps {
  label?: string
  emptyLabel?: string
  value: string
  onChange: (value: string) => void
  description?: string
}

/** Any member of the workspace, or nobody. */
export function OwnerSelect({
  label = 'Owner',
  emptyLabel = 'No owner',
  value,
  onChange,
  description,
}: OwnerSelectProps) {
  const members = useAllMembers()
  return (
    <NativeSelect
      label={label}
      description={description}
      data={[{ value: '', label: emptyLabel }, ...memberOptions(members.data)]}
      value={value}
      disabled={members.isPending}
      onChange={(event) => onChange(event.currentTarget.value)}
    />
  )
}

interface AccountPickerProps {
  value: Ref | null
  onChange: (account: Ref | null) => void
  label?: string
  required?: boolean
  error?: string | null
}

/** Finds an account by name or domain as you type (server search, 20 at a time). */
export function AccountPicker({
  value,
  onChange,
  label = 'Account',
  required,
  error,
}: AccountPickerProps) {
  const [search, setSearch] = useState(value?.name ?? '')
  const [debounced] = useDebouncedValue(search, 250)
  const term = debounced === value?.name ? '' : debounced
  const found = useQuery({
    queryKey: [...crmKeys.accounts, 'picker', term],
    queryFn: () =>
      api.get<Page<Account>>(
        `/api/v1/accounts?limit=20&sort=name${term ? `&q=${encodeURIComponent(term)}` : ''}`,
      ),
    staleTime: 30_000,
  })
  const options = (found.data?.data ?? []).map((a) => ({
    value: a.id,
    label: a.domain ? `${a.name} (${a.domain})` : a.name,
  }))
  if (value && !options.some((o) => o.value === value.id)) {
    options.unshift({ value: value.id, label: value.name })
  }
  return (
    <Select
      label={label}
      required={required}
      error={error}
      placeholder="Type to search accounts"
      searchable
      clearable
      data={options}
      value={value?.id ?? null}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={found.isFetching ? 'Searching…' : 'No account matches'}
      onChange={(id, option) =>
        onChange(id && option ? { id, name: option.label.replace(/ \(.*\)$/, '') } : null)
      }
      comboboxProps={{ withinPortal: true }}
    />
  )
}
