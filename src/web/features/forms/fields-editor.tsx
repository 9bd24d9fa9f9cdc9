import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core'
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react'
import { useCustomFields } from '../records/crm-queries.ts'
import { blankField, type FieldDraft } from './draft.ts'
import type { FieldType } from './types.ts'

const typeOptions: { value: FieldType; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'email', label: 'Email' },
  { value: 'tel', label: 'Phone' },
  { value: 'textarea', label: 'Long text' },
  { value: 'select', label: 'One of a list' },
  { value: 'checkbox', label: 'Checkbox' },
]

const contactTargets = [
  { value: 'email', label: 'Contact: email' },
  { value: 'firstName', label: 'Contact: first name' },
  { value: 'lastName', label: 'Contact: last name' },
  { value: 'phone', label: 'Contact: phone' },
  { value: 'title', label: 'Contact: job title' },
  { value: 'company', label: 'Account: name (company)' },
]

interface FieldsEditorProps {
  fields: FieldDraft[]
  onChange: (fields: FieldDraft[]) => void
  errors: Record<string, string>
  isDisabled: boolean
}

/** The ordered list of a form's fields: add, remove, move up and down, map to contact fields. */
export function FieldsEditor({ fields, onChange, errors, isDisabled }: FieldsEditorProps) {
  const custom = useCustomFields('contact')
  const mappings = [
    { value: '', label: 'Not mapped (kept on the submission)' },
    ...contactTargets,
    ...(custom.data ?? []).map((f) => ({
      value: `custom.${f.key}`,
      label: `Custom field: ${f.label}`,
    })),
  ]
  const update = (index: number, patch: Partial<FieldDraft>) =>
    onChange(fields.map((f, i) => (i === index ? { ...f, ...patch } : f)))
  const move = (index: number, by: -1 | 1) => {
    const next = [...fields]
    const [moved] = next.splice(index, 1)
    if (moved) next.splice(index + by, 0, moved)
    onChange(next)
  }
  return (
    <Stack gap="sm">
      {errors.fields ? (
        <Text c="red" size="sm" role="alert">
          {errors.fields}
        </Text>
      ) : null}
      {fields.map((field, index) => {
        const at = `fields.${index}`
        const name = field.label || `field ${index + 1}`
        return (
          <Paper key={field.uid} withBorder p="sm" aria-label={`Field ${index + 1}: ${name}`}>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
              <TextInput
                label="Label"
                value={field.label}
                onChange={(e) => update(index, { label: e.currentTarget.value })}
                error={errors[`${at}.label`]}
                disabled={isDisabled}
                required
              />
              <TextInput
                label="Key"
                description="Name of the value in posts"
                value={field.key}
                onChange={(e) => update(index, { key: e.currentTarget.value })}
                error={errors[`${at}.key`]}
                disabled={isDisabled}
              />
              <NativeSelect
                label="Type"
                data={typeOptions}
                value={field.type}
                onChange={(e) => update(index, { type: e.currentTarget.value as FieldType })}
                error={errors[`${at}.type`]}
                disabled={isDisabled}
              />
              <NativeSelect
                label="Fills"
                data={mappings}
                value={field.mapsTo}
                onChange={(e) => update(index, { mapsTo: e.currentTarget.value })}
                error={errors[`${at}.mapsTo`]}
                disabled={isDisabled}
              />
            </SimpleGrid>
            {field.type === 'select' ? (
              <TagsInput
                mt="xs"
                label="Options"
                description="Press Enter after each option"
                value={field.options}
                onChange={(options) => update(index, { options })}
                error={errors[`${at}.options`]}
                disabled={isDisabled}
              />
            ) : null}
            <Group justify="space-between" mt="xs">
              <Checkbox
                label="Required"
                checked={field.required || field.mapsTo === 'email'}
                onChange={(e) => update(index, { required: e.currentTarget.checked })}
                disabled={isDisabled || field.mapsTo === 'email'}
              />
              <Group gap={4}>
                <ActionIcon
                  variant="default"
                  aria-label={`Move ${name} up`}
                  disabled={isDisabled || index === 0}
                  onClick={() => move(index, -1)}
                >
                  <IconArrowUp size={16} aria-hidden="true" />
                </ActionIcon>
                <ActionIcon
                  variant="default"
                  aria-label={`Move ${name} down`}
                  disabled={isDisabled || index === fields.length - 1}
                  onClick={() => move(index, 1)}
                >
                  <IconArrowDown size={16} aria-hidden="true" />
                </ActionIcon>
                <ActionIcon
                  variant="default"
                  color="red"
                  aria-label={`Remove ${name}`}
                  disabled={isDisabled || fields.length === 1}
                  onClick={() => onChange(fields.filter((_, i) => i !== index))}
                >
                  <IconTrash size={16} aria-hidden="true" />
                </ActionIcon>
              </Group>
            </Group>
          </Paper>
        )
      })}
      <Group>
        <Button
          variant="default"
          leftSection={<IconPlus size={16} aria-hidden="true" />}
          onClick={() => onChange([...fields, blankField(fields.length)])}
          disabled={isDisabled || fields.length >= 30}
        >
          Add field
        </Button>
      </Group>
    </Stack>
  )
}
