import type { RouteObject } from 'react-router';
import { RequireRole } from '../../app/guards.tsx';
import { AppointmentNewPage } from './appointment-new-page.tsx';
import { ContactNewPage } from './contact-new-page.tsx';
import { DischargePage } from './discharge-page.tsx';
import { EpisodePage } from './episode-page.tsx';
import { FirstContactPage } from './first-contact-page.tsx';
import { MessageBackPage } from './message-back-page.tsx';
import { PlanPage } from './plan-page.tsx';
import { PlanPrintPage } from './plan-print-page.tsx';
import { ReallocatePage } from './reallocate-page.tsx';
import { WhatMattersPage } from './what-matters-page.tsx';
import './episodes.scss';

/** Pages of this feature, mounted by the app router inside the signed-in, acting-organisation area. */
export const episodesRoutes: RouteObject[] = [
  {
    element: (
      <RequireRole roles={['link_worker', 'lead_link_worker']} what="link workers and lead link workers" />
    ),
    children: [
      { path: '/episodes/:id', element: <EpisodePage /> },
      { path: '/episodes/:id/first-contact', element: <FirstContactPage /> },
      { path: '/episodes/:id/contacts/new', element: <ContactNewPage /> },
      { path: '/episodes/:id/appointments/new', element: <AppointmentNewPage /> },
      { path: '/episodes/:id/what-matters', element: <WhatMattersPage /> },
      { path: '/episodes/:id/plan', element: <PlanPage /> },
      { path: '/episodes/:id/plan/print', element: <PlanPrintPage /> },
      { path: '/episodes/:id/discharge', element: <DischargePage /> },
    ],
  },
  {
    element: <RequireRole roles={['lead_link_worker']} what="lead link workers" />,
    children: [{ path: '/episodes/:id/reallocate', element: <ReallocatePage /> }],
  },
  {
    element: (
      <RequireRole
        roles={['referrer', 'link_worker', 'lead_link_worker']}
        what="referrers, link workers and lead link workers"
      />
    ),
    children: [{ path: '/referrals/:id/message-back', element: <MessageBackPage /> }],
  },
];
