import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeWorkspace, type Session } from '../../../test/factories.ts'
import { createTestApp, type TestApp } from '../../../test/harness.ts'
import type { Principal } from '../auth/principal.ts'
import { batchSize, runImport } from './engine.ts'
import type { RowError } from './types.ts'

let t: TestApp
let owner: Session
let workspaceId: string
let actor: Principal

beforeAll(async () => {
  t = await createTestApp()
  ;({ owner, workspaceId } = await makeWorkspace(t, 'Resumers'))
  actor = { kind: 'cli', name: 'test', workspaceId, role: 'admin' }
})
afterAll(async () => t.close())

const count = async (table: 'contacts' | 'lifecycleEntries') =>
  Number(
    (
      await t.ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .where('workspaceId', '=', workspaceId)
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('import engine: custom fields and resuming', () => {
  it('rejects a custom value of the wrong type and imports the rest', async () => {
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/custom-fields',
      workspaceId,
      payload: { entity: 'contact', key: 'seats', label: 'Seats', type: 'number' },
    })
    expect(created.statusCode).toBe(201)
    const errors: RowError[] = []
    const result = await runImport(t.ctx.db, {
      workspaceId,
      actor,
      entity: 'contacts',
      input: Readable.from(['email,Seats\na@custom.example,12\nb@custom.example,many\n']),
      onRowError: (e) => errors.push(e),
    })
    expect(errors).toEqual([
      {
        line: 3,
        column: 'Seats',
        reason: expect.stringMatching(/custom.seats: "many" is not a number/),
      },
    ])
    expect(result).toMatchObject({ created: 1, rejected: 1 })
    const row = await t.ctx.db
      .selectFrom('contacts')
      .select('custom')
      .where('email', '=', 'a@custom.example')
      .executeTakeFirstOrThrow()
    expect(row.custom).toEqual({ seats: 12 })
  })

  it('leaves no duplicates or half rows when a killed import is run again', async () => {
    const rows = batchSize * 2 + 10
    let text = 'email,first name,lifecycle stage\n'
    for (let i = 0; i < rows; i++) text += `p${i}@resume.example,P${i},mql\n`
    const controller = new AbortController()
    const killed = runImport(t.ctx.db, {
      workspaceId,
      actor,
      entity: 'contacts',
      input: Readable.from([text]),
      signal: controller.signal,
      onProgress: () => controller.abort(),
    })
    await expect(killed).rejects.toThrow()
    const partial = await count('contacts')
    expect(partial % batchSize).toBe(1) // whole batches only (plus the custom-field test's contact)
    expect(partial).toBeLessThan(rows)
    const again = await runImport(t.ctx.db, {
      workspaceId,
      actor,
      entity: 'contacts',
      input: Readable.from([text]),
    })
    expect(again.created + again.unchanged).toBe(rows)
    expect(await count('contacts')).toBe(rows + 1)
    // subscriber, lead, mql for each imported contact, once.
    expect(await count('lifecycleEntries')).toBe(rows * 3)
  }, 60_000)

  it('rejects a row whose email and external id name two contacts, or a trashed one', async () => {
    const import_ = (text: string, errors: RowError[] = []) =>
      runImport(t.ctx.db, {
        workspaceId,
        actor,
        entity: 'contacts',
        input: Readable.from([text]),
        onRowError: (e) => errors.push(e),
      })
    await import_('email,externalId\nk1@keys.example,K1\nk2@keys.example,K2\nk3@keys.example,K3\n')
    await t.ctx.db
      .updateTable('contacts')
      .set({ deletedAt: new Date() })
      .where('externalId', '=', 'K3')
      .execute()
    const errors: RowError[] = []
    const result = await import_(
      'email,externalId\nk1@keys.example,K2\nk4@keys.example,K3\nk5@keys.example,K5\n',
      errors,
    )
    expect(errors).toEqual([
      { line: 2, column: 'externalId', reason: expect.stringMatching(/another contact/) },
      { line: 3, column: 'externalId', reason: expect.stringMatching(/in the Trash/) },
    ])
    expect(result).toMatchObject({ created: 1, rejected: 2 })
  })
})
