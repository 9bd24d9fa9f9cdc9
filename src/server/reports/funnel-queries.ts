/**
 * The funnel's one SQL statement (funnel.ts explains the rules): the cohorts of each stage pair and
 * their conversion, aggregated in PostgreSQL overall, per entry month and per group, with
 * percentile_cont for the median and 90th percentile of days between the stages.
 *
 * The entries come from lifecycle_entries_stage_idx (workspace, entity, stage, entered_at).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { DB } from '../db/schema.ts'
import { type BridgeGrouping, segmentSql } from './bridge-common.ts'

export interface FunnelAggregate {
  kind: 'overall' | 'month' | 'group'
  month: string | null
  /** The group's key (null: records without a value); only for kind 'group'. */
  key: string | null
  label: string | null
  fromStage: string
  entered: number
  converted: number
  medianDays: number | null
  p90Days: number | null
}

export interface FunnelSelection {
  workspaceId: string
  start: Date
  end: Date
  timeZone: string
  groupBy: BridgeGrouping | null
  pairs: readonly { fromStage: string; toStage: string }[]
  windowDays: number
}

/** The key, label and joins (over contacts `c`) of a grouping. */
function grouping(groupBy: BridgeGrouping): {
  key: RawBuilder<unknown>
  label: RawBuilder<unknown>
  joins: RawBuilder<unknown>
} {
  // The contact's lead-creation touch: touchpoints are partitioned by occurred_at, which
  // contacts.lead_creation_at repeats, so the join runs on the primary key.
  const touch = sql`left join touchpoints tp on tp.workspace_id = c.workspace_id
    and tp.occurred_at = c.lead_creation_at and tp.id = c.lead_creation_touchpoint_id`
  switch (groupBy) {
    case 'campaign':
      return {
        key: sql`tp.campaign_id::text`,
        label: sql`cp.name`,
        joins: sql`${touch} left join campaigns cp
          on cp.workspace_id = tp.workspace_id and cp.id = tp.campaign_id`,
      }
    case 'channel':
      return { key: sql`tp.channel`, label: sql`tp.channel`, joins: touch }
    case 'segment':
      return {
        key: sql.raw(segmentSql('a.employees')),
        label: sql`null::text`,
        joins: sql`left join accounts a on a.workspace_id = c.workspace_id and a.id = c.account_id`,
      }
    case 'team':
      return {
        key: sql`t.id::text`,
        label: sql`t.name`,
        joins: sql`left join team_members tm
            on tm.workspace_id = c.workspace_id and tm.user_id = c.owner_id
          left join teams t on t.workspace_id = tm.workspace_id and t.id = tm.team_id`,
      }
  }
}

/**
 * The statement (exported for EXPLAIN in benchmarks). One pass over the entries of
 * [start, end + window) pivots each contact to its first entry into every stage (lifecycle
 * stages move forward, so a later stage's first entry never precedes an earlier one's), then
 * unpivots to one row per (contact, stage pair) of the cohorts: no self-join of lifecycle_entries.
 */
export function funnelQuery(s: FunnelSelection) {
  const stages = [...new Set(s.pairs.flatMap((p) => [p.fromStage, p.toStage]))]
  const column = (prefix: 'f' | 't', i: number) => sql.raw(`${prefix}${i}`)
  const pivot = sql.join(
    s.pairs.map(
      (p, i) => sql`min(le.entered_at) filter (where le.stage = ${p.fromStage} and not le.is_reentry
          and le.entered_at < ${s.end}) as ${column('f', i)},
        min(le.entered_at) filter (where le.stage = ${p.toStage}) as ${column('t', i)}`,
    ),
  )
  const unpivot = sql.join(
    s.pairs.map((p, i) => sql`(${p.fromStage}::text, pc.${column('f', i)}, pc.${column('t', i)})`),
  )
  const window = sql`(${s.windowDays}::int * interval '1 day')`
  const days = sql`extract(epoch from (to_at - from_at))::float8 / 86400`
  const measures = sql`count(*)::int as entered, count(to_at)::int as converted,
    percentile_cont(0.5) within group (order by ${days}) as median_days,
    percentile_cont(0.9) within group (order by ${days}) as p90_days`
  const g = s.groupBy ? grouping(s.groupBy) : null
  const grouped = g
    ? sql`union all
      select 'group' as kind, null::text as month, k.key, k.label, k.from_stage, ${measures}
      from (
        select co.from_stage, co.from_at, co.to_at, ${g.key} as key, ${g.label} as label
        from cohort co
        join contacts c on c.workspace_id = ${s.workspaceId} and c.id = co.record_id
        ${g.joins}
      ) k
      group by k.key, k.label, k.from_stage`
    : sql``
  return sql<FunnelAggregate>`
    with per_contact as (
      select le.record_id, ${pivot}
      from lifecycle_entries le
      where le.workspace_id = ${s.workspaceId} and le.entity = 'contact'
        and le.stage in (${sql.join(stages.map((stage) => sql`${stage}::text`))})
        and le.entered_at >= ${s.start} and le.entered_at < ${s.end}::timestamptz + ${window}
      group by le.record_id
    ),
    cohort as materialized (
      select pc.record_id, e.from_stage, e.from_at,
        case when e.to_at >= e.from_at and e.to_at <= e.from_at + ${window} then e.to_at end as to_at
      from per_contact pc
      cross join lateral (values ${unpivot}) as e (from_stage, from_at, to_at)
      where e.from_at is not null
        and not exists (select 1 from contacts gone
          where gone.workspace_id = ${s.workspaceId} and gone.id = pc.record_id
            and (gone.deleted_at is not null or gone.merged_into is not null))
    )
    select 'overall' as kind, null::text as month, null::text as key, null::text as label,
      co.from_stage, ${measures}
    from cohort co
    group by co.from_stage
    union all
    -- Cohorts by entry month need only counts: no percentile sort.
    select 'month' as kind, m.month, null::text, null::text, m.from_stage,
      count(*)::int, count(m.to_at)::int, null::float8, null::float8
    from (
      select co.from_stage, co.to_at,
        to_char(co.from_at at time zone ${s.timeZone}, 'YYYY-MM') as month
      from cohort co
    ) m
    group by m.month, m.from_stage
    ${grouped}
  `
}

export async function selectFunnel(db: Kysely<DB>, s: FunnelSelection): Promise<FunnelAggregate[]> {
  if (db.isTransaction) return (await funnelQuery(s).execute(db)).rows
  // Enough memory for the cohorts' hashes and percentile sorts to stay off disk.
  return db.transaction().execute(async (trx) => {
    await sql`set local work_mem = '64MB'`.execute(trx)
    return (await funnelQuery(s).execute(trx)).rows
  })
}
