import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core'
import { IconArrowDown, IconArrowUp, IconPlus } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { Link } from 'react-router'
import { patchData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifyError, notifySuccess } from '../../components/notify.ts'
import { useDocumentTitle } from '../../components/use-document-title.ts'
import type { FilterField } from '../records/filter.ts'
import type { Option } from '../records/labels.ts'
import { useMe } from '../shell/me-context.tsx'
import { describeEngagement } from './engagement-condition-editor.tsx'
import { describeFit, useContactFields } from './fit-condition-editor.tsx'
import { DeleteRuleModal, kindNames, RuleEditor, useRefreshScoring } from './rule-editor.tsx'
import {
  errorPath,
  formatPoints,
  isFitCondition,
  type ScoringRule,
  type ScoringRuleKind,
  type ScoringSettings,
  scoringKeys,
  type TouchCondition,
  useCampaignOptions,
  useScoringRules,
  useScoringSettings,
} from './scoring-api.ts'

const intro: Record<ScoringRuleKind, string> = {
  fit: 'How well a contact and its account match your ideal customer. The points of every matching rule add up, clamped to 0-100.',
  engagement:
    'How much a contact engaged lately. Each matching touch adds the rule’s points, halved every half-life; bots and security scanners never count. Clamped to 0-100.',
}

const emptyText: Record<ScoringRuleKind, string> = {
  fit: 'No fit rules yet: add one to score contacts on who they are (industry, company size, title…).',
  engagement:
    'No engagement rules yet: add one to score contacts on what they do (form submits, webinars, pricing page views…).',
}

/** Settings → Scoring: fit and engagement rules, the half-life and the product-fit threshold. */
export function ScoringSettingsPage() {
  useDocumentTitle('Scoring')
  const canManage = useMe().permissions.includes('scoring:manage')
  const rules = useScoringRules()
  return (
    <Stack gap="xl">
      <Stack gap="xs">
        <Title order={2}>Scoring</Title>
        <Text size="sm" c="dimmed">
          Every contact gets a fit score and an engagement score (0-100) from the rules below. A
          lead whose scores reach the thresholds of{' '}
          <Anchor component={Link} to="/settings/mql">
            Lifecycle & MQL
          </Anchor>{' '}
          becomes an MQL.{' '}
          {canManage
            ? 'Each change is previewed before it is saved, then every contact is rescored in the background.'
            : 'Admins and marketing change these rules; you can read them.'}
        </Text>
      </Stack>
      <SettingsSection canManage={canManage} />
      {rules.isPending ? (
        <LoadingRows label="Loading the scoring rules" rows={6} height={36} />
      ) : rules.error ? (
        <ErrorAlert
          title="Could not load the scoring rules"
          error={rules.error}
          onRetry={() => void rules.refetch()}
        />
      ) : (
        (['fit', 'engagement'] as const).map((kind) => (
          <RuleSection key={kind} kind={kind} allRules={rules.data} canManage={canManage} />
        ))
      )}
    </Stack>
  )
}

type Editing = { kind: ScoringRuleKind; rule: ScoringRule | null } | null

function RuleSection({
  kind,
  allRules,
  canManage,
}: {
  kind: ScoringRuleKind
  allRules: ScoringRule[]
  canManage: boolean
}) {
  const fields = useContactFields()
  const campaigns = useCampaignOptions()
  const refresh = useRefreshScoring()
  const [editing, setEditing] = useState<Editing>(null)
  const [deleting, setDeleting] = useState<ScoringRule | null>(null)
  const rules = allRules
    .filter((r) => r.kind === kind)
    .sort((a, b) => a.position - b.position || a.createdAt.localeCompare(b.createdAt))
  const headingId = `scoring-${kind}-heading`
  const { one, title } = kindNames[kind]

  const update = useMutation({
    mutationFn: (changes: { id: string; patch: Partial<ScoringRule> }[]) =>
      Promise.all(
        changes.map((c) => patchData<ScoringRule>(`/api/v1/scoring/rules/${c.id}`, c.patch)),
      ),
    onSuccess: async () => {
      await refresh()
    },
    onError: async (error) => {
      notifyError('The rule was not changed', error)
      await refresh()
    },
  })
  /** Moves a rule up or down: positions become 1…n in the new order. */
  const move = (index: number, by: -1 | 1) => {
    const order = [...rules]
    const [moved] = order.splice(index, 1)
    if (!moved) return
    order.splice(index + by, 0, moved)
    update.mutate(
      order
        .map((r, i) => ({ id: r.id, position: i + 1, was: r.position }))
        .filter((r) => r.position !== r.was)
        .map((r) => ({ id: r.id, patch: { position: r.position } })),
    )
  }

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4" id={headingId}>
            {title}
          </Title>
          {canManage ? (
            <Button
              size="xs"
              leftSection={<IconPlus size={14} aria-hidden="true" />}
              onClick={() => setEditing({ kind, rule: null })}
            >
              Add {one}
            </Button>
          ) : null}
        </Group>
        <Text size="sm" c="dimmed">
          {intro[kind]}
        </Text>
        {rules.length === 0 ? (
          <Text size="sm">{canManage ? emptyText[kind] : emptyText[kind].split(':')[0]}.</Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing={6} aria-labelledby={headingId}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Rule</Table.Th>
                  <Table.Th ta="right">Points</Table.Th>
                  <Table.Th>Active</Table.Th>
                  {canManage ? <Table.Th aria-label="Actions" /> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rules.map((rule, index) => (
                  <Table.Tr key={rule.id}>
                    <Table.Td>
                      <Text size="sm" fw={500} c={rule.isActive ? undefined : 'dimmed'}>
                        {rule.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {describeRule(rule, fields, campaigns.data ?? [])}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Badge variant="filled" color={rule.points > 0 ? 'teal.9' : 'red.9'}>
                        {formatPoints(rule.points)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {canManage ? (
                        <Switch
                          aria-label={`${rule.name} is active`}
                          checked={rule.isActive}
                          disabled={update.isPending}
                          onChange={(event) =>
                            update.mutate([
                              {
                                id: rule.id,
                                patch: { isActive: event.currentTarget.checked },
                              },
                            ])
                          }
                        />
                      ) : (
                        <Text size="sm">{rule.isActive ? 'Yes' : 'No'}</Text>
                      )}
                    </Table.Td>
                    {canManage ? (
                      <Table.Td>
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            aria-label={`Move ${rule.name} up`}
                            disabled={index === 0 || update.isPending}
                            onClick={() => move(index, -1)}
                          >
                            <IconArrowUp size={16} aria-hidden="true" />
                          </ActionIcon>
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            aria-label={`Move ${rule.name} down`}
                            disabled={index === rules.length - 1 || update.isPending}
                            onClick={() => move(index, 1)}
                          >
                            <IconArrowDown size={16} aria-hidden="true" />
                          </ActionIcon>
                          <Button
                            size="xs"
                            variant="default"
                            aria-label={`Edit ${rule.name}`}
                            onClick={() => setEditing({ kind, rule })}
                          >
                            Edit
                          </Button>
                          <Button
                            size="xs"
                            variant="default"
                            color="red"
                            aria-label={`Delete ${rule.name}`}
                            onClick={() => setDeleting(rule)}
                          >
                            Delete
                          </Button>
                        </Group>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.rule ? `Edit “${editing.rule.name}”` : `New ${one}`}
        size="xl"
      >
        {editing ? (
          <RuleEditor
            kind={editing.kind}
            rule={editing.rule}
            allRules={allRules}
            onDone={() => setEditing(null)}
          />
        ) : null}
      </Modal>
      <DeleteRuleModal rule={deleting} allRules={allRules} onClose={() => setDeleting(null)} />
    </Paper>
  )
}

function describeRule(rule: ScoringRule, fields: FilterField[], campaigns: Option[]): string {
  return isFitCondition(rule.condition)
    ? `Contacts where ${describeFit(rule.condition, fields)}`
    : describeEngagement(rule.condition as TouchCondition, campaigns)
}

function SettingsSection({ canManage }: { canManage: boolean }) {
  const settings = useScoringSettings()
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="scoring-settings-heading">
      <Stack gap="sm">
        <Title order={3} size="h4" id="scoring-settings-heading">
          Decay and product fit
        </Title>
        {settings.isPending ? (
          <LoadingRows label="Loading the scoring settings" rows={2} />
        ) : settings.error ? (
          <ErrorAlert
            title="Could not load the scoring settings"
            error={settings.error}
            onRetry={() => void settings.refetch()}
          />
        ) : (
          <SettingsForm
            key={settings.data.updatedAt ?? 'defaults'}
            settings={settings.data}
            canManage={canManage}
          />
        )}
      </Stack>
    </Paper>
  )
}

function SettingsForm({ settings, canManage }: { settings: ScoringSettings; canManage: boolean }) {
  const queryClient = useQueryClient()
  const [halfLife, setHalfLife] = useState<number | string>(settings.halfLifeDays)
  const [threshold, setThreshold] = useState<number | string>(settings.productFitThreshold)
  const save = useMutation({
    mutationFn: (input: { halfLifeDays?: number; productFitThreshold?: number }) =>
      patchData<ScoringSettings>('/api/v1/scoring/settings', input),
    onSuccess: async (_saved, input) => {
      notifySuccess(
        input.halfLifeDays !== undefined
          ? 'Scoring settings saved. Contacts are being rescored with the new half-life.'
          : 'Scoring settings saved.',
      )
      await queryClient.invalidateQueries({ queryKey: scoringKeys.settings })
    },
  })
  const halfLifeValue = typeof halfLife === 'number' ? halfLife : Number.parseFloat(halfLife)
  const thresholdValue = typeof threshold === 'number' ? threshold : Number.parseFloat(threshold)
  const halfLifeOk = Number.isFinite(halfLifeValue) && halfLifeValue > 0 && halfLifeValue <= 3650
  const thresholdOk =
    Number.isInteger(thresholdValue) && thresholdValue >= 0 && thresholdValue <= 100
  const path = errorPath(save.error)
  const serverError = (field: string) =>
    save.error && path?.split('.')[0] === field ? save.error.message : null
  const input: { halfLifeDays?: number; productFitThreshold?: number } = {}
  if (halfLifeOk && halfLifeValue !== settings.halfLifeDays) input.halfLifeDays = halfLifeValue
  if (thresholdOk && thresholdValue !== settings.productFitThreshold) {
    input.productFitThreshold = thresholdValue
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (halfLifeOk && thresholdOk && Object.keys(input).length > 0) save.mutate(input)
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Group align="flex-start" gap="lg">
          <NumberInput
            label="Engagement half-life (days)"
            description="A touch counts half as much after this many days."
            value={halfLife}
            onChange={setHalfLife}
            min={0.1}
            max={3650}
            decimalScale={2}
            error={halfLifeOk ? serverError('halfLifeDays') : 'More than 0 and at most 3650 days'}
            disabled={!canManage}
            w={280}
          />
          <NumberInput
            label="Product-fit threshold"
            description="Deals whose product fit is below it are flagged poor fit."
            value={threshold}
            onChange={setThreshold}
            min={0}
            max={100}
            allowDecimal={false}
            error={
              thresholdOk ? serverError('productFitThreshold') : 'A whole number from 0 to 100'
            }
            disabled={!canManage}
            w={280}
          />
        </Group>
        {save.error && !serverError('halfLifeDays') && !serverError('productFitThreshold') ? (
          <ErrorAlert title="Could not save the scoring settings" error={save.error} />
        ) : null}
        <Text size="sm" role="status" aria-live="polite">
          {settings.queued > 0
            ? `${settings.queued.toLocaleString()} contact${settings.queued === 1 ? '' : 's'} waiting to be rescored.`
            : 'Every contact’s scores are up to date.'}
        </Text>
        {canManage ? (
          <Group>
            <Button
              type="submit"
              loading={save.isPending}
              disabled={!halfLifeOk || !thresholdOk || Object.keys(input).length === 0}
            >
              Save settings
            </Button>
            <Text size="xs" c="dimmed">
              {settings.updatedAt
                ? `Last changed ${formatDateTime(settings.updatedAt)}`
                : 'The defaults apply (30 days, 40).'}
            </Text>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            Only admins and marketing can change the scoring settings.
          </Text>
        )}
      </Stack>
    </form>
  )
}
