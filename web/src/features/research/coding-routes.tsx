import type { RouteObject } from 'react-router';
import { RequireRole } from '../../app/guards.tsx';
import { AgreementPage } from './agreement-page.tsx';
import { CodebookPage } from './codebook-page.tsx';
import { CodingPage } from './coding-page.tsx';
import { MatrixPage } from './matrix-page.tsx';
import { RecordingsPage } from './recordings-page.tsx';
import { SegmentsPage } from './segments-page.tsx';
import { DeidentifyPage } from './sources-deidentify-page.tsx';
import { SourcesPage } from './sources-page.tsx';
import './coding.scss';

/**
 * The coding pages of the research workspace, for researchers at the organisation they act for; inside a study the
 * API decides by study role. A source's pages take `?study=<id>` (links always carry it).
 */
export const researchCodingRoutes: RouteObject[] = [
  {
    element: <RequireRole roles={['researcher']} what="researchers" />,
    children: [
      { path: '/research/studies/:id/sources', element: <SourcesPage /> },
      { path: '/research/studies/:id/codebook', element: <CodebookPage /> },
      { path: '/research/studies/:id/agreement', element: <AgreementPage /> },
      { path: '/research/studies/:id/segments', element: <SegmentsPage /> },
      { path: '/research/studies/:id/matrix', element: <MatrixPage /> },
      { path: '/research/studies/:id/recordings', element: <RecordingsPage /> },
      { path: '/research/sources/:id', element: <CodingPage /> },
      { path: '/research/sources/:id/deidentify', element: <DeidentifyPage /> },
    ],
  },
];
