import { expect } from 'vitest'
import { runImportJob } from '../../src/server/imports/job.ts'
import { multipart } from '../multipart.ts'
import { a, b, idsOf, notFound, t } from './world.ts'

const csv = 'email,first name\nb-import@b.example,Bea\nnot-an-email,Bad\n'

let bImport: Promise<string> | undefined

/** An import of B's, run, with a rejected row (so it has an error file). */
function bImportId(): Promise<string> {
  bImport ??= (async () => {
    const response = await b.owner.request({
      method: 'POST',
      url: '/api/v1/imports',
      workspaceId: b.workspaceId,
      ...multipart({ entity: 'contacts' }, { name: 'b.csv', content: csv }),
    })
    if (response.statusCode !== 202) throw new Error(`setup failed: ${response.body}`)
    const id: string = response.json().data.id
    await runImportJob(t.ctx, { workspaceId: b.workspaceId, importId: id })
    return id
  })()
  return bImport
}

const aInB = (url: string) =>
  a.owner.request({
    method: 'POST',
    url,
    workspaceId: b.workspaceId,
    ...multipart({ entity: 'contacts' }, { name: 'a.csv', content: csv }),
  })

const importsOf = (workspaceId: string) =>
  t.ctx.db.selectFrom('imports').select('id').where('workspaceId', '=', workspaceId).execute()

/** Imports: uploads, previews, progress and error files. */
export const importCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/imports': async () => {
    const id = await bImportId()
    notFound(
      await a.owner.request({ method: 'GET', url: '/api/v1/imports', workspaceId: b.workspaceId }),
    )
    expect(idsOf(await a.owner.request({ method: 'GET', url: '/api/v1/imports' }))).not.toContain(
      id,
    )
  },
  'POST /api/v1/imports': async () => {
    await bImportId()
    const before = await importsOf(b.workspaceId)
    notFound(await aInB('/api/v1/imports'))
    expect(await importsOf(b.workspaceId)).toEqual(before)
  },
  'POST /api/v1/imports/preview': async () => {
    notFound(await aInB('/api/v1/imports/preview'))
  },
  'GET /api/v1/imports/{id}': async () => {
    const id = await bImportId()
    notFound(await a.owner.request({ method: 'GET', url: `/api/v1/imports/${id}` }))
    notFound(
      await a.owner.request({
        method: 'GET',
        url: `/api/v1/imports/${id}`,
        workspaceId: b.workspaceId,
      }),
    )
  },
  'GET /api/v1/imports/{id}/errors.csv': async () => {
    const id = await bImportId()
    const own = await b.owner.request({
      method: 'GET',
      url: `/api/v1/imports/${id}/errors.csv`,
      workspaceId: b.workspaceId,
    })
    expect(own.statusCode).toBe(200)
    notFound(await a.owner.request({ method: 'GET', url: `/api/v1/imports/${id}/errors.csv` }))
  },
}
