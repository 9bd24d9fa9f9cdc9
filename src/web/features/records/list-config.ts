import type { ReactNode } from 'react'
import type { FilterField } from './filter.ts'
import type { Option } from './labels.ts'
import type { RecordEntity } from './types.ts'

export interface Column<T> {
  key: string
  label: string
  /** The API's sort field, when the column can be sorted. */
  sort?: string
  render: (row: T) => ReactNode
  /** Shown until the person chooses their own columns. */
  isDefault?: boolean
  /** Long unbroken values (emails, domains) may wrap anywhere rather than widen the table. */
  breaksAnywhere?: boolean
}

export interface BulkField {
  key: string
  label: string
  kind: 'owner' | 'enum' | 'text'
  options?: Option[]
}

/** Everything a list of one kind of record needs: where it lives and how it shows. */
export interface ListConfig<T extends { id: string }> {
  entity: RecordEntity
  path: string
  queryKey: readonly string[]
  title: string
  noun: { one: string; many: string }
  columns: Column<T>[]
  filterFields: FilterField[]
  defaultSort: string
  bulkFields: BulkField[]
  rowName: (row: T) => string
  rowHref: (row: T) => string
  emptyHint: string
}
