import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  connectionBody,
  connectionList,
  connectionStatusBody,
} from '../../../../src/modules/connections/contract.ts';
import type {
  directorySettings,
  directorySettingsBody,
  needTerms,
  needTermsBody,
  reportBody,
  resolveReportBody,
  searchResponse,
  serviceDetail,
  tasksResponse,
  taxonomyTermsResponse,
} from '../../../../src/modules/directory/contract.ts';
import type { Episode } from '../../../../src/modules/pathway/contract.ts';
import { api, withQuery } from '../../app/api.ts';
import { caseloadKey, peopleKey } from '../caseload/queries.ts';
import { episodeKey } from '../episodes/queries.ts';

export type SearchResponse = z.infer<typeof searchResponse>;
export type SearchResult = SearchResponse['items'][number];
export type ServiceDetail = z.infer<typeof serviceDetail>;
export type OpenReport = ServiceDetail['openReports'][number];
export type TasksResponse = z.infer<typeof tasksResponse>;
export type Task = TasksResponse['items'][number];
export type NeedTerms = z.infer<typeof needTerms>;
export type Need = NeedTerms['items'][number];
export type TaxonomyTerm = z.infer<typeof taxonomyTermsResponse>['items'][number];
export type DirectorySettings = z.infer<typeof directorySettings>;
export type ConnectionList = z.infer<typeof connectionList>;
export type Connection = ConnectionList['items'][number];
export type ConnectionInput = z.input<typeof connectionBody>;
export type ConnectionStatusInput = z.input<typeof connectionStatusBody>;

export const directoryKey = ['directory'] as const;
const searchKey = [...directoryKey, 'search'] as const;
export const serviceKey = (id: string) => [...directoryKey, 'services', id] as const;
const tasksKey = [...directoryKey, 'tasks'] as const;
const needsKey = [...directoryKey, 'needs'] as const;
const termsKey = [...directoryKey, 'terms'] as const;
const settingsKey = [...directoryKey, 'settings'] as const;
export const connectionsKey = (referralId: string) => ['connections', referralId] as const;

const servicePath = (id: string) => `/api/directory/services/${encodeURIComponent(id)}`;
const referralPath = (referralId: string) => `/api/referrals/${encodeURIComponent(referralId)}`;

/** The search, with the page's address as its query: every value a string, as typed. */
export function useDirectorySearch(query: Record<string, string>, options: { enabled: boolean }) {
  return useQuery({
    queryKey: [...searchKey, query],
    queryFn: () => api.get<SearchResponse>(withQuery('/api/directory/search', query)),
    enabled: options.enabled,
  });
}

export function useDirectoryService(id: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: serviceKey(id),
    queryFn: () => api.get<ServiceDetail>(servicePath(id)),
    enabled: options.enabled ?? true,
  });
}

export function useDirectoryTasks(page: number) {
  return useQuery({
    queryKey: [...tasksKey, page],
    queryFn: () => api.get<TasksResponse>(withQuery('/api/directory/tasks', { page, perPage: 25 })),
  });
}

/** The need domains with the kinds of service (taxonomy terms) that answer each. */
export function useDirectoryNeeds() {
  return useQuery({ queryKey: needsKey, queryFn: () => api.get<NeedTerms>('/api/directory/needs') });
}

export function useDirectoryTerms() {
  return useQuery({
    queryKey: termsKey,
    queryFn: async () => (await api.get<{ items: TaxonomyTerm[] }>('/api/directory/terms')).items,
    staleTime: 10 * 60_000,
  });
}

export function useDirectorySettings() {
  return useQuery({
    queryKey: settingsKey,
    queryFn: () => api.get<DirectorySettings>('/api/directory/settings'),
  });
}

/** The episode a search or connection is for; nothing is asked when there is none. */
export function useEpisodeFor(referralId: string | null) {
  return useQuery({
    queryKey: episodeKey(referralId ?? ''),
    queryFn: () => api.get<Episode>(`${referralPath(referralId ?? '')}/episode`),
    enabled: Boolean(referralId),
  });
}

/** Anything said about a service changes searches, tasks and the service itself. */
function invalidateDirectory(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: directoryKey });
}

export function useVerifyService(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (version: number) => api.post<{ version: number }>(`${servicePath(id)}/verify`, { version }),
    onSuccess: () => invalidateDirectory(queryClient),
  });
}

export function useReportService(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof reportBody>) =>
      api.post<{ id: string }>(`${servicePath(id)}/reports`, body),
    onSuccess: () => invalidateDirectory(queryClient),
  });
}

export function useResolveReport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ reportId, ...body }: z.input<typeof resolveReportBody> & { reportId: string }) =>
      api.post<void>(`/api/directory/reports/${encodeURIComponent(reportId)}/resolve`, body),
    onSuccess: () => invalidateDirectory(queryClient),
  });
}

/** Adds a service (no id yet) or replaces one with the version that was read. */
export function useSaveService(id: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ version, service }: { version: number | null; service: Record<string, unknown> }) =>
      id === null || version === null
        ? api.post<{ id: string; version: number }>('/api/directory/services', service)
        : api.put<{ id: string; version: number }>(servicePath(id), { version, service }),
    onSuccess: () => invalidateDirectory(queryClient),
  });
}

export function useSaveNeedTerms() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof needTermsBody>) => api.put<NeedTerms>('/api/directory/needs', body),
    onSuccess: async (updated) => {
      queryClient.setQueryData(needsKey, updated);
      await invalidateDirectory(queryClient);
    },
  });
}

export function useSaveDirectorySettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof directorySettingsBody>) =>
      api.put<DirectorySettings>('/api/directory/settings', body),
    onSuccess: async (updated) => {
      queryClient.setQueryData(settingsKey, updated);
      await Promise.all([
        invalidateDirectory(queryClient),
        queryClient.invalidateQueries({ queryKey: ['connections'] }),
        queryClient.invalidateQueries({ queryKey: caseloadKey }),
      ]);
    },
  });
}

// ---------- Connections: a person's episode and the services they were connected to ----------

export function useConnections(referralId: string) {
  return useQuery({
    queryKey: connectionsKey(referralId),
    queryFn: () => api.get<ConnectionList>(`${referralPath(referralId)}/connections`),
  });
}

/** A connection shows on the episode, the person's timeline, the caseload and the service's figures. */
async function afterConnectionWrite(queryClient: QueryClient, referralId: string): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: connectionsKey(referralId) }),
    queryClient.invalidateQueries({ queryKey: caseloadKey }),
    queryClient.invalidateQueries({ queryKey: peopleKey }),
    invalidateDirectory(queryClient),
  ]);
}

export function useConnect(referralId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ConnectionInput) =>
      api.post<{ id: string; version: number }>(`${referralPath(referralId)}/connections`, body),
    onSuccess: () => afterConnectionWrite(queryClient, referralId),
  });
}

export function useUpdateConnection(referralId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: ConnectionStatusInput & { id: string }) =>
      api.post<{ version: number }>(`/api/connections/${encodeURIComponent(id)}/status`, body),
    onSuccess: () => afterConnectionWrite(queryClient, referralId),
  });
}

/** Loads a person's connections again, e.g. after someone else changed one. */
export function useReloadConnections(referralId: string): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: connectionsKey(referralId) });
}

/** Loads a service again, e.g. after someone else changed it. */
export function useReloadService(id: string): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: serviceKey(id) });
}
