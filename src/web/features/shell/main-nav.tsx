import { NavLink, Stack } from '@mantine/core'
import {
  IconAddressBook,
  IconBuildingSkyscraper,
  IconCoin,
  IconLayoutKanban,
  IconSettings,
} from '@tabler/icons-react'
import { Fragment } from 'react'
import { NavLink as RouterNavLink, useLocation } from 'react-router'
import { areas } from '../areas/areas.ts'

const links = [
  ...areas.map(({ path, label, icon }) => ({ path, label, icon })),
  { path: '/settings', label: 'Settings', icon: IconSettings },
]

/** The CRM's records live in Microscope (sales' today), listed under it. */
const microscopeLinks = [
  { path: '/microscope/accounts', label: 'Accounts', icon: IconBuildingSkyscraper },
  { path: '/microscope/contacts', label: 'Contacts', icon: IconAddressBook },
  { path: '/microscope/deals', label: 'Deals', icon: IconCoin },
  { path: '/microscope/pipeline', label: 'Pipeline', icon: IconLayoutKanban },
]

export function MainNav({ onNavigate }: { onNavigate: () => void }) {
  const { pathname } = useLocation()
  const isActive = (path: string) => pathname === path || pathname.startsWith(`${path}/`)
  return (
    <Stack gap={2}>
      {links.map(({ path, label, icon: Icon }) => (
        <Fragment key={path}>
          <NavLink
            component={RouterNavLink}
            to={path}
            end
            label={label}
            leftSection={<Icon size={18} stroke={1.6} aria-hidden="true" />}
            active={
              path === '/microscope'
                ? pathname === path ||
                  (isActive(path) && !microscopeLinks.some((link) => isActive(link.path)))
                : isActive(path)
            }
            onClick={onNavigate}
          />
          {path === '/microscope'
            ? microscopeLinks.map((link) => (
                <NavLink
                  key={link.path}
                  component={RouterNavLink}
                  to={link.path}
                  label={link.label}
                  pl={34}
                  leftSection={<link.icon size={16} stroke={1.6} aria-hidden="true" />}
                  active={isActive(link.path)}
                  onClick={onNavigate}
                />
              ))
            : null}
        </Fragment>
      ))}
    </Stack>
  )
}
