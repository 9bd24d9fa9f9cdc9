/**
 * The weekly Bridge digest as an email (issue 8): its subject, a plain-text part and a simple,
 * table-based HTML part with inline styles (what email clients render). Every value written by
 * people (campaign, rep and workspace names inside the problems and details) is escaped.
 */
import { DateTime } from 'luxon'
import type { AlignmentOwner, AlignmentPartKey } from '../reports/alignment-types.ts'

export interface DigestPart {
  key: AlignmentPartKey
  label: string
  owner: AlignmentOwner
  /** 0-100, one decimal. */
  value: number
  detail: string
  /** Absolute link to the records counted. */
  url: string
  /** Absolute link to the records that fall short, when meaningful. */
  shortfallUrl: string | null
}

export interface DigestProblem {
  text: string
  owner: AlignmentOwner
  /** Absolute link to the records behind the problem. */
  url: string
}

/** The digest's content: the Bridge page's (index, parts with owners, three problems), with links. */
export interface BridgeDigest {
  workspaceName: string
  /** Monday of the digest's week (YYYY-MM-DD, workspace time zone). */
  week: string
  timeZone: string
  /** The alignment index of `indexPeriod` (0-100, one decimal); null without data. */
  index: number | null
  /** 'YYYY-MM': the last complete month. */
  indexPeriod: string
  /** The index of the month before `indexPeriod`; null without data. */
  previousIndex: number | null
  /** index − previousIndex, one decimal; null when either is missing. */
  change: number | null
  parts: DigestPart[]
  problems: DigestProblem[]
  /** Absolute link to the Bridge page. */
  bridgeUrl: string
}

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string | number): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** "October 2026" from "2026-10". */
export function monthName(period: string): string {
  return DateTime.fromISO(`${period}-01`, { zone: 'utc' }).toFormat('LLLL yyyy', { locale: 'en' })
}

function weekName(week: string): string {
  return DateTime.fromISO(week, { zone: 'utc' }).toFormat('d LLLL yyyy', { locale: 'en' })
}

/** "+3", "-12", "+0": a change of the index, rounded to a whole point. */
export function signedChange(change: number): string {
  const rounded = Math.round(change)
  return rounded < 0 ? `-${Math.abs(rounded)}` : `+${rounded}`
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** "Bridge weekly: alignment 72 (+3) — 3 problems to look at". */
export function digestSubject(digest: BridgeDigest): string {
  const index =
    digest.index === null
      ? 'no alignment index yet'
      : `alignment ${Math.round(digest.index)}${digest.change === null ? '' : ` (${signedChange(digest.change)})`}`
  const problems =
    digest.problems.length === 0
      ? 'no problems stand out'
      : `${plural(digest.problems.length, 'problem')} to look at`
  return `Bridge weekly: ${index} — ${problems}`
}

function headline(digest: BridgeDigest): string {
  if (digest.index === null) return `No alignment index for ${monthName(digest.indexPeriod)} yet`
  const change =
    digest.change === null
      ? ''
      : ` (${signedChange(digest.change)} on ${monthName(shiftMonth(digest.indexPeriod, -1))})`
  return `Alignment index for ${monthName(digest.indexPeriod)}: ${Math.round(digest.index)} of 100${change}`
}

function shiftMonth(period: string, by: number): string {
  return DateTime.fromISO(`${period}-01`, { zone: 'utc' }).plus({ months: by }).toFormat('yyyy-MM')
}

const ownerWords: Record<AlignmentOwner, string> = {
  sales: 'sales',
  marketing: 'marketing',
  both: 'marketing and sales',
}

/** The plain-text part: the same content and links as the HTML one. */
export function digestText(digest: BridgeDigest): string {
  const lines = [
    `The Bridge, ${digest.workspaceName}: week of ${weekName(digest.week)}`,
    '',
    headline(digest),
  ]
  if (digest.parts.length > 0) {
    lines.push('', 'Its parts:')
    for (const part of digest.parts) {
      lines.push(
        `- ${part.label} (owner: ${ownerWords[part.owner]}): ${part.value.toFixed(1)}: ${part.detail}`,
        `  ${part.url}`,
      )
    }
  }
  lines.push('')
  if (digest.problems.length === 0) {
    lines.push('No problems stand out this week.')
  } else {
    lines.push('Problems to look at:')
    digest.problems.forEach((problem, i) => {
      lines.push(`${i + 1}. ${problem.text} (${ownerWords[problem.owner]})`, `   ${problem.url}`)
    })
  }
  lines.push('', `Open the Bridge: ${digest.bridgeUrl}`, '')
  return lines.join('\n')
}

const font = 'font-family:Arial,Helvetica,sans-serif;color:#1a1b1e;'
const cell = `${font}font-size:14px;padding:8px 10px;border-bottom:1px solid #e9ecef;vertical-align:top;`
const link = 'color:#1c7ed6;text-decoration:underline;'

function a(url: string, text: string): string {
  return `<a href="${escapeHtml(url)}" style="${link}">${escapeHtml(text)}</a>`
}

/** The HTML part: tables and inline styles only, every interpolated value escaped. */
export function digestHtml(digest: BridgeDigest): string {
  const partRows = digest.parts
    .map(
      (part) => `<tr>
<td style="${cell}">${a(part.url, part.label)}</td>
<td style="${cell}">${escapeHtml(ownerWords[part.owner])}</td>
<td style="${cell}text-align:right;font-weight:bold;">${escapeHtml(part.value.toFixed(1))}</td>
<td style="${cell}color:#495057;">${escapeHtml(part.detail)}</td>
</tr>`,
    )
    .join('\n')
  const parts =
    digest.parts.length === 0
      ? ''
      : `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;margin:16px 0;">
<tr>
<th align="left" style="${cell}font-size:12px;color:#868e96;">Part</th>
<th align="left" style="${cell}font-size:12px;color:#868e96;">Owner</th>
<th align="right" style="${cell}font-size:12px;color:#868e96;">Value</th>
<th align="left" style="${cell}font-size:12px;color:#868e96;">Detail</th>
</tr>
${partRows}
</table>`
  const problems =
    digest.problems.length === 0
      ? `<p style="${font}font-size:14px;">No problems stand out this week.</p>`
      : `<h2 style="${font}font-size:16px;margin:24px 0 8px;">Problems to look at</h2>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;">
${digest.problems
  .map(
    (problem, i) => `<tr>
<td style="${cell}width:24px;font-weight:bold;">${i + 1}.</td>
<td style="${cell}">${a(problem.url, problem.text)} <span style="color:#868e96;">(${escapeHtml(ownerWords[problem.owner])})</span></td>
</tr>`,
  )
  .join('\n')}
</table>`
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(digestSubject(digest))}</title></head>
<body style="margin:0;padding:0;background:#f1f3f5;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f1f3f5;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="640" cellpadding="0" cellspacing="0" style="max-width:640px;width:100%;background:#ffffff;border-radius:6px;">
<tr><td style="padding:24px;">
<p style="${font}font-size:13px;color:#868e96;margin:0 0 4px;">The Bridge · ${escapeHtml(digest.workspaceName)} · week of ${escapeHtml(weekName(digest.week))}</p>
<h1 style="${font}font-size:20px;margin:0 0 8px;">${escapeHtml(headline(digest))}</h1>
${parts}
${problems}
<p style="${font}font-size:14px;margin:24px 0 0;">${a(digest.bridgeUrl, 'Open the Bridge')}</p>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`
}
