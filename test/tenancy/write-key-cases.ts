import { expect } from 'vitest'
import { resolveWriteKey } from '../../src/server/write-keys/service.ts'
import { asA, asAInB, asB, b, idsOf, notFound, t } from './world.ts'

let bWriteKey: Promise<{ id: string; key: string }> | undefined

/** B's write key, made on first use. */
function bKeyOnce() {
  bWriteKey ??= asB('POST', '/api/v1/write-keys', { name: 'B site' }).then((response) => {
    if (response.statusCode !== 201) throw new Error(`setup failed: ${response.body}`)
    return response.json().data
  })
  return bWriteKey
}

/** B's key still resolves to B and is still active. */
async function bKeyUntouched() {
  const key = await bKeyOnce()
  expect(await resolveWriteKey(t.ctx.db, key.key)).toEqual({
    workspaceId: b.workspaceId,
    keyId: key.id,
  })
  const listed = (await asB('GET', '/api/v1/write-keys')).json().data
  expect(listed.find((k: { id: string }) => k.id === key.id)?.state).toBe('active')
}

/** Write keys (issue 5). */
export const writeKeyCases: Record<string, () => Promise<void>> = {
  'GET /api/v1/write-keys': async () => {
    const key = await bKeyOnce()
    notFound(await asAInB('GET', '/api/v1/write-keys'))
    expect(idsOf(await asA('GET', '/api/v1/write-keys'))).not.toContain(key.id)
  },
  'POST /api/v1/write-keys': async () => {
    notFound(await asAInB('POST', '/api/v1/write-keys', { name: 'x' }))
  },
  'POST /api/v1/write-keys/{id}/rotate': async () => {
    const key = await bKeyOnce()
    notFound(await asA('POST', `/api/v1/write-keys/${key.id}/rotate`))
    notFound(await asAInB('POST', `/api/v1/write-keys/${key.id}/rotate`))
    await bKeyUntouched()
  },
  'DELETE /api/v1/write-keys/{id}': async () => {
    const key = await bKeyOnce()
    notFound(await asA('DELETE', `/api/v1/write-keys/${key.id}`))
    notFound(await asAInB('DELETE', `/api/v1/write-keys/${key.id}`))
    await bKeyUntouched()
  },
}
