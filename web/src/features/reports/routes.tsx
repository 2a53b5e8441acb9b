import type { RouteObject } from 'react-router';
import { RequireRole } from '../../app/guards.tsx';
import { MonthlySummaryPage } from './monthly-summary-page.tsx';
import { OperationalReportPage } from './operational-report-page.tsx';
import { reportPath, summaryPath } from './report-values.ts';
import './reports.scss';

/**
 * The operational report and its printable monthly summary, mounted inside the signed-in, acting-organisation
 * area. Their readers are the API's (REPORT_READERS): leads for their PCNs, administrators, and commissioners.
 */
export const reportsRoutes: RouteObject[] = [
  {
    element: (
      <RequireRole
        roles={['lead_link_worker', 'admin', 'commissioner']}
        what="lead link workers, administrators and commissioners"
      />
    ),
    children: [
      { path: reportPath, element: <OperationalReportPage /> },
      { path: summaryPath, element: <MonthlySummaryPage /> },
    ],
  },
];
