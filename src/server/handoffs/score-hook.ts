import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { type ContactScores, isMqlByScore, loadMqlRules } from '../mql/rules.ts'
import { qualifyContact } from './open.ts'

/**
 * The lifecycle hook of the scores (DEFINITIONS.md "MQL by score"): the scoring issue calls it in
 * the transaction that stores a contact's new fit, engagement and predictive scores. When they
 * cross the workspace's thresholds the contact becomes an MQL and its handoff opens; a contact
 * already at or past MQL, disqualified, or with an open handoff is left as it is.
 */
export async function qualifyByScore(
  trx: Kysely<DB>,
  workspaceId: string,
  contactId: string,
  scores: ContactScores,
): Promise<{ handoffId: string } | null> {
  const rules = await loadMqlRules(trx, workspaceId)
  if (!isMqlByScore(rules, scores)) return null
  const byModel = rules.predictiveInCharge && scores.predictive !== null
  return qualifyContact(trx, {
    workspaceId,
    contactId,
    source: byModel ? 'predictive' : 'score',
    reason: byModel
      ? `Predicted to become a customer with probability ${scores.predictive?.toFixed(2)} (≥ ${rules.predictiveMin})`
      : `Fit ${scores.fit} ≥ ${rules.fitMin} and engagement ${scores.engagement} ≥ ${rules.engagementMin}`,
    actorId: null,
  })
}
