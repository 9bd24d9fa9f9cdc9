import '@mantine/charts/styles.css'
import { BarChart, LineChart } from '@mantine/charts'
import { Paper, Stack, Table, Text, Title } from '@mantine/core'
import { formatPercent, type PredictiveModel } from './predictive-api.ts'

/** A 0-1 share as a percent rounded to 0.1, for the charts' axes. */
const percent = (share: number) => Math.round(share * 1000) / 10

/**
 * Predicted probability against the observed conversion rate per bin of the holdout, with the
 * diagonal a perfectly calibrated model would follow, and the number of leads behind each point.
 */
export function CalibrationChart({ model }: { model: PredictiveModel }) {
  const bins = model.holdout.calibration
  const points = [
    { predicted: 0, perfect: 0 },
    ...bins.map((b) => ({
      predicted: percent(b.predicted),
      observed: percent(b.observed),
      perfect: percent(b.predicted),
    })),
    { predicted: 100, perfect: 100 },
  ]
  const summary = bins
    .map((b) => `predicted ${formatPercent(b.predicted)}, observed ${formatPercent(b.observed)}`)
    .join('; ')
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="predictive-calibration">
      <Stack gap="sm">
        <Title order={2} size="h3" id="predictive-calibration">
          Calibration
        </Title>
        <Text size="sm">
          Holdout leads grouped by the probability the model gave them, against the share of them
          that became customers. A calibrated model stays close to the dashed diagonal: of the leads
          it gives 30%, about 30% convert.
        </Text>
        {bins.length === 0 ? (
          <Text size="sm" c="dimmed">
            No holdout leads to show.
          </Text>
        ) : (
          <>
            <div role="img" aria-label={`Calibration chart: ${summary}`}>
              <LineChart
                h={260}
                data={points}
                dataKey="predicted"
                xAxisProps={{ type: 'number', domain: [0, 100], ticks: [0, 20, 40, 60, 80, 100] }}
                yAxisProps={{ domain: [0, 100], width: 48 }}
                xAxisLabel="Predicted probability (%)"
                yAxisLabel="Converted (%)"
                unit="%"
                connectNulls
                curveType="linear"
                withLegend
                accessibilityLayer={false}
                series={[
                  { name: 'observed', label: 'Observed', color: 'blue.7' },
                  {
                    name: 'perfect',
                    label: 'Perfectly calibrated',
                    color: 'gray.6',
                    strokeDasharray: '5 5',
                  },
                ]}
              />
            </div>
            <Table aria-label="Calibration per probability band" striped fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Probability band</Table.Th>
                  <Table.Th ta="right">Holdout leads</Table.Th>
                  <Table.Th ta="right">Mean predicted</Table.Th>
                  <Table.Th ta="right">Converted</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {bins.map((b) => (
                  <Table.Tr key={b.lower}>
                    <Table.Td>
                      {Math.round(b.lower * 100)}–{Math.round(b.upper * 100)}%
                    </Table.Td>
                    <Table.Td ta="right">{b.count.toLocaleString()}</Table.Td>
                    <Table.Td ta="right">{formatPercent(b.predicted)}</Table.Td>
                    <Table.Td ta="right">{formatPercent(b.observed)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Stack>
    </Paper>
  )
}

/** Cumulative share of conversions captured by the top leads: the model, the rule score, random. */
export function GainsChart({ model }: { model: PredictiveModel }) {
  const gains = model.holdout.gains
  const hasBaseline = gains.some((g) => g.baseline !== null)
  const data = [
    { leads: '0%', model: 0, ...(hasBaseline ? { rules: 0 } : {}), random: 0 },
    ...gains.map((g) => ({
      leads: `${Math.round(g.share * 100)}%`,
      model: percent(g.model),
      ...(g.baseline !== null ? { rules: percent(g.baseline) } : {}),
      random: percent(g.share),
    })),
  ]
  const series = [
    { name: 'model', label: 'Predictive model', color: 'blue.7' },
    ...(hasBaseline ? [{ name: 'rules', label: 'Rule score', color: 'orange.8' }] : []),
    { name: 'random', label: 'Random', color: 'gray.6', strokeDasharray: '5 5' },
  ]
  const top = gains.find((g) => Math.abs(g.share - 0.2) < 1e-9) ?? gains[0]
  const summary = gains
    .map(
      (g) =>
        `top ${formatPercent(g.share)} of leads: model ${formatPercent(g.model)}${
          g.baseline !== null ? `, rule score ${formatPercent(g.baseline)}` : ''
        }`,
    )
    .join('; ')
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="predictive-gains">
      <Stack gap="sm">
        <Title order={2} size="h3" id="predictive-gains">
          Gains
        </Title>
        <Text size="sm">
          Holdout leads sorted from the highest score down: the share of all conversions found in
          the top share of leads. The higher the curve above the random diagonal, the better the
          ranking.
        </Text>
        {top ? (
          <Text size="sm" data-testid="predictive-gains-top">
            The top {formatPercent(top.share)} of leads by the model hold{' '}
            <strong>{formatPercent(top.model)}</strong> of the conversions;{' '}
            {top.baseline !== null ? `by the rule score, ${formatPercent(top.baseline)}; ` : ''}at
            random, {formatPercent(top.share)}.
          </Text>
        ) : null}
        {gains.length === 0 ? null : (
          <div role="img" aria-label={`Gains chart, share of conversions found: ${summary}`}>
            <LineChart
              h={260}
              data={data}
              dataKey="leads"
              yAxisProps={{ domain: [0, 100], width: 48 }}
              xAxisLabel="Share of leads, highest score first"
              yAxisLabel="Conversions found (%)"
              unit="%"
              curveType="linear"
              withLegend
              accessibilityLayer={false}
              series={series}
            />
          </div>
        )}
      </Stack>
    </Paper>
  )
}

/** The 15 features that weigh most in the model, by their human names. */
export function ImportanceChart({ model }: { model: PredictiveModel }) {
  const top = model.importance.slice(0, 15)
  const data = top.map((f) => ({ feature: f.label, importance: percent(f.importance) }))
  const summary = top.map((f) => `${f.label} ${formatPercent(f.importance)}`).join(', ')
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="predictive-importance">
      <Stack gap="sm">
        <Title order={2} size="h3" id="predictive-importance">
          What the model looks at
        </Title>
        <Text size="sm">
          Each feature’s share of the model’s decisions, as they were when each lead was created.
          {model.importance.length > 15
            ? ` The top 15 of ${model.importance.length} features.`
            : ''}
        </Text>
        {top.length === 0 ? (
          <Text size="sm" c="dimmed">
            No feature importance recorded.
          </Text>
        ) : (
          <div role="img" aria-label={`Feature importance: ${summary}`}>
            <BarChart
              h={Math.max(160, data.length * 32)}
              data={data}
              dataKey="feature"
              orientation="vertical"
              yAxisProps={{ width: 220 }}
              valueFormatter={(value) => `${value}%`}
              accessibilityLayer={false}
              series={[{ name: 'importance', label: 'Share of importance', color: 'blue.7' }]}
            />
          </div>
        )}
      </Stack>
    </Paper>
  )
}
