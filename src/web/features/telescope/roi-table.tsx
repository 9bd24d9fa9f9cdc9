import {
  Anchor,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core'
import { type ReactNode, useState } from 'react'
import { Link } from 'react-router'
import {
  type AttributionConversion,
  type AttributionReport,
  type AttributionRow,
  modelNames,
  useAttributionSettings,
} from '../attribution/attribution-api.ts'
import { ScrollRegion } from '../inbox/scroll-region.tsx'
import { formatMoney } from '../records/money.ts'
import {
  conversionPlurals,
  conversionWords,
  drillHref,
  formatConversions,
  formatRoi,
} from './attribution-format.ts'

type View = 'roi' | 'sourced'

/** A number that opens the records behind it; plain when it is zero or has none to show. */
export function DrillNumber({
  text,
  to,
  label,
  testId,
}: {
  text: string
  to: string | null
  label: string
  testId?: string
}) {
  if (!to) return <>{text}</>
  return (
    <Anchor component={Link} to={to} aria-label={label} data-testid={testId}>
      {text}
    </Anchor>
  )
}

/** "—" for an ROI without cost, saying why on hover and focus. */
function NoRoi() {
  return (
    <Tooltip label="no cost recorded" events={{ hover: true, focus: true, touch: true }}>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the reason must be reachable by keyboard too. */}
      <span tabIndex={0}>
        —<VisuallyHidden>no cost recorded</VisuallyHidden>
      </span>
    </Tooltip>
  )
}

const isCampaign = (row: AttributionRow) => row.key !== 'none'

/** Most revenue first, then most pipeline; touches without a campaign keep their place by it. */
const byRevenue = (a: AttributionRow, b: AttributionRow) =>
  b.revenue - a.revenue || b.pipeline - a.pipeline || a.label.localeCompare(b.label)

/**
 * The campaign ROI table: cost, credited conversions, pipeline, revenue and ROI under the report's
 * model, cost per MQL/SQL/won, or sourced vs influenced pipeline and revenue. Every number opens
 * the deals or people credited behind it.
 */
export function RoiTable({ report }: { report: AttributionReport }) {
  const [view, setView] = useState<View>('roi')
  const settings = useAttributionSettings()
  const rows = [...report.rows].sort(byRevenue)
  const model = modelNames[report.model]
  const other = report.model === report.defaultModel ? null : report.model
  const money = (minor: number) => formatMoney(minor, report.baseCurrency, true)
  const fullMoney = (minor: number) => formatMoney(minor, report.baseCurrency)
  const drill = (row: AttributionRow, conversion: AttributionConversion, value: number) =>
    value === 0 ? null : drillHref(row.link, conversion, other)
  const sourcedBy =
    settings.data?.sourcedBy === 'lead_creation' ? 'lead-creation touch' : 'first touch'

  const roiColumns: Column[] = [
    {
      label: 'Cost',
      cell: (row) =>
        row.cost === 0 || !isCampaign(row) ? (
          money(row.cost)
        ) : (
          <DrillNumber
            text={money(row.cost)}
            to={`/telescope/campaigns/${encodeURIComponent(row.key)}`}
            label={`Cost of ${row.label}: ${fullMoney(row.cost)}, see its cost entries`}
          />
        ),
    },
    {
      label: conversionPlurals[report.conversion],
      cell: (row) => (
        <DrillNumber
          text={formatConversions(row.conversions)}
          to={drill(row, report.conversion, row.conversions)}
          label={`${formatConversions(row.conversions)} ${conversionWords(report.conversion)} conversions credited to ${row.label} under ${model}`}
        />
      ),
    },
    {
      label: 'Pipeline',
      cell: (row) => (
        <DrillNumber
          text={money(row.pipeline)}
          to={drill(row, 'opportunity_created', row.pipeline)}
          label={`Pipeline credited to ${row.label} under ${model}: ${fullMoney(row.pipeline)}`}
          testId="roi-pipeline"
        />
      ),
    },
    {
      label: 'Revenue',
      cell: (row) => (
        <DrillNumber
          text={money(row.revenue)}
          to={drill(row, 'won', row.revenue)}
          label={`Revenue credited to ${row.label} under ${model}: ${fullMoney(row.revenue)}`}
          testId="roi-revenue"
        />
      ),
    },
    {
      label: `ROI, ${model}`,
      cell: (row) =>
        row.roi === null ? (
          <NoRoi />
        ) : (
          <DrillNumber
            text={formatRoi(row.roi)}
            to={drill(row, 'won', row.revenue)}
            label={`ROI of ${row.label} under ${model}: ${formatRoi(row.roi)}, see the won deals credited`}
          />
        ),
    },
    ...(
      [
        ['Cost per MQL', 'mql', 'costPerMql'],
        ['Cost per SQL', 'sql', 'costPerSql'],
        ['Cost per won', 'won', 'costPerWon'],
      ] as const
    ).map(
      ([label, conversion, field]): Column => ({
        label,
        cell: (row) => {
          const value = row[field]
          if (value === null) return '—'
          return (
            <DrillNumber
              text={money(value)}
              to={drill(row, conversion, 1)}
              label={`${label} of ${row.label} under ${model}: ${fullMoney(value)}`}
            />
          )
        },
      }),
    ),
  ]
  const sourcedColumns: Column[] = (
    [
      ['Sourced pipeline', 'sourced', 'pipeline'],
      ['Influenced pipeline', 'influenced', 'pipeline'],
      ['Sourced revenue', 'sourced', 'revenue'],
      ['Influenced revenue', 'influenced', 'revenue'],
      ['Sourced deals', 'sourced', 'deals'],
      ['Influenced deals', 'influenced', 'deals'],
    ] as const
  ).map(([label, kind, field]) => ({
    label,
    cell: (row) => (field === 'deals' ? row[kind].deals.toLocaleString() : money(row[kind][field])),
  }))
  const columns = view === 'roi' ? roiColumns : sourcedColumns

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="roi-title">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="sm">
          <div>
            <Title order={2} size="h3" id="roi-title">
              Campaign ROI
            </Title>
            <Text size="sm" c="dimmed" maw={760}>
              {view === 'roi'
                ? `${conversionPlurals[report.conversion]}, pipeline and revenue credited to each campaign under ${model}, against its costs in the range. ROI = (revenue − cost) ÷ cost.`
                : `Sourced: deals whose ${sourcedBy} came from the campaign. Influenced: deals with any touch of the campaign before the opportunity was created, each at its full amount (a deal counts for every campaign that touched it). Neither depends on the model.`}
            </Text>
          </div>
          <SegmentedControl
            aria-label="Columns"
            value={view}
            onChange={(value) => setView(value as View)}
            data={[
              { value: 'roi', label: 'ROI' },
              { value: 'sourced', label: 'Sourced vs influenced' },
            ]}
          />
        </Group>
        <ScrollRegion label="Campaign ROI, scrollable">
          <Table aria-label="Campaign ROI" striped fz="sm" miw={view === 'roi' ? 900 : 820}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Campaign</Table.Th>
                {columns.map((c) => (
                  <Table.Th key={c.label} ta="right">
                    {c.label}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.key}>
                  <Table.Td>
                    {isCampaign(row) ? (
                      <Anchor
                        component={Link}
                        to={`/telescope/campaigns/${encodeURIComponent(row.key)}`}
                        display="block"
                        maw={280}
                        truncate="end"
                        title={row.label}
                        data-testid="roi-campaign"
                      >
                        {row.label}
                      </Anchor>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {row.label}
                      </Text>
                    )}
                  </Table.Td>
                  {columns.map((c) => (
                    <Table.Td key={c.label} ta="right">
                      {c.cell(row)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
            {view === 'roi' ? <RoiFooter report={report} columns={columns.length} /> : null}
          </Table>
        </ScrollRegion>
      </Stack>
    </Paper>
  )
}

interface Column {
  label: string
  cell: (row: AttributionRow) => ReactNode
}

/** The totals, the conversions with no touch (never dropped) and, under full path, the pending. */
function RoiFooter({ report, columns }: { report: AttributionReport; columns: number }) {
  const money = (minor: number) => formatMoney(minor, report.baseCurrency, true)
  const { totals, noTouch, pending } = report
  const other = report.model === report.defaultModel ? null : report.model
  const kindLink = (kind: 'no_touch' | 'pending', conversion: AttributionConversion) => {
    const url = new URL(drillHref(report.noTouchLink, conversion, other), 'http://tandem.invalid')
    url.searchParams.set('kind', kind)
    return `${url.pathname}?${url.searchParams.toString()}`
  }
  const rest = (n: number) =>
    Array.from({ length: n }, (_, i) => `blank-${i}`).map((key) => <Table.Td key={key} />)
  const showPending = report.model === 'full_path' || pending.conversions > 0
  return (
    <Table.Tfoot>
      <Table.Tr fw={600}>
        <Table.Th scope="row">Total</Table.Th>
        <Table.Td ta="right">{money(totals.cost)}</Table.Td>
        <Table.Td ta="right">{formatConversions(totals.conversions)}</Table.Td>
        <Table.Td ta="right">{money(totals.pipeline)}</Table.Td>
        <Table.Td ta="right">{money(totals.revenue)}</Table.Td>
        <Table.Td ta="right">{formatRoi(totals.roi)}</Table.Td>
        {rest(columns - 5)}
      </Table.Tr>
      <Table.Tr data-testid="roi-no-touch">
        <Table.Th scope="row" fw={400}>
          No touch
          <Text size="xs" c="dimmed">
            no touch in the lookback window
          </Text>
        </Table.Th>
        <Table.Td />
        <Table.Td ta="right">
          <DrillNumber
            text={formatConversions(noTouch.conversions)}
            to={noTouch.conversions > 0 ? kindLink('no_touch', report.conversion) : null}
            label={`${formatConversions(noTouch.conversions)} ${conversionWords(report.conversion)} conversions with no touch`}
          />
        </Table.Td>
        <Table.Td />
        <Table.Td ta="right">
          <DrillNumber
            text={money(noTouch.revenue)}
            to={noTouch.revenue > 0 ? kindLink('no_touch', 'won') : null}
            label={`Revenue with no touch: ${formatMoney(noTouch.revenue, report.baseCurrency)}`}
          />
        </Table.Td>
        {rest(columns - 4)}
      </Table.Tr>
      {showPending ? (
        <Table.Tr>
          <Table.Th scope="row" fw={400}>
            Pending
            <Text size="xs" c="dimmed">
              open deals' closed-won share
            </Text>
          </Table.Th>
          <Table.Td />
          <Table.Td ta="right">{formatConversions(pending.conversions)}</Table.Td>
          <Table.Td />
          <Table.Td ta="right">
            <DrillNumber
              text={money(pending.revenue)}
              to={pending.revenue > 0 ? kindLink('pending', 'won') : null}
              label={`Revenue pending on open deals: ${formatMoney(pending.revenue, report.baseCurrency)}`}
            />
          </Table.Td>
          {rest(columns - 4)}
        </Table.Tr>
      ) : null}
    </Table.Tfoot>
  )
}
