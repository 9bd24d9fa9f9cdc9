import { Group, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core'
import { useId } from 'react'
import { useSearchParams } from 'react-router'

/** A report's range as the URL holds it: '' for a date left to the report's default. */
export interface ReportRange<G extends string = never> {
  from: string
  to: string
  /** null: ungrouped, or a value in the URL that is not one of the report's groupings. */
  groupBy: G | null
}

export type ReportRangeKey = 'from' | 'to' | 'groupBy'

/**
 * The range (and grouping) of a report page, kept in the URL's `from`, `to` and `groupBy` so a
 * link shows the same report; an empty value removes its parameter.
 */
export function useReportRange<G extends string = never>(groupings: readonly G[] = []) {
  const [params, setParams] = useSearchParams()
  const rawGroupBy = params.get('groupBy')
  const groupBy = groupings.find((g) => g === rawGroupBy) ?? null
  const range: ReportRange<G> = {
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    groupBy,
  }
  const setRange = (key: ReportRangeKey, value: string | null) => {
    const next = new URLSearchParams(params)
    if (value) next.set(key, value)
    else next.delete(key)
    setParams(next, { replace: true })
  }
  return { range, setRange }
}

/** How a report offers its groupings: a dropdown, or buttons side by side. */
export interface GroupByChoice<G extends string> {
  options: readonly G[]
  labels: Record<G, string>
  /** The label of "no grouping". */
  noneLabel: string
  control: 'select' | 'segmented'
}

/**
 * The From / To dates of a report (each showing the report's own default until one is picked)
 * and, for a report that groups, its "Group by" choice.
 */
export function ReportRangeInputs<G extends string = never>({
  value,
  shown,
  onChange,
  groupBy,
}: {
  value: ReportRange<G>
  /** The range the report answered with: shown while a date is left to its default. */
  shown?: { from: string; to: string }
  onChange: (key: ReportRangeKey, value: string | null) => void
  groupBy?: GroupByChoice<G>
}) {
  return (
    <Group gap="sm" align="flex-end">
      <TextInput
        type="date"
        label="From"
        value={value.from || shown?.from || ''}
        onChange={(e) => onChange('from', e.currentTarget.value)}
      />
      <TextInput
        type="date"
        label="To"
        value={value.to || shown?.to || ''}
        onChange={(e) => onChange('to', e.currentTarget.value)}
      />
      {groupBy ? <GroupBy choice={groupBy} value={value.groupBy} onChange={onChange} /> : null}
    </Group>
  )
}

function GroupBy<G extends string>({
  choice,
  value,
  onChange,
}: {
  choice: GroupByChoice<G>
  value: G | null
  onChange: (key: 'groupBy', value: string | null) => void
}) {
  const labelId = useId()
  const data = [
    { value: 'none', label: choice.noneLabel },
    ...choice.options.map((g) => ({ value: g as string, label: choice.labels[g] })),
  ]
  const change = (picked: string | null) => onChange('groupBy', picked === 'none' ? null : picked)
  if (choice.control === 'select') {
    return (
      <Select
        label="Group by"
        value={value ?? 'none'}
        allowDeselect={false}
        w={160}
        data={data}
        onChange={change}
      />
    )
  }
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={labelId}>
        Group by
      </Text>
      <SegmentedControl
        aria-labelledby={labelId}
        value={value ?? 'none'}
        onChange={change}
        data={data}
      />
    </Stack>
  )
}
