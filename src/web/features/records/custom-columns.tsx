import type { FilterField } from './filter.ts'
import type { Column, ListConfig } from './list-config.ts'
import type { CustomField, CustomValues } from './types.ts'

function show(value: CustomValues[string] | undefined): string {
  if (value === null || value === undefined) return '—'
  return Array.isArray(value) ? value.join(', ') : String(value)
}

function filterField(field: CustomField): FilterField {
  const key = `custom.${field.key}`
  if (field.type === 'number') return { key, label: field.label, kind: 'number' }
  if (field.type === 'date') return { key, label: field.label, kind: 'date' }
  if (field.type === 'select' || field.type === 'multi_select') {
    return {
      key,
      label: field.label,
      kind: 'enum',
      options: field.options.map((o) => ({ value: o, label: o })),
    }
  }
  return { key, label: field.label, kind: 'text' }
}

/** Adds the workspace's custom fields to a list as optional columns and filter fields. */
export function withCustomFields<T extends { id: string; custom: CustomValues }>(
  config: ListConfig<T>,
  fields: CustomField[] | undefined,
): ListConfig<T> {
  if (!fields || fields.length === 0) return config
  const columns: Column<T>[] = fields.map((field) => ({
    key: `custom.${field.key}`,
    label: field.label,
    render: (row) => show(row.custom?.[field.key]),
  }))
  return {
    ...config,
    columns: [...config.columns, ...columns],
    filterFields: [...config.filterFields, ...fields.map(filterField)],
  }
}

export function customValueText(value: CustomValues[string] | undefined): string {
  return show(value)
}
