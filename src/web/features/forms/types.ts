import { ApiError } from '../../api/client.ts'

export type FieldType = 'text' | 'email' | 'tel' | 'textarea' | 'select' | 'checkbox'

export interface FormField {
  key: string
  label: string
  type: FieldType
  required: boolean
  mapsTo: string | null
  options?: string[]
}

export interface Form {
  id: string
  name: string
  fields: FormField[]
  consentText: string | null
  thankYouMessage: string
  redirectUrl: string | null
  isHighIntent: boolean
  archivedAt: string | null
  createdAt: string
  updatedAt: string
  stats: { views: number; submissions: number; conversionRate: number | null }
}

export interface FormSubmission {
  id: string
  formId: string
  submittedAt: string
  contact: { id: string; name: string | null; email: string | null } | null
  values: Record<string, string | boolean>
  isConsentGiven: boolean
  touchpointId: string | null
}

export const formKeys = {
  all: ['forms'] as const,
  one: (id: string) => ['forms', id] as const,
  submissions: (id: string) => ['forms', id, 'submissions'] as const,
}

export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`
}

/**
 * The server's validation errors by field path without the `body.` prefix ("name",
 * "fields.2.key"), so the builder shows each next to its input.
 */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.code !== 'invalid_input') return {}
  const out: Record<string, string> = {}
  const details = error.details as { issues?: { field: string; message: string }[] } | null
  const issues = details?.issues ?? []
  if (issues.length === 0) {
    const match = /^([\w.]+): (.*)$/.exec(error.message)
    if (match?.[1] && match[2]) issues.push({ field: match[1], message: match[2] })
  }
  for (const issue of issues) {
    const path = issue.field.replace(/^body\.?/, '')
    out[path || 'form'] ??= issue.message
  }
  return out
}
