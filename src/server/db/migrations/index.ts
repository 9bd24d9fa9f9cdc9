import type { Migration } from 'kysely'
import * as foundation from './2026-11-26T1900-foundation.ts'
import * as crmRecords from './2026-11-26T2000-crm-records.ts'
import * as contactListIndexes from './2026-11-26T2110-contact-list-indexes.ts'
import * as dealProductIndexes from './2026-11-26T2120-deal-product-indexes.ts'
import * as touchpointActivityIndex from './2026-11-26T2130-touchpoint-activity-index.ts'
import * as importKeys from './2026-11-27T0030-import-keys.ts'
import * as imports from './2026-11-27T0100-imports.ts'
import * as merges from './2026-11-27T0110-merges.ts'
import * as duplicateKeys from './2026-11-27T0120-duplicate-keys.ts'
import * as externalIdFirst from './2026-11-27T0130-external-id-first.ts'
import * as writeKeys from './2026-11-27T0200-write-keys.ts'
import * as ingestion from './2026-11-27T0600-ingestion.ts'
import * as touchpointImports from './2026-11-27T0700-touchpoint-imports.ts'
import * as ingestInbox from './2026-11-27T0900-ingest-inbox.ts'
import * as ingestRejections from './2026-11-27T1100-ingest-rejections.ts'
import * as trackingSettings from './2026-11-27T1200-tracking-settings.ts'
import * as forms from './2026-11-27T1300-forms.ts'
import * as privacy from './2026-11-27T1400-privacy.ts'
import * as handoffs from './2026-11-27T1500-handoffs.ts'
import * as bridge from './2026-11-28T0900-bridge.ts'
import * as scores from './2026-11-29T0900-scores.ts'
import * as predictive from './2026-11-30T0900-predictive.ts'
import * as attribution from './2026-12-01T0900-attribution.ts'
import * as attributionIncremental from './2026-12-02T0900-attribution-incremental.ts'
import * as contributionDates from './2026-12-03T0900-contribution-dates.ts'
import * as targetsForecast from './2026-12-04T0900-targets-forecast.ts'
import * as todayTaskIndex from './2026-12-04T1500-today-task-index.ts'
import * as telescopeSnapshots from './2026-12-05T0900-telescope-snapshots.ts'

/** Every migration, in order. Files are frozen once merged; add new ones at the end. */
export const migrations: Record<string, Migration> = {
  '2026-11-26T1900-foundation': foundation,
  '2026-11-26T2000-crm-records': crmRecords,
  '2026-11-26T2110-contact-list-indexes': contactListIndexes,
  '2026-11-26T2120-deal-product-indexes': dealProductIndexes,
  '2026-11-26T2130-touchpoint-activity-index': touchpointActivityIndex,
  '2026-11-27T0030-import-keys': importKeys,
  '2026-11-27T0100-imports': imports,
  '2026-11-27T0110-merges': merges,
  '2026-11-27T0120-duplicate-keys': duplicateKeys,
  '2026-11-27T0130-external-id-first': externalIdFirst,
  '2026-11-27T0200-write-keys': writeKeys,
  '2026-11-27T0600-ingestion': ingestion,
  '2026-11-27T0700-touchpoint-imports': touchpointImports,
  '2026-11-27T0900-ingest-inbox': ingestInbox,
  '2026-11-27T1100-ingest-rejections': ingestRejections,
  '2026-11-27T1200-tracking-settings': trackingSettings,
  '2026-11-27T1300-forms': forms,
  '2026-11-27T1400-privacy': privacy,
  '2026-11-27T1500-handoffs': handoffs,
  '2026-11-28T0900-bridge': bridge,
  '2026-11-29T0900-scores': scores,
  '2026-11-30T0900-predictive': predictive,
  '2026-12-01T0900-attribution': attribution,
  '2026-12-02T0900-attribution-incremental': attributionIncremental,
  '2026-12-03T0900-contribution-dates': contributionDates,
  '2026-12-04T0900-targets-forecast': targetsForecast,
  '2026-12-04T1500-today-task-index': todayTaskIndex,
  '2026-12-05T0900-telescope-snapshots': telescopeSnapshots,
}
