import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Grid,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core'
import type { ReactNode } from 'react'
import { Link, useSearchParams } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate, formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { ScrollRegion } from '../inbox/scroll-region.tsx'
import { SlaClock } from '../inbox/sla-clock.tsx'
import { labelOf } from '../records/labels.ts'
import { formatMoney } from '../records/money.ts'
import { useMe } from '../shell/me-context.tsx'
import {
  formatAttainment,
  formatMetric,
  metricLabels,
  periodLabels,
  type TargetProgress,
  type Today,
  useCompleteTask,
  useToday,
  useVisibleTeams,
} from './today-api.ts'

/**
 * /microscope: the rep's Today. Progress against today's tasks and targets, then the work: tasks
 * due and overdue (tick to complete), handoffs with their SLA clocks, hot leads, deals closing this
 * week and poor-fit warnings, each linking to its record. `?userId=` shows a rep's Today to their
 * manager.
 */
export function TodayPage() {
  const me = useMe()
  const [params] = useSearchParams()
  const userId = params.get('userId')
  const today = useToday(userId)
  const isOwn = !userId || userId === me.user?.id
  useDocumentTitle('Today')
  const teams = useVisibleTeams()
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>
            {isOwn ? 'Today' : `Today for ${today.data?.rep.name ?? 'a rep'}`}
          </Title>
          <Text c="dimmed">
            {today.data
              ? `${formatDate(`${today.data.today}T12:00:00`)}, week ${today.data.week.key.split('-W')[1]}: every day is the last day.`
              : 'Your day, week and month at a glance.'}
          </Text>
        </div>
        <Group gap="sm">
          {!isOwn ? (
            <Button component={Link} to="/microscope" variant="default">
              My Today
            </Button>
          ) : null}
          {teams.visible.length > 0 ? (
            <Button component={Link} to="/microscope/team" variant="light">
              Team and leaderboard
            </Button>
          ) : null}
        </Group>
      </Group>
      {today.isPending ? (
        <LoadingRows label="Loading your day" rows={6} height={72} />
      ) : today.error ? (
        <ErrorAlert
          title="Could not load Today"
          error={today.error}
          onRetry={() => void today.refetch()}
        />
      ) : (
        <TodayBody
          data={today.data}
          userId={userId}
          canComplete={me.permissions.includes('records:write')}
        />
      )}
    </Stack>
  )
}

function Section({
  id,
  title,
  count,
  children,
}: {
  id: string
  title: string
  count?: ReactNode
  children: ReactNode
}) {
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={`${id}-title`} h="100%">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id={`${id}-title`}>
          {title}
        </Title>
        {count}
      </Group>
      {children}
    </Paper>
  )
}

function Empty({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed">
      {children}
    </Text>
  )
}

function TodayBody({
  data,
  userId,
  canComplete,
}: {
  data: Today
  userId: string | null
  canComplete: boolean
}) {
  const me = useMe()
  const currency = me.workspace.baseCurrency
  const byPeriod = (kind: string) => data.targets.filter((t) => t.periodKind === kind)
  const { done, total } = data.tasks.progress
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <Paper withBorder p="md" component="section" aria-labelledby="progress-tasks">
          <Text fw={600} id="progress-tasks">
            Today's tasks
          </Text>
          <Text size="xl" fw={700} data-testid="task-progress">
            {done} of {total} done
          </Text>
          <Progress
            value={total === 0 ? 0 : (done / total) * 100}
            color="teal.8"
            mt={6}
            aria-label={`Today's tasks: ${done} of ${total} done`}
            data-testid="task-progress-bar"
          />
        </Paper>
        {(['day', 'week', 'month'] as const).map((kind) => (
          <Paper
            key={kind}
            withBorder
            p="md"
            component="section"
            aria-labelledby={`progress-${kind}`}
          >
            <Text fw={600} id={`progress-${kind}`}>
              {periodLabels[kind]}'s targets
            </Text>
            {byPeriod(kind).length === 0 ? (
              <Text size="sm" c="dimmed" mt={4}>
                No target for {periodLabels[kind].toLowerCase()}.
              </Text>
            ) : (
              <Stack gap={6} mt={4}>
                {byPeriod(kind).map((target) => (
                  <TargetBar key={target.id} target={target} currency={currency} />
                ))}
              </Stack>
            )}
          </Paper>
        ))}
      </SimpleGrid>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section
            id="tasks"
            title="Tasks due and overdue"
            count={
              data.tasks.overdue > 0 ? (
                <Badge color="red.8">{data.tasks.overdue} overdue</Badge>
              ) : undefined
            }
          >
            <TaskList data={data} userId={userId} canComplete={canComplete} />
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section
            id="handoffs"
            title="Handoffs"
            count={
              data.handoffs.breached > 0 ? (
                <Badge color="red.8">{data.handoffs.breached} past their SLA</Badge>
              ) : undefined
            }
          >
            {data.handoffs.items.length === 0 ? (
              <Empty>
                No open handoffs — new MQLs routed to you land here with their SLA clock.
              </Empty>
            ) : (
              <Table aria-label="Open handoffs" verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Lead</Table.Th>
                    <Table.Th>First-touch SLA</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.handoffs.items.map((handoff) => (
                    <Table.Tr key={handoff.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/microscope/inbox/${handoff.id}`}>
                          {handoff.contact.name}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {handoff.account?.name ?? handoff.mqlReason}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <SlaClock handoff={handoff} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section id="deals" title="Deals closing this week">
            {data.closingThisWeek.items.length === 0 ? (
              <Empty>No deal closes this week — move a close date or open the pipeline.</Empty>
            ) : (
              <Stack gap="xs">
                <ScrollRegion label="Deals closing this week, scrollable">
                  <Table aria-label="Deals closing this week" verticalSpacing="xs" miw={420}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Deal</Table.Th>
                        <Table.Th>Stage</Table.Th>
                        <Table.Th>Closes</Table.Th>
                        <Table.Th ta="right">Amount</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.closingThisWeek.items.map((deal) => (
                        <Table.Tr key={deal.id}>
                          <Table.Td>
                            <Anchor component={Link} to={`/microscope/deals/${deal.id}`}>
                              {deal.name}
                            </Anchor>
                            {deal.account ? (
                              <Text size="xs" c="dimmed">
                                {deal.account.name}
                              </Text>
                            ) : null}
                          </Table.Td>
                          <Table.Td>{deal.stage.name}</Table.Td>
                          <Table.Td>{formatDate(`${deal.closeDate}T12:00:00`)}</Table.Td>
                          <Table.Td ta="right">{formatMoney(deal.amount, deal.currency)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollRegion>
                {data.closingThisWeek.totalInBase !== null ? (
                  <Text size="sm" ta="right">
                    Total{' '}
                    <b>
                      {formatMoney(
                        data.closingThisWeek.totalInBase,
                        data.closingThisWeek.baseCurrency,
                      )}
                    </b>
                  </Text>
                ) : null}
              </Stack>
            )}
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Section id="leads" title="Hot leads">
            {data.hotLeads.length === 0 ? (
              <Empty>No scored leads yet — leads you own appear here, most engaged first.</Empty>
            ) : (
              <Table aria-label="Hot leads" verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Lead</Table.Th>
                    <Table.Th>Stage</Table.Th>
                    <Table.Th ta="right">Engagement</Table.Th>
                    <Table.Th ta="right">Fit</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.hotLeads.map((lead) => (
                    <Table.Tr key={lead.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/microscope/contacts/${lead.id}`}>
                          {lead.name}
                        </Anchor>
                        {lead.account ? (
                          <Text size="xs" c="dimmed">
                            {lead.account.name}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>{labelOf(lead.lifecycleStage)}</Table.Td>
                      <Table.Td ta="right">{lead.engagement}</Table.Td>
                      <Table.Td ta="right">{lead.fit}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Section>
        </Grid.Col>
        <Grid.Col span={12}>
          <Section
            id="fit"
            title="Poor-fit warnings"
            count={
              <Text size="xs" c="dimmed">
                product fit below {data.poorFit.threshold}
              </Text>
            }
          >
            {data.poorFit.items.length === 0 ? (
              <Empty>
                No poor-fit deals — every open deal fits its products, or a manager said why.
              </Empty>
            ) : (
              <Stack gap="xs">
                {data.poorFit.items.map((deal) => (
                  <Group key={deal.id} gap="sm" wrap="nowrap" align="flex-start">
                    <Badge color="red.9" miw={70} style={{ flexShrink: 0 }}>
                      Fit {deal.productFit}
                    </Badge>
                    <div>
                      <Anchor component={Link} to={`/microscope/deals/${deal.id}`}>
                        {deal.name}
                      </Anchor>
                      <Text size="xs" c="dimmed" lineClamp={2}>
                        {deal.stage.name}
                        {deal.reasons.length > 0 ? ` · ${deal.reasons.join('; ')}` : ''}
                      </Text>
                    </div>
                  </Group>
                ))}
              </Stack>
            )}
          </Section>
        </Grid.Col>
      </Grid>
    </Stack>
  )
}

function TargetBar({ target, currency }: { target: TargetProgress; currency: string }) {
  const label = metricLabels[target.metric]
  const attainment = formatAttainment(target.attainment)
  return (
    <div>
      <Group justify="space-between" gap={4}>
        <Text size="sm">{label}</Text>
        <Text size="sm" fw={600}>
          {attainment}
        </Text>
      </Group>
      <Progress
        value={Math.min(100, (target.attainment ?? 0) * 100)}
        color={(target.attainment ?? 0) >= 1 ? 'teal.8' : 'indigo.7'}
        aria-label={`${label}: ${attainment} of the target`}
      />
      <Text size="xs" c="dimmed">
        {formatMetric(target.metric, target.actual, currency)} of{' '}
        {formatMetric(target.metric, target.amount, currency)}
      </Text>
    </div>
  )
}

function TaskList({
  data,
  userId,
  canComplete,
}: {
  data: Today
  userId: string | null
  canComplete: boolean
}) {
  const complete = useCompleteTask(userId)
  if (data.tasks.items.length === 0) {
    return <Empty>Nothing overdue — and nothing else due today. Plan tomorrow's calls.</Empty>
  }
  return (
    <Stack gap="xs">
      {data.tasks.items.map((task) => {
        const record = task.deal
          ? { to: `/microscope/deals/${task.deal.id}`, name: task.deal.name }
          : task.contact
            ? { to: `/microscope/contacts/${task.contact.id}`, name: task.contact.name }
            : task.account
              ? { to: `/microscope/accounts/${task.account.id}`, name: task.account.name }
              : null
        return (
          <Group key={task.id} gap="sm" wrap="nowrap" align="flex-start">
            <Checkbox
              mt={2}
              aria-label={`Complete: ${task.subject}`}
              checked={false}
              disabled={!canComplete || complete.isPending}
              onChange={() => complete.mutate(task)}
            />
            <div>
              <Text size="sm" fw={500}>
                {task.subject}
              </Text>
              <Text size="xs" c={task.isOverdue ? 'red.8' : 'dimmed'}>
                {task.isOverdue ? 'Overdue: was due ' : 'Due '}
                {formatDateTime(task.dueAt)}
                {record ? ' · ' : ''}
                {record ? (
                  <Anchor component={Link} to={record.to} size="xs">
                    {record.name}
                  </Anchor>
                ) : null}
              </Text>
            </div>
          </Group>
        )
      })}
      {data.tasks.overdue + data.tasks.dueLaterToday > data.tasks.items.length ? (
        <Anchor component={Link} to="/microscope/activities" size="sm">
          All open tasks
        </Anchor>
      ) : null}
    </Stack>
  )
}
