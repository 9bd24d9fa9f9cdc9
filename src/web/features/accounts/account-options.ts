import type { Option } from '../records/labels.ts'

/** The demo's default segments and regions; other values typed in are kept as they are. */
export const tierOptions: Option[] = [
  { value: 'smb', label: 'SMB' },
  { value: 'mid_market', label: 'Mid-market' },
  { value: 'enterprise', label: 'Enterprise' },
]

export const regionOptions: Option[] = [
  { value: 'na', label: 'North America' },
  { value: 'emea', label: 'EMEA' },
  { value: 'apac', label: 'APAC' },
  { value: 'latam', label: 'Latin America' },
]
