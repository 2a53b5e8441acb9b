import type { RouteObject } from 'react-router';
import { RequireRole } from '../../app/guards.tsx';
import { ConnectPage } from './connect-page.tsx';
import { RequireDirectoryEditor } from './directory-parts.tsx';
import { FindServicesPage } from './find-services-page.tsx';
import { NeedsPage, NeedTermsPage } from './needs-pages.tsx';
import { ServiceEditPage, ServiceNewPage } from './service-edit-page.tsx';
import { ServicePage } from './service-page.tsx';
import { DirectorySettingsPage } from './settings-page.tsx';
import { DirectoryTasksPage } from './tasks-page.tsx';
import './directory.scss';

/** Pages of this feature, mounted by the app router inside the signed-in, acting-organisation area. */
export const directoryRoutes: RouteObject[] = [
  {
    element: (
      <RequireRole
        roles={['link_worker', 'lead_link_worker', 'referrer', 'directory_manager', 'admin']}
        what="link workers, referrers, directory managers and administrators"
      />
    ),
    children: [
      { path: '/directory', element: <FindServicesPage /> },
      { path: '/directory/services/:id', element: <ServicePage /> },
    ],
  },
  {
    element: (
      <RequireRole
        roles={['link_worker', 'lead_link_worker', 'directory_manager', 'admin']}
        what="link workers, directory managers and administrators"
      />
    ),
    children: [{ path: '/directory/tasks', element: <DirectoryTasksPage /> }],
  },
  {
    element: <RequireDirectoryEditor />,
    children: [
      { path: '/directory/services/new', element: <ServiceNewPage /> },
      { path: '/directory/services/:id/edit', element: <ServiceEditPage /> },
      { path: '/directory/needs', element: <NeedsPage /> },
      { path: '/directory/needs/:need', element: <NeedTermsPage /> },
      { path: '/directory/settings', element: <DirectorySettingsPage /> },
    ],
  },
  {
    element: (
      <RequireRole roles={['link_worker', 'lead_link_worker']} what="link workers and lead link workers" />
    ),
    children: [{ path: '/episodes/:id/connect/:serviceId', element: <ConnectPage /> }],
  },
];
