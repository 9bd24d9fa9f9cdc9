import { Button, Checkbox, Group, NativeSelect, SimpleGrid, Stack, TextInput } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { patchData, postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { crmKeys, usePersonas } from '../records/crm-queries.ts'
import { leadStatusOptions, lifecycleOptions } from '../records/labels.ts'
import { AccountPicker, OwnerSelect } from '../records/pickers.tsx'
import type { ContactDetail, Ref } from '../records/types.ts'
import { useMe } from '../shell/me-context.tsx'

interface Values {
  email: string
  firstName: string
  lastName: string
  title: string
  persona: string
  phone: string
  account: Ref | null
  lifecycleStage: string
  leadStatus: string
  ownerId: string
  source: string
  emailOptIn: boolean
  doNotContact: boolean
  recycleUntil: string
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim())

function toValues(c: ContactDetail | undefined, account: Ref | null, ownerId: string): Values {
  return {
    email: c?.email ?? '',
    firstName: c?.firstName ?? '',
    lastName: c?.lastName ?? '',
    title: c?.title ?? '',
    persona: c?.persona ?? '',
    phone: c?.phone ?? '',
    account: c ? c.account : account,
    lifecycleStage: c?.lifecycleStage ?? '',
    leadStatus: c?.leadStatus ?? '',
    ownerId: c ? (c.ownerId ?? '') : ownerId,
    source: c?.source ?? '',
    emailOptIn: c?.emailOptIn ?? false,
    doNotContact: c?.doNotContact ?? false,
    recycleUntil: c?.recycleUntil ?? '',
  }
}

/** Creates a contact (optionally at an account), or edits one when `contact` is given. */
export function ContactForm({
  contact,
  account = null,
  onSaved,
  onCancel,
}: {
  contact?: ContactDetail
  account?: Ref | null
  onSaved: (contact: ContactDetail) => void
  onCancel: () => void
}) {
  const me = useMe()
  const personas = usePersonas()
  const queryClient = useQueryClient()
  const [values, setValues] = useState(() => toValues(contact, account, me.user?.id ?? ''))
  const [error, setError] = useState<string | null>(null)
  const set = <K extends keyof Values>(key: K, value: Values[K]) =>
    setValues({ ...values, [key]: value })
  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      contact
        ? patchData<ContactDetail>(`/api/v1/contacts/${contact.id}`, body)
        : postData<ContactDetail>('/api/v1/contacts', body),
    onSuccess: async (saved) => {
      notifySuccess(contact ? 'Contact saved.' : 'Contact created.')
      await queryClient.invalidateQueries({ queryKey: crmKeys.contacts })
      onSaved(saved)
    },
  })
  const hasLeadStatus = values.lifecycleStage === 'mql' || values.lifecycleStage === 'sal'

  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (!values.email.trim() && !values.firstName.trim() && !values.lastName.trim()) {
      setError('Give at least an email or a name.')
      return
    }
    setError(null)
    mutation.mutate({
      email: orNull(values.email),
      firstName: orNull(values.firstName),
      lastName: orNull(values.lastName),
      title: orNull(values.title),
      persona: orNull(values.persona),
      phone: orNull(values.phone),
      accountId: values.account?.id ?? null,
      ...(values.lifecycleStage ? { lifecycleStage: values.lifecycleStage } : {}),
      leadStatus: hasLeadStatus ? orNull(values.leadStatus) : null,
      ownerId: orNull(values.ownerId),
      source: orNull(values.source),
      emailOptIn: values.emailOptIn,
      doNotContact: values.doNotContact,
      ...(values.lifecycleStage === 'recycled' && values.recycleUntil
        ? { recycleUntil: values.recycleUntil }
        : {}),
    })
  }

  return (
    <form onSubmit={onSubmit} aria-label={contact ? 'Edit contact' : 'New contact'}>
      <Stack>
        {mutation.error ? <ErrorAlert title="Not saved" error={mutation.error} /> : null}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="First name"
            data-autofocus
            value={values.firstName}
            onChange={(e) => set('firstName', e.currentTarget.value)}
          />
          <TextInput
            label="Last name"
            value={values.lastName}
            onChange={(e) => set('lastName', e.currentTarget.value)}
          />
          <TextInput
            label="Email"
            type="email"
            value={values.email}
            error={error}
            onChange={(e) => set('email', e.currentTarget.value)}
          />
          <TextInput
            label="Phone"
            type="tel"
            value={values.phone}
            onChange={(e) => set('phone', e.currentTarget.value)}
          />
          <TextInput
            label="Title"
            value={values.title}
            onChange={(e) => set('title', e.currentTarget.value)}
          />
          <NativeSelect
            label="Persona"
            data={[
              { value: '', label: 'None' },
              ...(personas.data ?? []).map((p) => ({ value: p.key, label: p.label })),
            ]}
            value={values.persona}
            onChange={(e) => set('persona', e.currentTarget.value)}
          />
          <AccountPicker value={values.account} onChange={(a) => set('account', a)} />
          <OwnerSelect value={values.ownerId} onChange={(v) => set('ownerId', v)} />
          <NativeSelect
            label="Lifecycle stage"
            data={[{ value: '', label: contact ? 'Unchanged' : 'None' }, ...lifecycleOptions]}
            value={values.lifecycleStage}
            onChange={(e) => set('lifecycleStage', e.currentTarget.value)}
          />
          {hasLeadStatus ? (
            <NativeSelect
              label="Lead status"
              data={[{ value: '', label: 'None' }, ...leadStatusOptions]}
              value={values.leadStatus}
              onChange={(e) => set('leadStatus', e.currentTarget.value)}
            />
          ) : null}
          {values.lifecycleStage === 'recycled' ? (
            <TextInput
              label="Re-engage on"
              description="Default: 90 days from today"
              type="date"
              value={values.recycleUntil}
              onChange={(e) => set('recycleUntil', e.currentTarget.value)}
            />
          ) : null}
          <TextInput
            label="Source"
            value={values.source}
            onChange={(e) => set('source', e.currentTarget.value)}
          />
        </SimpleGrid>
        <Group gap="lg">
          <Checkbox
            label="Opted in to marketing email"
            checked={values.emailOptIn}
            onChange={(e) => set('emailOptIn', e.currentTarget.checked)}
          />
          <Checkbox
            label="Do not contact"
            checked={values.doNotContact}
            onChange={(e) => set('doNotContact', e.currentTarget.checked)}
          />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {contact ? 'Save contact' : 'Create contact'}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
