import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { useCursorList } from '../../components/use-cursor-list.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { type Form, type FormSubmission, formKeys } from './types.ts'

function valueText(value: string | boolean | undefined) {
  if (value === undefined || value === '') return '—'
  if (typeof value === 'boolean') return value ? 'Yes' : 'No'
  return value
}

/** The form's submissions, newest first, each linked to its contact. */
export function FormSubmissions({ form }: { form: Form }) {
  const list = useCursorList<FormSubmission>(
    formKeys.submissions(form.id),
    `/api/v1/forms/${form.id}/submissions`,
  )
  return (
    <Stack gap="sm">
      <Title order={3}>Submissions</Title>
      {list.isPending ? (
        <LoadingRows label="Loading submissions" />
      ) : list.error ? (
        <ErrorAlert
          title="Could not load submissions"
          error={list.error}
          onRetry={() => void list.refetch()}
        />
      ) : list.items.length === 0 ? (
        <EmptyState title="No submissions yet">
          Once people send the form, each submission shows here with its contact.
        </EmptyState>
      ) : (
        <>
          <Table.ScrollContainer minWidth={640}>
            <Table striped aria-label="Submissions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Date</Table.Th>
                  <Table.Th>Contact</Table.Th>
                  {form.fields.map((f) => (
                    <Table.Th key={f.key}>{f.label}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>{formatDateTime(s.submittedAt)}</Table.Td>
                    <Table.Td>
                      {s.contact ? (
                        <Anchor component={Link} to={`/microscope/contacts/${s.contact.id}`}>
                          {s.contact.name ?? s.contact.email ?? 'Contact'}
                        </Anchor>
                      ) : (
                        <Text c="dimmed">—</Text>
                      )}
                    </Table.Td>
                    {form.fields.map((f) => (
                      <Table.Td key={f.key} style={{ wordBreak: 'break-word' }}>
                        {valueText(s.values[f.key])}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {list.hasNextPage ? (
            <Group>
              <Button
                variant="default"
                loading={list.isFetchingNextPage}
                onClick={() => void list.fetchNextPage()}
              >
                Load more
              </Button>
            </Group>
          ) : null}
        </>
      )}
    </Stack>
  )
}
