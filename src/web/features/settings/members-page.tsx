import { Stack, Title } from '@mantine/core'
import { hasPermission } from '../../api/roles.ts'
import { AdminOnly } from '../../components/admin-only.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { useMe } from '../shell/me-context.tsx'
import { InvitationsList } from './invitations-list.tsx'
import { InviteMemberForm } from './invite-member-form.tsx'
import { MembersTable } from './members-table.tsx'

export function MembersPage() {
  useDocumentTitle('Members')
  const me = useMe()
  const canManage = hasPermission(me, 'members:manage')
  return (
    <Stack gap="xl">
      <Stack gap="sm">
        <Title order={2}>Members</Title>
        {canManage ? (
          <InviteMemberForm />
        ) : (
          <AdminOnly>Only admins can invite people, change roles or remove members.</AdminOnly>
        )}
      </Stack>
      <MembersTable canManage={canManage} />
      {canManage ? <InvitationsList /> : null}
    </Stack>
  )
}
