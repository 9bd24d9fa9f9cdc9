import { Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core'
import { IconPlus } from '@tabler/icons-react'
import { Link } from 'react-router'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { useCursorList } from '../../components/use-cursor-list.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { EmptyState } from '../records/empty-state.tsx'
import { type Form, formatRate, formKeys } from './types.ts'
import { useCanEditForms } from './use-can-edit-forms.ts'

/** Telescope → Forms: each hosted form with its views, submissions and conversion rate. */
export function FormsPage() {
  useDocumentTitle('Forms')
  const canEdit = useCanEditForms()
  const forms = useCursorList<Form>([...formKeys.all, 'list'], '/api/v1/forms')
  const newButton = canEdit ? (
    <Button
      component={Link}
      to="/telescope/forms/new"
      leftSection={<IconPlus size={16} aria-hidden="true" />}
    >
      New form
    </Button>
  ) : null
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Forms</Title>
        {newButton}
      </Group>
      <Text size="sm" c="dimmed">
        Forms you embed on your site or share as a page. Each submission creates or updates the
        contact and records a form submit touch with the visitor’s earlier visits.
      </Text>
      {forms.isPending ? (
        <LoadingRows label="Loading forms" />
      ) : forms.error ? (
        <ErrorAlert
          title="Could not load forms"
          error={forms.error}
          onRetry={() => void forms.refetch()}
        />
      ) : forms.items.length === 0 ? (
        <EmptyState title="No forms yet">
          {canEdit
            ? 'Use “New form” to build one: a demo request, a newsletter sign-up, a contact form.'
            : 'Marketing builds forms here; ask an admin or marketer to create one.'}
        </EmptyState>
      ) : (
        <>
          <Table.ScrollContainer minWidth={640}>
            <Table striped highlightOnHover aria-label="Forms">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th ta="right">Views</Table.Th>
                  <Table.Th ta="right">Submissions</Table.Th>
                  <Table.Th ta="right">Conversion rate</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {forms.items.map((form) => (
                  <Table.Tr key={form.id}>
                    <Table.Td>
                      <Group gap="xs">
                        <Anchor component={Link} to={`/telescope/forms/${form.id}`}>
                          {form.name}
                        </Anchor>
                        {form.isHighIntent ? (
                          <Badge color="red" variant="light">
                            High intent
                          </Badge>
                        ) : null}
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right">{form.stats.views.toLocaleString()}</Table.Td>
                    <Table.Td ta="right">{form.stats.submissions.toLocaleString()}</Table.Td>
                    <Table.Td ta="right">{formatRate(form.stats.conversionRate)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {forms.hasNextPage ? (
            <Group>
              <Button
                variant="default"
                loading={forms.isFetchingNextPage}
                onClick={() => void forms.fetchNextPage()}
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
