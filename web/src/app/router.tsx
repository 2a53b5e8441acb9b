import { QueryClient } from '@tanstack/react-query';
import { createBrowserRouter } from 'react-router';
import { NotFoundPage } from '../components/problem-page.tsx';
import { AuditPage } from '../features/audit/audit-page.tsx';
import { caseloadRoutes } from '../features/caseload/routes.tsx';
import { directoryRoutes } from '../features/directory/routes.tsx';
import { episodesRoutes } from '../features/episodes/routes.tsx';
import { HomePage } from '../features/home/home-page.tsx';
import { AccountPage } from '../features/identity/account-page.tsx';
import { ActingOrganisationPage } from '../features/identity/acting-organisation-page.tsx';
import { SetPasswordPage } from '../features/identity/set-password-page.tsx';
import { SignInPage } from '../features/identity/sign-in-page.tsx';
import { TwoFactorPage } from '../features/identity/two-factor-page.tsx';
import { TwoFactorSetUpPage } from '../features/identity/two-factor-set-up-page.tsx';
import { insightRoutes } from '../features/insight/routes.tsx';
import { ContextNewPage } from '../features/link-workers/context-new-page.tsx';
import { LinkWorkerPage } from '../features/link-workers/link-worker-page.tsx';
import { LinkWorkersPage } from '../features/link-workers/link-workers-page.tsx';
import { OrganisationEditPage } from '../features/organisations/organisation-edit-page.tsx';
import { OrganisationNewPage } from '../features/organisations/organisation-new-page.tsx';
import { OrganisationsPage } from '../features/organisations/organisations-page.tsx';
import { outcomesRoutes } from '../features/outcomes/routes.tsx';
import { MyReferralsPage } from '../features/referrals/my-referrals-page.tsx';
import { ReferralNewPage } from '../features/referrals/referral-new-page.tsx';
import { SelfReferralPage } from '../features/referrals/self-referral-page.tsx';
import { TriagePage } from '../features/referrals/triage-page.tsx';
import { TriageReferralPage } from '../features/referrals/triage-referral-page.tsx';
import { reportsRoutes } from '../features/reports/routes.tsx';
import { researchCodingRoutes } from '../features/research/coding-routes.tsx';
import { researchRealistRoutes } from '../features/research/realist-routes.tsx';
import { researchRoutes } from '../features/research/routes.tsx';
import { RoleNewPage } from '../features/users/role-new-page.tsx';
import { UserEditPage } from '../features/users/user-edit-page.tsx';
import { UserNewPage } from '../features/users/user-new-page.tsx';
import { UserPage } from '../features/users/user-page.tsx';
import { UsersPage } from '../features/users/users-page.tsx';
import { ApiProblem, setSessionExpiredHandler } from './api.ts';
import { RequireActing, RequireRole, RequireSession } from './guards.tsx';
import { Layout } from './layout.tsx';
import { endSession } from './session.tsx';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal or a missing record will not change by asking again.
      retry: (failures, error) =>
        failures < 2 && !(error instanceof ApiProblem && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/sign-in', element: <SignInPage /> },
      { path: '/set-password', element: <SetPasswordPage /> },
      // Public: a person refers themself to their PCN's link worker service without signing in.
      { path: '/self-refer/:pcn', element: <SelfReferralPage /> },
      {
        element: <RequireSession stages={['mfa_required']} />,
        children: [{ path: '/sign-in/two-factor', element: <TwoFactorPage /> }],
      },
      {
        element: <RequireSession stages={['mfa_enrolment_required', 'complete']} />,
        children: [{ path: '/two-factor/set-up', element: <TwoFactorSetUpPage /> }],
      },
      {
        element: <RequireSession stages={['complete']} />,
        children: [
          { path: '/', element: <HomePage /> },
          { path: '/account', element: <AccountPage /> },
          { path: '/acting-organisation', element: <ActingOrganisationPage /> },
          {
            element: <RequireActing />,
            children: [
              { path: '/organisations', element: <OrganisationsPage /> },
              { path: '/organisations/new', element: <OrganisationNewPage /> },
              { path: '/organisations/:id', element: <OrganisationEditPage /> },
              { path: '/users', element: <UsersPage /> },
              { path: '/users/new', element: <UserNewPage /> },
              { path: '/users/:id', element: <UserPage /> },
              { path: '/users/:id/edit', element: <UserEditPage /> },
              { path: '/users/:id/roles/new', element: <RoleNewPage /> },
              { path: '/link-workers', element: <LinkWorkersPage /> },
              { path: '/link-workers/:id', element: <LinkWorkerPage /> },
              { path: '/link-workers/:id/contexts/new', element: <ContextNewPage /> },
              { path: '/audit', element: <AuditPage /> },
              ...caseloadRoutes,
              ...episodesRoutes,
              ...directoryRoutes,
              ...outcomesRoutes,
              ...researchRoutes,
              ...researchRealistRoutes,
              ...researchCodingRoutes,
              ...insightRoutes,
              ...reportsRoutes,
              {
                element: (
                  <RequireRole
                    roles={['referrer', 'link_worker', 'lead_link_worker']}
                    what="referrers, link workers and lead link workers"
                  />
                ),
                children: [
                  { path: '/referrals/new', element: <ReferralNewPage /> },
                  { path: '/referrals/mine', element: <MyReferralsPage /> },
                ],
              },
              {
                element: <RequireRole roles={['lead_link_worker']} what="lead link workers" />,
                children: [
                  { path: '/triage', element: <TriagePage /> },
                  { path: '/triage/:id', element: <TriageReferralPage /> },
                ],
              },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

// A 401 in the middle of a session means it ended while the person was away.
setSessionExpiredHandler(() => endSession(queryClient, 'inactive'));
