import { Badge, VisuallyHidden } from '@mantine/core'
import { tones, useHandoffCounts } from './handoffs-api.ts'

/** The open-handoff count beside "Inbox" in the main nav; red while any first touch is overdue. */
export function InboxBadge() {
  const counts = useHandoffCounts()
  const open = counts.data?.open ?? 0
  if (open === 0) return null
  return (
    <Badge
      size="sm"
      circle={open < 10}
      color={(counts.data?.overdue ?? 0) > 0 ? tones.bad : tones.info}
    >
      {open}
      <VisuallyHidden> open</VisuallyHidden>
    </Badge>
  )
}
