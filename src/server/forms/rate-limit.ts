/**
 * Per-IP limits on form submissions (docs/forms.md, "Spam protection"): 5 a minute per form and 30
 * an hour across forms. Kept in this process's memory: behind a load balancer with N API processes
 * a sender could reach N times the limit, which is still far from a flood; a restart forgets it.
 */
export const submissionLimits = [
  { scope: 'form', max: 5, windowMs: 60_000, label: '5 submissions a minute to one form' },
  { scope: 'ip', max: 30, windowMs: 3_600_000, label: '30 submissions an hour' },
] as const

export interface RateVerdict {
  isAllowed: boolean
  retryAfterSeconds: number
  limit: string
}

export class SubmissionRateLimiter {
  private readonly hits = new Map<string, number[]>()

  /** Whether one more submission from this IP to this form is allowed now (it is not counted). */
  check(ip: string, formId: string, now = Date.now()): RateVerdict {
    for (const limit of submissionLimits) {
      const times = this.recent(this.keyOf(limit.scope, ip, formId), limit.windowMs, now)
      if (times.length >= limit.max) {
        const oldest = times[times.length - limit.max] ?? now
        return {
          isAllowed: false,
          retryAfterSeconds: Math.max(1, Math.ceil((oldest + limit.windowMs - now) / 1000)),
          limit: limit.label,
        }
      }
    }
    return { isAllowed: true, retryAfterSeconds: 0, limit: '' }
  }

  /** Counts one submission (accepted, or caught by the honeypot). */
  record(ip: string, formId: string, now = Date.now()) {
    for (const limit of submissionLimits) {
      const key = this.keyOf(limit.scope, ip, formId)
      const times = this.recent(key, limit.windowMs, now)
      times.push(now)
      this.hits.set(key, times)
    }
    if (this.hits.size > 50_000) this.sweep(now)
  }

  private keyOf(scope: 'form' | 'ip', ip: string, formId: string) {
    return scope === 'form' ? `${ip}|${formId}` : ip
  }

  private recent(key: string, windowMs: number, now: number) {
    return (this.hits.get(key) ?? []).filter((t) => t > now - windowMs)
  }

  /** Forgets senders with nothing in the longest window, so memory stays bounded. */
  private sweep(now: number) {
    for (const [key, times] of this.hits) {
      if (!times.some((t) => t > now - 3_600_000)) this.hits.delete(key)
    }
  }
}
