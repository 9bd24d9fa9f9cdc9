import { Text } from '@mantine/core'
import { formatDate } from '../../components/format.ts'
import { FitCell } from '../fit/fit-badge.tsx'
import { crmKeys, recordPath } from '../records/crm-queries.ts'
import {
  forecastCategoryOptions,
  labelOf,
  lossReasonOptions,
  marketingCouldHelpOptions,
  type Option,
} from '../records/labels.ts'
import type { Column, ListConfig } from '../records/list-config.ts'
import { formatMoney } from '../records/money.ts'
import type { Deal, Pipeline } from '../records/types.ts'

/** The stage's name, green when won and red when lost (in words too, not colour alone). */
export function StageBadge({ deal }: { deal: Deal }) {
  const color = deal.stage.isWon ? 'teal.9' : deal.stage.isLost ? 'red.9' : undefined
  return (
    <Text span size="sm" fw={500} c={color}>
      {deal.stage.name}
    </Text>
  )
}

export function dealColumns(): Column<Deal>[] {
  return [
    { key: 'name', label: 'Name', sort: 'name', render: (d) => d.name, isDefault: true },
    { key: 'account', label: 'Account', render: (d) => d.account?.name ?? '—', isDefault: true },
    { key: 'stage', label: 'Stage', render: (d) => <StageBadge deal={d} />, isDefault: true },
    {
      key: 'amount',
      label: 'Amount',
      sort: 'amount',
      render: (d) => formatMoney(d.amount, d.currency),
      isDefault: true,
    },
    {
      key: 'closeDate',
      label: 'Close date',
      sort: 'closeDate',
      render: (d) => (d.closeDate ? formatDate(d.closeDate) : '—'),
      isDefault: true,
    },
    { key: 'owner', label: 'Owner', render: (d) => d.owner?.name ?? '—', isDefault: true },
    { key: 'productFit', label: 'Fit', render: (d) => <FitCell deal={d} />, isDefault: true },
    {
      key: 'forecastCategory',
      label: 'Forecast',
      render: (d) => labelOf(d.forecastCategory, forecastCategoryOptions),
    },
    { key: 'lossReason', label: 'Loss reason', render: (d) => labelOf(d.lossReason) },
    {
      key: 'createdAt',
      label: 'Created',
      sort: 'createdAt',
      render: (d) => formatDate(d.createdAt),
    },
    {
      key: 'updatedAt',
      label: 'Updated',
      sort: 'updatedAt',
      render: (d) => formatDate(d.updatedAt),
    },
  ]
}

export function stageOptions(pipelines: Pipeline[]): Option[] {
  return pipelines.flatMap((p) =>
    p.stages.map((s) => ({
      value: s.id,
      label: pipelines.length > 1 ? `${p.name}: ${s.name}` : s.name,
    })),
  )
}

export function dealList(pipelines: Pipeline[]): ListConfig<Deal> {
  const stages = stageOptions(pipelines)
  const pipelineOptions = pipelines.map((p) => ({ value: p.id, label: p.name }))
  return {
    entity: 'deal',
    path: '/api/v1/deals',
    queryKey: crmKeys.deals,
    title: 'Deals',
    noun: { one: 'deal', many: 'deals' },
    defaultSort: '-updatedAt',
    rowName: (d) => d.name,
    rowHref: (d) => recordPath('deal', d.id),
    emptyHint:
      'Use “New deal” when a conversation turns into an opportunity; it then shows on the Pipeline board.',
    columns: dealColumns(),
    filterFields: [
      { key: 'name', label: 'Name', kind: 'text' },
      { key: 'pipelineId', label: 'Pipeline', kind: 'enum', options: pipelineOptions },
      { key: 'stageId', label: 'Stage', kind: 'enum', options: stages },
      { key: 'amount', label: 'Amount', kind: 'money' },
      { key: 'currency', label: 'Currency', kind: 'text' },
      { key: 'closeDate', label: 'Close date', kind: 'date' },
      { key: 'ownerId', label: 'Owner', kind: 'owner' },
      {
        key: 'forecastCategory',
        label: 'Forecast category',
        kind: 'enum',
        options: forecastCategoryOptions,
      },
      { key: 'lossReason', label: 'Loss reason', kind: 'enum', options: lossReasonOptions },
      {
        key: 'marketingCouldHelp',
        label: 'Marketing could help',
        kind: 'enum',
        options: marketingCouldHelpOptions,
      },
      { key: 'productFit', label: 'Product fit', kind: 'number' },
      { key: 'churnedOn', label: 'Churned on', kind: 'date' },
      { key: 'refundedOn', label: 'Refunded on', kind: 'date' },
      { key: 'downgradedOn', label: 'Downgraded on', kind: 'date' },
      { key: 'accountId', label: 'Account id', kind: 'id' },
      { key: 'createdAt', label: 'Created', kind: 'date' },
      { key: 'updatedAt', label: 'Updated', kind: 'date' },
    ],
    bulkFields: [
      { key: 'ownerId', label: 'Owner', kind: 'owner' },
      {
        key: 'forecastCategory',
        label: 'Forecast category',
        kind: 'enum',
        options: forecastCategoryOptions,
      },
      {
        key: 'stageId',
        label: 'Stage (open stages)',
        kind: 'enum',
        options: pipelines.flatMap((p) =>
          p.stages
            .filter((s) => !s.isLost && !s.isWon)
            .map((s) => ({ value: s.id, label: `${p.name}: ${s.name}` })),
        ),
      },
    ],
  }
}
