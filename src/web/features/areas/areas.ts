import {
  type Icon,
  IconBooks,
  IconBuildingBridge,
  IconBulb,
  IconMicroscope,
  IconReportAnalytics,
  IconTelescope,
} from '@tabler/icons-react'

export interface Area {
  path: string
  label: string
  icon: Icon
  /** One honest sentence of what the area will hold; nothing here is built yet. */
  promise: string
}

export const areas: readonly Area[] = [
  {
    path: '/telescope',
    label: 'Telescope',
    icon: IconTelescope,
    promise:
      'Campaign ROI under several attribution models, sourced vs influenced pipeline, channel trends and the 24-month forecast will live here.',
  },
  {
    path: '/microscope',
    label: 'Microscope',
    icon: IconMicroscope,
    promise:
      'Your Today page: handoffs with SLA clocks, hot leads, deals closing and progress against targets.',
  },
  {
    path: '/bridge',
    label: 'Bridge',
    icon: IconBuildingBridge,
    promise: 'The alignment index, the two-way SLA, voice of sales and the funnel.',
  },
  {
    path: '/insights',
    label: 'Insights',
    icon: IconBulb,
    promise: 'Market hypotheses filed by anyone, tested against data.',
  },
  {
    path: '/library',
    label: 'Library',
    icon: IconBooks,
    promise: 'Content assets with usage and measured influence on deals.',
  },
  {
    path: '/reports',
    label: 'Reports',
    icon: IconReportAnalytics,
    promise: 'Every report in full, with filters, drill-down and CSV export.',
  },
]
