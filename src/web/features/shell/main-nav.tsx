import { NavLink, Stack } from '@mantine/core'
import {
  type Icon,
  IconAddressBook,
  IconArrowBackUp,
  IconBrain,
  IconBuildingSkyscraper,
  IconChartBar,
  IconChartLine,
  IconChecklist,
  IconClockHour4,
  IconCoin,
  IconFilter,
  IconForms,
  IconGauge,
  IconInbox,
  IconLayoutKanban,
  IconMessageReport,
  IconSettings,
  IconSpeakerphone,
  IconTarget,
  IconTargetArrow,
  IconTrendingDown,
} from '@tabler/icons-react'
import { Fragment } from 'react'
import { NavLink as RouterNavLink, useLocation } from 'react-router'
import { areas } from '../areas/areas.ts'
import { InboxBadge } from '../inbox/inbox-badge.tsx'
import { useMe } from './me-context.tsx'

const links: { path: string; label: string; icon: Icon; permission?: string }[] = [
  ...areas.map(({ path, label, icon }) => ({ path, label, icon })),
  // The leader view is for admins (and anyone given leader:read): not shown to others.
  { path: '/leader', label: 'Leader view', icon: IconGauge, permission: 'leader:read' },
  { path: '/settings', label: 'Settings', icon: IconSettings },
]

/** Pages listed under their area: the CRM's records in Microscope, campaigns in Telescope. */
const areaLinks: Record<string, { path: string; label: string; icon: Icon }[]> = {
  '/telescope': [
    { path: '/telescope/campaigns', label: 'Campaigns', icon: IconSpeakerphone },
    { path: '/telescope/forms', label: 'Forms', icon: IconForms },
    { path: '/telescope/outlook', label: 'Outlook', icon: IconChartLine },
    { path: '/telescope/changes', label: 'What changed', icon: IconTrendingDown },
  ],
  '/microscope': [
    { path: '/microscope/inbox', label: 'Inbox', icon: IconInbox },
    { path: '/microscope/accounts', label: 'Accounts', icon: IconBuildingSkyscraper },
    { path: '/microscope/contacts', label: 'Contacts', icon: IconAddressBook },
    { path: '/microscope/deals', label: 'Deals', icon: IconCoin },
    { path: '/microscope/pipeline', label: 'Pipeline', icon: IconLayoutKanban },
    { path: '/microscope/forecast', label: 'Forecast call', icon: IconChartBar },
    { path: '/microscope/activities', label: 'Activities', icon: IconChecklist },
    { path: '/microscope/targets', label: 'Targets', icon: IconTarget },
  ],
  '/bridge': [
    { path: '/bridge/sla', label: 'Two-way SLA', icon: IconClockHour4 },
    { path: '/bridge/voice-of-sales', label: 'Voice of sales', icon: IconMessageReport },
    { path: '/bridge/funnel', label: 'Funnel', icon: IconFilter },
    { path: '/bridge/plan', label: 'The plan', icon: IconTargetArrow },
  ],
  '/reports': [
    { path: '/reports/regret', label: 'Regret rate', icon: IconArrowBackUp },
    { path: '/reports/predictive', label: 'Predictive model', icon: IconBrain },
  ],
}

export function MainNav({ onNavigate }: { onNavigate: () => void }) {
  const { pathname } = useLocation()
  const isActive = (path: string) => pathname === path || pathname.startsWith(`${path}/`)
  const { permissions } = useMe()
  return (
    <Stack gap={2}>
      {links
        .filter((l) => !l.permission || permissions.includes(l.permission))
        .map(({ path, label, icon: Icon }) => (
          <Fragment key={path}>
            <NavLink
              component={RouterNavLink}
              to={path}
              end
              label={label}
              leftSection={<Icon size={18} stroke={1.6} aria-hidden="true" />}
              active={
                pathname === path ||
                (isActive(path) && !(areaLinks[path] ?? []).some((link) => isActive(link.path)))
              }
              onClick={onNavigate}
            />
            {(areaLinks[path] ?? []).map((link) => (
              <NavLink
                key={link.path}
                component={RouterNavLink}
                to={link.path}
                label={link.label}
                pl={34}
                leftSection={<link.icon size={16} stroke={1.6} aria-hidden="true" />}
                rightSection={link.path === '/microscope/inbox' ? <InboxBadge /> : undefined}
                active={isActive(link.path)}
                onClick={onNavigate}
              />
            ))}
          </Fragment>
        ))}
    </Stack>
  )
}
