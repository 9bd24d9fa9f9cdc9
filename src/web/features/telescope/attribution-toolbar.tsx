import { Button, Group, Select } from '@mantine/core'
import { IconDownload } from '@tabler/icons-react'
import { useSearchParams } from 'react-router'
import { ReportRangeInputs } from '../../components/report-range-inputs.tsx'
import {
  type AttributionConversion,
  type AttributionModel,
  attributionConversions,
  attributionExportHref,
  attributionModels,
  conversionNames,
  isAttributionConversion,
  isAttributionModel,
} from '../attribution/attribution-api.ts'
import { modelLabel } from './attribution-format.ts'

export type AttributionParamKey = 'model' | 'conversion' | 'from' | 'to'

/**
 * The attribution report's inputs kept in the URL (`model`, `conversion`, `from`, `to`), so a link
 * shows the same report; an unknown slug counts as none (the server's default).
 */
export function useAttributionParams() {
  const [params, setParams] = useSearchParams()
  const model = params.get('model')
  const conversion = params.get('conversion')
  const set = (key: AttributionParamKey, value: string | null) => {
    const next = new URLSearchParams(params)
    if (value) next.set(key, value)
    else next.delete(key)
    // A new report starts its drill-down lists from their first page.
    next.delete('offset')
    setParams(next, { replace: true })
  }
  return {
    model: isAttributionModel(model) ? model : null,
    conversion: isAttributionConversion(conversion) ? conversion : null,
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    set,
  }
}

/** Every model by name, the workspace's default marked. */
export function ModelSelect({
  value,
  defaultModel,
  onChange,
}: {
  value: AttributionModel | null
  defaultModel: AttributionModel | null
  onChange: (model: AttributionModel) => void
}) {
  return (
    <Select
      label="Model"
      data={attributionModels.map((m) => ({ value: m, label: modelLabel(m, defaultModel) }))}
      value={value ?? defaultModel}
      placeholder="Default model"
      onChange={(picked) => isAttributionModel(picked) && onChange(picked)}
      allowDeselect={false}
      w={230}
    />
  )
}

export function ConversionSelect({
  value,
  onChange,
}: {
  value: AttributionConversion
  onChange: (conversion: AttributionConversion) => void
}) {
  return (
    <Select
      label="Conversion"
      data={attributionConversions.map((c) => ({ value: c, label: conversionNames[c] }))}
      value={value}
      onChange={(picked) => isAttributionConversion(picked) && onChange(picked)}
      allowDeselect={false}
      w={190}
    />
  )
}

/**
 * The Telescope's inputs: model, conversion, the range (showing the report's own until one is
 * picked) and the CSV download of what the table shows.
 */
export function AttributionToolbar({
  params,
  shown,
  withModel = true,
  exportable = true,
}: {
  params: ReturnType<typeof useAttributionParams>
  /** The report as answered: its range, model and default model. */
  shown?: { from: string; to: string; model: AttributionModel; defaultModel: AttributionModel }
  withModel?: boolean
  exportable?: boolean
}) {
  const conversion = params.conversion ?? 'won'
  const exportHref = attributionExportHref({
    model: params.model,
    conversion: params.conversion,
    groupBy: 'campaign',
    from: params.from,
    to: params.to,
  })
  return (
    <Group gap="sm" align="flex-end">
      {withModel ? (
        <ModelSelect
          value={params.model ?? shown?.model ?? null}
          defaultModel={shown?.defaultModel ?? null}
          onChange={(m) => params.set('model', m === shown?.defaultModel ? null : m)}
        />
      ) : null}
      <ConversionSelect
        value={conversion}
        onChange={(c) => params.set('conversion', c === 'won' ? null : c)}
      />
      <ReportRangeInputs
        value={{ from: params.from, to: params.to, groupBy: null }}
        shown={shown}
        onChange={(key, value) => key !== 'groupBy' && params.set(key, value)}
      />
      {exportable ? (
        <Button
          component="a"
          href={exportHref}
          download
          variant="default"
          leftSection={<IconDownload size={16} aria-hidden="true" />}
        >
          Export CSV
        </Button>
      ) : null}
    </Group>
  )
}
