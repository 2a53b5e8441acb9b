import { type QueryClient, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  caseload,
  caseloadQuery,
  caseloadSummary,
  flag,
  personRecord,
  settings,
  timelineItem,
  waitingList,
} from '../../../../src/modules/pathway/contract.ts';
import { api, withQuery } from '../../app/api.ts';

export type Caseload = z.infer<typeof caseload>;
export type CaseloadSummary = z.infer<typeof caseloadSummary>;
export type CaseloadSummaryRow = CaseloadSummary['linkWorkers'][number];
export type PathwaySettings = z.infer<typeof settings>;
export type PersonRecord = z.infer<typeof personRecord>;
export type Flag = z.infer<typeof flag>;
export type TimelineItem = z.infer<typeof timelineItem>;
/** The caseload filters as they appear in the page's address: every value optional. */
export type CaseloadFilters = Partial<Record<keyof z.input<typeof caseloadQuery>, string>>;

export const caseloadKey = ['caseload'] as const;
export const caseloadsKey = ['caseloads'] as const;
export const pathwaySettingsKey = ['pathway-settings'] as const;
export const peopleKey = ['people'] as const;

/** One link worker's caseload: the signed-in link worker's own unless a lead asks for someone else's. */
export function useCaseload(filters: CaseloadFilters) {
  return useQuery({
    queryKey: [...caseloadKey, filters],
    queryFn: () => api.get<Caseload>(withQuery('/api/caseload', filters)),
  });
}

/** Every link worker in the PCN with the size of their caseload (leads only). */
export function useCaseloads(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: caseloadsKey,
    queryFn: () => api.get<CaseloadSummary>('/api/caseloads'),
    enabled: options.enabled ?? true,
  });
}

export function usePathwaySettings() {
  return useQuery({
    queryKey: pathwaySettingsKey,
    queryFn: () => api.get<PathwaySettings>('/api/pathway-settings'),
  });
}

export function usePerson(id: string) {
  return useQuery({
    queryKey: [...peopleKey, id],
    queryFn: () => api.get<PersonRecord>(`/api/people/${encodeURIComponent(id)}`),
  });
}

/** After a change to who holds which episode, or to a flag: every caseload view is out of date. */
export async function invalidateCaseloads(queryClient: QueryClient): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: caseloadKey }),
    queryClient.invalidateQueries({ queryKey: caseloadsKey }),
  ]);
}

export type WaitingList = z.infer<typeof waitingList>;
export type WaitingListItem = WaitingList['items'][number];

export const waitingListKey = ['waiting-list'] as const;

/** Everyone in the PCN not yet reached for a first contact, longest wait first (leads only). */
export function useWaitingList() {
  return useQuery({
    queryKey: waitingListKey,
    queryFn: () => api.get<WaitingList>('/api/waiting-list'),
  });
}
