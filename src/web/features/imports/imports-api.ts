import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { ApiError, api, getData, getStoredWorkspaceId } from '../../api/client.ts'
import type { Envelope } from '../../api/types.ts'

export const importEntities = [
  { value: 'contacts', label: 'Contacts' },
  { value: 'accounts', label: 'Accounts' },
  { value: 'deals', label: 'Deals' },
  { value: 'activities', label: 'Activities' },
  { value: 'campaigns', label: 'Campaigns' },
  { value: 'products', label: 'Products' },
  { value: 'touchpoints', label: 'Touchpoints' },
] as const
export type ImportEntity = (typeof importEntities)[number]['value']

export const importPresets = [
  { value: '', label: 'Any spreadsheet' },
  { value: 'hubspot', label: 'HubSpot' },
  { value: 'salesforce', label: 'Salesforce' },
] as const
export type ImportPresetChoice = (typeof importPresets)[number]['value']

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed'

export interface ImportRecord {
  id: string
  entity: ImportEntity
  fileName: string
  fileSize: number
  status: ImportStatus
  rows: number
  imported: number
  rejected: number
  created: number
  updated: number
  unchanged: number
  bytesRead: number
  progress: number
  options: { preset?: ImportPresetChoice; dryRun?: boolean }
  error: string | null
  errorsUrl: string | null
  createdBy: string | null
  createdAt: string
  finishedAt: string | null
}

export interface ImportField {
  key: string
  label: string
  required: boolean
  /** The values the field takes, when they are a fixed set: the targets of value mapping. */
  values?: string[]
}

export interface ColumnValues {
  values: { value: string; rows: number }[]
  more: boolean
}

export interface ImportPreview {
  headers: string[]
  rows: string[][]
  mapping: Record<string, string | null>
  fields: ImportField[]
  delimiter: string
  /** The data rows `columnValues` were counted over. */
  sample: { rows: number; isWholeFile: boolean }
  columnValues: Record<string, ColumnValues>
  /** field → csv value → our value: the preset's own value mapping. */
  valueMapping: Record<string, Record<string, string>>
}

/** field → csv value → our value, as the API's `values` form field takes it. */
export type ValueMapping = Record<string, Record<string, string>>

/** The largest file the API takes (HubSpot's per-file limit); the CLI has none. */
export const maxUploadBytes = 512 * 1024 * 1024

/** The mapping value that tells the server to skip a column. */
export const ignoreColumn = '-'

export const importKeys = {
  list: ['imports'] as const,
  one: (id: string) => ['imports', id] as const,
}

export interface ImportForm {
  file: File
  entity: ImportEntity
  preset: ImportPresetChoice
}

function formOf({ file, entity, preset }: ImportForm, extra: Record<string, string> = {}) {
  const form = new FormData()
  form.set('entity', entity)
  if (preset) form.set('preset', preset)
  for (const [name, value] of Object.entries(extra)) form.set(name, value)
  // The file goes last, so the server reads the fields before the file's bytes.
  form.set('file', file, file.name)
  return form
}

export function usePreview() {
  return useMutation({
    mutationFn: async (input: ImportForm) =>
      (await api.post<Envelope<ImportPreview>>('/api/v1/imports/preview', formOf(input))).data,
  })
}

export function useStartImport() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (
      input: ImportForm & { map: Record<string, string>; values: ValueMapping; dryRun: boolean },
    ) => {
      const extra = {
        map: JSON.stringify(input.map),
        values: JSON.stringify(input.values),
        dryRun: String(input.dryRun),
      }
      return (await api.post<Envelope<ImportRecord>>('/api/v1/imports', formOf(input, extra))).data
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: importKeys.list }),
  })
}

const isActive = (status: ImportStatus | undefined) => status === 'queued' || status === 'running'

/** One import, polled every half second while it is queued or running. */
export function useImport(id: string) {
  const queryClient = useQueryClient()
  return useQuery({
    queryKey: importKeys.one(id),
    queryFn: async () => {
      const record = await getData<ImportRecord>(`/api/v1/imports/${id}`)
      if (!isActive(record.status))
        void queryClient.invalidateQueries({ queryKey: importKeys.list, exact: true })
      return record
    },
    refetchInterval: (query) => (isActive(query.state.data?.status) ? 500 : false),
  })
}

/** Downloads an import's rejected rows (with the workspace header a plain link cannot send). */
export async function downloadErrors(record: ImportRecord) {
  if (!record.errorsUrl) return
  const headers: Record<string, string> = {}
  const workspaceId = getStoredWorkspaceId()
  if (workspaceId) headers['X-Workspace-Id'] = workspaceId
  const response = await fetch(record.errorsUrl, { headers, credentials: 'same-origin' })
  if (!response.ok) throw new ApiError(response.status, 'download', 'Could not download the file.')
  const url = URL.createObjectURL(await response.blob())
  const link = document.createElement('a')
  link.href = url
  link.download = `${record.fileName}.errors.csv`
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
