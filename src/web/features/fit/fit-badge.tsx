import { Badge, Text } from '@mantine/core'
import type { Deal } from '../records/types.ts'

type FitOf = Pick<Deal, 'productFit' | 'poorFit' | 'fitOverride'>

/**
 * "Poor fit 25" in white on dark red (contrast above 4.5:1), in words as well as colour; nothing
 * when the deal fits. An overridden deal says so, since it may then move on.
 */
export function PoorFitBadge({ deal, size = 'sm' }: { deal: FitOf; size?: 'xs' | 'sm' | 'md' }) {
  if (!deal.poorFit) return null
  const overridden = deal.fitOverride !== null && deal.fitOverride !== undefined
  return (
    <Badge
      color="red.9"
      variant="filled"
      size={size}
      title={
        overridden
          ? 'Poor product fit; a sales manager overrode the fit guard'
          : 'Poor product fit: needs a sales manager’s override before a proposal'
      }
    >
      Poor fit {deal.productFit ?? ''}
      {overridden ? ' · overridden' : ''}
    </Badge>
  )
}

/** The fit as a list cell: the red badge when poor, the number otherwise, a dash without lines. */
export function FitCell({ deal }: { deal: FitOf }) {
  if (deal.poorFit) return <PoorFitBadge deal={deal} size="xs" />
  if (deal.productFit === null || deal.productFit === undefined) return <>—</>
  return (
    <Text span size="sm">
      {deal.productFit}
    </Text>
  )
}
