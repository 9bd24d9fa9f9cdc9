import '@mantine/charts/styles.css'
import { BarChart } from '@mantine/charts'
import { Badge, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core'
import {
  bucketLabels,
  type Distribution,
  type RuleInput,
  type ScoringPreview,
} from './scoring-api.ts'

const kindLabels = { fit: 'Fit', engagement: 'Engagement' } as const

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`
}

/**
 * What a proposed set of rules would do before it is saved: the contacts each rule touches, the
 * fit and engagement distributions now and after, and how many contacts would become MQLs.
 */
export function PreviewPanel({
  preview,
  rules,
  highlight,
}: {
  preview: ScoringPreview
  /** The proposed rules, in the order sent (index of the preview's rows). */
  rules: RuleInput[]
  /** Index of the rule being added, changed or removed, shown first. */
  highlight?: number
}) {
  const { current, proposed } = preview
  const mqlChange = proposed.mql - current.mql
  const rows = [...preview.rules].sort((a, b) =>
    a.index === highlight ? -1 : b.index === highlight ? 1 : a.index - b.index,
  )
  return (
    <Stack gap="md" role="group" aria-label="Preview of the change">
      <Stack gap={4}>
        <Title order={3} size="h5">
          Contacts who would qualify as MQLs by score
        </Title>
        <Group gap="sm" align="baseline">
          <Text size="sm">
            Now <strong>{current.mql.toLocaleString()}</strong> → after{' '}
            <strong>{proposed.mql.toLocaleString()}</strong>
          </Text>
          <Badge
            variant={mqlChange === 0 ? 'light' : 'filled'}
            color={mqlChange > 0 ? 'teal.9' : mqlChange < 0 ? 'red.9' : 'gray'}
          >
            {mqlChange > 0 ? '+' : ''}
            {mqlChange.toLocaleString()}
          </Badge>
        </Group>
        <Text size="xs" c="dimmed">
          Contacts not yet MQL whose fit and engagement would meet the MQL thresholds.
        </Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <DistributionChart title="Fit score" now={current} after={proposed} kind="fit" />
        <DistributionChart
          title="Engagement score"
          now={current}
          after={proposed}
          kind="engagement"
        />
      </SimpleGrid>
      <Stack gap={4}>
        <Title order={3} size="h5">
          Contacts each rule touches
        </Title>
        <Table.ScrollContainer minWidth={420}>
          <Table fz="sm" aria-label="Contacts each proposed rule touches" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Rule</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th ta="right">Points</Table.Th>
                <Table.Th ta="right">Contacts</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => {
                const rule = rules[row.index]
                if (!rule) return null
                return (
                  <Table.Tr key={row.index}>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Text size="sm" fw={row.index === highlight ? 600 : undefined}>
                          {rule.name}
                        </Text>
                        {row.index === highlight ? (
                          <Badge size="xs" variant="filled" color="blue.9">
                            {row.id ? 'Changed' : 'New'}
                          </Badge>
                        ) : null}
                        {rule.isActive === false ? (
                          <Badge size="xs" variant="light" color="gray">
                            Inactive
                          </Badge>
                        ) : null}
                      </Group>
                    </Table.Td>
                    <Table.Td>{kindLabels[rule.kind]}</Table.Td>
                    <Table.Td ta="right">
                      {rule.points > 0 ? '+' : ''}
                      {rule.points}
                    </Table.Td>
                    <Table.Td ta="right">{row.contacts.toLocaleString()}</Table.Td>
                  </Table.Tr>
                )
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            No rules would be left: every contact would score 0.
          </Text>
        ) : null}
      </Stack>
    </Stack>
  )
}

function DistributionChart({
  title,
  now,
  after,
  kind,
}: {
  title: string
  now: Distribution
  after: Distribution
  kind: 'fit' | 'engagement'
}) {
  const data = bucketLabels.map((bucket, i) => ({
    bucket,
    now: now[kind][i] ?? 0,
    after: after[kind][i] ?? 0,
  }))
  const total = data.reduce((sum, d) => sum + d.now, 0)
  return (
    <Stack gap={4}>
      <Title order={3} size="h5">
        {title}: contacts per band, now and after
      </Title>
      <div
        role="img"
        aria-label={`${title}, contacts per band now and after: ${data
          .map((d) => `${d.bucket} ${d.now} → ${d.after}`)
          .join('; ')}`}
      >
        <BarChart
          h={220}
          data={data}
          dataKey="bucket"
          withLegend
          series={[
            { name: 'now', label: 'Now', color: 'gray.6' },
            { name: 'after', label: 'After', color: 'blue.7' },
          ]}
        />
      </div>
      <Text size="xs" c="dimmed">
        {plural(total, 'live contact')}.
      </Text>
    </Stack>
  )
}
