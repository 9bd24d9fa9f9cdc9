import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { patchData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate } from '../../components/format.ts'
import { notifySuccess } from '../../components/notify.ts'
import { crmKeys } from '../records/crm-queries.ts'
import { FieldList } from '../records/field-list.tsx'
import { useCan } from '../records/permissions.ts'
import { RecordSection } from '../records/record-section.tsx'
import { outcomeDateProblem, todayIso } from './fit-rules.ts'

/** What happened after the sale (DEFINITIONS, Regret rate): each a date or null. */
export interface OutcomeDates {
  churnedOn: string | null
  refundedOn: string | null
  downgradedOn: string | null
}

type OutcomeKey = keyof OutcomeDates

const outcomeFields: { key: OutcomeKey; label: string }[] = [
  { key: 'churnedOn', label: 'Churned on' },
  { key: 'refundedOn', label: 'Refunded on' },
  { key: 'downgradedOn', label: 'Downgraded on' },
]

interface OutcomeDatesSectionProps {
  entity: 'deal' | 'account'
  id: string
  dates: OutcomeDates
}

/**
 * "After the sale": when the customer churned, was refunded or downgraded. The regret rate counts
 * won deals followed by any of these within 180 days (the deal's own date or its account's).
 */
export function OutcomeDatesSection({ entity, id, dates }: OutcomeDatesSectionProps) {
  const canWrite = useCan('records:write')
  const [editing, setEditing] = useState(false)
  const isEmpty = outcomeFields.every((f) => !dates[f.key])
  return (
    <RecordSection
      title="After the sale"
      actions={
        canWrite ? (
          <Button size="xs" variant="default" onClick={() => setEditing(true)}>
            Edit outcomes
          </Button>
        ) : null
      }
    >
      {isEmpty ? (
        <Text size="sm" c="dimmed">
          Not marked churned, refunded or downgraded.{' '}
          {entity === 'deal'
            ? 'Once won, record here if the customer leaves, gets a refund or downgrades: the regret rate counts it.'
            : 'Record here if this customer leaves, gets a refund or downgrades: the regret rate counts it for the deals won with them.'}
        </Text>
      ) : (
        <FieldList
          label="After-sale outcomes"
          fields={outcomeFields.map((f): [string, string] => [
            f.label,
            dates[f.key] ? formatDate(dates[f.key] as string) : '—',
          ])}
        />
      )}
      <Modal opened={editing} onClose={() => setEditing(false)} title="After the sale" size="md">
        {editing ? (
          <OutcomeDatesForm
            entity={entity}
            id={id}
            dates={dates}
            onDone={() => setEditing(false)}
          />
        ) : null}
      </Modal>
    </RecordSection>
  )
}

function OutcomeDatesForm({
  entity,
  id,
  dates,
  onDone,
}: OutcomeDatesSectionProps & { onDone: () => void }) {
  const queryClient = useQueryClient()
  const [values, setValues] = useState<Record<OutcomeKey, string>>({
    churnedOn: dates.churnedOn ?? '',
    refundedOn: dates.refundedOn ?? '',
    downgradedOn: dates.downgradedOn ?? '',
  })
  const [errors, setErrors] = useState<Partial<Record<OutcomeKey, string>>>({})
  const path = `/api/v1/${entity === 'deal' ? 'deals' : 'accounts'}/${encodeURIComponent(id)}`
  const save = useMutation({
    mutationFn: (body: OutcomeDates) => patchData<unknown>(path, body),
    onSuccess: async () => {
      notifySuccess('Outcomes saved.')
      await queryClient.invalidateQueries({
        queryKey: entity === 'deal' ? crmKeys.deals : crmKeys.accounts,
      })
      onDone()
    },
  })
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const found: Partial<Record<OutcomeKey, string>> = {}
    for (const f of outcomeFields) {
      const problem = outcomeDateProblem(values[f.key])
      if (problem) found[f.key] = problem
    }
    setErrors(found)
    if (Object.keys(found).length > 0) return
    save.mutate({
      churnedOn: values.churnedOn || null,
      refundedOn: values.refundedOn || null,
      downgradedOn: values.downgradedOn || null,
    })
  }
  return (
    <form onSubmit={onSubmit} aria-label="After-sale outcomes" noValidate>
      <Stack>
        {save.error ? <ErrorAlert title="Not saved" error={save.error} /> : null}
        <Text size="sm" c="dimmed">
          Leave a date empty when it did not happen; clear it to undo a mark.
        </Text>
        {outcomeFields.map((f, i) => (
          <Group key={f.key} align="flex-end" gap="xs" wrap="nowrap">
            <TextInput
              label={f.label}
              type="date"
              style={{ flex: 1 }}
              data-autofocus={i === 0 ? true : undefined}
              max={todayIso()}
              value={values[f.key]}
              error={errors[f.key]}
              onChange={(e) => {
                const value = e.currentTarget.value
                setValues((v) => ({ ...v, [f.key]: value }))
              }}
            />
            <Button
              variant="subtle"
              disabled={values[f.key] === ''}
              aria-label={`Clear ${f.label.toLowerCase()}`}
              onClick={() => setValues((v) => ({ ...v, [f.key]: '' }))}
              mb={errors[f.key] ? 22 : 0}
            >
              Clear
            </Button>
          </Group>
        ))}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save outcomes
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
