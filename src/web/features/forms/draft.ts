import type { FieldType, Form } from './types.ts'

export interface FieldDraft {
  uid: number
  key: string
  label: string
  type: FieldType
  required: boolean
  mapsTo: string
  options: string[]
}

export interface FormDraft {
  name: string
  fields: FieldDraft[]
  consentText: string
  thankYouMessage: string
  afterSubmit: 'message' | 'redirect'
  redirectUrl: string
  isHighIntent: boolean
}

let nextUid = 1
export const newUid = () => nextUid++

export function blankField(index: number): FieldDraft {
  return {
    uid: newUid(),
    key: `field_${index + 1}`,
    label: '',
    type: 'text',
    required: false,
    mapsTo: '',
    options: [],
  }
}

export function newDraft(): FormDraft {
  return {
    name: '',
    fields: [
      {
        uid: newUid(),
        key: 'email',
        label: 'Email',
        type: 'email',
        required: true,
        mapsTo: 'email',
        options: [],
      },
      {
        uid: newUid(),
        key: 'first_name',
        label: 'First name',
        type: 'text',
        required: false,
        mapsTo: 'firstName',
        options: [],
      },
    ],
    consentText: '',
    thankYouMessage: 'Thank you! We will be in touch.',
    afterSubmit: 'message',
    redirectUrl: '',
    isHighIntent: false,
  }
}

export function draftOf(form: Form): FormDraft {
  return {
    name: form.name,
    fields: form.fields.map((f) => ({
      uid: newUid(),
      key: f.key,
      label: f.label,
      type: f.type,
      required: f.required,
      mapsTo: f.mapsTo ?? '',
      options: f.options ?? [],
    })),
    consentText: form.consentText ?? '',
    thankYouMessage: form.thankYouMessage,
    afterSubmit: form.redirectUrl ? 'redirect' : 'message',
    redirectUrl: form.redirectUrl ?? '',
    isHighIntent: form.isHighIntent,
  }
}

/** The API body for a draft. */
export function bodyOf(draft: FormDraft) {
  return {
    name: draft.name,
    fields: draft.fields.map((f) => ({
      key: f.key,
      label: f.label,
      type: f.type,
      required: f.required,
      mapsTo: f.mapsTo || null,
      ...(f.type === 'select' ? { options: f.options } : {}),
    })),
    consentText: draft.consentText.trim() || null,
    thankYouMessage: draft.thankYouMessage,
    redirectUrl: draft.afterSubmit === 'redirect' ? draft.redirectUrl.trim() || null : null,
    isHighIntent: draft.isHighIntent,
  }
}
