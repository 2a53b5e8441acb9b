import type { RouteObject } from 'react-router';
import { RequireRole } from '../../app/guards.tsx';
import { CaseNewPage } from './case-new-page.tsx';
import { FollowUpsPage } from './follow-ups-page.tsx';
import { InterviewNewPage } from './interview-new-page.tsx';
import { InterviewsPage } from './interviews-page.tsx';
import { ParticipantPage } from './participant-page.tsx';
import { ParticipantsPage } from './participants-page.tsx';
import { StudiesPage } from './studies-page.tsx';
import { StudyNewPage } from './study-new-page.tsx';
import { StudyPage } from './study-page.tsx';
import { WithdrawalPage } from './withdrawal-page.tsx';
import './research.scss';

/**
 * The research workspace, mounted inside the signed-in, acting-organisation area: researchers at the organisation
 * they act for; inside a study the API decides by study role (lead, researcher, coder, read only).
 */
export const researchRoutes: RouteObject[] = [
  {
    element: <RequireRole roles={['researcher']} what="researchers" />,
    children: [
      { path: '/research', element: <StudiesPage /> },
      { path: '/research/studies/new', element: <StudyNewPage /> },
      { path: '/research/studies/:id', element: <StudyPage /> },
      { path: '/research/studies/:id/cases/new', element: <CaseNewPage /> },
      { path: '/research/studies/:id/participants', element: <ParticipantsPage /> },
      { path: '/research/studies/:id/interviews', element: <InterviewsPage /> },
      { path: '/research/studies/:id/interviews/new', element: <InterviewNewPage /> },
      { path: '/research/studies/:id/follow-ups', element: <FollowUpsPage /> },
      { path: '/research/participants/:id', element: <ParticipantPage /> },
      { path: '/research/participants/:id/withdrawal', element: <WithdrawalPage /> },
    ],
  },
];
