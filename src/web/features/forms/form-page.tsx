import {
  Anchor,
  Badge,
  Button,
  Divider,
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { api, getData, patchData, postData } from '../../api/client.ts'
import { AdminOnly } from '../../components/admin-only.tsx'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { bodyOf, draftOf, type FormDraft, newDraft } from './draft.ts'
import { FieldsEditor } from './fields-editor.tsx'
import { FormEmbed } from './form-embed.tsx'
import { FormSubmissions } from './form-submissions.tsx'
import { type Form, fieldErrorsOf, formatRate, formKeys } from './types.ts'
import { useCanEditForms } from './use-can-edit-forms.ts'

/** Telescope → Forms → a form: its builder, embed codes, stats and submissions. */
export function FormPage() {
  const { id } = useParams()
  const form = useQuery({
    queryKey: formKeys.one(id ?? 'new'),
    queryFn: () => getData<Form>(`/api/v1/forms/${encodeURIComponent(String(id))}`),
    enabled: id !== undefined,
  })
  if (id === undefined) return <FormEditor key="new" />
  if (form.isPending) return <LoadingRows label="Loading the form" rows={6} />
  if (form.error) {
    return (
      <ErrorAlert
        title="Could not load the form"
        error={form.error}
        onRetry={() => void form.refetch()}
      />
    )
  }
  return <FormEditor key={form.data.id} form={form.data} />
}

function FormEditor({ form }: { form?: Form }) {
  useDocumentTitle(form ? form.name : 'New form')
  const mayEdit = useCanEditForms()
  const canEdit = mayEdit && !form?.archivedAt
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const [draft, setDraft] = useState<FormDraft>(() => (form ? draftOf(form) : newDraft()))
  const set = (patch: Partial<FormDraft>) => setDraft((d) => ({ ...d, ...patch }))
  const save = useMutation({
    mutationFn: () =>
      form
        ? patchData<Form>(`/api/v1/forms/${form.id}`, bodyOf(draft))
        : postData<Form>('/api/v1/forms', bodyOf(draft)),
    onSuccess: async (saved) => {
      notifySuccess(`Form “${saved.name}” saved.`)
      queryClient.setQueryData(formKeys.one(saved.id), saved)
      await queryClient.invalidateQueries({ queryKey: formKeys.all })
      if (!form) void navigate(`/telescope/forms/${saved.id}`)
    },
  })
  const archive = useMutation({
    mutationFn: () => api.delete(`/api/v1/forms/${String(form?.id)}`),
    onSuccess: async () => {
      notifySuccess('Form archived: its page and embeds stop answering.')
      await queryClient.invalidateQueries({ queryKey: formKeys.all })
      void navigate('/telescope/forms')
    },
  })
  const errors = fieldErrorsOf(save.error)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate()
  }
  return (
    <Stack>
      <Group justify="space-between">
        <Group gap="xs">
          <Anchor component={Link} to="/telescope/forms" size="sm">
            Forms
          </Anchor>
          <Text size="sm" c="dimmed">
            /
          </Text>
          <Title order={2}>{form ? form.name : 'New form'}</Title>
          {form?.isHighIntent ? (
            <Badge color="red" variant="light">
              High intent
            </Badge>
          ) : null}
          {form?.archivedAt ? <Badge color="gray">Archived</Badge> : null}
        </Group>
        {form && canEdit ? (
          <Button
            variant="default"
            color="red"
            loading={archive.isPending}
            onClick={() => archive.mutate()}
          >
            Archive
          </Button>
        ) : null}
      </Group>
      {mayEdit ? null : <AdminOnly>Only admins and marketers can change forms.</AdminOnly>}
      {archive.error ? <ErrorAlert title="Could not archive" error={archive.error} /> : null}
      {form ? (
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Stat label="Views" value={form.stats.views.toLocaleString()} />
          <Stat label="Submissions" value={form.stats.submissions.toLocaleString()} />
          <Stat label="Conversion rate" value={formatRate(form.stats.conversionRate)} />
        </SimpleGrid>
      ) : null}
      <form onSubmit={submit} noValidate aria-label="Form builder">
        <Stack>
          <TextInput
            label="Name"
            description="Shown as the heading of the hosted page"
            value={draft.name}
            onChange={(e) => set({ name: e.currentTarget.value })}
            error={errors.name}
            disabled={!canEdit}
            required
          />
          <Title order={3}>Fields</Title>
          <FieldsEditor
            fields={draft.fields}
            onChange={(fields) => set({ fields })}
            errors={errors}
            isDisabled={!canEdit}
          />
          <Divider />
          <Textarea
            label="Consent text"
            description="When set, the form shows a required checkbox with this text"
            value={draft.consentText}
            onChange={(e) => set({ consentText: e.currentTarget.value })}
            error={errors.consentText}
            disabled={!canEdit}
            autosize
            minRows={2}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="after-submit-label">
              After a submission
            </Text>
            <SegmentedControl
              aria-labelledby="after-submit-label"
              w="fit-content"
              data={[
                { value: 'message', label: 'Show a thank-you message' },
                { value: 'redirect', label: 'Go to a page' },
              ]}
              value={draft.afterSubmit}
              onChange={(v) => set({ afterSubmit: v as FormDraft['afterSubmit'] })}
              disabled={!canEdit}
            />
          </Stack>
          {draft.afterSubmit === 'message' ? (
            <Textarea
              label="Thank-you message"
              value={draft.thankYouMessage}
              onChange={(e) => set({ thankYouMessage: e.currentTarget.value })}
              error={errors.thankYouMessage}
              disabled={!canEdit}
              autosize
              minRows={2}
            />
          ) : (
            <TextInput
              label="Redirect URL"
              description="An http:// or https:// page, e.g. your own thank-you page"
              value={draft.redirectUrl}
              onChange={(e) => set({ redirectUrl: e.currentTarget.value })}
              error={errors.redirectUrl}
              disabled={!canEdit}
            />
          )}
          <Switch
            label="High intent (e.g. demo or sales request): MQL rules may act on it"
            checked={draft.isHighIntent}
            onChange={(e) => set({ isHighIntent: e.currentTarget.checked })}
            disabled={!canEdit}
          />
          {save.error && Object.keys(errors).length === 0 ? (
            <ErrorAlert title="Could not save the form" error={save.error} />
          ) : null}
          {save.error && Object.keys(errors).length > 0 ? (
            <Text c="red" size="sm" role="alert">
              Please correct the marked fields: {save.error.message}
            </Text>
          ) : null}
          {canEdit ? (
            <Group>
              <Button type="submit" loading={save.isPending}>
                {form ? 'Save form' : 'Create form'}
              </Button>
            </Group>
          ) : null}
        </Stack>
      </form>
      {form ? (
        <>
          <Divider />
          <FormEmbed form={form} />
          <Divider />
          <FormSubmissions form={form} />
        </>
      ) : null}
    </Stack>
  )
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </Paper>
  )
}
