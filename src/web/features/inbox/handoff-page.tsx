import {
  Anchor,
  Badge,
  Grid,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from '@mantine/core'
import { Link, useParams } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDate, formatDateTime } from '../../components/format.ts'
import { PageLoader } from '../../components/page-loader.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { RecordTimeline } from '../activities/timeline.tsx'
import type { TagRef } from '../feedback/feedback-api.ts'
import { TagBadges } from '../feedback/tag-picker.tsx'
import { recordPath } from '../records/crm-queries.ts'
import { humanize, labelOf, leadStatusOptions, lifecycleOptions } from '../records/labels.ts'
import { RecordSection } from '../records/record-section.tsx'
import { useMe } from '../shell/me-context.tsx'
import {
  DecisionActions,
  LeadStatusSelect,
  LogCallForm,
  QualityRating,
  ReassignForm,
} from './handoff-actions.tsx'
import {
  eventLabels,
  formatMinutes,
  type HandoffDetail,
  mqlSourceLabels,
  tones,
  useCanManageHandoffs,
  useCanWorkHandoffs,
  useHandoff,
} from './handoffs-api.ts'
import { rejectionReasonLabels } from './reject-dialog.tsx'
import { DecisionClock, SlaClock } from './sla-clock.tsx'

/** /microscope/inbox/:id: one handoff with why it is an MQL, its clocks, its history and actions. */
export function HandoffPage() {
  const { id = '' } = useParams()
  const handoff = useHandoff(id)
  useDocumentTitle(handoff.data ? `Handoff: ${handoff.data.contact.name}` : 'Handoff')
  if (handoff.isPending) return <PageLoader label="Loading the handoff" />
  if (handoff.error) {
    return (
      <Stack>
        <Anchor component={Link} to="/microscope/inbox">
          Back to the inbox
        </Anchor>
        <ErrorAlert title="Could not load the handoff" error={handoff.error} />
      </Stack>
    )
  }
  return <HandoffView handoff={handoff.data} />
}

function statusBadge(handoff: HandoffDetail) {
  if (handoff.status === 'accepted') return <Badge color={tones.good}>Accepted</Badge>
  if (handoff.status === 'rejected') {
    const outcome = handoff.rejectionOutcome === 'recycle' ? 'recycled' : 'disqualified'
    return <Badge color={tones.bad}>Rejected · {outcome}</Badge>
  }
  return <Badge color={tones.info}>Open</Badge>
}

function HandoffView({ handoff }: { handoff: HandoffDetail }) {
  const me = useMe()
  const canWork = useCanWorkHandoffs()
  const canManage = useCanManageHandoffs()
  const isMine = handoff.owner?.id === me.user?.id
  const canDecide = handoff.status === 'open' && canWork && (isMine || canManage)
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/microscope/inbox" size="sm">
        ← Inbox
      </Anchor>
      <Stack gap={4}>
        <Group gap="sm" align="center">
          <Title order={1}>{handoff.contact.name}</Title>
          {statusBadge(handoff)}
          {handoff.isReMql ? <Badge color={tones.reMql}>Re-MQL</Badge> : null}
        </Group>
        <Group gap="md">
          {handoff.contact.title ? <Text c="dimmed">{handoff.contact.title}</Text> : null}
          {handoff.account ? (
            <Anchor component={Link} to={recordPath('account', handoff.account.id)}>
              {handoff.account.name}
            </Anchor>
          ) : null}
          <Anchor component={Link} to={recordPath('contact', handoff.contact.id)}>
            Contact page
          </Anchor>
          <Text>Owner: {handoff.owner?.name ?? 'Unassigned'}</Text>
          <Text>Lead status: {labelOf(handoff.contact.leadStatus, leadStatusOptions)}</Text>
        </Group>
      </Stack>

      {handoff.status === 'rejected' ? <RejectionSummary handoff={handoff} /> : null}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            {canWork ? (
              <RecordSection title="Work this lead">
                {canDecide ? <DecisionActions handoff={handoff} /> : null}
                {handoff.status === 'rejected' ? null : <LogCallForm handoff={handoff} />}
                {handoff.status === 'rejected' ? null : <LeadStatusSelect handoff={handoff} />}
                {handoff.status === 'open' ? <ReassignForm handoff={handoff} /> : null}
                <QualityRating handoff={handoff} />
              </RecordSection>
            ) : null}
            <RecordSection title="Touches">
              <RecordTimeline entity="contact" id={handoff.contact.id} />
            </RecordSection>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <WhyMql handoff={handoff} />
            <SlaPanel handoff={handoff} />
            <RecordSection title="History">
              <HandoffHistory handoff={handoff} />
            </RecordSection>
            <RecordSection title="Suggested content">
              <Text size="sm" c="dimmed">
                Content suggestions for this lead arrive with the content library: the case studies
                and decks that helped deals like this one. Nothing is suggested yet.
              </Text>
            </RecordSection>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  )
}

/** The objections and competitors tagged on the rejection (kept in its event's details). */
function rejectionTags(handoff: HandoffDetail): TagRef[] {
  const own = (handoff as HandoffDetail & { tags?: TagRef[] }).tags
  if (own) return own
  const event = handoff.events.findLast((e) => e.kind === 'rejected')
  const tags = event?.details.tags
  return Array.isArray(tags) ? (tags as TagRef[]) : []
}

function RejectionSummary({ handoff }: { handoff: HandoffDetail }) {
  const reason = handoff.rejectionReason ?? ''
  const tags = rejectionTags(handoff)
  return (
    <RecordSection title="Rejection">
      <Text>
        {rejectionReasonLabels[reason] ?? humanize(reason)}
        {handoff.rejectionOutcome === 'recycle'
          ? ` — recycled, re-engage on ${handoff.recycleOn ?? '—'}`
          : ' — disqualified'}
      </Text>
      {handoff.rejectionNote ? <Text c="dimmed">“{handoff.rejectionNote}”</Text> : null}
      <TagBadges tags={tags} />
    </RecordSection>
  )
}

function WhyMql({ handoff }: { handoff: HandoffDetail }) {
  return (
    <RecordSection title="Why an MQL">
      <Text>{handoff.mqlReason}</Text>
      <Table variant="vertical" layout="fixed" withTableBorder={false}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={120}>Trigger</Table.Th>
            <Table.Td>{mqlSourceLabels[handoff.mqlSource] ?? humanize(handoff.mqlSource)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Campaign</Table.Th>
            <Table.Td>{handoff.campaign?.name ?? 'None recorded'}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Segment</Table.Th>
            <Table.Td>{handoff.segment ? humanize(handoff.segment) : '—'}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Stage</Table.Th>
            <Table.Td>{labelOf(handoff.contact.lifecycleStage, lifecycleOptions)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Handed off</Table.Th>
            <Table.Td>{formatDateTime(handoff.createdAt)}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </RecordSection>
  )
}

function SlaPanel({ handoff }: { handoff: HandoffDetail }) {
  const { sla } = handoff
  return (
    <RecordSection title="SLA">
      <Text size="sm" c="dimmed">
        Policy: {sla.policyName}. Clocks count business hours only; they stand still outside them.
      </Text>
      <SimpleGrid cols={2} spacing="md">
        <Stack gap={4}>
          <Text fw={600}>First touch</Text>
          <SlaClock handoff={handoff} />
          <Text size="sm">Due {formatDateTime(sla.firstTouchDueAt)}</Text>
          {sla.firstTouchAt ? (
            <Text size="sm">
              Touched {formatDateTime(sla.firstTouchAt)} (
              {formatMinutes(sla.timeToFirstTouchMinutes ?? 0)} in business hours)
            </Text>
          ) : null}
        </Stack>
        <Stack gap={4}>
          <Text fw={600}>Decision</Text>
          <DecisionClock handoff={handoff} />
          <Text size="sm">Due {formatDateTime(sla.decisionDueAt)}</Text>
          {handoff.decidedAt ? (
            <Text size="sm">
              Decided {formatDateTime(handoff.decidedAt)}
              {handoff.decidedBy ? ` by ${handoff.decidedBy.name}` : ''}
            </Text>
          ) : null}
        </Stack>
      </SimpleGrid>
      {sla.escalatedAt ? (
        <Text size="sm" c="red">
          Escalated to the team manager {formatDateTime(sla.escalatedAt)}.
        </Text>
      ) : null}
    </RecordSection>
  )
}

function eventText(event: HandoffDetail['events'][number]): string {
  const d = event.details
  const parts: string[] = []
  if (typeof d.reason === 'string') {
    // A rejection's reason is a code; the MQL's reason ("created") is the marketer's own words.
    parts.push(event.kind === 'rejected' ? (rejectionReasonLabels[d.reason] ?? d.reason) : d.reason)
  }
  if (typeof d.outcome === 'string') parts.push(humanize(d.outcome))
  if (typeof d.recycleOn === 'string') parts.push(`re-engage on ${formatDate(d.recycleOn)}`)
  if (typeof d.quality === 'number') parts.push(`${d.quality} of 5`)
  if (typeof d.type === 'string') parts.push(humanize(d.type))
  return parts.join(' · ')
}

function HandoffHistory({ handoff }: { handoff: HandoffDetail }) {
  if (handoff.events.length === 0) return <Text c="dimmed">No events yet.</Text>
  return (
    <Timeline bulletSize={12} lineWidth={2}>
      {handoff.events.map((event) => (
        <Timeline.Item
          // Events have no id in the API; one kind at one instant happens once.
          key={`${event.kind}-${event.at}`}
          title={eventLabels[event.kind] ?? humanize(event.kind)}
        >
          <Text size="xs" c="dimmed">
            {formatDateTime(event.at)}
            {event.actor ? ` · ${event.actor.name}` : ''}
          </Text>
          {eventText(event) ? <Text size="sm">{eventText(event)}</Text> : null}
        </Timeline.Item>
      ))}
    </Timeline>
  )
}
