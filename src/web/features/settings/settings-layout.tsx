import { Box, Flex, NavLink, Stack, Title } from '@mantine/core'
import {
  IconBroadcast,
  IconBuilding,
  IconCoin,
  IconFileImport,
  IconForms,
  IconHistory,
  IconKey,
  IconLayoutKanban,
  IconPackage,
  IconTrash,
  IconUsers,
  IconUsersGroup,
} from '@tabler/icons-react'
import { Outlet, NavLink as RouterNavLink, useLocation } from 'react-router'

const sections = [
  { path: '/settings/workspace', label: 'Workspace', icon: IconBuilding },
  { path: '/settings/members', label: 'Members', icon: IconUsers },
  { path: '/settings/api-keys', label: 'API keys', icon: IconKey },
  { path: '/settings/tracking', label: 'Tracking', icon: IconBroadcast },
  { path: '/settings/audit-log', label: 'Audit log', icon: IconHistory },
  { path: '/settings/teams', label: 'Teams', icon: IconUsersGroup },
  { path: '/settings/pipelines', label: 'Pipelines', icon: IconLayoutKanban },
  { path: '/settings/products', label: 'Products', icon: IconPackage },
  { path: '/settings/custom-fields', label: 'Custom fields', icon: IconForms },
  { path: '/settings/exchange-rates', label: 'Exchange rates', icon: IconCoin },
  { path: '/settings/trash', label: 'Trash', icon: IconTrash },
  { path: '/settings/import', label: 'Import', icon: IconFileImport },
]

export function SettingsLayout() {
  const { pathname } = useLocation()
  return (
    <Stack gap="lg">
      <Title order={1}>Settings</Title>
      <Flex gap="xl" direction={{ base: 'column', md: 'row' }} align="flex-start">
        <Box component="nav" aria-label="Settings sections" w={{ base: '100%', md: 200 }}>
          {sections.map(({ path, label, icon: Icon }) => (
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
