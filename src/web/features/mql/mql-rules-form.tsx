import {
  Anchor,
  Button,
  Group,
  NumberInput,
  Paper,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { Link } from 'react-router'
import { getData, patchData } from '../../api/client.ts'
import { ErrorAlert } from '../../components/error-alert.tsx'
import { formatDateTime } from '../../components/format.ts'
import { LoadingRows } from '../../components/loading-rows.tsx'
import { notifySuccess } from '../../components/notify.ts'
import { errorField, type MqlRules, mqlRulesKey } from './mql-api.ts'

/** The MQL rules: when a lead becomes an MQL by score or by a high-intent form. */
export function MqlRulesSection({ canManage }: { canManage: boolean }) {
  const query = useQuery({
    queryKey: mqlRulesKey,
    queryFn: () => getData<MqlRules>('/api/v1/mql/rules'),
  })
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          MQL rules
        </Title>
        <Text size="sm" c="dimmed">
          A lead becomes an MQL (marketing-qualified lead) when its fit and engagement scores both
          reach their threshold, when it submits a high-intent form, or when someone marks it by
          hand. Each MQL is then handed off to a sales rep.
        </Text>
        {query.isPending ? (
          <LoadingRows label="Loading the MQL rules" />
        ) : query.error ? (
          <ErrorAlert
            title="Could not load the MQL rules"
            error={query.error}
            onRetry={() => void query.refetch()}
          />
        ) : (
          <RulesForm key={query.dataUpdatedAt} rules={query.data} canManage={canManage} />
        )}
      </Stack>
    </Paper>
  )
}

type Edited = Pick<MqlRules, 'fitMin' | 'engagementMin' | 'highIntentForms'>

function threshold(value: number | string): number | null {
  const n = typeof value === 'number' ? value : Number.parseFloat(value)
  return Number.isInteger(n) && n >= 0 && n <= 100 ? n : null
}

function RulesForm({ rules, canManage }: { rules: MqlRules; canManage: boolean }) {
  const queryClient = useQueryClient()
  const [fitMin, setFitMin] = useState<number | string>(rules.fitMin)
  const [engagementMin, setEngagementMin] = useState<number | string>(rules.engagementMin)
  const [highIntentForms, setHighIntentForms] = useState(rules.highIntentForms)
  const save = useMutation({
    mutationFn: (input: Edited) => patchData<MqlRules>('/api/v1/mql/rules', input),
    onSuccess: async () => {
      notifySuccess('MQL rules saved: they apply to the next score or form submission.')
      await queryClient.invalidateQueries({ queryKey: mqlRulesKey })
    },
  })
  const fit = threshold(fitMin)
  const engagement = threshold(engagementMin)
  const serverField = errorField(save.error)
  const serverError = (field: string) =>
    serverField === field && save.error ? save.error.message : null
  const changed =
    fit !== rules.fitMin ||
    engagement !== rules.engagementMin ||
    highIntentForms !== rules.highIntentForms
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (fit === null || engagement === null) return
    save.mutate({ fitMin: fit, engagementMin: engagement, highIntentForms })
  }
  const outOfRange = 'A whole number from 0 to 100'
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Group align="flex-start" gap="lg">
          <NumberInput
            label="Fit score at least"
            description="0-100: how well the lead matches your ideal customer"
            value={fitMin}
            onChange={setFitMin}
            min={0}
            max={100}
            allowDecimal={false}
            error={fit === null ? outOfRange : serverError('fitMin')}
            disabled={!canManage}
            w={240}
          />
          <NumberInput
            label="Engagement score at least"
            description="0-100: how much the lead engaged lately"
            value={engagementMin}
            onChange={setEngagementMin}
            min={0}
            max={100}
            allowDecimal={false}
            error={engagement === null ? outOfRange : serverError('engagementMin')}
            disabled={!canManage}
            w={240}
          />
        </Group>
        <Switch
          label="High-intent forms make an MQL"
          description="A submission of a “contact sales” or “demo request” form makes the lead an MQL, whatever its scores."
          checked={highIntentForms}
          onChange={(e) => setHighIntentForms(e.currentTarget.checked)}
          disabled={!canManage}
        />
        <Text size="sm">
          {rules.predictiveInCharge
            ? `The predictive model decides MQLs: a probability of at least ${Math.round(rules.predictiveMin * 100)}% makes an MQL (contacts it has not scored yet still qualify by fit and engagement).`
            : 'The fit and engagement thresholds decide. An admin can put the predictive model in charge instead, once one is trained on enough history.'}{' '}
          <Anchor component={Link} to="/reports/predictive">
            Predictive model
          </Anchor>
        </Text>
        {save.error && !serverField ? (
          <ErrorAlert title="Could not save the MQL rules" error={save.error} />
        ) : null}
        {canManage ? (
          <Group>
            <Button
              type="submit"
              loading={save.isPending}
              disabled={!changed || fit === null || engagement === null}
            >
              Save rules
            </Button>
            {rules.updatedAt ? (
              <Text size="xs" c="dimmed">
                Last changed {formatDateTime(rules.updatedAt)}
              </Text>
            ) : (
              <Text size="xs" c="dimmed">
                The defaults apply.
              </Text>
            )}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            Only admins and marketing can change the MQL rules.
          </Text>
        )}
      </Stack>
    </form>
  )
}
