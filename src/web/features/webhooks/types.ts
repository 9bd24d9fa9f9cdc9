import { isApiError } from '../../api/client.ts'

/** GET /api/v1/webhooks: a subscription; `secret` is masked except right after create/rotate. */
export interface Webhook {
  id: string
  name: string
  url: string
  eventTypes: string[]
  format: 'json' | 'slack'
  isActive: boolean
  secret: string
  createdBy: string | null
  createdAt: string
  updatedAt: string
}

/** GET /api/v1/webhooks/{id}/deliveries: one row of the delivery log. */
export interface WebhookDelivery {
  id: string
  subscriptionId: string
  eventType: string
  eventId: string
  idempotencyKey: string
  status: 'pending' | 'succeeded' | 'failed'
  attempts: number
  nextAttemptAt: string | null
  lastStatusCode: number | null
  lastError: string | null
  payload: Record<string, unknown>
  createdAt: string
  deliveredAt: string | null
}

/** The event types a subscription can choose, as the server names them (docs/webhooks.md). */
export const eventTypeOptions = [
  { value: 'handoff.created', label: 'Handoff created' },
  { value: 'handoff.accepted', label: 'Handoff accepted' },
  { value: 'handoff.rejected', label: 'Handoff rejected' },
  { value: 'handoff.breached', label: 'Handoff SLA breached' },
  { value: 'handoff.escalated', label: 'Handoff escalated' },
  { value: 'lifecycle.changed', label: 'Lifecycle stage changed' },
  { value: 'deal.won', label: 'Deal won' },
  { value: 'deal.lost', label: 'Deal lost' },
  { value: 'bridge.digest', label: 'Bridge weekly digest' },
] as const

export const formatOptions = [
  { value: 'json', label: 'JSON (signed Tandem event)' },
  { value: 'slack', label: 'Slack incoming webhook' },
]

export const webhooksQueryKey = ['webhooks'] as const

export function deliveriesQueryKey(webhookId: string, status: string) {
  return ['webhooks', webhookId, 'deliveries', status] as const
}

/** The message of a 400 that names `field` (e.g. "body.url: …"), to show beside that input. */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!isApiError(error, 400)) return undefined
  const prefix = `body.${field}`
  if (!error.message.startsWith(prefix)) return undefined
  return error.message.slice(error.message.indexOf(':') + 1).trim()
}
