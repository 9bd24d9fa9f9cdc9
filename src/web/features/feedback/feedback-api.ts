import { useQuery } from '@tanstack/react-query'
import { getData } from '../../api/client.ts'

export type FeedbackTagKind = 'objection' | 'competitor'

/** A tag as tagged records show it (activities, handoff rejections, deals). */
export interface TagRef {
  id: string
  kind: FeedbackTagKind
  name: string
}

/** GET /api/v1/feedback-tags. */
export interface FeedbackTag extends TagRef {
  description: string | null
  archived: boolean
  archivedAt: string | null
  usage: number
  createdAt: string
  updatedAt: string
}

export const feedbackTagsKey = ['feedback-tags'] as const

export const kindLabels: Record<FeedbackTagKind, { plural: string; singular: string }> = {
  objection: { plural: 'Objections', singular: 'objection' },
  competitor: { plural: 'Competitors', singular: 'competitor' },
}

/** The taxonomy, archived tags included (settings and pickers filter what they need). */
export function useFeedbackTags() {
  return useQuery({
    queryKey: feedbackTagsKey,
    queryFn: () => getData<FeedbackTag[]>('/api/v1/feedback-tags?includeArchived=true'),
    staleTime: 60_000,
  })
}
