import { expect } from 'vitest'
import { asA, asAInB, asB, idsOf, notFound } from './world.ts'

const formBody = {
  name: 'B demo request',
  fields: [{ key: 'email', label: 'Email', type: 'email', mapsTo: 'email' }],
}

let bForm: Promise<{ id: string }> | undefined

/** B's form, made on first use. */
function bFormOnce() {
  bForm ??= asB('POST', '/api/v1/forms', formBody).then((response) => {
    if (response.statusCode !== 201) throw new Error(`setup failed: ${response.body}`)
    return response.json().data
  })
  return bForm
}

/** B's form is still there, unchanged and not archived. */
async function bFormUntouched() {
  const form = await bFormOnce()
  const response = await asB('GET', `/api/v1/forms/${form.id}`)
  expect(response.statusCode).toBe(200)
  expect(response.json().data).toMatchObject({ name: formBody.name, archivedAt: null })
}

/** Hosted forms (issue 6). */
export const formCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/forms': async () => {
    const form = await bFormOnce()
    notFound(await asAInB('GET', '/api/v1/forms'))
    expect(idsOf(await asA('GET', '/api/v1/forms'))).not.toContain(form.id)
  },
  'POST /api/v1/forms': async () => {
    notFound(await asAInB('POST', '/api/v1/forms', formBody))
  },
  'GET /api/v1/forms/{id}': async () => {
    const form = await bFormOnce()
    notFound(await asA('GET', `/api/v1/forms/${form.id}`))
    notFound(await asAInB('GET', `/api/v1/forms/${form.id}`))
  },
  'PATCH /api/v1/forms/{id}': async () => {
    const form = await bFormOnce()
    notFound(await asA('PATCH', `/api/v1/forms/${form.id}`, { name: 'taken' }))
    notFound(await asAInB('PATCH', `/api/v1/forms/${form.id}`, { name: 'taken' }))
    await bFormUntouched()
  },
  'DELETE /api/v1/forms/{id}': async () => {
    const form = await bFormOnce()
    notFound(await asA('DELETE', `/api/v1/forms/${form.id}`))
    notFound(await asAInB('DELETE', `/api/v1/forms/${form.id}`))
    await bFormUntouched()
  },
  'GET /api/v1/forms/{id}/submissions': async () => {
    const form = await bFormOnce()
    notFound(await asA('GET', `/api/v1/forms/${form.id}/submissions`))
    notFound(await asAInB('GET', `/api/v1/forms/${form.id}/submissions`))
  },
}
