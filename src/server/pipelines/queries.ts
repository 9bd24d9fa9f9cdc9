import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'

export function selectPipelines(db: Kysely<DB>, workspaceId: string, ids?: string[]) {
  return db
    .selectFrom('pipelines')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('deletedAt', 'is', null)
    .$if(ids !== undefined, (q) => q.where('id', 'in', ids ?? []))
    .orderBy('position')
    .orderBy('id')
    .execute()
}

/** Live stages of live pipelines (all of the workspace's, or those of `pipelineIds`), in order. */
export function selectStages(db: Kysely<DB>, workspaceId: string, pipelineIds?: string[]) {
  return db
    .selectFrom('stages as s')
    .innerJoin('pipelines as p', (j) =>
      j.onRef('p.workspaceId', '=', 's.workspaceId').onRef('p.id', '=', 's.pipelineId'),
    )
    .selectAll('s')
    .where('s.workspaceId', '=', workspaceId)
    .where('s.deletedAt', 'is', null)
    .where('p.deletedAt', 'is', null)
    .$if(pipelineIds !== undefined, (q) => q.where('s.pipelineId', 'in', pipelineIds ?? []))
    .orderBy('s.pipelineId')
    .orderBy('s.position')
    .execute()
}

/** One live stage of a live pipeline. */
export function findStage(db: Kysely<DB>, workspaceId: string, stageId: string) {
  return db
    .selectFrom('stages as s')
    .innerJoin('pipelines as p', (j) =>
      j.onRef('p.workspaceId', '=', 's.workspaceId').onRef('p.id', '=', 's.pipelineId'),
    )
    .selectAll('s')
    .where('s.workspaceId', '=', workspaceId)
    .where('s.id', '=', stageId)
    .where('s.deletedAt', 'is', null)
    .where('p.deletedAt', 'is', null)
    .executeTakeFirst()
}

export function lockPipeline(db: Kysely<DB>, workspaceId: string, id: string) {
  return db
    .selectFrom('pipelines')
    .selectAll()
    .where('workspaceId', '=', workspaceId)
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .forUpdate()
    .executeTakeFirst()
}

/** Serialises changes to which pipeline is the default, and its creation on first read. */
export async function lockPipelinesOf(db: Kysely<DB>, workspaceId: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`pipelines:${workspaceId}`}, 0))`.execute(
    db,
  )
}

export function findPipelineNamed(
  db: Kysely<DB>,
  workspaceId: string,
  name: string,
  exceptId?: string,
) {
  return db
    .selectFrom('pipelines')
    .select(['id', 'name'])
    .where('workspaceId', '=', workspaceId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .where('deletedAt', 'is', null)
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId ?? ''))
    .executeTakeFirst()
}

export async function nextPipelinePosition(db: Kysely<DB>, workspaceId: string) {
  const row = await db
    .selectFrom('pipelines')
    .select(sql<number>`coalesce(max(position) + 1, 0)::int`.as('next'))
    .where('workspaceId', '=', workspaceId)
    .where('deletedAt', 'is', null)
    .executeTakeFirstOrThrow()
  return row.next
}

export function clearDefault(db: Kysely<DB>, workspaceId: string, exceptId?: string) {
  return db
    .updateTable('pipelines')
    .set({ isDefault: false, updatedAt: new Date() })
    .where('workspaceId', '=', workspaceId)
    .where('isDefault', '=', true)
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId ?? ''))
    .execute()
}

/** Live deals per stage of a pipeline (open ones only when asked). */
export function countDealsByStage(
  db: Kysely<DB>,
  workspaceId: string,
  pipelineId: string,
  options: { openOnly?: boolean } = {},
) {
  return db
    .selectFrom('deals as d')
    .innerJoin('stages as s', (j) =>
      j.onRef('s.workspaceId', '=', 'd.workspaceId').onRef('s.id', '=', 'd.stageId'),
    )
    .select(['d.stageId', 's.name', sql<number>`count(*)::int`.as('deals')])
    .where('d.workspaceId', '=', workspaceId)
    .where('d.pipelineId', '=', pipelineId)
    .where('d.deletedAt', 'is', null)
    .$if(options.openOnly === true, (q) =>
      q.where('s.isWon', '=', false).where('s.isLost', '=', false),
    )
    .groupBy(['d.stageId', 's.name'])
    .execute()
}
