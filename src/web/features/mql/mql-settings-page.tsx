import { Stack, Text, Title } from '@mantine/core'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { useMe } from '../shell/me-context.tsx'
import { MqlRulesSection } from './mql-rules-form.tsx'
import { MqlTargetsSection } from './mql-targets-table.tsx'

/** Settings → Lifecycle & MQL: marketing's rules for an MQL and its monthly MQL targets. */
export function MqlSettingsPage() {
  useDocumentTitle('Lifecycle & MQL')
  const canManage = useMe().permissions.includes('mql:manage')
  return (
    <Stack gap="xl">
      <Stack gap="xs">
        <Title order={2}>Lifecycle & MQL</Title>
        <Text size="sm" c="dimmed">
          Contacts move forward through subscriber, lead, MQL, SAL, SQL, opportunity and customer.
          Here marketing decides what makes an MQL and how many it commits to deliver each month.
        </Text>
      </Stack>
      <MqlRulesSection canManage={canManage} />
      <MqlTargetsSection canManage={canManage} />
    </Stack>
  )
}
