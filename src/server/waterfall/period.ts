/**
 * The planner's periods are the forecast's (src/server/forecast/period.ts): a month or a fiscal
 * quarter of the workspace calendar, with its first and day-after-last local dates as the targets
 * table stores them; named here as the planner and the leader view use them.
 */
export {
  type ForecastCalendar as WorkspaceCalendar,
  type ForecastPeriod as PlanPeriod,
  type ForecastPeriodKind as PlanPeriodKind,
  forecastCalendar as loadCalendar,
  forecastPeriod as planPeriod,
  forecastPeriodAt as planPeriodAt,
  forecastPeriodKinds as planPeriodKinds,
  localDay,
} from '../forecast/period.ts'
