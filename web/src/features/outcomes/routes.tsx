import type { RouteObject } from 'react-router';
import { RequireRole } from '../../app/guards.tsx';
import { MessagesPage } from '../messaging/messages-page.tsx';
import { ChangeReportPage } from './change-report-page.tsx';
import { CompletionLinkPage } from './completion-link-page.tsx';
import { FollowUpsPage } from './follow-ups-page.tsx';
import { InstrumentNewPage, InstrumentsPage, LicencePage } from './instruments-page.tsx';
import { MeasureNewPage } from './measure-new-page.tsx';
import { MeasuresDuePage } from './measures-due-page.tsx';
import { OutcomeSettingsPage } from './settings-page.tsx';

/** Pages of the outcome measures feature, mounted inside the signed-in, acting-organisation area. */
export const outcomesRoutes: RouteObject[] = [
  {
    element: (
      <RequireRole roles={['link_worker', 'lead_link_worker']} what="link workers and lead link workers" />
    ),
    children: [
      { path: '/episodes/:id/measures/new', element: <MeasureNewPage /> },
      { path: '/episodes/:id/measures/link', element: <CompletionLinkPage /> },
      { path: '/outcomes/due', element: <MeasuresDuePage /> },
      { path: '/outcomes/follow-ups', element: <FollowUpsPage /> },
    ],
  },
  {
    // The PCN's questionnaires and follow-up windows (GET and PUT /api/outcome-settings).
    element: (
      <RequireRole roles={['lead_link_worker', 'admin']} what="lead link workers and administrators" />
    ),
    children: [{ path: '/outcomes/settings', element: <OutcomeSettingsPage /> }],
  },
  {
    // Adding an organisation's own questionnaire and recording licences are for administrators.
    element: <RequireRole roles={['admin']} what="administrators" />,
    children: [
      { path: '/outcomes/instruments', element: <InstrumentsPage /> },
      { path: '/outcomes/instruments/new', element: <InstrumentNewPage /> },
      { path: '/outcomes/instruments/:code/licence', element: <LicencePage /> },
    ],
  },
  {
    element: (
      <RequireRole
        roles={['lead_link_worker', 'admin', 'commissioner']}
        what="lead link workers, administrators and commissioners"
      />
    ),
    children: [{ path: '/outcomes/change', element: <ChangeReportPage /> }],
  },
  {
    // The message outbox (and, in development, the inbox the development transport writes to).
    element: (
      <RequireRole roles={['admin', 'lead_link_worker']} what="administrators and lead link workers" />
    ),
    children: [{ path: '/messages', element: <MessagesPage /> }],
  },
];
