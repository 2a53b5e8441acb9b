import { useQuery } from '@tanstack/react-query';
import type {
  ChangeReport,
  ChangeReportOptions,
  ChangeRow,
} from '../../../../src/modules/outcomes/report.ts';
import { api, withQuery } from '../../app/api.ts';

export type { ChangeReport, ChangeReportOptions, ChangeRow };

export const changeReportKey = ['outcomes', 'change'] as const;
const optionsKey = [...changeReportKey, 'options'] as const;

/** What the change table can be filtered by, within the signed-in person's reach. */
export function useChangeReportOptions() {
  return useQuery({
    queryKey: optionsKey,
    queryFn: () => api.get<ChangeReportOptions>('/api/outcomes/change/options'),
  });
}

/** The change table for the page's query (every value a string, as in the address). */
export function useChangeReport(query: Record<string, string>, options: { enabled: boolean }) {
  return useQuery({
    queryKey: [...changeReportKey, query],
    queryFn: () => api.get<ChangeReport>(withQuery('/api/outcomes/change', query)),
    enabled: options.enabled,
  });
}

/** Where the same table downloads as CSV or XLSX. */
export const changeReportDownloadPath = (format: 'csv' | 'xlsx', query: Record<string, string>) =>
  withQuery(`/api/outcomes/change.${format}`, query);
