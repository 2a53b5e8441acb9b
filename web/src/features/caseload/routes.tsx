import type { RouteObject } from 'react-router';
import { RequireRole } from '../../app/guards.tsx';
import { CaseloadPage } from './caseload-page.tsx';
import { HandOverPage } from './hand-over-page.tsx';
import { PathwaySettingsPage } from './pathway-settings-page.tsx';
import { PersonPage } from './person-page.tsx';
import { TeamCaseloadsPage } from './team-caseloads-page.tsx';
import { WaitingListPage } from './waiting-list-page.tsx';

/** Pages of this feature, mounted by the app router inside the signed-in, acting-organisation area. */
export const caseloadRoutes: RouteObject[] = [
  {
    element: (
      <RequireRole roles={['link_worker', 'lead_link_worker']} what="link workers and lead link workers" />
    ),
    children: [
      { path: '/caseload', element: <CaseloadPage /> },
      { path: '/people/:id', element: <PersonPage /> },
    ],
  },
  {
    element: <RequireRole roles={['lead_link_worker']} what="lead link workers" />,
    children: [
      { path: '/caseloads', element: <TeamCaseloadsPage /> },
      { path: '/caseloads/:id/hand-over', element: <HandOverPage /> },
      { path: '/pathway-settings', element: <PathwaySettingsPage /> },
      { path: '/waiting-list', element: <WaitingListPage /> },
    ],
  },
];
