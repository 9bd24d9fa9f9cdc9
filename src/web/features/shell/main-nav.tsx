import { NavLink, Stack } from '@mantine/core'
import { IconSettings } from '@tabler/icons-react'
import { NavLink as RouterNavLink, useLocation } from 'react-router'
import { areas } from '../areas/areas.ts'

const links = [
  ...areas.map(({ path, label, icon }) => ({ path, label, icon })),
  { path: '/settings', label: 'Settings', icon: IconSettings },
]

export function MainNav({ onNavigate }: { onNavigate: () => void }) {
  const { pathname } = useLocation()
  return (
    <Stack gap={2}>
      {links.map(({ path, label, icon: Icon }) => (
        <NavLink
          key={path}
          component={RouterNavLink}
          to={path}
          label={label}
          leftSection={<Icon size={18} stroke={1.6} aria-hidden="true" />}
          active={pathname === path || pathname.startsWith(`${path}/`)}
          onClick={onNavigate}
        />
      ))}
    </Stack>
  )
}
