/** Pure rules of the fit views: reading the guard's refusal, and checking what people type. */
import { ApiError } from '../../api/client.ts'

/** What the server's 409 says when the poor-fit guard stops a move (details.reason 'poor_fit'). */
export interface PoorFitRefusal {
  message: string
  productFit: number | null
  threshold: number | null
}

function numberOr(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/** The refusal when `error` is the poor-fit guard's 409; undefined for any other error. */
export function poorFitRefusal(error: unknown): PoorFitRefusal | undefined {
  if (!(error instanceof ApiError) || error.status !== 409) return undefined
  const details = error.details
  if (typeof details !== 'object' || details === null) return undefined
  const d = details as Record<string, unknown>
  if (d.reason !== 'poor_fit') return undefined
  return {
    message: error.message,
    productFit: numberOr(d.productFit),
    threshold: numberOr(d.threshold),
  }
}

export const overrideReasonMin = 10
export const overrideReasonMax = 1000

/** The override reason's problem in words, or null when it may be sent (10-1000 characters). */
export function overrideReasonProblem(reason: string): string | null {
  const length = reason.trim().length
  if (length === 0) return 'Say why this deal should go ahead despite the poor fit.'
  if (length < overrideReasonMin)
    return `At least ${overrideReasonMin} characters, so others understand the call.`
  if (length > overrideReasonMax) return `At most ${overrideReasonMax} characters.`
  return null
}

/** Today in the browser's time zone, YYYY-MM-DD. */
export function todayIso(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/** The problem with one typed date, or null: empty (no such outcome) or a real past date. */
export function outcomeDateProblem(text: string, today = todayIso()): string | null {
  if (text === '') return null
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!match) return 'A date such as 2026-03-31.'
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  )
    return 'Not a real date.'
  if (year < 1990) return 'Too far in the past.'
  if (text > today) return 'Cannot be in the future: mark it once it has happened.'
  return null
}
