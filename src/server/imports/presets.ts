import type { ImportEntity, ImportPreset } from './types.ts'

/** A preset: how one CRM's standard export names its columns and values, per entity. */
export interface PresetMapping {
  /** csvColumn → field. */
  columns: Record<string, string>
  /** field → csvValue → our value. */
  values: Record<string, Record<string, string>>
  /** field → value written on every row (e.g. externalSource). */
  constants: Record<string, string>
}

const hubspotLifecycle = {
  Subscriber: 'subscriber',
  Lead: 'lead',
  'Marketing Qualified Lead': 'mql',
  marketingqualifiedlead: 'mql',
  'Sales Qualified Lead': 'sql',
  salesqualifiedlead: 'sql',
  Opportunity: 'opportunity',
  Customer: 'customer',
  Evangelist: 'evangelist',
  Other: 'lead',
}
const hubspotLeadStatus = {
  New: 'new',
  Open: 'new',
  'In Progress': 'attempting',
  'Attempted to Contact': 'attempting',
  Connected: 'connected',
  'Open Deal': 'qualified',
  Unqualified: 'disqualified',
  'Bad Timing': 'disqualified',
}
// HubSpot's default sales pipeline → Tandem's default pipeline (src/server/pipelines).
const hubspotDealStages = {
  'Appointment Scheduled': 'Qualification',
  appointmentscheduled: 'Qualification',
  'Qualified To Buy': 'Discovery',
  qualifiedtobuy: 'Discovery',
  'Presentation Scheduled': 'Demo',
  presentationscheduled: 'Demo',
  'Decision Maker Bought-In': 'Proposal',
  decisionmakerboughtin: 'Proposal',
  'Contract Sent': 'Negotiation',
  contractsent: 'Negotiation',
  'Closed Won': 'Closed won',
  closedwon: 'Closed won',
  'Closed Lost': 'Closed lost',
  closedlost: 'Closed lost',
}
const hubspotOwner = { 'Contact owner': 'owner', 'Company owner': 'owner', 'Deal owner': 'owner' }
const hubspot = { externalSource: 'hubspot' }

const hubspotPresets: Partial<Record<ImportEntity, PresetMapping>> = {
  contacts: {
    columns: {
      'Record ID': 'externalId',
      'First Name': 'firstName',
      'Last Name': 'lastName',
      Email: 'email',
      'Phone Number': 'phone',
      'Job Title': 'title',
      'Lifecycle Stage': 'lifecycleStage',
      'Lead Status': 'leadStatus',
      'Company Name': 'account',
      'Associated Company': 'account',
      'Original Source': 'source',
      ...hubspotOwner,
    },
    values: { lifecycleStage: hubspotLifecycle, leadStatus: hubspotLeadStatus },
    constants: hubspot,
  },
  accounts: {
    columns: {
      'Record ID': 'externalId',
      'Company name': 'name',
      'Company Domain Name': 'domain',
      Industry: 'industry',
      'Number of Employees': 'employees',
      'Annual Revenue': 'annualRevenue',
      'Country/Region': 'country',
      'Lifecycle Stage': 'lifecycleStage',
      ...hubspotOwner,
    },
    values: { lifecycleStage: hubspotLifecycle },
    constants: hubspot,
  },
  deals: {
    columns: {
      'Record ID': 'externalId',
      'Deal Name': 'name',
      'Deal Stage': 'stage',
      Amount: 'amount',
      'Close Date': 'closeDate',
      Pipeline: 'pipeline',
      'Associated Company': 'account',
      'Currency code': 'currency',
      'Closed Lost Reason': 'lossReasonText',
      ...hubspotOwner,
    },
    values: { stage: hubspotDealStages, pipeline: { 'Sales Pipeline': 'Sales', default: 'Sales' } },
    constants: hubspot,
  },
  products: {
    columns: { 'Record ID': 'externalId', Name: 'name', 'Unit price': 'price', SKU: 'family' },
    values: {},
    constants: hubspot,
  },
}

const salesforceStages = {
  Prospecting: 'Qualification',
  Qualification: 'Qualification',
  'Needs Analysis': 'Discovery',
  'Value Proposition': 'Discovery',
  'Id. Decision Makers': 'Demo',
  'Perception Analysis': 'Demo',
  'Proposal/Price Quote': 'Proposal',
  'Negotiation/Review': 'Negotiation',
  'Closed Won': 'Closed won',
  'Closed Lost': 'Closed lost',
}
const salesforceLeadStatus = {
  'Open - Not Contacted': 'new',
  'Working - Contacted': 'attempting',
  'Closed - Converted': 'qualified',
  'Closed - Not Converted': 'disqualified',
}
const salesforce = { externalSource: 'salesforce' }
const salesforcePerson = {
  'First Name': 'firstName',
  'Last Name': 'lastName',
  Title: 'title',
  Email: 'email',
  Phone: 'phone',
  'Lead Source': 'source',
  'Record ID': 'externalId',
}

const salesforcePresets: Partial<Record<ImportEntity, PresetMapping>> = {
  contacts: {
    columns: {
      ...salesforcePerson,
      'Contact ID': 'externalId',
      'Lead ID': 'externalId',
      'Account Name': 'account',
      Company: 'account',
      'Contact Owner': 'owner',
      'Lead Owner': 'owner',
      'Lead Status': 'leadStatus',
    },
    values: { leadStatus: salesforceLeadStatus },
    constants: salesforce,
  },
  accounts: {
    columns: {
      'Account ID': 'externalId',
      'Record ID': 'externalId',
      'Account Name': 'name',
      Website: 'domain',
      Industry: 'industry',
      Employees: 'employees',
      'Annual Revenue': 'annualRevenue',
      'Billing Country': 'country',
      'Account Owner': 'owner',
    },
    values: {},
    constants: salesforce,
  },
  deals: {
    columns: {
      'Opportunity ID': 'externalId',
      'Record ID': 'externalId',
      'Opportunity Name': 'name',
      'Account Name': 'account',
      Stage: 'stage',
      Amount: 'amount',
      'Close Date': 'closeDate',
      'Opportunity Owner': 'owner',
      'Forecast Category': 'forecastCategory',
      'Opportunity Currency': 'currency',
      Currency: 'currency',
      'Loss Reason': 'lossReasonText',
    },
    values: {
      stage: salesforceStages,
      forecastCategory: {
        Pipeline: 'pipeline',
        'Best Case': 'best_case',
        Commit: 'commit',
        Closed: 'closed_won',
        Omitted: 'omitted',
      },
    },
    constants: salesforce,
  },
  products: {
    columns: {
      'Product ID': 'externalId',
      'Product Name': 'name',
      'Product Family': 'family',
      'List Price': 'price',
    },
    values: {},
    constants: salesforce,
  },
  campaigns: {
    columns: {
      'Campaign ID': 'externalId',
      'Campaign Name': 'name',
      Type: 'type',
      'Start Date': 'startsOn',
      'End Date': 'endsOn',
      'Budgeted Cost in Campaign': 'budget',
      'Campaign Owner': 'owner',
    },
    values: {},
    constants: salesforce,
  },
  activities: {
    columns: {
      'Activity ID': 'externalId',
      Subject: 'subject',
      'Task Subtype': 'type',
      'Full Comments': 'body',
      Date: 'occurredAt',
      'Assigned To': 'owner',
    },
    values: { type: { Task: 'task', Email: 'email', Call: 'call', Event: 'meeting' } },
    constants: salesforce,
  },
}

export const presets: Record<ImportPreset, Partial<Record<ImportEntity, PresetMapping>>> = {
  hubspot: hubspotPresets,
  salesforce: salesforcePresets,
}

export function presetFor(
  preset: ImportPreset | undefined,
  entity: ImportEntity,
): PresetMapping | undefined {
  return preset ? presets[preset][entity] : undefined
}
