import { useQuery } from '@tanstack/react-query'
import { getData } from '../../api/client.ts'
import { useCursorList } from '../../components/use-cursor-list.ts'
import { crmKeys } from '../records/crm-queries.ts'
import type { Campaign } from '../records/types.ts'

/** GET /api/v1/campaigns/:id (src/server/campaigns/routes.ts `CampaignDetail`). */
export interface CampaignDetail extends Campaign {
  /** The cost entries summed per currency, minor units, not converted. */
  totalCost: { currency: string; amount: number }[]
}

/** GET /api/v1/campaigns/:id/costs (`CampaignCost`): one dated cost. */
export interface CampaignCost {
  id: string
  campaignId: string
  incurredOn: string
  amount: number
  currency: string
  note: string | null
  createdAt: string
}

export function useCampaign(id: string | null) {
  return useQuery({
    queryKey: [...crmKeys.campaigns, id],
    queryFn: () => getData<CampaignDetail>(`/api/v1/campaigns/${encodeURIComponent(id ?? '')}`),
    enabled: id !== null,
  })
}

/** A campaign's cost entries, latest first, a dozen at a time. */
export function useCampaignCosts(id: string) {
  return useCursorList<CampaignCost>(
    [...crmKeys.campaigns, id, 'costs'],
    `/api/v1/campaigns/${encodeURIComponent(id)}/costs`,
    12,
  )
}
