import '@mantine/charts/styles.css'
import { BarChart, LineChart } from '@mantine/charts'
import {
  Anchor,
  Badge,
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import type { ReactNode } from 'react'
import { Link, useSearchParams } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { rejectionReasonLabels } from '../inbox/reject-dialog.tsx'
import { ScrollRegion } from '../inbox/scroll-region.tsx'
import { monthLabel } from '../mql/mql-api.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { channelOptions, labelOf, lossReasonOptions } from '../records/labels.ts'
import {
  formatShare,
  isVoiceGrouping,
  useVoiceOfSales,
  type VoiceGroup,
  type VoiceGrouping,
  type VoiceOfSalesReport,
} from './voice-of-sales-api.ts'

const groupingLabels: Record<VoiceGrouping, string> = {
  campaign: 'Campaign',
  channel: 'Channel',
  segment: 'Segment',
}

/** Colours of the stacked reasons, dark enough to read on white. */
const palette = [
  'red.7',
  'orange.7',
  'grape.7',
  'blue.7',
  'teal.7',
  'indigo.7',
  'pink.7',
  'cyan.8',
  'lime.8',
  'violet.7',
  'yellow.8',
  'gray.7',
]

const rejectionLabel = (reason: string) => rejectionReasonLabels[reason] ?? labelOf(reason)
const lossLabel = (reason: string | null) =>
  reason === null ? 'No reason given' : labelOf(reason, lossReasonOptions)

/** The group's name as shown (channels by their label), "All" when ungrouped. */
function groupName(group: VoiceGroup, groupBy: VoiceGrouping | null): string {
  if (!group) return 'All'
  if (groupBy === 'channel' && group.key !== 'none') return labelOf(group.key, channelOptions)
  return group.label
}

/** A count that opens the records behind it (the drill-down); plain when there are none. */
function Drill({ value, to, label }: { value: number; to: string | null; label: string }) {
  if (value === 0 || !to) return <>{value.toLocaleString()}</>
  return (
    <Anchor component={Link} to={to} aria-label={label}>
      {value.toLocaleString()}
    </Anchor>
  )
}

/** A long name cut to the cell, whole in its title. */
function Name({ children }: { children: string }) {
  return (
    <Text size="sm" truncate="end" maw={260} title={children}>
      {children}
    </Text>
  )
}

function Section({
  title,
  description,
  children,
}: {
  title: string
  description: string
  children: ReactNode
}) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <div>
          <Title order={2} size="h3">
            {title}
          </Title>
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        </div>
        {children}
      </Stack>
    </Paper>
  )
}

function None({ children }: { children: string }) {
  return (
    <Text size="sm" c="dimmed">
      {children}
    </Text>
  )
}

function isEmpty(report: VoiceOfSalesReport) {
  return (
    report.rejections.length === 0 &&
    report.losses.length === 0 &&
    report.competitors.length === 0 &&
    report.objections.length === 0 &&
    report.quality.length === 0 &&
    report.trends.every((m) => m.decided === 0 && m.losses === 0)
  )
}

/** /bridge/voice-of-sales: what sales says about marketing's leads, for marketing. */
export function VoiceOfSalesPage() {
  useDocumentTitle('Voice of sales')
  const [params, setParams] = useSearchParams()
  const from = params.get('from') ?? ''
  const to = params.get('to') ?? ''
  const rawGroupBy = params.get('groupBy')
  const groupBy = isVoiceGrouping(rawGroupBy) ? rawGroupBy : null
  const report = useVoiceOfSales({ from, to, groupBy })
  const setParam = (key: 'from' | 'to' | 'groupBy', value: string | null) => {
    const next = new URLSearchParams(params)
    if (value) next.set(key, value)
    else next.delete(key)
    setParams(next, { replace: true })
  }
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Voice of sales</Title>
          <Text c="dimmed">
            Why sales rejects handoffs and loses deals, who it loses to, what prospects object to,
            and how sales rates the leads: handoffs created and deals closed in the range.
          </Text>
        </div>
        <Group gap="sm" align="flex-end">
          <TextInput
            type="date"
            label="From"
            value={from || report.data?.from || ''}
            onChange={(e) => setParam('from', e.currentTarget.value)}
          />
          <TextInput
            type="date"
            label="To"
            value={to || report.data?.to || ''}
            onChange={(e) => setParam('to', e.currentTarget.value)}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="voice-group-by">
              Group by
            </Text>
            <SegmentedControl
              aria-labelledby="voice-group-by"
              value={groupBy ?? 'none'}
              onChange={(value) => setParam('groupBy', value === 'none' ? null : value)}
              data={[
                { value: 'none', label: 'None' },
                ...(['campaign', 'channel', 'segment'] as const).map((g) => ({
                  value: g,
                  label: groupingLabels[g],
                })),
              ]}
            />
          </Stack>
        </Group>
      </Group>
      {report.isPending ? (
        <LoadingRows label="Loading the voice of sales" rows={6} height={48} />
      ) : report.error ? (
        <ErrorAlert
          title="Could not load the voice of sales"
          error={report.error}
          onRetry={() => void report.refetch()}
        />
      ) : isEmpty(report.data) ? (
        <EmptyState title="Nothing from sales in this range">
          Rejected handoffs, lost deals, tags and quality ratings appear here once sales records
          them. Try a wider range.
        </EmptyState>
      ) : (
        <>
          <Rejections report={report.data} />
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
            <Losses report={report.data} />
            <CouldHelp report={report.data} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
            <Competitors report={report.data} />
            <Objections report={report.data} />
          </SimpleGrid>
          <Quality report={report.data} />
          <Trends report={report.data} />
        </>
      )}
    </Stack>
  )
}

function Rejections({ report }: { report: VoiceOfSalesReport }) {
  const { groupBy } = report
  const reasons = [...new Set(report.rejections.map((r) => r.reason))]
  const groups = new Map<string, Record<string, string | number>>()
  for (const row of report.rejections) {
    const name = groupName(row.group, groupBy)
    const key = row.group?.key ?? 'all'
    const entry = groups.get(key) ?? { group: name }
    entry[row.reason] = row.count
    groups.set(key, entry)
  }
  const data = [...groups.values()].slice(0, 12)
  return (
    <Section
      title="Rejection reasons"
      description="Handoffs created in the range and rejected, by reason; share of the handoffs decided in the group."
    >
      {report.rejections.length === 0 ? (
        <None>No handoffs were rejected in this range.</None>
      ) : (
        <>
          <div
            role="img"
            aria-label={`Rejected handoffs by reason${groupBy ? ` per ${groupBy}` : ''}: ${report.rejections
              .slice(0, 8)
              .map(
                (r) =>
                  `${groupBy ? `${groupName(r.group, groupBy)}, ` : ''}${rejectionLabel(r.reason)} ${r.count}`,
              )
              .join('; ')}`}
          >
            <BarChart
              h={Math.max(140, data.length * 40 + 60)}
              data={data}
              dataKey="group"
              type="stacked"
              orientation="vertical"
              withLegend
              yAxisProps={{ width: 180 }}
              series={reasons.map((reason, i) => ({
                name: reason,
                label: rejectionLabel(reason),
                color: palette[i % palette.length] ?? 'gray.7',
              }))}
            />
          </div>
          <ScrollRegion label="Rejection reasons, scrollable">
            <Table aria-label="Rejection reasons" striped fz="sm" miw={520}>
              <Table.Thead>
                <Table.Tr>
                  {groupBy ? <Table.Th>{groupingLabels[groupBy]}</Table.Th> : null}
                  <Table.Th>Reason</Table.Th>
                  <Table.Th ta="right">Rejected</Table.Th>
                  <Table.Th ta="right">Decided</Table.Th>
                  <Table.Th ta="right">Share</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.rejections.map((row) => {
                  const name = groupName(row.group, groupBy)
                  return (
                    <Table.Tr key={`${row.group?.key ?? 'all'}-${row.reason}`}>
                      {groupBy ? (
                        <Table.Td>
                          <Name>{name}</Name>
                        </Table.Td>
                      ) : null}
                      <Table.Td>{rejectionLabel(row.reason)}</Table.Td>
                      <Table.Td ta="right">
                        <Drill
                          value={row.count}
                          to={row.link}
                          label={`${row.count} handoffs of ${name} rejected as ${rejectionLabel(row.reason)}`}
                        />
                      </Table.Td>
                      <Table.Td ta="right">{row.decided.toLocaleString()}</Table.Td>
                      <Table.Td ta="right">{formatShare(row.share)}</Table.Td>
                    </Table.Tr>
                  )
                })}
              </Table.Tbody>
            </Table>
          </ScrollRegion>
        </>
      )}
    </Section>
  )
}

function Losses({ report }: { report: VoiceOfSalesReport }) {
  const { groupBy } = report
  return (
    <Section
      title="Losses by reason"
      description="Deals closed lost in the range. Walking away from a poor fit is a good outcome, counted apart."
    >
      {report.losses.length === 0 ? (
        <None>No deals were lost in this range.</None>
      ) : (
        <ScrollRegion label="Losses by reason, scrollable">
          <Table aria-label="Losses by reason" striped fz="sm" miw={420}>
            <Table.Thead>
              <Table.Tr>
                {groupBy ? <Table.Th>{groupingLabels[groupBy]}</Table.Th> : null}
                <Table.Th>Reason</Table.Th>
                <Table.Th ta="right">Lost</Table.Th>
                <Table.Th ta="right">Share</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.losses.map((row) => {
                const name = groupName(row.group, groupBy)
                return (
                  <Table.Tr key={`${row.group?.key ?? 'all'}-${row.reason ?? 'none'}`}>
                    {groupBy ? (
                      <Table.Td>
                        <Name>{name}</Name>
                      </Table.Td>
                    ) : null}
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        {lossLabel(row.reason)}
                        {row.goodOutcome ? (
                          <Badge color="teal.9" variant="light" size="sm">
                            Good outcome
                          </Badge>
                        ) : null}
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Drill
                        value={row.count}
                        to={row.link}
                        label={`${row.count} deals of ${name} lost to ${lossLabel(row.reason)}`}
                      />
                    </Table.Td>
                    <Table.Td ta="right">{formatShare(row.share)}</Table.Td>
                  </Table.Tr>
                )
              })}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      )}
    </Section>
  )
}

function CouldHelp({ report }: { report: VoiceOfSalesReport }) {
  const { groupBy } = report
  return (
    <Section
      title="Could marketing have helped?"
      description="Sales' answer on each deal lost in the range."
    >
      {report.marketingCouldHelp.length === 0 ? (
        <None>No deals were lost in this range.</None>
      ) : (
        <ScrollRegion label="Could marketing have helped, scrollable">
          <Table aria-label="Could marketing have helped" striped fz="sm" miw={380}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{groupBy ? groupingLabels[groupBy] : 'Losses'}</Table.Th>
                <Table.Th ta="right">Yes</Table.Th>
                <Table.Th ta="right">No</Table.Th>
                <Table.Th ta="right">Unsure</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.marketingCouldHelp.map((row) => {
                const name = groupName(row.group, groupBy)
                return (
                  <Table.Tr key={row.group?.key ?? 'all'}>
                    <Table.Td>
                      <Name>{groupBy ? name : `All ${row.losses} losses`}</Name>
                    </Table.Td>
                    {(['yes', 'no', 'unsure'] as const).map((answer) => (
                      <Table.Td ta="right" key={answer}>
                        <Drill
                          value={row[answer]}
                          to={row.links[answer]}
                          label={`${row[answer]} losses of ${name} where marketing could have helped: ${answer}`}
                        />
                      </Table.Td>
                    ))}
                  </Table.Tr>
                )
              })}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      )}
    </Section>
  )
}

function Competitors({ report }: { report: VoiceOfSalesReport }) {
  return (
    <Section
      title="Competitors"
      description="Deals lost to each competitor, and competitor tags on activities, handoffs and deals of the range."
    >
      {report.competitors.length === 0 ? (
        <None>No competitor was named in this range.</None>
      ) : (
        <Table aria-label="Competitors" striped fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Competitor</Table.Th>
              <Table.Th ta="right">Deals lost</Table.Th>
              <Table.Th ta="right">Mentions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.competitors.map((row) => (
              <Table.Tr key={row.name.toLowerCase()}>
                <Table.Td>
                  <Name>{row.name}</Name>
                </Table.Td>
                <Table.Td ta="right">
                  <Drill
                    value={row.losses}
                    to={row.link}
                    label={`${row.losses} deals lost to ${row.name}`}
                  />
                </Table.Td>
                <Table.Td ta="right">{row.mentions.toLocaleString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  )
}

function Objections({ report }: { report: VoiceOfSalesReport }) {
  return (
    <Section
      title="Top objections"
      description="Objection tags on the most activities, handoffs and deals of the range: marketing's messaging backlog."
    >
      {report.objections.length === 0 ? (
        <None>No objection was tagged in this range.</None>
      ) : (
        <ScrollRegion label="Top objections, scrollable">
          <Table aria-label="Top objections" striped fz="sm" miw={420}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Objection</Table.Th>
                <Table.Th ta="right">Records</Table.Th>
                <Table.Th ta="right">Activities</Table.Th>
                <Table.Th ta="right">Handoffs</Table.Th>
                <Table.Th ta="right">Deals</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.objections.map((row) => (
                <Table.Tr key={row.tag.id}>
                  <Table.Td>
                    <Name>{row.tag.name}</Name>
                  </Table.Td>
                  <Table.Td ta="right">{row.count.toLocaleString()}</Table.Td>
                  <Table.Td ta="right">{row.activities.toLocaleString()}</Table.Td>
                  <Table.Td ta="right">
                    <Drill
                      value={row.handoffs}
                      to={row.links.handoffs}
                      label={`${row.handoffs} handoffs tagged ${row.tag.name}`}
                    />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Drill
                      value={row.deals}
                      to={row.links.deals}
                      label={`${row.deals} deals tagged ${row.tag.name}`}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      )}
    </Section>
  )
}

function Quality({ report }: { report: VoiceOfSalesReport }) {
  const { groupBy } = report
  return (
    <Section
      title="Handoff quality"
      description="Sales' 1-5 rating of the handoffs created in the range."
    >
      {report.quality.length === 0 ? (
        <None>No handoffs were created in this range.</None>
      ) : (
        <ScrollRegion label="Handoff quality, scrollable">
          <Table aria-label="Handoff quality" striped fz="sm" miw={620}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{groupBy ? groupingLabels[groupBy] : 'Handoffs'}</Table.Th>
                <Table.Th ta="right">Rated</Table.Th>
                <Table.Th ta="right">Average</Table.Th>
                {(['1', '2', '3', '4', '5'] as const).map((n) => (
                  <Table.Th ta="right" key={n}>
                    {`${n} ★`}
                  </Table.Th>
                ))}
                <Table.Th ta="right">Unrated</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.quality.map((row) => {
                const name = groupName(row.group, groupBy)
                return (
                  <Table.Tr key={row.group?.key ?? 'all'}>
                    <Table.Td>
                      <Name>{name}</Name>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Drill
                        value={row.rated}
                        to={row.link}
                        label={`${row.rated} rated handoffs of ${name}`}
                      />
                    </Table.Td>
                    <Table.Td ta="right">
                      {row.average === null ? '—' : row.average.toFixed(1)}
                    </Table.Td>
                    {(['1', '2', '3', '4', '5'] as const).map((n) => (
                      <Table.Td ta="right" key={n}>
                        {row.distribution[n].toLocaleString()}
                      </Table.Td>
                    ))}
                    <Table.Td ta="right">
                      <Drill
                        value={row.unrated}
                        to={row.unratedLink}
                        label={`${row.unrated} unrated handoffs of ${name}`}
                      />
                    </Table.Td>
                  </Table.Tr>
                )
              })}
            </Table.Tbody>
          </Table>
        </ScrollRegion>
      )}
    </Section>
  )
}

function Trends({ report }: { report: VoiceOfSalesReport }) {
  const data = report.trends.map((m) => ({
    month: monthLabel(m.month),
    decided: m.decided,
    rejected: m.rejected,
    losses: m.losses,
  }))
  return (
    <Section
      title="Monthly trend"
      description="Handoffs decided and rejected by the month they were created; deals lost by the month they closed."
    >
      <div
        role="img"
        aria-label={`Per month, decided, rejected and lost: ${report.trends
          .map((m) => `${monthLabel(m.month)} ${m.decided}, ${m.rejected}, ${m.losses}`)
          .join('; ')}`}
      >
        <LineChart
          h={240}
          data={data}
          dataKey="month"
          withLegend
          series={[
            { name: 'decided', label: 'Decided', color: 'blue.7' },
            { name: 'rejected', label: 'Rejected', color: 'red.7' },
            { name: 'losses', label: 'Deals lost', color: 'gray.7' },
          ]}
        />
      </div>
      <ScrollRegion label="Monthly trend, scrollable">
        <Table aria-label="Monthly trend" striped fz="sm" miw={560}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Month</Table.Th>
              <Table.Th ta="right">Decided</Table.Th>
              <Table.Th ta="right">Rejected</Table.Th>
              <Table.Th ta="right">Rejection rate</Table.Th>
              <Table.Th ta="right">Deals lost</Table.Th>
              <Table.Th>Top rejection reason</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.trends.map((m) => {
              const month = monthLabel(m.month)
              return (
                <Table.Tr key={m.month}>
                  <Table.Td>{month}</Table.Td>
                  <Table.Td ta="right">
                    <Drill
                      value={m.decided}
                      to={m.links.decided}
                      label={`${m.decided} handoffs of ${month} decided`}
                    />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Drill
                      value={m.rejected}
                      to={m.links.rejected}
                      label={`${m.rejected} handoffs of ${month} rejected`}
                    />
                  </Table.Td>
                  <Table.Td ta="right">{formatShare(m.rejectionRate)}</Table.Td>
                  <Table.Td ta="right">
                    <Drill
                      value={m.losses}
                      to={m.links.losses}
                      label={`${m.losses} deals lost in ${month}`}
                    />
                  </Table.Td>
                  <Table.Td>
                    {m.topReason && m.links.topReason ? (
                      <Anchor component={Link} to={m.links.topReason}>
                        {rejectionLabel(m.topReason)}
                      </Anchor>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                </Table.Tr>
              )
            })}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
    </Section>
  )
}
