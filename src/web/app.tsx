import { Navigate, Route, Routes } from 'react-router'
import { AccountPage } from './features/accounts/account-page.tsx'
import { AccountsPage } from './features/accounts/accounts-page.tsx'
import { ActivitiesPage } from './features/activities/activities-page.tsx'
import { AreaPage } from './features/areas/area-page.tsx'
import { areas } from './features/areas/areas.ts'
import { AttributionSettingsPage } from './features/attribution/attribution-settings-page.tsx'
import { AcceptInvitationPage } from './features/auth/accept-invitation-page.tsx'
import { ForgotPasswordPage } from './features/auth/forgot-password-page.tsx'
import { ResetPasswordPage } from './features/auth/reset-password-page.tsx'
import { SignInPage } from './features/auth/sign-in-page.tsx'
import { SignUpPage } from './features/auth/sign-up-page.tsx'
import { PipelineBoardPage } from './features/board/pipeline-board-page.tsx'
import { BridgePage } from './features/bridge/bridge-page.tsx'
import { FunnelPage } from './features/bridge/funnel-page.tsx'
import { DrillRecordsPage } from './features/bridge/records-page.tsx'
import { VoiceOfSalesPage } from './features/bridge/voice-of-sales-page.tsx'
import { CampaignPage } from './features/campaigns/campaign-page.tsx'
import { CampaignsPage } from './features/campaigns/campaigns-page.tsx'
import { CustomFieldsPage } from './features/catalog/custom-fields-page.tsx'
import { ExchangeRatesPage } from './features/catalog/exchange-rates-page.tsx'
import { PipelinesPage } from './features/catalog/pipelines-page.tsx'
import { ProductsPage } from './features/catalog/products-page.tsx'
import { TeamsPage } from './features/catalog/teams-page.tsx'
import { TrashPage } from './features/catalog/trash-page.tsx'
import { ContactPage } from './features/contacts/contact-page.tsx'
import { ContactsPage } from './features/contacts/contacts-page.tsx'
import { DealPage } from './features/deals/deal-page.tsx'
import { DealsPage } from './features/deals/deals-page.tsx'
import { FeedbackSettingsPage } from './features/feedback/feedback-settings-page.tsx'
import { ForecastPage } from './features/forecast/forecast-page.tsx'
import { FormPage } from './features/forms/form-page.tsx'
import { FormsPage } from './features/forms/forms-page.tsx'
import { ImportPage } from './features/imports/import-page.tsx'
import { HandoffPage } from './features/inbox/handoff-page.tsx'
import { InboxPage } from './features/inbox/inbox-page.tsx'
import { SlaReportPage } from './features/inbox/sla-report-page.tsx'
import { LeaderPage } from './features/leader/leader-page.tsx'
import { DuplicatesPage } from './features/merges/duplicates-page.tsx'
import { MqlSettingsPage } from './features/mql/mql-settings-page.tsx'
import { NotificationsPage } from './features/notifications/notifications-page.tsx'
import { OutlookPage } from './features/outlook/outlook-page.tsx'
import { PredictivePage } from './features/predictive/predictive-page.tsx'
import { RegretPage } from './features/regret/regret-page.tsx'
import { RoutingPage } from './features/routing/routing-page.tsx'
import { ScoringSettingsPage } from './features/scoring/scoring-settings-page.tsx'
import { ApiKeysPage } from './features/settings/api-keys-page.tsx'
import { AuditLogPage } from './features/settings/audit-log-page.tsx'
import { MembersPage } from './features/settings/members-page.tsx'
import { SettingsLayout } from './features/settings/settings-layout.tsx'
import { TrackingPage } from './features/settings/tracking-page.tsx'
import { WorkspaceSettingsPage } from './features/settings/workspace-settings-page.tsx'
import { NotFoundPage } from './features/shell/not-found-page.tsx'
import { RequireSession } from './features/shell/require-session.tsx'
import { RootRedirect } from './features/shell/root-redirect.tsx'
import { ShellLayout } from './features/shell/shell-layout.tsx'
import { SlaPage } from './features/sla/sla-page.tsx'
import { TargetsPage } from './features/targets/targets-page.tsx'
import { AttributionDrillPage } from './features/telescope/attribution-drill-page.tsx'
import { TelescopePage } from './features/telescope/telescope-page.tsx'
import { TeamTodayPage } from './features/today/team-today-page.tsx'
import { TodayPage } from './features/today/today-page.tsx'
import { ChangesPage } from './features/trends/changes-page.tsx'
import { PlanPage } from './features/waterfall/plan-page.tsx'
import { WebhooksPage } from './features/webhooks/webhooks-page.tsx'

export function App() {
  return (
    <Routes>
      <Route path="/" element={<RootRedirect />} />
      <Route path="/sign-in" element={<SignInPage />} />
      <Route path="/sign-up" element={<SignUpPage />} />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route path="/invite/:token" element={<AcceptInvitationPage />} />
      <Route element={<RequireSession />}>
        <Route element={<ShellLayout />}>
          {areas
            .filter((area) => !['/bridge', '/telescope', '/microscope'].includes(area.path))
            .map((area) => (
              <Route key={area.path} path={area.path} element={<AreaPage area={area} />} />
            ))}
          <Route path="/microscope" element={<TodayPage />} />
          <Route path="/microscope/team" element={<TeamTodayPage />} />
          <Route path="/microscope/accounts" element={<AccountsPage />} />
          <Route
            path="/microscope/accounts/duplicates"
            element={<DuplicatesPage entity="account" />}
          />
          <Route path="/microscope/accounts/:id" element={<AccountPage />} />
          <Route path="/microscope/contacts" element={<ContactsPage />} />
          <Route
            path="/microscope/contacts/duplicates"
            element={<DuplicatesPage entity="contact" />}
          />
          <Route path="/microscope/contacts/:id" element={<ContactPage />} />
          <Route path="/microscope/deals" element={<DealsPage />} />
          <Route path="/microscope/deals/:id" element={<DealPage />} />
          <Route path="/microscope/pipeline" element={<PipelineBoardPage />} />
          <Route path="/microscope/forecast" element={<ForecastPage />} />
          <Route path="/microscope/activities" element={<ActivitiesPage />} />
          <Route path="/microscope/targets" element={<TargetsPage />} />
          <Route path="/microscope/inbox" element={<InboxPage />} />
          <Route path="/microscope/inbox/:id" element={<HandoffPage />} />
          <Route path="/bridge" element={<BridgePage />} />
          <Route path="/bridge/sla" element={<SlaReportPage />} />
          <Route path="/bridge/voice-of-sales" element={<VoiceOfSalesPage />} />
          <Route path="/bridge/funnel" element={<FunnelPage />} />
          <Route path="/bridge/plan" element={<PlanPage />} />
          <Route path="/bridge/records" element={<DrillRecordsPage />} />
          <Route path="/reports/regret" element={<RegretPage />} />
          <Route path="/reports/predictive" element={<PredictivePage />} />
          <Route path="/telescope" element={<TelescopePage />} />
          <Route path="/telescope/attribution" element={<AttributionDrillPage />} />
          <Route path="/telescope/campaigns" element={<CampaignsPage />} />
          <Route path="/telescope/campaigns/:id" element={<CampaignPage />} />
          <Route path="/telescope/forms" element={<FormsPage />} />
          <Route path="/telescope/forms/new" element={<FormPage />} />
          <Route path="/telescope/forms/:id" element={<FormPage />} />
          <Route path="/telescope/outlook" element={<OutlookPage />} />
          <Route path="/telescope/changes" element={<ChangesPage />} />
          <Route path="/notifications" element={<NotificationsPage />} />
          <Route path="/leader" element={<LeaderPage />} />
          <Route path="/settings" element={<SettingsLayout />}>
            <Route index element={<Navigate to="/settings/workspace" replace />} />
            <Route path="workspace" element={<WorkspaceSettingsPage />} />
            <Route path="members" element={<MembersPage />} />
            <Route path="api-keys" element={<ApiKeysPage />} />
            <Route path="tracking" element={<TrackingPage />} />
            <Route path="sla" element={<SlaPage />} />
            <Route path="mql" element={<MqlSettingsPage />} />
            <Route path="objections" element={<FeedbackSettingsPage />} />
            <Route path="scoring" element={<ScoringSettingsPage />} />
            <Route path="attribution" element={<AttributionSettingsPage />} />
            <Route path="write-keys" element={<Navigate to="/settings/tracking" replace />} />
            <Route path="audit-log" element={<AuditLogPage />} />
            <Route path="teams" element={<TeamsPage />} />
            <Route path="routing" element={<RoutingPage />} />
            <Route path="pipelines" element={<PipelinesPage />} />
            <Route path="products" element={<ProductsPage />} />
            <Route path="custom-fields" element={<CustomFieldsPage />} />
            <Route path="exchange-rates" element={<ExchangeRatesPage />} />
            <Route path="trash" element={<TrashPage />} />
            <Route path="import" element={<ImportPage />} />
            <Route path="webhooks" element={<WebhooksPage />} />
          </Route>
        </Route>
      </Route>
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  )
}
