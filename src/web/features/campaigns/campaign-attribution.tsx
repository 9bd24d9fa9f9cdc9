import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import {
  type AttributionConversion,
  type AttributionModel,
  type AttributionModelValues,
  type AttributionReport,
  type AttributionRow,
  attributionModels,
  modelNames,
  type useAttributionReport,
} from '../attribution/attribution-api.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { formatMoney } from '../records/money.ts'
import {
  computedWhen,
  conversionPlurals,
  drillHref,
  formatConversions,
  formatRoi,
  monthRange,
} from '../telescope/attribution-format.ts'
import { DrillNumber } from '../telescope/roi-table.tsx'
import type { CampaignDetail } from './campaign-api.ts'

/**
 * What one campaign earned under every model: its row and its models of the Telescope's report
 * grouped by campaign (the default model's numbers open the credited records).
 */
export function CampaignAttribution({
  campaign,
  query,
}: {
  campaign: CampaignDetail
  /** The report grouped by campaign under the default model. */
  query: ReturnType<typeof useAttributionReport>
}) {
  if (query.isPending) return <LoadingRows label="Loading the attribution" rows={4} height={40} />
  if (query.error) {
    return (
      <ErrorAlert
        title="Could not load the attribution"
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    )
  }
  const report = query.data
  if (report.computedAt === null) {
    return (
      <EmptyState title="Attribution has not been computed yet">
        Credits are computed every night and whenever the attribution settings change; an admin or
        marketing can recompute them now in Settings → Attribution.
      </EmptyState>
    )
  }
  const row = report.rows.find((r) => r.key === campaign.id)
  const comparison = report.comparison.find((c) => c.key === campaign.id)
  if (!row && !comparison) {
    return (
      <EmptyState
        title={`Nothing credited to this campaign in ${monthRange(report.from, report.to)}`}
      >
        No {conversionPlurals[report.conversion].toLowerCase()} in the range had a touch of this
        campaign in their lookback window. Try a wider range or another conversion.
      </EmptyState>
    )
  }
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {monthRange(report.from, report.to)} (whole months), credits computed{' '}
        {computedWhen(report.computedAt)}. Money in {report.baseCurrency}.
      </Text>
      {row ? <KeyFigures report={report} row={row} /> : null}
      <ModelsTable report={report} row={row} models={comparison?.models ?? []} />
    </Stack>
  )
}

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fz={24} fw={700} lh={1.2}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </div>
  )
}

/** Cost and ROI under the default model, and the model-free sourced and influenced figures. */
function KeyFigures({ report, row }: { report: AttributionReport; row: AttributionRow }) {
  const money = (minor: number) => formatMoney(minor, report.baseCurrency, true)
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
      <Figure label="Cost in the range" value={money(row.cost)} />
      <Figure
        label={`ROI, ${modelNames[report.model]}`}
        value={formatRoi(row.roi)}
        hint={row.roi === null ? 'no cost recorded' : undefined}
      />
      <Figure
        label="Sourced pipeline / revenue"
        value={`${money(row.sourced.pipeline)} / ${money(row.sourced.revenue)}`}
        hint={`${row.sourced.deals.toLocaleString()} deals`}
      />
      <Figure
        label="Influenced pipeline / revenue"
        value={`${money(row.influenced.pipeline)} / ${money(row.influenced.revenue)}`}
        hint={`${row.influenced.deals.toLocaleString()} deals, each at its full amount`}
      />
    </SimpleGrid>
  )
}

/** The campaign under each model side by side, with the spread over them in one sentence. */
function ModelsTable({
  report,
  row,
  models,
}: {
  report: AttributionReport
  row: AttributionRow | undefined
  models: AttributionModelValues[]
}) {
  const money = (minor: number) => formatMoney(minor, report.baseCurrency, true)
  const byModel = new Map(models.map((m) => [m.model, m]))
  const cost = row?.cost ?? 0
  const roiOf = (revenue: number) => (cost > 0 ? (revenue - cost) / cost : null)
  const ordered = attributionModels.flatMap((m) => {
    const values = byModel.get(m)
    return values ? [values] : []
  })
  const low = ordered.reduce<AttributionModelValues | undefined>(
    (a, b) => (!a || b.revenue < a.revenue ? b : a),
    undefined,
  )
  const high = ordered.reduce<AttributionModelValues | undefined>(
    (a, b) => (!a || b.revenue > a.revenue ? b : a),
    undefined,
  )
  const drill = (conversion: AttributionConversion, value: number, model: AttributionModel) =>
    row && value > 0
      ? drillHref(row.link, conversion, model === report.defaultModel ? null : model)
      : null
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="campaign-models-title">
      <Stack gap="sm">
        <Title order={3} size="h4" id="campaign-models-title">
          Under every model
        </Title>
        {low && high ? (
          <Text size="sm" data-testid="campaign-spread">
            Depending on the model, this campaign earned {money(low.revenue)} (
            {modelNames[low.model]}) to {money(high.revenue)} ({modelNames[high.model]}) of revenue:
            the wider that range, the less any single model's number can be trusted alone.
          </Text>
        ) : null}
        <Table aria-label="The campaign under every model" striped fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Model</Table.Th>
              <Table.Th ta="right">{conversionPlurals[report.conversion]}</Table.Th>
              <Table.Th ta="right">Pipeline</Table.Th>
              <Table.Th ta="right">Revenue</Table.Th>
              <Table.Th ta="right">ROI</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {ordered.map((m) => {
              const isDefault = m.model === report.defaultModel
              return (
                <Table.Tr key={m.model} fw={isDefault ? 600 : undefined}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {modelNames[m.model]}
                      {isDefault ? (
                        <Badge size="xs" variant="light" color="indigo" c="indigo.9">
                          default
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">
                    <DrillNumber
                      text={formatConversions(m.conversions)}
                      to={drill(report.conversion, m.conversions, m.model)}
                      label={`${formatConversions(m.conversions)} ${conversionPlurals[report.conversion].toLowerCase()} credited under ${modelNames[m.model]}`}
                    />
                  </Table.Td>
                  <Table.Td ta="right">
                    <DrillNumber
                      text={money(m.pipeline)}
                      to={drill('opportunity_created', m.pipeline, m.model)}
                      label={`Pipeline credited under ${modelNames[m.model]}: ${money(m.pipeline)}`}
                    />
                  </Table.Td>
                  <Table.Td ta="right">
                    <DrillNumber
                      text={money(m.revenue)}
                      to={drill('won', m.revenue, m.model)}
                      label={`Revenue credited under ${modelNames[m.model]}: ${money(m.revenue)}`}
                    />
                  </Table.Td>
                  <Table.Td ta="right">{formatRoi(roiOf(m.revenue))}</Table.Td>
                </Table.Tr>
              )
            })}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed">
          ROI = (revenue − cost) ÷ cost, with the campaign's cost in the range
          {cost > 0 ? ` (${money(cost)})` : ': none recorded, so no ROI'}. Each number opens the
          deals or people behind it under its model.
        </Text>
      </Stack>
    </Paper>
  )
}
