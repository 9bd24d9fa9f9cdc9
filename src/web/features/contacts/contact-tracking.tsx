import { Anchor, Code, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { formatDateTime } from '../../components/format.ts'
import { FieldList } from '../records/field-list.tsx'
import { humanize } from '../records/labels.ts'
import type { ContactDetail, LeadCreation, Traits } from '../records/types.ts'

/** UTM values as "source google, medium cpc, campaign spring", in the usual order. */
export function utmText(utm: Record<string, string> | null): string {
  if (!utm) return '—'
  const order = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content']
  const keys = Object.keys(utm).sort((a, b) => {
    const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length)
    return rank(a) - rank(b) || a.localeCompare(b)
  })
  const parts = keys.filter((k) => utm[k]).map((k) => `${k.replace(/^utm_/, '')} ${utm[k]}`)
  return parts.length > 0 ? parts.join(', ') : '—'
}

/** A trait's value as text: strings as sent, anything else as compact JSON (never as HTML). */
function traitValue(value: unknown): ReactNode {
  if (typeof value === 'string') return value.length > 0 ? value : <Text c="dimmed">(empty)</Text>
  return <Code style={{ whiteSpace: 'pre-wrap' }}>{JSON.stringify(value) ?? String(value)}</Code>
}

function LeadCreationText({ lead }: { lead: LeadCreation | null }) {
  if (!lead) return <>—</>
  return (
    <>
      {humanize(lead.type)}, <time dateTime={lead.at}>{formatDateTime(lead.at)}</time>{' '}
      <Anchor href={`#touchpoint-${lead.touchpointId}`} size="sm">
        Show in timeline
      </Anchor>
    </>
  )
}

function TraitList({ traits }: { traits: Traits | null }) {
  const entries = Object.entries(traits ?? {})
  if (entries.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No identify call has reached this contact yet. When your site or app sends one with a write
        key (Settings → Tracking), its traits appear here.
      </Text>
    )
  }
  return (
    <FieldList
      label="Traits from identify calls"
      fields={entries.map(([key, value]): [string, ReactNode] => [key, traitValue(value)])}
    />
  )
}

/** How tracking knows this person: identify, lead-creation touch, UTM values and traits. */
export function ContactTracking({ contact }: { contact: ContactDetail }) {
  return (
    <Stack gap="xs">
      <FieldList
        label="Tracking"
        fields={[
          [
            'Identified',
            contact.identifiedAt ? (
              <time key="identified" dateTime={contact.identifiedAt}>
                {formatDateTime(contact.identifiedAt)}
              </time>
            ) : (
              'Not yet'
            ),
          ],
          ['Lead created by', <LeadCreationText key="lead" lead={contact.leadCreation} />],
          ['First touch', utmText(contact.firstTouchUtm)],
          ['Last touch', utmText(contact.lastTouchUtm)],
        ]}
      />
      <Title order={3} size="h5">
        Traits
      </Title>
      <TraitList traits={contact.traits} />
    </Stack>
  )
}
