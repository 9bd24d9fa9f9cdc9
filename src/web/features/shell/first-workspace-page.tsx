import { Button, Stack, Text } from '@mantine/core'
import type { Me } from '../../api/types.ts'
import { AuthLayout } from '../auth/auth-layout.tsx'
import { CreateWorkspaceForm } from './create-workspace-form.tsx'
import { useSignOut } from './use-session-actions.ts'

/** A signed-in person who belongs to no workspace yet starts here. */
export function FirstWorkspacePage({ me }: { me: Me }) {
  const signOut = useSignOut()
  return (
    <AuthLayout
      title="Create your first workspace"
      subtitle="A workspace holds your team's campaigns, leads and deals. You will be its admin and can invite the others next."
    >
      <Stack>
        <CreateWorkspaceForm />
        <Text size="sm" c="dimmed">
          Were you invited to an existing workspace? Open the link in your invitation instead.
        </Text>
        <Text size="sm" c="dimmed">
          Signed in as {me.user?.email ?? 'an unknown user'}.{' '}
          <Button
            variant="subtle"
            size="compact-sm"
            onClick={() => signOut.mutate()}
            loading={signOut.isPending}
          >
            Sign out
          </Button>
        </Text>
      </Stack>
    </AuthLayout>
  )
}
