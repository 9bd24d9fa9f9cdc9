import type { StageInput } from './stages.ts'

/**
 * The pipeline every workspace starts with, created on its first read when it has none; the demo
 * world can build its pipelines from it too.
 */
export function defaultPipeline(): { name: string; stages: StageInput[] } {
  return {
    name: 'Sales',
    stages: [
      { name: 'Qualification', winProbability: 0.1 },
      { name: 'Discovery', winProbability: 0.2 },
      { name: 'Demo', winProbability: 0.35 },
      { name: 'Proposal', winProbability: 0.55, isProposalOrLater: true },
      { name: 'Negotiation', winProbability: 0.75, isProposalOrLater: true },
      { name: 'Closed won', winProbability: 1, isWon: true },
      { name: 'Closed lost', winProbability: 0, isLost: true },
    ],
  }
}
