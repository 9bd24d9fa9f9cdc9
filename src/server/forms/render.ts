import type { FormFieldRow } from '../db/schema.ts'
import type { AnswerIssue } from './answers.ts'
import { anonymousIdName, consentName, honeypotName, pageUrlName, valueLimitOf } from './fields.ts'

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

const css = `body{font:16px/1.5 system-ui,sans-serif;color:#1a1b1e;background:#f8f9fa;margin:0;padding:24px}
main{max-width:560px;margin:0 auto;background:#fff;border:1px solid #dee2e6;border-radius:8px;padding:24px}
h1{font-size:1.4rem;margin:0 0 16px}.f{margin:0 0 16px}label{display:block;font-weight:600;margin:0 0 4px}
input[type=text],input[type=email],input[type=tel],textarea,select{box-sizing:border-box;width:100%;padding:8px;border:1px solid #868e96;border-radius:4px;font:inherit}
.c label{display:inline;font-weight:400}.e{color:#c92a2a;margin:4px 0 0}.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
button{font:inherit;font-weight:600;background:#1864ab;color:#fff;border:0;border-radius:4px;padding:10px 20px;cursor:pointer}
[aria-invalid=true]{border-color:#c92a2a}.req{color:#c92a2a}`

/** A whole page around `body`. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${css}</style></head><body><main>${body}</main></body></html>`
}

export interface RenderState {
  values?: Record<string, string | boolean>
  issues?: AnswerIssue[]
  anonymousId?: string | undefined
  pageUrl?: string | undefined
}

function errorOf(key: string, issues: AnswerIssue[]) {
  const issue = issues.find((i) => i.field === key)
  return issue ? `<p class="e" id="${escapeHtml(key)}-error">${escapeHtml(issue.message)}</p>` : ''
}

function control(field: FormFieldRow, value: string | boolean | undefined, isInvalid: boolean) {
  const id = `field-${field.key}`
  const attrs = [
    `id="${escapeHtml(id)}"`,
    `name="${escapeHtml(field.key)}"`,
    field.required ? 'required aria-required="true"' : '',
    isInvalid ? `aria-invalid="true" aria-describedby="${escapeHtml(field.key)}-error"` : '',
  ]
    .filter(Boolean)
    .join(' ')
  const text = typeof value === 'string' ? value : ''
  const max = valueLimitOf(field.type)
  switch (field.type) {
    case 'textarea':
      return `<textarea ${attrs} rows="5" maxlength="${max}">${escapeHtml(text)}</textarea>`
    case 'select':
      return `<select ${attrs}><option value="">Choose…</option>${(field.options ?? [])
        .map(
          (o) =>
            `<option value="${escapeHtml(o)}"${o === text ? ' selected' : ''}>${escapeHtml(o)}</option>`,
        )
        .join('')}</select>`
    case 'checkbox':
      return `<input type="checkbox" ${attrs} value="on"${value === true ? ' checked' : ''}>`
    default: {
      const autocomplete =
        field.mapsTo === 'email'
          ? 'email'
          : field.mapsTo === 'firstName'
            ? 'given-name'
            : field.mapsTo === 'lastName'
              ? 'family-name'
              : field.mapsTo === 'phone'
                ? 'tel'
                : field.mapsTo === 'company'
                  ? 'organization'
                  : 'on'
      return `<input type="${field.type}" ${attrs} maxlength="${max}" autocomplete="${autocomplete}" value="${escapeHtml(text)}">`
    }
  }
}

function fieldHtml(field: FormFieldRow, state: RenderState) {
  const issues = state.issues ?? []
  const value = state.values?.[field.key]
  const isInvalid = issues.some((i) => i.field === field.key)
  const mark = field.required ? ' <span class="req" aria-hidden="true">*</span>' : ''
  const label = `<label for="field-${escapeHtml(field.key)}">${escapeHtml(field.label)}${mark}</label>`
  if (field.type === 'checkbox') {
    return `<div class="f c">${control(field, value, isInvalid)} ${label}${errorOf(field.key, issues)}</div>`
  }
  return `<div class="f">${label}${control(field, value, isInvalid)}${errorOf(field.key, issues)}</div>`
}

/** The hosted form: plain HTML posted back to /f/<id>, every value escaped. */
export function renderForm(
  form: { id: string; name: string; fields: FormFieldRow[]; consentText: string | null },
  state: RenderState = {},
): string {
  const issues = state.issues ?? []
  const summary =
    issues.length > 0
      ? `<div class="e" role="alert"><p>Please correct ${issues.length === 1 ? 'the field' : `${issues.length} fields`} below.</p></div>`
      : ''
  const consent = form.consentText
    ? `<div class="f c"><input type="checkbox" id="field-${consentName}" name="${consentName}" value="on" required aria-required="true"${state.values?.[consentName] === true ? ' checked' : ''}${issues.some((i) => i.field === consentName) ? ` aria-invalid="true" aria-describedby="${consentName}-error"` : ''}> <label for="field-${consentName}">${escapeHtml(form.consentText)}</label>${errorOf(consentName, issues)}</div>`
    : ''
  const hidden = [
    `<input type="hidden" name="${anonymousIdName}" value="${escapeHtml(state.anonymousId ?? '')}">`,
    `<input type="hidden" name="${pageUrlName}" value="${escapeHtml(state.pageUrl ?? '')}">`,
    `<div class="hp" aria-hidden="true"><label for="${honeypotName}-hp">Leave this empty</label><input type="text" id="${honeypotName}-hp" name="${honeypotName}" tabindex="-1" autocomplete="off" value=""></div>`,
  ].join('')
  const body = `<h1>${escapeHtml(form.name)}</h1>${summary}<form method="post" action="/f/${escapeHtml(form.id)}" novalidate>${form.fields
    .map((f) => fieldHtml(f, state))
    .join('')}${consent}${hidden}<button type="submit">Send</button></form>`
  return page(form.name, body)
}

/** The page a person sees after an HTML form post. */
export function renderMessage(title: string, message: string, role: 'status' | 'alert' = 'status') {
  return page(title, `<h1>${escapeHtml(title)}</h1><p role="${role}">${escapeHtml(message)}</p>`)
}
