import { Badge, Stack, Text } from '@mantine/core'
import { formatDateTime } from '../../components/format.ts'
import { formatMinutes, type Handoff, tones } from './handoffs-api.ts'

/**
 * The first-touch clock of a handoff as a rep reads it: minutes left (business minutes, so the
 * clock stands still outside business hours) and the due time; green once met, red once missed.
 */
export function SlaClock({ handoff }: { handoff: Handoff }) {
  const { sla } = handoff
  if (sla.firstTouch === 'met') {
    return (
      <Badge color={tones.good}>Met in {formatMinutes(sla.timeToFirstTouchMinutes ?? 0)}</Badge>
    )
  }
  if (sla.firstTouch === 'missed') {
    const label = sla.firstTouchAt
      ? `Missed: touched after ${formatMinutes(sla.timeToFirstTouchMinutes ?? 0)}`
      : `Missed by ${formatMinutes(sla.firstTouchMinutesLeft ?? 0)}`
    return (
      <Stack gap={0}>
        <Badge color={tones.bad}>{label}</Badge>
        <Text size="xs" c="dimmed">
          was due {formatDateTime(sla.firstTouchDueAt)}
        </Text>
      </Stack>
    )
  }
  if (sla.firstTouch === 'closed') {
    return (
      <Stack gap={0}>
        <Badge color={tones.neutral}>Not counted</Badge>
        <Text size="xs" c="dimmed">
          decided before the window ended
        </Text>
      </Stack>
    )
  }
  const left = sla.firstTouchMinutesLeft ?? 0
  return (
    <Stack gap={0}>
      <Badge color={tones.info} variant={left <= 60 ? 'outline' : 'filled'}>
        {formatMinutes(left)} left
      </Badge>
      <Text size="xs" c="dimmed">
        due {formatDateTime(sla.firstTouchDueAt)}
      </Text>
    </Stack>
  )
}

/** The decision clock (acceptance window) in the same words. */
export function DecisionClock({ handoff }: { handoff: Handoff }) {
  const { sla } = handoff
  if (sla.decision === 'met') {
    return <Badge color={tones.good}>Decided in time</Badge>
  }
  if (sla.decision === 'missed') {
    return (
      <Badge color={tones.bad}>{handoff.decidedAt ? 'Decided late' : 'Decision overdue'}</Badge>
    )
  }
  return (
    <Badge color={tones.info}>{formatMinutes(sla.decisionMinutesLeft ?? 0)} left to decide</Badge>
  )
}
