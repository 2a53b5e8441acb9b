import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LinkWorkerContext } from '../../../../src/modules/link-workers/contract.ts';
import type {
  addCase,
  addParticipant,
  caseCandidates,
  followUps,
  getParticipant,
  getStudy,
  listCollections,
  listParticipants,
  listStudies,
  teamCandidates,
} from '../../../../src/modules/research/service.ts';
import { api } from '../../app/api.ts';

/*
 * The research workspace's API (/api/research/…), with the shapes taken from the server's own service types so
 * the two cannot drift apart (type-only imports: nothing of the server reaches the bundle).
 */

type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

export type StudySummary = Result<typeof listStudies>[number];
type StudyOnServer = Result<typeof getStudy>;
/** A case with its link worker's implementation context when it began and, if it changed, when it ended. */
export type StudyCase = Omit<StudyOnServer['cases'][number], 'contextAtStart' | 'contextAtEnd'> & {
  contextAtStart?: LinkWorkerContext | null;
  contextAtEnd?: LinkWorkerContext | null;
};
export type Study = Omit<StudyOnServer, 'cases'> & { cases: StudyCase[] };
export type TeamCandidate = Result<typeof teamCandidates>[number];
export type CaseCandidate = Result<typeof caseCandidates>[number];
export type ParticipantSummary = Result<typeof listParticipants>[number];
export type Participant = Result<typeof getParticipant>;
export type Collection = Result<typeof listCollections>[number];
export type FollowUps = Result<typeof followUps>;
export type FollowUp = FollowUps['items'][number];

const researchKey = ['research'] as const;
const studiesKey = [...researchKey, 'studies'] as const;
const studyKey = (id: string) => [...researchKey, 'study', id] as const;
const participantKey = (id: string) => [...researchKey, 'participant', id] as const;

const studyPath = (id: string) => `/api/research/studies/${encodeURIComponent(id)}`;
const participantPath = (id: string) => `/api/research/participants/${encodeURIComponent(id)}`;

/** Paths of the research pages, in one place. */
export const researchPaths = {
  studies: '/research',
  newStudy: '/research/studies/new',
  study: (id: string) => `/research/studies/${id}`,
  newCase: (id: string) => `/research/studies/${id}/cases/new`,
  participants: (id: string) => `/research/studies/${id}/participants`,
  interviews: (id: string) => `/research/studies/${id}/interviews`,
  newInterview: (id: string) => `/research/studies/${id}/interviews/new`,
  followUps: (id: string) => `/research/studies/${id}/follow-ups`,
  /** A participant's page; the study is carried along so the page can link back and knows your role. */
  participant: (id: string, studyId: string | null) =>
    `/research/participants/${id}${studyId ? `?study=${encodeURIComponent(studyId)}` : ''}`,
  withdrawal: (id: string, studyId: string | null) =>
    `/research/participants/${id}/withdrawal${studyId ? `?study=${encodeURIComponent(studyId)}` : ''}`,
};

export function useStudies() {
  return useQuery({
    queryKey: studiesKey,
    queryFn: async () => (await api.get<{ items: StudySummary[] }>('/api/research/studies')).items,
  });
}

export function useStudy(id: string | null) {
  return useQuery({
    queryKey: studyKey(id ?? ''),
    queryFn: () => api.get<Study>(studyPath(id ?? '')),
    enabled: !!id,
  });
}

export function useTeamCandidates(studyId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...studyKey(studyId), 'team-candidates'],
    queryFn: async () =>
      (await api.get<{ items: TeamCandidate[] }>(`${studyPath(studyId)}/team-candidates`)).items,
    enabled,
  });
}

export function useCaseCandidates(studyId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...studyKey(studyId), 'case-candidates'],
    queryFn: async () =>
      (await api.get<{ items: CaseCandidate[] }>(`${studyPath(studyId)}/case-candidates`)).items,
    enabled,
  });
}

export function useParticipants(studyId: string) {
  return useQuery({
    queryKey: [...studyKey(studyId), 'participants'],
    queryFn: async () =>
      (await api.get<{ items: ParticipantSummary[] }>(`${studyPath(studyId)}/participants`)).items,
  });
}

export function useParticipant(id: string) {
  return useQuery({
    queryKey: participantKey(id),
    queryFn: () => api.get<Participant>(participantPath(id)),
  });
}

export function useCollections(studyId: string) {
  return useQuery({
    queryKey: [...studyKey(studyId), 'collections'],
    queryFn: async () => (await api.get<{ items: Collection[] }>(`${studyPath(studyId)}/collections`)).items,
  });
}

export function useFollowUps(studyId: string) {
  return useQuery({
    queryKey: [...studyKey(studyId), 'follow-ups'],
    queryFn: () => api.get<FollowUps>(`${studyPath(studyId)}/follow-ups`),
  });
}

/** A write to the research API; afterwards every research page reads afresh (they all show a little of it). */
function useResearchWrite<Body, Out>(write: (body: Body) => Promise<Out>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: researchKey }),
  });
}

export const useCreateStudy = () =>
  useResearchWrite((body: unknown) => api.post<Study>('/api/research/studies', body));

export const useSetMember = (studyId: string) =>
  useResearchWrite((body: { userId: string; role: string }) =>
    api.put<Study>(`${studyPath(studyId)}/members`, body),
  );

export const useRemoveMember = (studyId: string) =>
  useResearchWrite((userId: string) =>
    api.delete<Study>(`${studyPath(studyId)}/members/${encodeURIComponent(userId)}`),
  );

export const useAddSite = (studyId: string) =>
  useResearchWrite((body: { name: string; description?: string }) =>
    api.post<{ id: string }>(`${studyPath(studyId)}/sites`, body),
  );

export const useAddCase = (studyId: string) =>
  useResearchWrite((body: unknown) => api.post<Result<typeof addCase>>(`${studyPath(studyId)}/cases`, body));

export const useAddParticipant = (studyId: string) =>
  useResearchWrite((body: unknown) =>
    api.post<Result<typeof addParticipant>>(`${studyPath(studyId)}/participants`, body),
  );

export const useRecordConsent = (participantId: string) =>
  useResearchWrite((body: unknown) =>
    api.post<Participant>(`${participantPath(participantId)}/consents`, body),
  );

export const useUpdateContact = (participantId: string) =>
  useResearchWrite((body: unknown) =>
    api.put<Participant>(`${participantPath(participantId)}/contact`, body),
  );

export const useWithdraw = (participantId: string) =>
  useResearchWrite((body: unknown) =>
    api.post<Participant>(`${participantPath(participantId)}/withdrawal`, body),
  );

export const useScheduleCollection = (studyId: string) =>
  useResearchWrite((body: unknown) => api.post<Collection>(`${studyPath(studyId)}/collections`, body));

export const useUpdateCollection = () =>
  useResearchWrite(
    (input: { id: string; body: { status: string; heldOn: string | null; version: number } }) =>
      api.patch<Collection>(`/api/research/collections/${encodeURIComponent(input.id)}`, input.body),
  );
