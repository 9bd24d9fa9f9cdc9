import type { Kysely, Selectable } from 'kysely'
import { uuidv7 } from 'uuidv7'
import {
  type CustomFieldDefinition,
  checkCustomValues,
  loadDefinitions,
} from '../custom-fields/values.ts'
import type { Database } from '../db/database.ts'
import type { CustomValues, DB, FormsTable } from '../db/schema.ts'
import { qualifyContact } from '../handoffs/open.ts'
import { parseBatch } from '../ingest/spec.ts'
import { writeMessages } from '../ingest/writer.ts'
import { loadMqlRules } from '../mql/rules.ts'
import { findSuppressedEmails } from '../privacy/suppressions.ts'
import { ensureTouchpointPartitions } from '../touchpoints/partitions.ts'
import { type Answers, type ReadAnswers, readAnswers } from './answers.ts'
import {
  findAccountNamed,
  findContactCustom,
  findContactOfTouch,
  findTouchpointOfMessage,
  insertSubmission,
  setContactAccountIfNone,
  setContactCustom,
} from './queries.ts'

export type FormRow = Selectable<FormsTable>

export interface Sender {
  ip: string | null
  userAgent: string | undefined
  referer: string | undefined
}

export type SubmitOutcome =
  | { kind: 'honeypot' }
  | Extract<ReadAnswers, { kind: 'invalid' }>
  | { kind: 'stored'; submissionId: string; contactId: string | null }

/** Checks a posted body against the form; nothing is written unless every answer is valid. */
export async function checkSubmission(db: Database, form: FormRow, body: Record<string, unknown>) {
  const definitions = form.fields.some((f) => f.mapsTo?.startsWith('custom.'))
    ? await loadDefinitions(db, form.workspaceId, 'contact')
    : []
  return { read: readAnswers(form.fields, form.consentText, body, definitions), definitions }
}

/**
 * Stores a valid submission in one transaction: the ingestion writer turns an identify (the
 * anonymous id and the mapped contact fields) and a "Form Submitted" track into the contact and its
 * form_submit touch, stitching the visitor's anonymous history exactly as tracked events do; then
 * the mapped custom fields, the consent and the submission row.
 */
export async function storeSubmission(
  db: Database,
  form: FormRow,
  answers: Answers,
  sender: Sender,
  definitions: CustomFieldDefinition[],
): Promise<{ submissionId: string; contactId: string | null }> {
  const now = new Date()
  const submissionId = uuidv7()
  const email = answers.contact.email
  if (email && (await findSuppressedEmails(db, form.workspaceId, [email])).size > 0) {
    // Erased on request (docs/privacy.md): answered like any submission, nothing is stored.
    return { submissionId, contactId: uuidv7() }
  }
  const anonymousId = answers.anonymousId ?? `form-${submissionId}`
  const trackId = `form-${submissionId}`
  const url = answers.pageUrl ?? sender.referer
  const campaign = campaignOf(url)
  const context = {
    ...(url ? { page: { url } } : {}),
    ...(campaign ? { campaign } : {}),
    ...(sender.userAgent ? { userAgent: sender.userAgent } : {}),
    ...(sender.ip ? { ip: sender.ip } : {}),
    library: { name: 'tandem-forms' },
  }
  const { company, ...traits } = answers.contact
  const batch: Record<string, unknown>[] = [
    { type: 'identify', messageId: `form-${submissionId}-identify`, anonymousId, traits, context },
  ]
  // A company already in the CRM under that name is the contact's account; another one is
  // created (once: later submissions naming it find it by its group id).
  const namedAccount = company ? await findAccountNamed(db, form.workspaceId, company) : null
  if (company && !namedAccount) {
    batch.push({
      type: 'group',
      messageId: `form-${submissionId}-group`,
      anonymousId,
      groupId: `company:${company.toLowerCase()}`,
      traits: { name: company },
      context,
    })
  }
  batch.push({
    type: 'track',
    messageId: trackId,
    anonymousId,
    event: 'Form Submitted',
    properties: { formId: form.id, formName: form.name, isHighIntent: form.isHighIntent },
    context,
  })
  const { messages } = parseBatch({ batch }, 0)
  await ensureTouchpointPartitions(db, now, now)
  return db.transaction().execute(async (trx) => {
    await writeMessages(
      trx,
      form.workspaceId,
      messages.map((message) => ({ message, receivedAt: now, ip: sender.ip })),
    )
    const touch = await findTouchpointOfMessage(trx, form.workspaceId, trackId)
    const contactId = touch ? await findContactOfTouch(trx, form.workspaceId, touch) : null
    if (contactId && namedAccount) {
      await setContactAccountIfNone(trx, form.workspaceId, contactId, namedAccount)
    }
    if (contactId && (Object.keys(answers.custom).length > 0 || answers.isConsentGiven)) {
      const existing = await findContactCustom(trx, form.workspaceId, contactId)
      const custom = Object.keys(answers.custom).length
        ? checkCustomValues(definitions, answers.custom, (existing?.custom ?? {}) as CustomValues)
        : undefined
      await setContactCustom(trx, form.workspaceId, contactId, {
        ...(custom ? { custom } : {}),
        ...(answers.isConsentGiven && form.consentText ? { emailOptIn: true } : {}),
      })
    }
    await insertSubmission(trx, {
      workspaceId: form.workspaceId,
      id: submissionId,
      formId: form.id,
      contactId,
      values: answers.values,
      isConsentGiven: answers.isConsentGiven,
      ip: sender.ip,
      anonymousId,
      touchpointId: touch?.touchpointId ?? null,
    })
    if (form.isHighIntent && contactId && touch) {
      await qualifyByForm(trx, form, contactId, touch)
    }
    return { submissionId, contactId }
  })
}

const utmKeys = {
  name: 'utm_campaign',
  source: 'utm_source',
  medium: 'utm_medium',
  term: 'utm_term',
  content: 'utm_content',
} as const

/** The page URL's UTM values as Segment's `context.campaign`, so the touch gets its channel. */
function campaignOf(url: string | undefined): Record<string, string> | undefined {
  if (!url) return undefined
  let params: URLSearchParams
  try {
    params = new URL(url).searchParams
  } catch {
    return undefined
  }
  const campaign: Record<string, string> = {}
  for (const [key, param] of Object.entries(utmKeys)) {
    const value = params.get(param)
    if (value) campaign[key] = value
  }
  return Object.keys(campaign).length > 0 ? campaign : undefined
}

/**
 * A high-intent form ("contact sales", "demo request") makes its sender an MQL when the
 * workspace's MQL rules say so (DEFINITIONS.md "MQL"); the handoff opens in the submission's
 * transaction, with the form's touch as its trigger (and so its campaign).
 */
async function qualifyByForm(
  trx: Kysely<DB>,
  form: FormRow,
  contactId: string,
  touch: { touchpointId: string; occurredAt: Date },
) {
  const rules = await loadMqlRules(trx, form.workspaceId)
  if (!rules.highIntentForms) return
  await qualifyContact(trx, {
    workspaceId: form.workspaceId,
    contactId,
    source: 'form',
    reason: `Submitted the high-intent form "${form.name}"`,
    trigger: touch,
    actorId: null,
  })
}
