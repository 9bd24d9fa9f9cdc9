import { Anchor, Button, Grid, Group, type GroupProps, Stack, Title } from '@mantine/core'
import { IconPencil, IconTrash } from '@tabler/icons-react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type ReactNode, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { api, getData } from '../../api/client.ts'
import { ConfirmModal } from '../../components/confirm-modal.tsx'
import { formatDate } from '../../components/format.ts'
import { notifySuccess } from '../../components/notify.ts'
import { PageLoader } from '../../components/page-loader.tsx'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import { crmKeys } from './crm-queries.ts'
import { customValueText } from './custom-columns.tsx'
import { FieldList } from './field-list.tsx'
import { useCan } from './permissions.ts'
import { RecordLoadError } from './record-not-found.tsx'
import { RecordSection } from './record-section.tsx'
import type { CustomField, CustomValues, RecordEntity } from './types.ts'

const records = {
  account: { plural: 'accounts', label: 'Account' },
  contact: { plural: 'contacts', label: 'Contact' },
  deal: { plural: 'deals', label: 'Deal' },
} as const satisfies Record<RecordEntity, { plural: keyof typeof crmKeys; label: string }>

function recordUrl(entity: RecordEntity, id: string): string {
  return `/api/v1/${records[entity].plural}/${encodeURIComponent(id)}`
}

interface RecordPageProps<T> {
  entity: RecordEntity
  /** The record's name, for the browser tab. */
  nameOf: (record: T) => string
  children: (record: T) => ReactNode
}

/** Loads the record named in the URL and shows it, or says plainly that it is loading or gone. */
export function RecordPage<T>({ entity, nameOf, children }: RecordPageProps<T>) {
  const { id = '' } = useParams()
  const { plural, label } = records[entity]
  const query = useQuery({
    queryKey: [...crmKeys[plural], id],
    queryFn: () => getData<T>(recordUrl(entity, id)),
  })
  useDocumentTitle(query.data ? nameOf(query.data) : label)

  if (query.isPending) return <PageLoader label={`Loading the ${entity}`} />
  if (query.error) {
    return (
      <RecordLoadError
        error={query.error}
        noun={entity}
        listPath={`/microscope/${plural}`}
        onRetry={() => void query.refetch()}
      />
    )
  }
  return <>{children(query.data)}</>
}

interface RecordViewProps {
  entity: RecordEntity
  id: string
  name: string
  /** How the Trash confirmation names the record: things in quotes (the default), people not. */
  trashName?: string
  badges: ReactNode
  /** Shown to people who may write; Delete follows for those who may delete. */
  actions: ReactNode
  actionsAlign?: GroupProps['align']
  /** The narrow column: details, history, related records. */
  aside: ReactNode
  /** The wide column: timeline and work on the record. */
  main: ReactNode
  /** The page's dialogs. */
  children?: ReactNode
}

/**
 * A record's page: the way back to its list, its name, badges and actions (moving it to the Trash
 * among them), then its two columns.
 */
export function RecordView(props: RecordViewProps) {
  const { entity, id, name, trashName = `“${name}”`, badges, actions, actionsAlign } = props
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const canWrite = useCan('records:write')
  const canDelete = useCan('records:delete')
  const [isConfirming, setConfirming] = useState(false)
  const { plural, label } = records[entity]
  const remove = useMutation({
    mutationFn: () => api.delete(recordUrl(entity, id)),
    onSuccess: async () => {
      notifySuccess(`${label} moved to the Trash. Restore it from Settings, Trash within 30 days.`)
      queryClient.removeQueries({ queryKey: [...crmKeys[plural], id] })
      void navigate(`/microscope/${plural}`)
      await queryClient.invalidateQueries({ queryKey: crmKeys[plural] })
    },
  })

  return (
    <Stack gap="md">
      <Anchor component={Link} to={`/microscope/${plural}`} size="sm">
        All {plural}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{name}</Title>
          <Group gap="xs">{badges}</Group>
        </Stack>
        {canWrite ? (
          <Group gap="xs" align={actionsAlign}>
            {actions}
            {canDelete ? (
              <Button
                variant="subtle"
                color="red"
                leftSection={<IconTrash size={16} aria-hidden="true" />}
                onClick={() => setConfirming(true)}
              >
                Delete
              </Button>
            ) : null}
          </Group>
        ) : null}
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">{props.aside}</Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>{props.main}</Grid.Col>
      </Grid>
      {props.children}
      <ConfirmModal
        opened={isConfirming}
        title={`Delete ${entity}`}
        confirmLabel="Move to Trash"
        loading={remove.isPending}
        error={remove.error}
        onClose={() => setConfirming(false)}
        onConfirm={() => remove.mutate()}
      >
        Move {trashName} to the Trash? It can be restored from Settings, Trash for 30 days.
      </ConfirmModal>
    </Stack>
  )
}

interface RecordDetailsProps {
  label: string
  record: { custom: CustomValues; createdAt: string }
  fields: [string, string][]
  customFields: CustomField[] | undefined
}

/** The Details section: the record's own fields, then its custom fields, then when it was made. */
export function RecordDetails({ label, record, fields, customFields = [] }: RecordDetailsProps) {
  return (
    <RecordSection title="Details">
      <FieldList
        label={label}
        fields={[
          ...fields,
          ...customFields.map((f): [string, string] => [
            f.label,
            customValueText(record.custom[f.key]),
          ]),
          ['Created', formatDate(record.createdAt)],
        ]}
      />
    </RecordSection>
  )
}

export function EditButton({ onClick }: { onClick: () => void }) {
  return (
    <Button
      variant="default"
      leftSection={<IconPencil size={16} aria-hidden="true" />}
      onClick={onClick}
    >
      Edit
    </Button>
  )
}
