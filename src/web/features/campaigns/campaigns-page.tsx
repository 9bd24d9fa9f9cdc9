import { formatDate } from '../../components/format.ts'
import { crmKeys } from '../records/crm-queries.ts'
import { channelOptions, labelOf } from '../records/labels.ts'
import type { ListConfig } from '../records/list-config.ts'
import { formatMoney } from '../records/money.ts'
import { RecordListPage } from '../records/record-list-page.tsx'
import type { Campaign } from '../records/types.ts'

const money = (minor: number | null, currency: string) =>
  minor === null ? '—' : formatMoney(minor, currency, true)

const campaignList: ListConfig<Campaign> = {
  entity: 'campaign',
  path: '/api/v1/campaigns',
  queryKey: crmKeys.campaigns,
  title: 'Campaigns',
  noun: { one: 'campaign', many: 'campaigns' },
  defaultSort: '-startsOn',
  rowName: (c) => c.name,
  rowHref: (c) => `/telescope/campaigns/${encodeURIComponent(c.id)}`,
  emptyHint:
    'Campaigns come from the API (POST /api/v1/campaigns) or an import (Settings → Import); their touches and costs feed attribution.',
  columns: [
    { key: 'name', label: 'Name', sort: 'name', render: (c) => c.name, isDefault: true },
    {
      key: 'channel',
      label: 'Channel',
      render: (c) => labelOf(c.channel, channelOptions),
      isDefault: true,
    },
    { key: 'type', label: 'Type', render: (c) => c.type, isDefault: true },
    {
      key: 'startsOn',
      label: 'Starts',
      sort: 'startsOn',
      render: (c) => (c.startsOn ? formatDate(c.startsOn) : '—'),
      isDefault: true,
    },
    {
      key: 'endsOn',
      label: 'Ends',
      sort: 'endsOn',
      render: (c) => (c.endsOn ? formatDate(c.endsOn) : '—'),
      isDefault: true,
    },
    {
      key: 'budget',
      label: 'Budget',
      sort: 'budget',
      render: (c) => money(c.budget, c.currency),
      isDefault: true,
    },
    {
      key: 'goalLeads',
      label: 'Lead goal',
      render: (c) => c.goalLeads?.toLocaleString() ?? '—',
    },
    { key: 'goalMqls', label: 'MQL goal', render: (c) => c.goalMqls?.toLocaleString() ?? '—' },
    {
      key: 'goalPipeline',
      label: 'Pipeline goal',
      render: (c) => money(c.goalPipeline, c.currency),
    },
    {
      key: 'utmCampaigns',
      label: 'utm_campaign',
      render: (c) => (c.utmCampaigns.length > 0 ? c.utmCampaigns.join(', ') : '—'),
      breaksAnywhere: true,
    },
    { key: 'owner', label: 'Owner', render: (c) => c.owner?.name ?? '—', isDefault: true },
    {
      key: 'updatedAt',
      label: 'Updated',
      sort: 'updatedAt',
      render: (c) => formatDate(c.updatedAt),
    },
  ],
  filterFields: [
    { key: 'name', label: 'Name', kind: 'text' },
    { key: 'channel', label: 'Channel', kind: 'enum', options: channelOptions },
    { key: 'type', label: 'Type', kind: 'text' },
    { key: 'startsOn', label: 'Starts', kind: 'date' },
    { key: 'endsOn', label: 'Ends', kind: 'date' },
    { key: 'budget', label: 'Budget', kind: 'money' },
    { key: 'ownerId', label: 'Owner', kind: 'owner' },
    { key: 'createdAt', label: 'Created', kind: 'date' },
  ],
  bulkFields: [],
}

/** Telescope → Campaigns: every campaign with its channel, dates, budget and goals. */
export function CampaignsPage() {
  return <RecordListPage config={campaignList} />
}
