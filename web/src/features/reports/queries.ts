import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  OperationalOptions,
  OperationalReport,
  PopulationLoadResult,
} from '../../../../src/modules/reporting/contract.ts';
import { api, withQuery } from '../../app/api.ts';
import { sendFile } from '../research/coding-queries.ts';
import type { ReportQuery } from './report-values.ts';

/*
 * The operational report's API (/api/reports/…), typed by the server's contract (type-only imports: nothing of
 * the server reaches the bundle).
 */

export type { OperationalOptions, OperationalReport, PopulationLoadResult };

const reportsKey = ['reports'] as const;

/** The organisations the report can be run for, within reach, and the default period. */
export function useReportOptions() {
  return useQuery({
    queryKey: [...reportsKey, 'options'],
    queryFn: () => api.get<OperationalOptions>('/api/reports/operational/options'),
  });
}

/** The report for a question (every value a string, as in the address); null waits. */
export function useOperationalReport(query: ReportQuery | null) {
  return useQuery({
    queryKey: [...reportsKey, 'operational', query],
    queryFn: () => api.get<OperationalReport>(withQuery('/api/reports/operational', { ...query })),
    enabled: query !== null,
  });
}

/** Where the whole report downloads as CSV (a line per figure) or an Excel workbook (a sheet per table). */
export const reportDownloadPath = (format: 'csv' | 'xlsx', query: ReportQuery) =>
  withQuery(`/api/reports/operational.${format}`, { ...query });

/** Loads a practice population CSV as it is; the reports read afresh, with the new denominators. */
export function useLoadPopulations(csrfToken: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) =>
      sendFile<PopulationLoadResult>('/api/reports/practice-populations', file, 'text/csv', csrfToken),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: reportsKey });
    },
  });
}
