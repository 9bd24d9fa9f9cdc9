import { Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { patchData, postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { useMe } from '../shell/me-context.tsx'
import {
  type FeedbackTag,
  type FeedbackTagKind,
  feedbackTagsKey,
  kindLabels,
  useFeedbackTags,
} from './feedback-api.ts'

const intro: Record<FeedbackTagKind, string> = {
  objection:
    'What buyers push back with. Sales tags calls, rejected handoffs and lost deals with them; marketing sees the top objections in the voice of sales.',
  competitor:
    'The competitors buyers mention. Name them the way sales says them, so a mention and a loss to the same competitor count together.',
}

/** Settings → Objections & competitors: the workspace's taxonomy of feedback tags. */
export function FeedbackSettingsPage() {
  useDocumentTitle('Objections & competitors')
  const canManage = useMe().permissions.includes('feedback:manage')
  const tags = useFeedbackTags()
  return (
    <Stack gap="xl">
      <Stack gap="xs">
        <Title order={2}>Objections & competitors</Title>
        <Text size="sm" c="dimmed">
          The words sales uses to say why a buyer hesitated or who else they were looking at.
          {canManage
            ? ' Archiving a tag keeps it on the records that have it; it is no longer offered.'
            : ' Admins, marketing and sales managers edit this list; you can tag records with it.'}
        </Text>
      </Stack>
      {tags.isPending ? (
        <LoadingRows label="Loading the objections and competitors" rows={6} height={36} />
      ) : tags.error ? (
        <ErrorAlert
          title="Could not load the objections and competitors"
          error={tags.error}
          onRetry={() => void tags.refetch()}
        />
      ) : (
        (['objection', 'competitor'] as const).map((kind) => (
          <TagSection
            key={kind}
            kind={kind}
            tags={tags.data.filter((tag) => tag.kind === kind)}
            canManage={canManage}
          />
        ))
      )}
    </Stack>
  )
}

function TagSection({
  kind,
  tags,
  canManage,
}: {
  kind: FeedbackTagKind
  tags: FeedbackTag[]
  canManage: boolean
}) {
  const queryClient = useQueryClient()
  const refresh = () => queryClient.invalidateQueries({ queryKey: feedbackTagsKey })
  const [name, setName] = useState('')
  const { plural, singular } = kindLabels[kind]
  const add = useMutation({
    mutationFn: (value: string) =>
      postData<FeedbackTag>('/api/v1/feedback-tags', { kind, name: value }),
    onSuccess: async (tag) => {
      notifySuccess(`“${tag.name}” added.`)
      setName('')
      await refresh()
    },
  })
  const defaults = useMutation({
    mutationFn: () => postData<{ added: number }>('/api/v1/feedback-tags/defaults', {}),
    onSuccess: async (result) => {
      notifySuccess(`${result.added} default objections added.`)
      await refresh()
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (name.trim()) add.mutate(name.trim())
  }
  const headingId = `feedback-${kind}-heading`
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Title order={3} size="h4" id={headingId}>
          {plural}
        </Title>
        <Text size="sm" c="dimmed">
          {intro[kind]}
        </Text>
        {tags.length === 0 ? (
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              No {plural.toLowerCase()} yet.
              {canManage ? ` Add the first ${singular} below.` : ''}
            </Text>
            {kind === 'objection' && canManage ? (
              <>
                {defaults.error ? (
                  <ErrorAlert title="The defaults were not added" error={defaults.error} />
                ) : null}
                <Button
                  variant="light"
                  loading={defaults.isPending}
                  onClick={() => defaults.mutate()}
                >
                  Add the default objections
                </Button>
              </>
            ) : null}
          </Stack>
        ) : (
          <Table.ScrollContainer minWidth={480}>
            <Table verticalSpacing={6} aria-labelledby={headingId}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Used on</Table.Th>
                  {canManage ? <Table.Th aria-label="Actions" /> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tags.map((tag) => (
                  <TagRow key={tag.id} tag={tag} canManage={canManage} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {canManage ? (
          <form onSubmit={submit}>
            <Stack gap="xs">
              {add.error ? (
                <ErrorAlert title={`The ${singular} was not added`} error={add.error} />
              ) : null}
              <Group align="flex-end" gap="xs">
                <TextInput
                  label={`New ${singular}`}
                  placeholder={kind === 'objection' ? 'e.g. Price too high' : 'e.g. Acme CRM'}
                  maxLength={100}
                  value={name}
                  onChange={(event) => setName(event.currentTarget.value)}
                />
                <Button type="submit" loading={add.isPending} disabled={!name.trim()}>
                  Add {singular}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : null}
      </Stack>
    </Paper>
  )
}

function TagRow({ tag, canManage }: { tag: FeedbackTag; canManage: boolean }) {
  const queryClient = useQueryClient()
  const [editing, setEditing] = useState(false)
  const [name, setName] = useState(tag.name)
  const save = useMutation({
    mutationFn: (patch: { name?: string; archived?: boolean }) =>
      patchData<FeedbackTag>(`/api/v1/feedback-tags/${tag.id}`, patch),
    onSuccess: async (saved, patch) => {
      notifySuccess(
        patch.archived === true
          ? `“${saved.name}” archived.`
          : patch.archived === false
            ? `“${saved.name}” restored.`
            : `Renamed to “${saved.name}”.`,
      )
      setEditing(false)
      await queryClient.invalidateQueries({ queryKey: feedbackTagsKey })
    },
  })
  const commit = () => {
    if (name.trim() && name.trim() !== tag.name) save.mutate({ name: name.trim() })
    else setEditing(false)
  }
  const rename = (event: FormEvent) => {
    event.preventDefault()
    commit()
  }
  const formId = `rename-tag-${tag.id}`
  return (
    <Table.Tr>
      <Table.Td>
        {editing ? (
          <form id={formId} onSubmit={rename}>
            <TextInput
              aria-label={`New name for ${tag.name}`}
              size="xs"
              maxLength={100}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              data-autofocus
            />
          </form>
        ) : (
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" c={tag.archived ? 'dimmed' : undefined}>
              {tag.name}
            </Text>
            {tag.archived ? (
              <Badge size="xs" variant="light" color="gray">
                Archived
              </Badge>
            ) : null}
          </Group>
        )}
        {save.error ? <ErrorAlert title="That did not work" error={save.error} /> : null}
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          {tag.usage === 0 ? 'Not used yet' : `${tag.usage} record${tag.usage === 1 ? '' : 's'}`}
        </Text>
      </Table.Td>
      {canManage ? (
        <Table.Td>
          <Group gap="xs" justify="flex-end" wrap="nowrap">
            {editing ? (
              <>
                {/* Keyed and not a submit button: the Rename button it replaces must not be
                    reused and turned into a submit in the middle of its own click. */}
                <Button key="save" size="xs" onClick={commit} loading={save.isPending}>
                  Save
                </Button>
                <Button
                  key="cancel"
                  size="xs"
                  variant="default"
                  onClick={() => {
                    setName(tag.name)
                    setEditing(false)
                  }}
                >
                  Cancel
                </Button>
              </>
            ) : (
              <>
                <Button
                  key="rename"
                  size="xs"
                  variant="default"
                  aria-label={`Rename ${tag.name}`}
                  onClick={() => setEditing(true)}
                >
                  Rename
                </Button>
                <Button
                  key="archive"
                  size="xs"
                  variant="default"
                  aria-label={`${tag.archived ? 'Restore' : 'Archive'} ${tag.name}`}
                  loading={save.isPending}
                  onClick={() => save.mutate({ archived: !tag.archived })}
                >
                  {tag.archived ? 'Restore' : 'Archive'}
                </Button>
              </>
            )}
          </Group>
        </Table.Td>
      ) : null}
    </Table.Tr>
  )
}
