import { Box, Flex, NavLink, Stack, Title } from '@mantine/core'
import {
  IconBroadcast,
  IconBuilding,
  IconChartDots3,
  IconClock,
  IconCoin,
  IconFileImport,
  IconForms,
  IconGauge,
  IconHistory,
  IconKey,
  IconLayoutKanban,
  IconMessageReport,
  IconPackage,
  IconRoute,
  IconTargetArrow,
  IconTrash,
  IconUsers,
  IconUsersGroup,
  IconWebhook,
} from '@tabler/icons-react'
import { Outlet, NavLink as RouterNavLink, useLocation } from 'react-router'
import { useMe } from '../shell/me-context.tsx'

const sections = [
  { path: '/settings/workspace', label: 'Workspace', icon: IconBuilding },
  { path: '/settings/members', label: 'Members', icon: IconUsers },
  { path: '/settings/api-keys', label: 'API keys', icon: IconKey },
  { path: '/settings/tracking', label: 'Tracking', icon: IconBroadcast },
  { path: '/settings/mql', label: 'Lifecycle & MQL', icon: IconTargetArrow },
  { path: '/settings/objections', label: 'Objections & competitors', icon: IconMessageReport },
  { path: '/settings/scoring', label: 'Scoring', icon: IconGauge },
  { path: '/settings/attribution', label: 'Attribution', icon: IconChartDots3 },
  { path: '/settings/audit-log', label: 'Audit log', icon: IconHistory },
  { path: '/settings/teams', label: 'Teams', icon: IconUsersGroup },
  { path: '/settings/routing', label: 'Routing', icon: IconRoute, permission: 'routing:manage' },
  { path: '/settings/sla', label: 'SLA', icon: IconClock },
  { path: '/settings/pipelines', label: 'Pipelines', icon: IconLayoutKanban },
  { path: '/settings/products', label: 'Products', icon: IconPackage },
  { path: '/settings/custom-fields', label: 'Custom fields', icon: IconForms },
  { path: '/settings/exchange-rates', label: 'Exchange rates', icon: IconCoin },
  { path: '/settings/trash', label: 'Trash', icon: IconTrash },
  { path: '/settings/import', label: 'Import', icon: IconFileImport },
  {
    path: '/settings/webhooks',
    label: 'Webhooks',
    icon: IconWebhook,
    permission: 'webhooks:manage',
  },
]

export function SettingsLayout() {
  const { pathname } = useLocation()
  const { permissions } = useMe()
  return (
    <Stack gap="lg">
      <Title order={1}>Settings</Title>
      <Flex gap="xl" direction={{ base: 'column', md: 'row' }} align="flex-start">
        <Box component="nav" aria-label="Settings sections" w={{ base: '100%', md: 200 }}>
          {sections
            .filter((s) => s.permission === undefined || permissions.includes(s.permission))
            .map(({ path, label, icon: Icon }) => (
              <NavLink
                key={path}
                component={RouterNavLink}
                to={path}
                label={label}
                leftSection={<Icon size={16} stroke={1.6} aria-hidden="true" />}
                active={pathname === path}
              />
            ))}
        </Box>
        <Box style={{ flex: 1, minWidth: 0 }} w="100%">
          <Outlet />
        </Box>
      </Flex>
    </Stack>
  )
}
