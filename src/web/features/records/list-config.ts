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

/** Kinds of records with a list page (saved views and chosen columns are kept per kind). */
export type ListEntity = RecordEntity | 'activity' | 'campaign'

/** Everything a list of one kind of record needs: where it lives and how it shows. */
export interface ListConfig<T extends { id: string }> {
  entity: ListEntity
  path: string
  queryKey: readonly string[]
  title: string
  noun: { one: string; many: string }
  columns: Column<T>[]
  filterFields: FilterField[]
  defaultSort: string
  bulkFields: BulkField[]
  rowName: (row: T) => string
  /** Where a row's name links to; undefined when the record has no page of its own. */
  rowHref: (row: T) => string | undefined
  emptyHint: string
}
