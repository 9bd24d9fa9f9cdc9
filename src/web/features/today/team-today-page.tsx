import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core'
import { Link, useSearchParams } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { ScrollRegion } from '../inbox/scroll-region.tsx'
import { EmptyState } from '../records/empty-state.tsx'
import { useMe } from '../shell/me-context.tsx'
import {
  formatAttainment,
  formatMetric,
  metricLabels,
  type PeriodKind,
  type TargetMetric,
  type TeamToday,
  useTeamToday,
  useVisibleTeams,
} from './today-api.ts'

const periods: { value: PeriodKind; label: string }[] = [
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
  { value: 'quarter', label: 'Quarter' },
]

/**
 * /microscope/team: a manager's team at a glance, one row per rep with the counts of their Today
 * page, and the leaderboard by target attainment for a period and metric.
 */
export function TeamTodayPage() {
  useDocumentTitle('Team today')
  const [params, setParams] = useSearchParams()
  const teams = useVisibleTeams()
  const teamId = params.get('teamId') ?? teams.visible[0]?.id ?? null
  const period = (params.get('period') as PeriodKind | null) ?? 'month'
  const metric = (params.get('metric') as TargetMetric | null) ?? 'revenue'
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params)
    if (value === null) next.delete(key)
    else next.set(key, value)
    setParams(next, { replace: true })
  }
  const query = new URLSearchParams({ period, metric, ...(teamId ? { teamId } : {}) }).toString()
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Team today</Title>
          <Text c="dimmed">Each rep's day in numbers, and who leads against their target.</Text>
        </div>
        <Button component={Link} to="/microscope" variant="default">
          My Today
        </Button>
      </Group>
      {teams.isPending ? (
        <LoadingRows label="Loading teams" rows={2} />
      ) : teams.error ? (
        <ErrorAlert
          title="Could not load the teams"
          error={teams.error}
          onRetry={() => void teams.refetch()}
        />
      ) : teams.visible.length === 0 ? (
        <EmptyState title="No team to show">
          The team view is for sales managers, admins and a team's manager. Ask an admin to set up
          teams in Settings → Teams.
        </EmptyState>
      ) : (
        <>
          <Group gap="md" align="flex-end">
            <Select
              label="Team"
              data={teams.visible.map((team) => ({ value: team.id, label: team.name }))}
              value={teamId}
              onChange={(value) => set('teamId', value)}
              allowDeselect={false}
              w={240}
            />
            <Select
              label="Leaderboard metric"
              data={Object.entries(metricLabels).map(([value, label]) => ({ value, label }))}
              value={metric}
              onChange={(value) => set('metric', value)}
              allowDeselect={false}
              w={220}
            />
            <SegmentedControl
              aria-label="Leaderboard period"
              data={periods}
              value={period}
              onChange={(value) => set('period', value)}
            />
          </Group>
          <TeamBody query={query} />
        </>
      )}
    </Stack>
  )
}

function TeamBody({ query }: { query: string }) {
  const team = useTeamToday(query)
  if (team.isPending) return <LoadingRows label="Loading the team" rows={5} height={48} />
  if (team.error) {
    return (
      <ErrorAlert
        title="Could not load the team"
        error={team.error}
        onRetry={() => void team.refetch()}
      />
    )
  }
  if (team.data.reps.length === 0) {
    return (
      <EmptyState title="No reps in this team">
        Add reps to the team in Settings → Teams and their day shows here.
      </EmptyState>
    )
  }
  return (
    <Stack gap="lg">
      <Leaderboard data={team.data} />
      <RepRows data={team.data} />
    </Stack>
  )
}

function Leaderboard({ data }: { data: TeamToday }) {
  const currency = useMe().workspace.baseCurrency
  const { leaderboard } = data
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="leaderboard-title">
      <Title order={2} size="h4" id="leaderboard-title" mb="sm">
        Leaderboard: {metricLabels[leaderboard.metric].toLowerCase()}, {leaderboard.period.key}
      </Title>
      <Table aria-label="Leaderboard" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Rank</Table.Th>
            <Table.Th>Rep</Table.Th>
            <Table.Th>Attainment</Table.Th>
            <Table.Th ta="right">Actual</Table.Th>
            <Table.Th ta="right">Target</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {leaderboard.rows.map((row) => (
            <Table.Tr key={row.rep.id} data-testid="leaderboard-row">
              <Table.Td>{row.rank ?? '—'}</Table.Td>
              <Table.Td>{row.rep.name}</Table.Td>
              <Table.Td miw={160}>
                {row.attainment === null ? (
                  <Text size="sm" c="dimmed">
                    No target
                  </Text>
                ) : (
                  <Group gap="xs" wrap="nowrap">
                    <Progress
                      value={Math.min(100, row.attainment * 100)}
                      w={100}
                      color={row.attainment >= 1 ? 'teal.8' : 'indigo.7'}
                      aria-label={`${row.rep.name}: ${formatAttainment(row.attainment)}`}
                    />
                    <Text size="sm">{formatAttainment(row.attainment)}</Text>
                  </Group>
                )}
              </Table.Td>
              <Table.Td ta="right">
                {formatMetric(leaderboard.metric, row.actual, currency)}
              </Table.Td>
              <Table.Td ta="right">
                {formatMetric(leaderboard.metric, row.amount, currency)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  )
}

function RepRows({ data }: { data: TeamToday }) {
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="reps-title">
      <Title order={2} size="h4" id="reps-title" mb="sm">
        {data.team.name}: each rep's day
      </Title>
      <ScrollRegion label="Reps, scrollable">
        <Table aria-label="Reps" verticalSpacing="xs" miw={820}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Rep</Table.Th>
              <Table.Th ta="right">Overdue tasks</Table.Th>
              <Table.Th ta="right">Today's tasks</Table.Th>
              <Table.Th ta="right">Open handoffs</Table.Th>
              <Table.Th ta="right">SLA missed</Table.Th>
              <Table.Th ta="right">Closing this week</Table.Th>
              <Table.Th ta="right">Poor fit</Table.Th>
              <Table.Th>This month</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.reps.map((row) => (
              <Table.Tr key={row.rep.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/microscope?userId=${row.rep.id}`}>
                    {row.rep.name}
                  </Anchor>
                </Table.Td>
                <Table.Td ta="right">
                  {row.tasks.overdue > 0 ? <Badge color="red.8">{row.tasks.overdue}</Badge> : 0}
                </Table.Td>
                <Table.Td ta="right">
                  {row.tasks.progress.done} / {row.tasks.progress.total}
                </Table.Td>
                <Table.Td ta="right">{row.openHandoffs}</Table.Td>
                <Table.Td ta="right">
                  {row.breachedHandoffs > 0 ? (
                    <Badge color="red.8">{row.breachedHandoffs}</Badge>
                  ) : (
                    0
                  )}
                </Table.Td>
                <Table.Td ta="right">{row.closingThisWeek}</Table.Td>
                <Table.Td ta="right">{row.poorFitDeals}</Table.Td>
                <Table.Td>
                  {row.monthTargets.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      No target
                    </Text>
                  ) : (
                    <Text size="sm">
                      {row.monthTargets
                        .map((t) => `${metricLabels[t.metric]} ${formatAttainment(t.attainment)}`)
                        .join(' · ')}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollRegion>
    </Paper>
  )
}
