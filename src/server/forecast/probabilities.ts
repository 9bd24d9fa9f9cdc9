/**
 * Stage win probabilities learned from the workspace's stage history (issue 13; DEFINITIONS.md
 * "Weighted pipeline"): for each open stage, the closed deals that were ever in it (by their stage
 * changes) and how many of them were won, blended with the stage's configured probability
 * (src/domain/forecast.ts). A won stage is 1 and a lost stage 0 by definition.
 */
import { type Kysely, sql } from 'kysely'
import { winProbability } from '../../domain/forecast.ts'
import { type Principal, requirePermission } from '../auth/principal.ts'
import type { DB } from '../db/schema.ts'
import { AppError } from '../errors.ts'

export interface LearnedStage {
  stageId: string
  pipelineId: string
  name: string
  position: number
  isWon: boolean
  isLost: boolean
  /** The stage's configured win probability, 0-1. */
  prior: number
  /** Closed deals that were in the stage, and how many of them were won. */
  closed: number
  won: number
  /** The learned probability, 0-1. */
  probability: number
}

/** Every live stage of the workspace (or of one pipeline), in pipeline and stage order. */
export async function learnStageProbabilities(
  db: Kysely<DB>,
  workspaceId: string,
  pipelineId?: string,
): Promise<LearnedStage[]> {
  const rows = await sql<Omit<LearnedStage, 'prior' | 'probability'> & { prior: string }>`
    with closed as (
      select d.id, st.is_won as won
      from deals d
      join stages st on st.workspace_id = d.workspace_id and st.id = d.stage_id
      where d.workspace_id = ${workspaceId} and d.deleted_at is null and (st.is_won or st.is_lost)
    ),
    visits as (
      select distinct c.deal_id, v.stage_id
      from deal_stage_changes c
      cross join lateral (values (c.to_stage_id), (c.from_stage_id)) as v (stage_id)
      where c.workspace_id = ${workspaceId} and v.stage_id is not null
        and c.deal_id in (select id from closed)
    ),
    counts as (
      select v.stage_id, count(*)::int as closed, count(*) filter (where closed.won)::int as won
      from visits v join closed on closed.id = v.deal_id
      group by v.stage_id
    )
    select s.id as stage_id, s.pipeline_id, s.name, s.position, s.is_won, s.is_lost,
      s.win_probability::text as prior, coalesce(counts.closed, 0) as closed,
      coalesce(counts.won, 0) as won
    from stages s
    join pipelines p on p.workspace_id = s.workspace_id and p.id = s.pipeline_id
    left join counts on counts.stage_id = s.id
    where s.workspace_id = ${workspaceId} and s.deleted_at is null and p.deleted_at is null
      and (${pipelineId ?? null}::uuid is null or s.pipeline_id = ${pipelineId ?? null}::uuid)
    order by p.position, p.name, s.position
  `.execute(db)
  return rows.rows.map((row) => {
    const prior = Number(row.prior)
    return {
      ...row,
      prior,
      probability: row.isWon
        ? 1
        : row.isLost
          ? 0
          : winProbability(Math.min(1, Math.max(0, prior)), row.closed, row.won),
    }
  })
}

/** GET /api/v1/forecast/stage-probabilities: what the workspace's history says of each stage. */
export async function listStageProbabilities(
  db: Kysely<DB>,
  principal: Principal,
  query: { pipelineId?: string | undefined },
) {
  const { workspaceId } = requirePermission(principal, 'records:read')
  if (query.pipelineId !== undefined) {
    const pipeline = await db
      .selectFrom('pipelines')
      .select('id')
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', query.pipelineId)
      .where('deletedAt', 'is', null)
      .executeTakeFirst()
    if (!pipeline) throw new AppError('not_found', 'pipelineId: no such pipeline')
  }
  return learnStageProbabilities(db, workspaceId, query.pipelineId)
}
