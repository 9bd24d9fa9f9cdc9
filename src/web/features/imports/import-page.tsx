import { Stack, Text, Title } from '@mantine/core'
import { AdminOnly } from '../../components/admin-only.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { useCan } from '../records/permissions.ts'
import { NewImport } from './new-import.tsx'
import { PastImports } from './past-imports.tsx'

export function ImportPage() {
  useDocumentTitle('Import')
  const canImport = useCan('records:write')
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={2}>Import</Title>
        <Text size="sm" c="dimmed">
          Bring records in from a CSV file: a HubSpot or Salesforce export or any spreadsheet.
          Records match by email, domain or external id, so importing the same file twice changes
          nothing.
        </Text>
      </Stack>
      {canImport ? (
        <>
          <NewImport />
          <PastImports />
        </>
      ) : (
        <AdminOnly>Viewers cannot import. Ask an admin for an editing role.</AdminOnly>
      )}
    </Stack>
  )
}
