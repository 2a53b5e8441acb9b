import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { retrieveSegments } from '../../../../src/modules/research/analysis.ts';
import type { listCodes, listSources } from '../../../../src/modules/research/coding.ts';
import type {
  EvidenceStance,
  ParticipantRole,
  WorkPackageCode,
} from '../../../../src/modules/research/contract.ts';
import type {
  crossCaseMatrix,
  getCmoc,
  listCmocs,
  ramesesChecklist,
  theoryHistory,
} from '../../../../src/modules/research/realist.ts';
import { api, withQuery } from '../../app/api.ts';

/*
 * The realist analysis API (/api/research/…/cmocs, evidence, theory-history, cross-case, rameses), with shapes
 * taken from the server's own functions (type-only imports: nothing of the server reaches the bundle).
 */

type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

/** A configuration as the programme theory shows it now: its latest version with evidence counted. */
export type CmocSummary = Result<typeof listCmocs>[number];
/** A configuration with its evidence and every version. */
export type CmocDetail = Result<typeof getCmoc>;
export type CmocEvidence = CmocDetail['evidence'][number];
export type CmocVersion = CmocDetail['history'][number];
export type TheoryChange = Result<typeof theoryHistory>[number];
export type CrossCase = Result<typeof crossCaseMatrix>;
export type CrossCaseRow = CrossCase['rows'][number];
export type RamesesChecklist = Result<typeof ramesesChecklist>;
export type RamesesItem = RamesesChecklist['items'][number];
export type RetrievedSegments = Result<typeof retrieveSegments>;
export type CodedSegment = RetrievedSegments['segments']['listed'][number];
export type StudyCode = Result<typeof listCodes>[number];
export type StudySource = Result<typeof listSources>[number];

/** What the evidence form sends: a span of a source, how it bears on the configuration, and a note. */
export interface EvidenceBody {
  sourceId: string;
  start: number;
  end: number;
  stance: EvidenceStance;
  note: string | null;
}

export interface JudgementBody {
  status: 'proposed' | 'supported' | 'refuted';
  confidence: 'low' | 'moderate' | 'high' | null;
  memo: string | null;
  version: number;
}

/** A configuration's parts as the forms send them; the API writes the statement from them when it is null. */
export interface CmocBody {
  title: string;
  contexts: string[];
  mechanismResource: string;
  mechanismResponse: string;
  outcome: string;
  intervention: string | null;
  actor: string | null;
  statement: string | null;
}

export type RefinementBody = CmocBody & { reason: string; version: number };

export interface RamesesAnswer {
  item: number;
  reported: 'yes' | 'no' | 'unclear';
  location: string | null;
  note: string | null;
}

const researchKey = ['research'] as const;
const studyKey = (id: string) => [...researchKey, 'study', id] as const;
const cmocKey = (id: string) => [...researchKey, 'cmoc', id] as const;

const studyPath = (id: string) => `/api/research/studies/${encodeURIComponent(id)}`;
const cmocPath = (id: string) => `/api/research/cmocs/${encodeURIComponent(id)}`;

/** Paths of the realist analysis pages. A configuration's page carries its study, as a participant's does. */
export const realistPaths = {
  theory: (studyId: string) => `/research/studies/${studyId}/theory`,
  history: (studyId: string) => `/research/studies/${studyId}/theory/history`,
  crossCase: (studyId: string) => `/research/studies/${studyId}/cross-case`,
  rameses: (studyId: string) => `/research/studies/${studyId}/rameses`,
  cmoc: (id: string, studyId: string | null) =>
    `/research/cmocs/${id}${studyId ? `?study=${encodeURIComponent(studyId)}` : ''}`,
  /** The checklist as a PDF, straight from the API (a download, not a page). */
  ramesesPdf: (studyId: string) => `${studyPath(studyId)}/rameses.pdf`,
};

export function useCmocs(studyId: string) {
  return useQuery({
    queryKey: [...studyKey(studyId), 'cmocs'],
    queryFn: async () => (await api.get<{ items: CmocSummary[] }>(`${studyPath(studyId)}/cmocs`)).items,
  });
}

export function useCmoc(id: string) {
  return useQuery({ queryKey: cmocKey(id), queryFn: () => api.get<CmocDetail>(cmocPath(id)) });
}

export function useTheoryHistory(studyId: string) {
  return useQuery({
    queryKey: [...studyKey(studyId), 'theory-history'],
    queryFn: async () =>
      (await api.get<{ items: TheoryChange[] }>(`${studyPath(studyId)}/theory-history`)).items,
  });
}

export function useCrossCase(
  studyId: string,
  filters: { role: ParticipantRole | null; workPackage: WorkPackageCode | null },
) {
  return useQuery({
    queryKey: [...studyKey(studyId), 'cross-case', filters.role, filters.workPackage],
    queryFn: () =>
      api.get<CrossCase>(
        withQuery(`${studyPath(studyId)}/cross-case`, {
          role: filters.role,
          workPackage: filters.workPackage,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useRameses(studyId: string) {
  return useQuery({
    queryKey: [...studyKey(studyId), 'rameses'],
    queryFn: () => api.get<RamesesChecklist>(`${studyPath(studyId)}/rameses`),
  });
}

/** The codebook, to choose a code whose text may be evidence (only when the evidence form is open). */
export function useStudyCodes(studyId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...studyKey(studyId), 'codes'],
    queryFn: async () => (await api.get<{ items: StudyCode[] }>(`${studyPath(studyId)}/codes`)).items,
    enabled,
  });
}

export function useStudySources(studyId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...studyKey(studyId), 'sources'],
    queryFn: async () => (await api.get<{ items: StudySource[] }>(`${studyPath(studyId)}/sources`)).items,
    enabled,
  });
}

/** Text coded with a code (the visible coders' codings), from the retrieval API. */
export function useCodedSegments(studyId: string, codeId: string | null) {
  return useQuery({
    queryKey: [...studyKey(studyId), 'segments', codeId],
    queryFn: () =>
      api.get<RetrievedSegments>(withQuery(`${studyPath(studyId)}/segments`, { any: codeId ?? '' })),
    enabled: !!codeId,
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

export const useProposeCmoc = (studyId: string) =>
  useResearchWrite((body: CmocBody) => api.post<CmocDetail>(`${studyPath(studyId)}/cmocs`, body));

export const useAddEvidence = (cmocId: string) =>
  useResearchWrite((body: EvidenceBody) => api.post<CmocDetail>(`${cmocPath(cmocId)}/evidence`, body));

export const useRemoveEvidence = () =>
  useResearchWrite((evidenceId: string) =>
    api.delete<CmocDetail>(`/api/research/evidence/${encodeURIComponent(evidenceId)}`),
  );

export const useJudgeCmoc = (cmocId: string) =>
  useResearchWrite((body: JudgementBody) => api.put<CmocDetail>(`${cmocPath(cmocId)}/judgement`, body));

/**
 * Refining replaces the version on screen: the page moves to the new one before the old one is read afresh (were
 * the refetch awaited first, the form would be gone, and with it the move to the new version).
 */
export function useRefineCmoc(cmocId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RefinementBody) => api.post<CmocDetail>(`${cmocPath(cmocId)}/refinements`, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: researchKey });
    },
  });
}

export const useSaveRameses = (studyId: string) =>
  useResearchWrite((items: RamesesAnswer[]) =>
    api.put<RamesesChecklist>(`${studyPath(studyId)}/rameses`, { items }),
  );
