import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { ThemeToggle } from '../shell/theme-toggle.tsx'

interface AuthLayoutProps {
  title: string
  subtitle?: ReactNode
  children: ReactNode
}

/** The quiet, centred frame shared by sign-in, sign-up, password reset and invitations. */
export function AuthLayout({ title, subtitle, children }: AuthLayoutProps) {
  return (
    <Box mih="100vh" className="auth-background">
      <Group justify="flex-end" p="md">
        <ThemeToggle />
      </Group>
      <Center component="main" px="md" pb="xl">
        <Stack w="100%" maw={420} gap="lg">
          <Stack gap={4} align="center">
            <Text fw={700} fz="xl" c="indigo" aria-hidden="true">
              Tandem
            </Text>
            <Title order={1} fz="h2" ta="center">
              {title}
            </Title>
            {subtitle ? (
              <Text c="dimmed" ta="center">
                {subtitle}
              </Text>
            ) : null}
          </Stack>
          <Paper withBorder shadow="sm" p="xl">
            {children}
          </Paper>
        </Stack>
      </Center>
    </Box>
  )
}
