import type { FormFieldRow } from '../db/schema.ts'

/** Submissions ÷ views; null while the form has no views (a rate of nothing is not 0). */
export function conversionRate(views: number, submissions: number): number | null {
  return views > 0 ? submissions / views : null
}

export function presentForm(row: {
  id: string
  name: string
  fields: FormFieldRow[]
  consentText: string | null
  thankYouMessage: string
  redirectUrl: string | null
  isHighIntent: boolean
  archivedAt: Date | null
  createdAt: Date
  updatedAt: Date
  views: number | null
  submissions: number | null
}) {
  const views = row.views ?? 0
  const submissions = row.submissions ?? 0
  return {
    id: row.id,
    name: row.name,
    fields: row.fields.map((f) => ({
      key: f.key,
      label: f.label,
      type: f.type,
      required: f.required,
      mapsTo: f.mapsTo,
      ...(f.type === 'select' ? { options: f.options ?? [] } : {}),
    })),
    consentText: row.consentText,
    thankYouMessage: row.thankYouMessage,
    redirectUrl: row.redirectUrl,
    isHighIntent: row.isHighIntent,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    stats: { views, submissions, conversionRate: conversionRate(views, submissions) },
  }
}

export function presentSubmission(row: {
  id: string
  formId: string
  contactId: string | null
  submittedAt: Date
  values: Record<string, string | boolean>
  isConsentGiven: boolean
  touchpointId: string | null
  contactEmail: string | null
  contactFirstName: string | null
  contactLastName: string | null
}) {
  const name = [row.contactFirstName, row.contactLastName].filter(Boolean).join(' ')
  return {
    id: row.id,
    formId: row.formId,
    submittedAt: row.submittedAt.toISOString(),
    contact: row.contactId
      ? { id: row.contactId, name: name || null, email: row.contactEmail }
      : null,
    values: row.values,
    isConsentGiven: row.isConsentGiven,
    touchpointId: row.touchpointId,
  }
}
