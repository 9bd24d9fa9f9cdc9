import { Anchor, Badge, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { useChanges } from './trends-api.ts'

/** How many flags the glance lists before sending to the page. */
const shown = 3

/** The main Telescope page's glance at what changed this week, opening the What changed page. */
export function ChangesCard() {
  const changes = useChanges()
  const flags = changes.data ? [...changes.data.decays, ...changes.data.improvements] : []
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="changes-card-title">
      <Stack gap="xs">
        <Group justify="space-between" align="baseline">
          <Title order={2} size="h4" id="changes-card-title">
            What changed this week
          </Title>
          <Anchor component={Link} to="/telescope/changes" size="sm">
            See every change
          </Anchor>
        </Group>
        {changes.isPending ? (
          <Stack role="status" aria-busy="true" gap={6}>
            <Skeleton h={18} w="80%" />
            <Skeleton h={18} w="65%" />
          </Stack>
        ) : changes.error ? (
          <ErrorAlert
            title="Could not load what changed"
            error={changes.error}
            onRetry={() => void changes.refetch()}
          />
        ) : flags.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing left its normal range in the last 4 weeks ({changes.data.tested} series tested).
          </Text>
        ) : (
          <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {flags.slice(0, shown).map((flag) => (
              <Group
                key={`${flag.subject.kind}:${flag.subject.id}:${flag.metric}`}
                component="li"
                gap="xs"
                wrap="nowrap"
                align="baseline"
              >
                <Badge
                  color={flag.status === 'decay' ? 'red.8' : 'teal.9'}
                  variant="filled"
                  size="sm"
                  style={{ flexShrink: 0 }}
                >
                  {flag.status === 'decay' ? 'Decay' : 'Better'}
                </Badge>
                <Anchor component={Link} to={flag.link} size="sm">
                  {flag.words}
                </Anchor>
              </Group>
            ))}
            {flags.length > shown ? (
              <Text size="sm" c="dimmed" component="li">
                and {flags.length - shown} more.
              </Text>
            ) : null}
          </Stack>
        )}
      </Stack>
    </Paper>
  )
}
