import type { RouteObject } from 'react-router';
import { RequireRole } from '../../app/guards.tsx';
import { RealistCmocPage } from './realist-cmoc-page.tsx';
import { RealistCrossCasePage } from './realist-cross-case-page.tsx';
import { RealistHistoryPage } from './realist-history-page.tsx';
import { RealistRamesesPage } from './realist-rameses-page.tsx';
import { RealistTheoryPage } from './realist-theory-page.tsx';
import './realist.scss';

/**
 * The realist analysis pages of a study: its programme theory, each configuration (evidence, judgement,
 * refinement, history), how the theory changed, the cross-case matrix and the RAMESES II checklist. Mounted inside
 * the signed-in, acting-organisation area beside `researchRoutes`; inside a study the API decides by study role.
 */
export const researchRealistRoutes: RouteObject[] = [
  {
    element: <RequireRole roles={['researcher']} what="researchers" />,
    children: [
      { path: '/research/studies/:id/theory', element: <RealistTheoryPage /> },
      { path: '/research/studies/:id/theory/history', element: <RealistHistoryPage /> },
      { path: '/research/studies/:id/cross-case', element: <RealistCrossCasePage /> },
      { path: '/research/studies/:id/rameses', element: <RealistRamesesPage /> },
      { path: '/research/cmocs/:id', element: <RealistCmocPage /> },
    ],
  },
];
