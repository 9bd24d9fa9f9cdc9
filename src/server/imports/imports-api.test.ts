import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import { multipart } from '../../../test/multipart.ts'
import { startWorker } from '../jobs/worker.ts'
import { runImportJob } from './job.ts'

let t: TestApp
let owner: Session
let workspaceId: string
beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Import Co'))
})
afterAll(async () => t.close())

// Non-standard headers, mapped by hand; the third row's email is invalid.
const people = [
  'E-mail Address,Given,Family name,Job',
  'ada@import.example,Ada,Lovelace,Analyst',
  'grace@import.example,Grace,Hopper,Admiral',
  'not-an-email,Bad,Row,Nobody',
  '',
].join('\n')
const peopleMap = JSON.stringify({
  'E-mail Address': 'email',
  Given: 'firstName',
  'Family name': 'lastName',
  Job: 'title',
})

function upload(
  fields: Record<string, string>,
  file?: { name: string; content: string },
  as = owner,
) {
  const body = multipart(fields, file)
  return as.request({ method: 'POST', url: '/api/v1/imports', workspaceId, ...body })
}

const getImport = (id: string) =>
  owner.request({ method: 'GET', url: `/api/v1/imports/${id}`, workspaceId })

describe('imports through the API', () => {
  let importId = ''

  it('queues an upload, runs it and shows the import done with its counts', async () => {
    const response = await upload(
      { entity: 'contacts', map: peopleMap },
      { name: 'people.csv', content: people },
    )
    expect(response.statusCode, response.body).toBe(202)
    const queued = response.json().data
    expect(queued).toMatchObject({
      entity: 'contacts',
      fileName: 'people.csv',
      fileSize: Buffer.byteLength(people),
      status: 'queued',
      options: { map: JSON.parse(peopleMap) },
    })
    importId = queued.id

    await runImportJob(t.ctx, { workspaceId, importId })
    const done = (await getImport(importId)).json().data
    expect(done).toMatchObject({
      status: 'done',
      rows: 3,
      imported: 2,
      rejected: 1,
      created: 2,
      progress: 1,
      error: null,
      errorsUrl: `/api/v1/imports/${importId}/errors.csv`,
    })
    const contacts = await t.ctx.db
      .selectFrom('contacts')
      .select(['email', 'firstName', 'lastName', 'title'])
      .where('workspaceId', '=', workspaceId)
      .orderBy('email')
      .execute()
    expect(contacts).toEqual([
      { email: 'ada@import.example', firstName: 'Ada', lastName: 'Lovelace', title: 'Analyst' },
      { email: 'grace@import.example', firstName: 'Grace', lastName: 'Hopper', title: 'Admiral' },
    ])
    // The uploaded file is not kept once imported; the error file is.
    const uploads = await t.ctx.db
      .selectFrom('fileUploads')
      .select('fileName')
      .where('workspaceId', '=', workspaceId)
      .execute()
    expect(uploads.map((u) => u.fileName)).toEqual(['people.csv.errors.csv'])
  })

  it('serves the rejected rows as a CSV download naming line and column', async () => {
    const response = await owner.request({
      method: 'GET',
      url: `/api/v1/imports/${importId}/errors.csv`,
      workspaceId,
    })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^text\/csv/)
    expect(response.headers['content-disposition']).toContain('attachment')
    const lines = response.body.trim().split('\n')
    expect(lines[0]).toBe('line,column,reason')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatch(/^4,E-mail Address,/)
  })

  it('runs the same file again without changing anything', async () => {
    const again = await upload(
      { entity: 'contacts', map: peopleMap },
      { name: 'people.csv', content: people },
    )
    const id = again.json().data.id
    await runImportJob(t.ctx, { workspaceId, importId: id })
    expect((await getImport(id)).json().data).toMatchObject({
      status: 'done',
      imported: 2,
      created: 0,
      rejected: 1,
    })
  })

  it('lists the imports newest first', async () => {
    const response = await owner.request({ method: 'GET', url: '/api/v1/imports', workspaceId })
    expect(response.statusCode).toBe(200)
    const { data, nextCursor } = response.json()
    expect(data).toHaveLength(2)
    expect(data[1].id).toBe(importId)
    expect(nextCursor).toBeNull()
  })

  it('answers 404 for an error file when no row was rejected', async () => {
    const clean = await upload(
      { entity: 'contacts' },
      { name: 'ok.csv', content: 'email,first name\nok@import.example,Ok\n' },
    )
    const id = clean.json().data.id
    await runImportJob(t.ctx, { workspaceId, importId: id })
    expect((await getImport(id)).json().data).toMatchObject({ status: 'done', errorsUrl: null })
    const response = await owner.request({
      method: 'GET',
      url: `/api/v1/imports/${id}/errors.csv`,
      workspaceId,
    })
    expect(response.statusCode).toBe(404)
  })

  it('marks an import failed with a clear message when the file is unreadable', async () => {
    const response = await upload(
      { entity: 'contacts' },
      { name: 'broken.csv', content: 'email,first name\n"ada@x.example,Ada\n' },
    )
    const id = response.json().data.id
    await runImportJob(t.ctx, { workspaceId, importId: id })
    const failed = (await getImport(id)).json().data
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatch(/line/i)
    expect(failed.error).not.toMatch(/our side/)
  })

  it('refuses a wrong entity with 400 naming the field, storing nothing', async () => {
    const before = await t.ctx.db.selectFrom('fileUploads').select('id').execute()
    const response = await upload({ entity: 'robots' }, { name: 'x.csv', content: people })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toMatch(/^body\.entity: /)
    const after = await t.ctx.db.selectFrom('fileUploads').select('id').execute()
    expect(after).toHaveLength(before.length)
  })

  it('refuses a form without a file, and a map that is not JSON', async () => {
    const noFile = await upload({ entity: 'contacts' })
    expect(noFile.statusCode).toBe(400)
    expect(noFile.json().error.message).toMatch(/^body\.file: /)
    const badMap = await upload(
      { entity: 'contacts', map: '{nope' },
      { name: 'x.csv', content: people },
    )
    expect(badMap.statusCode).toBe(400)
    expect(badMap.json().error.message).toMatch(/^body\.map: /)
  })

  it('refuses a file over the 512 MB limit with 413 too_large naming the limit', async () => {
    const body = multipart({ entity: 'contacts' }, { name: 'huge.csv', content: 'email\n' })
    const response = await owner.request({
      method: 'POST',
      url: '/api/v1/imports',
      workspaceId,
      payload: body.payload,
      headers: { ...body.headers, 'content-length': String(600 * 1024 * 1024) },
    })
    expect(response.statusCode).toBe(413)
    expect(response.json().error).toMatchObject({
      code: 'too_large',
      message: expect.stringContaining('512 MB'),
      details: { limit: 512 * 1024 * 1024 },
    })
  })

  it('keeps the 1 MB JSON limit everywhere else', async () => {
    const response = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      workspaceId,
      payload: { email: 'x@import.example', firstName: 'x'.repeat(1_100_000) },
    })
    expect(response.statusCode).toBe(413)
  })

  it('does not let a viewer import', async () => {
    const viewer = await addMember(t, owner, workspaceId, 'viewer')
    const response = await upload(
      { entity: 'contacts' },
      { name: 'x.csv', content: people },
      viewer,
    )
    expect(response.statusCode).toBe(403)
  })

  it('previews the first rows with the proposed mapping', async () => {
    const content = 'Email,Given,Surname\nada@import.example,Ada,Lovelace\n'
    const body = multipart({ entity: 'contacts' }, { name: 'people.csv', content })
    const response = await owner.request({
      method: 'POST',
      url: '/api/v1/imports/preview',
      workspaceId,
      ...body,
    })
    expect(response.statusCode, response.body).toBe(200)
    const preview = response.json().data
    expect(preview.headers).toEqual(['Email', 'Given', 'Surname'])
    expect(preview.rows).toEqual([['ada@import.example', 'Ada', 'Lovelace']])
    expect(preview.mapping).toMatchObject({ Email: 'email', Surname: 'lastName' })
    expect(preview.fields.map((f: { key: string }) => f.key)).toContain('firstName')
    const mapped = await owner.request({
      method: 'POST',
      url: '/api/v1/imports/preview',
      workspaceId,
      ...multipart(
        { entity: 'contacts', map: JSON.stringify({ Given: 'firstName' }) },
        { name: 'people.csv', content },
      ),
    })
    expect(mapped.json().data.mapping.Given).toBe('firstName')
  })

  it('previews only the start of a big file', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `p${i}@big.example,P${i}`)
    const content = ['email,first name', ...rows, ''].join('\n')
    const body = multipart({ entity: 'contacts' }, { name: 'big.csv', content })
    const response = await owner.request({
      method: 'POST',
      url: '/api/v1/imports/preview',
      workspaceId,
      ...body,
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().data.rows[0]).toEqual(['p0@big.example', 'P0'])
  })

  it('runs a queued import through the worker', async () => {
    const worker = await startWorker(t.ctx, t.url)
    try {
      const response = await upload(
        { entity: 'accounts' },
        { name: 'accounts.csv', content: 'name,domain\nWorker Co,worker.example\n' },
      )
      expect(response.statusCode).toBe(202)
      const id = response.json().data.id
      let status = 'queued'
      for (let i = 0; i < 100 && status !== 'done' && status !== 'failed'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        status = (await getImport(id)).json().data.status
      }
      expect((await getImport(id)).json().data).toMatchObject({ status: 'done', created: 1 })
    } finally {
      await worker.stop()
    }
  }, 30_000)
})
