import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  LinkWorkerContext,
  linkWorkerProfile,
  linkWorkerSummary,
} from '../../../../src/modules/link-workers/contract.ts';
import { api, withQuery } from '../../app/api.ts';

export type LinkWorkerSummary = z.infer<typeof linkWorkerSummary>;
export type LinkWorkerProfile = z.infer<typeof linkWorkerProfile>;

export const linkWorkersKey = ['link-workers'] as const;

export function useLinkWorkers() {
  return useQuery({
    queryKey: linkWorkersKey,
    queryFn: async () => (await api.get<{ items: LinkWorkerSummary[] }>('/api/link-workers')).items,
  });
}

export function useLinkWorker(id: string) {
  return useQuery({
    queryKey: [...linkWorkersKey, id],
    queryFn: () => api.get<LinkWorkerProfile>(`/api/link-workers/${encodeURIComponent(id)}`),
  });
}

/** The context that applied on a date (`YYYY-MM-DD`); a 404 problem when none was recorded. */
export function useContextOn(id: string, date: string | null) {
  return useQuery({
    queryKey: [...linkWorkersKey, id, 'on', date],
    queryFn: () =>
      api.get<LinkWorkerContext>(withQuery(`/api/link-workers/${encodeURIComponent(id)}/context`, { date })),
    enabled: date !== null,
  });
}
