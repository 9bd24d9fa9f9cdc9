import { hashPassword } from 'better-auth/crypto'
import { type Kysely, sql } from 'kysely'
import { recomputeAttribution } from '../server/attribution/recompute.ts'
import type { Database } from '../server/db/database.ts'
import type { DB, Role } from '../server/db/schema.ts'
import { seedCrm } from './crm.ts'
import { plantDuplicates } from './crm-duplicates.ts'
import { plantFeedback } from './crm-feedback.ts'
import { plantForms } from './crm-forms.ts'
import { plantHandoffs } from './crm-handoffs.ts'
import { plantJourneys } from './crm-journeys.ts'
import { plantPredictiveModel } from './crm-predictive.ts'
import { plantEngagement, plantProductFit, plantScores, plantScoringRules } from './crm-scores.ts'
import { plantTargets } from './crm-targets.ts'
import { plantTracking } from './crm-tracking.ts'
import { plantTrends } from './crm-trends.ts'
import { demoWorkspaceName } from './names.ts'
import { SeededRandom } from './random.ts'

export { demoWorkspaceName } from './names.ts'
export const demoPassword = 'tandem-demo'
export const demoDomain = 'northwind.example'

export const demoLogins: { email: string; name: string; role: Role }[] = [
  { email: `admin@${demoDomain}`, name: 'Alex Admin', role: 'admin' },
  { email: `marketing@${demoDomain}`, name: 'Maya Marketing', role: 'marketing' },
  { email: `sales@${demoDomain}`, name: 'Sam Sales', role: 'sales' },
  { email: `manager@${demoDomain}`, name: 'Morgan Manager', role: 'sales_manager' },
  { email: `viewer@${demoDomain}`, name: 'Vic Viewer', role: 'viewer' },
]

const firstNames = [
  'Ana',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemi',
  'Liam',
  'Mei',
  'Noah',
  'Olga',
  'Priya',
  'Quinn',
  'Rosa',
  'Tariq',
  'Uma',
]
const lastNames = [
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Tanaka',
  'Silva',
  'Novak',
  'Haddad',
  'Kowalski',
  'Brennan',
  'Iyer',
  'Schulz',
  'Duarte',
  'Ahmed',
  'Park',
  'Rossi',
]
const teamNames = ['Enterprise', 'Mid-Market', 'SMB'] as const
/** Mixed into the seed for the attribution journeys' own generator. */
const journeysSeed = 0x12_0c_a7
/** The targets' and forecasts' own generator (issue 13), for the same reason. */
const targetsSeed = 0x13_7a_46
/** The always-on programmes' own generator (issue 14), for the same reason. */
const trendsSeed = 0x14_7e_4d

export interface DemoOptions {
  seed: number
  asOf: Date
  reset: boolean
}

export type DemoResult =
  | ({ created: true; workspaceId: string; users: number } & Awaited<ReturnType<typeof seedCrm>> &
      Awaited<ReturnType<typeof plantDuplicates>> &
      Awaited<ReturnType<typeof plantTracking>> &
      Awaited<ReturnType<typeof plantHandoffs>>)
  | { created: false; workspaceId: string }

/**
 * Creates "Northwind Robotics": the demo logins of every role and three sales teams of reps, all
 * from a seed with dates relative to `asOf`. Later features extend this world.
 */
export async function seedDemo(db: Database, options: DemoOptions): Promise<DemoResult> {
  const existing = await findDemoWorkspace(db)
  if (existing && !options.reset) return { created: false, workspaceId: existing }
  const passwordHash = await hashPassword(demoPassword)
  const result = await db.transaction().execute(async (trx) => {
    if (existing) await removeDemo(trx, existing)
    const rng = new SeededRandom(options.seed)
    const start = new Date(options.asOf.getTime() - 3 * 365 * 86_400_000)
    const workspaceId = rng.uuidv7(start)
    await trx
      .insertInto('workspaces')
      .values({
        id: workspaceId,
        name: demoWorkspaceName,
        timeZone: 'America/Chicago',
        baseCurrency: 'USD',
        fiscalYearStartMonth: 1,
        createdAt: start,
        updatedAt: start,
      })
      .execute()

    const people = [...demoLogins]
    const used = new Set(people.map((p) => p.email))
    const reps: { email: string; name: string; role: Role }[] = []
    while (reps.length < 12) {
      const first = rng.pick(firstNames)
      const last = rng.pick(lastNames)
      const email = `${first}.${last}@${demoDomain}`.toLowerCase()
      if (used.has(email)) continue
      used.add(email)
      reps.push({
        email,
        name: `${first} ${last}`,
        role: reps.length < 2 ? 'sales_manager' : 'sales',
      })
    }
    people.push(...reps)

    const userIds = new Map<string, string>()
    for (const person of people) {
      const joined = new Date(start.getTime() + rng.int(0, 400) * 86_400_000)
      const id = rng.uuidv7(joined)
      userIds.set(person.email, id)
      await trx
        .insertInto('users')
        .values({
          id,
          name: person.name,
          email: person.email,
          emailVerified: true,
          createdAt: joined,
          updatedAt: joined,
        })
        .execute()
      await trx
        .insertInto('authAccounts')
        .values({
          id: rng.uuidv7(joined),
          accountId: id,
          providerId: 'credential',
          userId: id,
          password: passwordHash,
          createdAt: joined,
          updatedAt: joined,
        })
        .execute()
      await trx
        .insertInto('memberships')
        .values({ workspaceId, userId: id, role: person.role, createdAt: joined })
        .execute()
    }

    // Three teams: the demo manager leads Enterprise, the two extra managers the others;
    // the demo rep and the twelve generated people are spread over them.
    const managers = [`manager@${demoDomain}`, reps[0]?.email, reps[1]?.email]
    const members = [`sales@${demoDomain}`, ...reps.slice(2).map((r) => r.email)]
    const teamReps: Record<(typeof teamNames)[number], string[]> = {
      Enterprise: [],
      'Mid-Market': [],
      SMB: [],
    }
    for (const [index, name] of teamNames.entries()) {
      const teamId = rng.uuidv7(start)
      const managerId = userIds.get(managers[index] ?? '') ?? null
      await trx
        .insertInto('teams')
        .values({ workspaceId, id: teamId, name, managerId, createdAt: start, updatedAt: start })
        .execute()
      const inTeam = members.filter((_, i) => i % teamNames.length === index)
      const ids = [managerId, ...inTeam.map((e) => userIds.get(e))].filter(
        (id): id is string => !!id,
      )
      await trx
        .insertInto('teamMembers')
        .values(ids.map((userId) => ({ workspaceId, teamId, userId })))
        .execute()
      // The history's trigger stamps membership with the seeding time; the reps joined at the
      // world's start, so team targets count their whole history.
      await trx
        .updateTable('teamMemberHistory')
        .set({ joinedAt: start })
        .where('workspaceId', '=', workspaceId)
        .where('teamId', '=', teamId)
        .execute()
      teamReps[name] = ids
    }

    const crm = {
      ...(await seedCrm(trx, {
        workspaceId,
        rng,
        asOf: options.asOf,
        start,
        teams: teamReps,
        marketingUserId: userIds.get(`marketing@${demoDomain}`) ?? '',
      })),
      ...(await plantDuplicates(trx, { workspaceId, rng, asOf: options.asOf })),
      ...(await plantTracking(trx, {
        workspaceId,
        rng,
        asOf: options.asOf,
        createdBy: userIds.get(`marketing@${demoDomain}`) ?? null,
      })),
    }

    await trx
      .insertInto('instanceSettings')
      .values({ key: 'demo_workspace_id', value: JSON.stringify(workspaceId) })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({ value: JSON.stringify(workspaceId), updatedAt: new Date() }),
      )
      .execute()
    await trx
      .insertInto('auditLog')
      .values({
        workspaceId,
        id: rng.uuidv7(options.asOf),
        at: options.asOf,
        actorType: 'system',
        actorId: null,
        actorName: 'Demo world',
        action: 'demo.seed',
        targetType: 'workspace',
        targetId: workspaceId,
        details: JSON.stringify({
          seed: options.seed,
          asOf: options.asOf.toISOString().slice(0, 10),
          ...crm,
        }),
      })
      .execute()
    // Last, so that the generator's earlier draws (and the world they make) stay as they were.
    await plantForms(trx, {
      workspaceId,
      rng,
      asOf: options.asOf,
      createdBy: userIds.get(`marketing@${demoDomain}`) ?? null,
    })
    // After the forms, for the same reason: the handoffs of every MQL, their SLA and decisions.
    const handoffs = await plantHandoffs(trx, { workspaceId, rng, asOf: options.asOf, start })
    // The Bridge (issue 8): objections and competitors tagged on lost deals, rejections and calls.
    await plantFeedback(trx, { workspaceId, rng, asOf: options.asOf })
    // Scores and product fit (issue 9): marketing's rules, each deal's fit, regret and overrides.
    const rules = await plantScoringRules(trx, { workspaceId, rng, asOf: options.asOf })
    const fit = await plantProductFit(trx, {
      workspaceId,
      rng,
      asOf: options.asOf,
      manager: {
        id: userIds.get(`manager@${demoDomain}`) ?? '',
        name: people.find((p) => p.email === `manager@${demoDomain}`)?.name ?? 'Sales manager',
      },
    })
    const engagement = await plantEngagement(trx, { workspaceId, rng, asOf: options.asOf })
    // Attribution's planted truths (issue 12): the marketing touches of every account's journey.
    // Their own generator, derived from the seed, so every draw above and below stays as it was;
    // before scoring, so the scores and the predictive model count these touches too.
    const journeys = await plantJourneys(trx, {
      workspaceId,
      rng: new SeededRandom(options.seed ^ journeysSeed),
      asOf: options.asOf,
    })
    const scores = await plantScores(trx, { workspaceId, asOf: options.asOf })
    // Predictive scoring (issue 10): the model trained on this history, every contact scored.
    const predictive = await plantPredictiveModel(trx, { workspaceId, asOf: options.asOf })
    // Targets and forecasts (issue 13): quotas from each rep's pace; two generated reps with
    // telling forecast habits (one over-commits, one sandbags).
    const targets = await plantTargets(trx, {
      workspaceId,
      rng: new SeededRandom(options.seed ^ targetsSeed),
      asOf: options.asOf,
      teams: teamReps,
      managerId: userIds.get(`manager@${demoDomain}`) ?? '',
      marketingId: userIds.get(`marketing@${demoDomain}`) ?? '',
      overCommitterId: userIds.get(reps[2]?.email ?? '') ?? '',
      sandbaggerId: userIds.get(reps[3]?.email ?? '') ?? '',
    })
    // The Telescope's trends (issue 14): always-on programmes running now, one of them decaying.
    const trends = await plantTrends(trx, {
      workspaceId,
      rng: new SeededRandom(options.seed ^ trendsSeed),
      asOf: options.asOf,
      ownerId: userIds.get(`marketing@${demoDomain}`) ?? null,
    })
    return {
      created: true as const,
      workspaceId,
      users: people.length,
      ...crm,
      ...handoffs,
      ...rules,
      ...fit,
      ...engagement,
      ...journeys,
      ...scores,
      ...predictive,
      ...targets,
      ...trends,
    }
  })
  // Fresh tables have no statistics until autovacuum gets to them; without them the planner
  // guesses one row everywhere and picks poor plans for the first minutes of the demo.
  await sql`analyze`.execute(db)
  // Every attribution model computed at once (as the worker's full recompute would), so the
  // reports show credits on the first visit; it leaves the workspace's run idle and finished.
  // After the commit: the recompute writes in a transaction of its own.
  await recomputeAttribution(db, result.workspaceId)
  return result
}

export async function findDemoWorkspace(db: Kysely<DB>): Promise<string | undefined> {
  const setting = await db
    .selectFrom('instanceSettings')
    .select('value')
    .where('key', '=', 'demo_workspace_id')
    .executeTakeFirst()
  if (typeof setting?.value !== 'string') return undefined
  const row = await db
    .selectFrom('workspaces')
    .select('id')
    .where('id', '=', setting.value)
    .executeTakeFirst()
  return row?.id
}

async function removeDemo(db: Kysely<DB>, workspaceId: string) {
  // Touchpoints are partitioned and carry no foreign key: remove them by workspace first.
  await db.deleteFrom('touchpointMessageIds').where('workspaceId', '=', workspaceId).execute()
  await db.deleteFrom('touchpoints').where('workspaceId', '=', workspaceId).execute()
  await db.deleteFrom('workspaces').where('id', '=', workspaceId).execute()
  await db.deleteFrom('users').where('email', 'like', `%@${demoDomain}`).execute()
}
