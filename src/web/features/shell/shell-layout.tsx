import { AppShell, Burger, Group, ScrollArea, Text } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { Link, Outlet } from 'react-router'
import { NotificationBell } from '../notifications/notification-bell.tsx'
import { MainNav } from './main-nav.tsx'
import { ThemeToggle } from './theme-toggle.tsx'
import { UserMenu } from './user-menu.tsx'
import { WorkspaceSwitcher } from './workspace-switcher.tsx'

/** Header (workspace, theme, account), the areas' navigation and the page. */
export function ShellLayout() {
  const [opened, { toggle, close }] = useDisclosure(false)
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <a href="#main-content" className="skip-link">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Text
              component={Link}
              to="/microscope"
              fw={700}
              fz="lg"
              c="indigo"
              visibleFrom="xs"
              aria-label="Tandem home"
            >
              Tandem
            </Text>
            <WorkspaceSwitcher />
          </Group>
          <Group gap="xs" wrap="nowrap">
            <NotificationBell />
            <ThemeToggle />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main">
        {/* Scrolls on short windows, so Settings at the bottom stays reachable. */}
        <AppShell.Section grow component={ScrollArea}>
          <MainNav onNavigate={close} />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main-content" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  )
}
