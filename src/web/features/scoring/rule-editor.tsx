import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api, patchData, postData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import {
  EngagementConditionEditor,
  type EngagementDraft,
  engagementConditionOf,
  engagementDraftFrom,
} from './engagement-condition-editor.tsx'
import {
  FitConditionEditor,
  type FitDraft,
  fitConditionOf,
  fitDraftFrom,
  useContactFields,
} from './fit-condition-editor.tsx'
import { PreviewPanel } from './preview-panel.tsx'
import {
  errorPath,
  isFitCondition,
  type RuleFormField,
  type RuleInput,
  ruleFieldOf,
  type ScoringPreview,
  type ScoringRule,
  type ScoringRuleKind,
  scoringKeys,
  type TouchCondition,
} from './scoring-api.ts'

export const kindNames: Record<ScoringRuleKind, { one: string; title: string }> = {
  fit: { one: 'fit rule', title: 'Fit rules' },
  engagement: { one: 'engagement rule', title: 'Engagement rules' },
}

/** A saved rule as the preview and the API take it. */
export function toInput(rule: ScoringRule): RuleInput {
  return {
    id: rule.id,
    kind: rule.kind,
    name: rule.name,
    condition: rule.condition,
    points: rule.points,
    isActive: rule.isActive,
    position: rule.position,
  }
}

export function previewRules(rules: RuleInput[]): Promise<ScoringPreview> {
  return postData<ScoringPreview>('/api/v1/scoring/preview', { rules })
}

/** After any change: the rules, the queued count and every contact's scores may have moved. */
export function useRefreshScoring() {
  const queryClient = useQueryClient()
  return () =>
    Promise.all(
      [scoringKeys.rules, scoringKeys.settings, ['scoring', 'contact']].map((queryKey) =>
        queryClient.invalidateQueries({ queryKey }),
      ),
    )
}

type FieldErrors = Partial<Record<RuleFormField, string>>

/** "points: must be …" rather than "body.rules.2.points: must be …" next to the field. */
function cleanMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.replace(/^(body\.)?(rules(\[\d+\]|\.\d+)\.)?/, '')
}

/** The 400's message placed next to the field it names, else shown above the form. */
function placeError(error: unknown, index?: number): { fields: FieldErrors; general: unknown } {
  const field = ruleFieldOf(error, index)
  if (field !== null) return { fields: { [field]: cleanMessage(error) }, general: null }
  return { fields: {}, general: error }
}

/**
 * A preview names the first of two rules with the same condition, often the saved one: the
 * conflict is the edited rule's, so it goes next to its condition, naming the other rule.
 */
function conflictOf(error: unknown, index: number, rules: ScoringRule[]): string | null {
  const path = errorPath(error)
  const match = path ? /^rules(?:\[(\d+)\]|\.(\d+))\.condition$/.exec(path) : null
  if (!match || !(error instanceof Error) || !error.message.includes('the same condition as')) {
    return null
  }
  const other = Number(match[1] ?? match[2])
  if (other === index) return cleanMessage(error)
  const name = rules[other]?.name
  return name ? `condition: the same condition as rule "${name}"` : null
}

/** The key of an engagement condition a path names (`condition.types` → `types`). */
function engagementKeyOf(error: unknown): keyof EngagementDraft | null {
  const path = errorPath(error)?.replace(/^rules(?:\[\d+\]|\.\d+)\./, '')
  const key = path?.split('.')[1]?.replace(/\[.*$/, '')
  const keys: (keyof EngagementDraft)[] = [
    'types',
    'channels',
    'campaignIds',
    'urlContains',
    'eventNames',
  ]
  return keys.find((k) => k === key) ?? null
}

interface RuleEditorProps {
  kind: ScoringRuleKind
  /** The rule edited, or null for a new one. */
  rule: ScoringRule | null
  /** Every saved rule of the workspace (both kinds): the set the preview changes. */
  allRules: ScoringRule[]
  onDone: () => void
}

/**
 * Adding or changing a rule goes through a preview: the proposed full set of rules is scored
 * without saving, then saved once the change looks right.
 */
export function RuleEditor({ kind, rule, allRules, onDone }: RuleEditorProps) {
  const fields = useContactFields()
  const refresh = useRefreshScoring()
  const [name, setName] = useState(rule?.name ?? '')
  const [points, setPoints] = useState<number | string>(rule?.points ?? 10)
  const [isActive, setIsActive] = useState(rule?.isActive ?? true)
  const [fitDraft, setFitDraft] = useState<FitDraft>(() =>
    fitDraftFrom(rule && isFitCondition(rule.condition) ? rule.condition : null, fields),
  )
  const [engagementDraft, setEngagementDraft] = useState<EngagementDraft>(() =>
    engagementDraftFrom(
      rule && !isFitCondition(rule.condition) ? (rule.condition as TouchCondition) : null,
    ),
  )
  const [errors, setErrors] = useState<FieldErrors>({})
  const [general, setGeneral] = useState<unknown>(null)
  const [proposal, setProposal] = useState<{
    rules: RuleInput[]
    index: number
    preview: ScoringPreview
  } | null>(null)

  const build = (): RuleInput | null => {
    const found: FieldErrors = {}
    const trimmed = name.trim()
    if (!trimmed) found.name = 'Give the rule a name.'
    else if (trimmed.length > 100) found.name = 'At most 100 characters.'
    const value = typeof points === 'number' ? points : Number(points)
    if (points === '' || !Number.isInteger(value)) found.points = 'Points are a whole number.'
    else if (value < -100 || value > 100) found.points = 'Points are between -100 and 100.'
    else if (value === 0) found.points = 'A rule of 0 points would change nothing.'
    const condition =
      kind === 'fit' ? fitConditionOf(fitDraft, fields) : engagementConditionOf(engagementDraft)
    if ('error' in condition) found.condition = condition.error
    setErrors(found)
    setGeneral(null)
    if (Object.keys(found).length > 0 || 'error' in condition) return null
    const sameKind = allRules.filter((r) => r.kind === kind)
    return {
      ...(rule ? { id: rule.id } : {}),
      kind,
      name: trimmed,
      condition: condition.condition,
      points: value,
      isActive,
      position: rule?.position ?? Math.max(0, ...sameKind.map((r) => r.position)) + 1,
    }
  }

  const preview = useMutation({
    mutationFn: async (input: RuleInput) => {
      const rules = rule
        ? allRules.map((r) => (r.id === rule.id ? input : toInput(r)))
        : [...allRules.map(toInput), input]
      const index = rule ? allRules.findIndex((r) => r.id === rule.id) : rules.length - 1
      return { rules, index, preview: await previewRules(rules) }
    },
    onSuccess: (result) => setProposal(result),
    onError: (error) => {
      const index = rule ? allRules.findIndex((r) => r.id === rule.id) : allRules.length
      const conflict = conflictOf(error, index, allRules)
      if (conflict) {
        setErrors({ condition: conflict })
        setGeneral(null)
        return
      }
      const placed = placeError(error, index)
      setErrors(placed.fields)
      setGeneral(placed.general)
    },
  })

  const save = useMutation({
    mutationFn: (input: RuleInput) => {
      const { id: _id, ...body } = input
      return rule
        ? patchData<ScoringRule>(`/api/v1/scoring/rules/${rule.id}`, body)
        : postData<ScoringRule>('/api/v1/scoring/rules', body)
    },
    onSuccess: async (saved) => {
      notifySuccess(
        `“${saved.name}” ${rule ? 'saved' : 'added'}. Contacts are being rescored in the background.`,
      )
      await refresh()
      onDone()
    },
    onError: (error) => {
      const placed = placeError(error)
      setErrors(placed.fields)
      setGeneral(placed.general)
      setProposal(null)
    },
  })

  const onPreview = (event: FormEvent) => {
    event.preventDefault()
    const input = build()
    if (input) preview.mutate(input)
  }

  if (proposal) {
    const input = proposal.rules[proposal.index]
    return (
      <Stack>
        <Text size="sm">
          Nothing is saved yet. This is how the workspace’s contacts would score with the{' '}
          {rule ? 'changed' : 'new'} rule.
        </Text>
        <PreviewPanel
          preview={proposal.preview}
          rules={proposal.rules}
          highlight={proposal.index}
        />
        {save.error && !Object.keys(errors).length ? (
          <ErrorAlert title="The rule was not saved" error={save.error} />
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setProposal(null)} disabled={save.isPending}>
            Back to the rule
          </Button>
          <Button loading={save.isPending} onClick={() => input && save.mutate(input)}>
            {rule ? 'Save rule' : 'Add rule'}
          </Button>
        </Group>
      </Stack>
    )
  }

  const conditionError = errors.condition ?? null
  return (
    <form onSubmit={onPreview} noValidate>
      <Stack>
        {general ? <ErrorAlert title="That did not work" error={general} /> : null}
        <TextInput
          label="Name"
          description="Shown in each contact’s score explanation."
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={errors.name}
          data-autofocus
        />
        {kind === 'fit' ? (
          <FitConditionEditor
            draft={fitDraft}
            onChange={setFitDraft}
            fields={fields}
            error={conditionError}
          />
        ) : (
          <EngagementConditionEditor
            draft={engagementDraft}
            onChange={setEngagementDraft}
            error={
              conditionError
                ? { key: engagementKeyOf(save.error ?? preview.error), message: conditionError }
                : null
            }
          />
        )}
        <Group align="flex-start" gap="lg">
          <NumberInput
            label="Points"
            description={
              kind === 'fit'
                ? 'Added when the contact matches (-100 to 100, not 0).'
                : 'Per matching touch, halving every half-life (-100 to 100, not 0).'
            }
            required
            min={-100}
            max={100}
            allowDecimal={false}
            value={points}
            onChange={setPoints}
            error={errors.points}
            w={260}
          />
          <Switch
            mt="xl"
            label="Active"
            checked={isActive}
            onChange={(event) => setIsActive(event.currentTarget.checked)}
          />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={preview.isPending}>
            Preview the change
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

/** Deleting a rule: the preview of the set without it, then a confirmation. */
export function DeleteRuleModal({
  rule,
  allRules,
  onClose,
}: {
  rule: ScoringRule | null
  allRules: ScoringRule[]
  onClose: () => void
}) {
  const refresh = useRefreshScoring()
  const remaining = rule ? allRules.filter((r) => r.id !== rule.id).map(toInput) : []
  const preview = useQuery({
    queryKey: ['scoring', 'preview', 'delete', rule?.id],
    queryFn: () => previewRules(remaining),
    enabled: rule !== null,
    staleTime: 0,
    gcTime: 0,
  })
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/scoring/rules/${id}`),
    onSuccess: async () => {
      notifySuccess(`“${rule?.name}” deleted. Contacts are being rescored in the background.`)
      await refresh()
      onClose()
    },
  })
  return (
    <Modal
      opened={rule !== null}
      onClose={onClose}
      title={rule ? `Delete the rule “${rule.name}”?` : 'Delete the rule?'}
      size="xl"
      centered
    >
      <Stack>
        <Text size="sm">
          Contacts stop getting its points; every contact is rescored in the background. This cannot
          be undone.
        </Text>
        {preview.isPending ? (
          <LoadingRows label="Previewing the scores without this rule" rows={3} />
        ) : preview.error ? (
          <Alert color="gray" variant="light" title="No preview">
            The preview could not be computed; you may still delete the rule.
          </Alert>
        ) : (
          <PreviewPanel preview={preview.data} rules={remaining} />
        )}
        {remove.error ? <ErrorAlert title="The rule was not deleted" error={remove.error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={remove.isPending}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() => rule && remove.mutate(rule.id)}
          >
            Delete rule
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
