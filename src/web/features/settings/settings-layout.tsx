import { Box, Flex, NavLink, Stack, Title } from '@mantine/core'
import { IconBuilding, IconHistory, IconKey, IconUsers } from '@tabler/icons-react'
import { Outlet, NavLink as RouterNavLink, useLocation } from 'react-router'

const sections = [
  { path: '/settings/workspace', label: 'Workspace', icon: IconBuilding },
  { path: '/settings/members', label: 'Members', icon: IconUsers },
  { path: '/settings/api-keys', label: 'API keys', icon: IconKey },
  { path: '/settings/audit-log', label: 'Audit log', icon: IconHistory },
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
