import type { RouteObject } from 'react-router';
import { RequireRole } from '../../app/guards.tsx';
import { ExplorerPage } from './explorer-page.tsx';
import { explorerPath } from './explorer-values.ts';
import './insight.scss';

/**
 * The "what works, for whom, in what circumstances" explorer, mounted inside the signed-in, acting-organisation
 * area. Its readers are the API's (EXPLORER_READERS); within it, researchers may also propose configurations.
 */
export const insightRoutes: RouteObject[] = [
  {
    element: (
      <RequireRole
        roles={['lead_link_worker', 'admin', 'commissioner', 'researcher']}
        what="lead link workers, administrators, commissioners and researchers"
      />
    ),
    children: [{ path: explorerPath, element: <ExplorerPage /> }],
  },
];
