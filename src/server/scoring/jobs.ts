import type PgBoss from 'pg-boss'
import type { AppContext } from '../context.ts'

/** The scoring worker (drains score_queue) and the nightly decay job. Placeholder. */
export async function registerScoringJobs(_boss: PgBoss, _ctx: AppContext): Promise<void> {}
