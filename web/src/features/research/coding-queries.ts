import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  agreementReport,
  caseCodeMatrix,
  retrieveSegments,
} from '../../../../src/modules/research/analysis.ts';
import type {
  getSource,
  listCodes,
  listMemos,
  listSources,
} from '../../../../src/modules/research/coding.ts';
import type { DisagreementResolution, MemoTarget } from '../../../../src/modules/research/contract.ts';
import type { ImportQdpxSummary } from '../../../../src/modules/research/exchange.ts';
import { ApiProblem, api, withQuery } from '../../app/api.ts';

/*
 * The API of the coding pages (/api/research/…): sources and their de-identification, the codebook, codings and
 * memos, agreement, retrieval and the case × code matrix. Shapes come from the server's own functions (type-only
 * imports). Every write makes every research page read afresh, as research-queries.ts does.
 */

type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

export type SourceSummary = Result<typeof listSources>[number];
export type Source = Result<typeof getSource>;
export type Candidate = Source['candidates'][number];
export type Coding = Source['codings'][number];
export type Code = Result<typeof listCodes>[number];
export type Memo = Result<typeof listMemos>[number];
export type Agreement = Result<typeof agreementReport>;
export type Segments = Result<typeof retrieveSegments>;
export type Matrix = Result<typeof caseCodeMatrix>;
export type MatrixCount = Matrix['count'];
export type { ImportQdpxSummary };

const researchKey = ['research'] as const;
const studyKey = (id: string) => [...researchKey, 'study', id] as const;
const sourceKey = (id: string) => [...researchKey, 'source', id] as const;

const studyApi = (id: string) => `/api/research/studies/${encodeURIComponent(id)}`;
const sourceApi = (id: string) => `/api/research/sources/${encodeURIComponent(id)}`;
const withStudy = (path: string, studyId: string | null) =>
  studyId ? `${path}?study=${encodeURIComponent(studyId)}` : path;

/** Paths of the coding pages. A source's pages carry their study along, as a participant's page does. */
export const codingPaths = {
  sources: (studyId: string) => `/research/studies/${studyId}/sources`,
  codebook: (studyId: string) => `/research/studies/${studyId}/codebook`,
  agreement: (studyId: string) => `/research/studies/${studyId}/agreement`,
  segments: (studyId: string) => `/research/studies/${studyId}/segments`,
  matrix: (studyId: string) => `/research/studies/${studyId}/matrix`,
  /** The coding view; `at` opens it at a stretch of the text (code point offsets), as `#c<start>-<end>`. */
  source: (id: string, studyId: string | null, at?: { start: number; end: number }) =>
    `${withStudy(`/research/sources/${id}`, studyId)}${at ? `#c${at.start}-${at.end}` : ''}`,
  deidentify: (id: string, studyId: string | null) =>
    withStudy(`/research/sources/${id}/deidentify`, studyId),
};

/** Where the API serves a study's downloads. */
export const codingDownloads = {
  exportQdpx: (studyId: string) => `${studyApi(studyId)}/export.qdpx`,
  matrix: (studyId: string, format: 'csv' | 'xlsx', query: Record<string, string>) =>
    withQuery(`${studyApi(studyId)}/matrix.${format}`, query),
  codebook: (studyId: string, format: 'qdc' | 'csv') => `${studyApi(studyId)}/codebook.${format}`,
  /** Coded text as quotes, from participants who agreed to anonymised quotes only. */
  quotes: (studyId: string, query: Record<string, string>) =>
    withQuery(`${studyApi(studyId)}/quotes.csv`, query),
};

/** Who in a study adds sources: its leads, researchers and transcribers. */
export const canUpload = (role: string) => role === 'lead' || role === 'researcher' || role === 'transcriber';

export function useSources(studyId: string) {
  return useQuery({
    queryKey: [...studyKey(studyId), 'sources'],
    queryFn: async () => (await api.get<{ items: SourceSummary[] }>(`${studyApi(studyId)}/sources`)).items,
  });
}

export function useSource(id: string) {
  return useQuery({ queryKey: sourceKey(id), queryFn: () => api.get<Source>(sourceApi(id)) });
}

export function useCodes(studyId: string) {
  return useQuery({
    queryKey: [...studyKey(studyId), 'codes'],
    queryFn: async () => (await api.get<{ items: Code[] }>(`${studyApi(studyId)}/codes`)).items,
  });
}

export function useCodingMemos(studyId: string) {
  return useQuery({
    queryKey: [...studyKey(studyId), 'memos', 'coding'],
    queryFn: async () =>
      (await api.get<{ items: Memo[] }>(withQuery(`${studyApi(studyId)}/memos`, { targetType: 'coding' })))
        .items,
  });
}

/** The memos on one thing: the study (no targetId), a case, a source or a code. */
export function useMemos(
  studyId: string,
  targetType: 'study' | 'case' | 'source' | 'code',
  targetId?: string,
) {
  return useQuery({
    queryKey: [...studyKey(studyId), 'memos', targetType, targetId ?? null],
    queryFn: async () =>
      (
        await api.get<{ items: Memo[] }>(
          withQuery(`${studyApi(studyId)}/memos`, { targetType, ...(targetId ? { targetId } : {}) }),
        )
      ).items,
  });
}

/** A report read with the page's query (every value a string, as in the address); off until it is complete. */
function useReport<T>(studyId: string, what: string, query: Record<string, string>, enabled: boolean) {
  return useQuery({
    queryKey: [...studyKey(studyId), what, query],
    queryFn: () => api.get<T>(withQuery(`${studyApi(studyId)}/${what}`, query)),
    enabled,
  });
}

export const useAgreement = (studyId: string, query: Record<string, string>, enabled: boolean) =>
  useReport<Agreement>(studyId, 'agreement', query, enabled);
export const useSegments = (studyId: string, query: Record<string, string>, enabled: boolean) =>
  useReport<Segments>(studyId, 'segments', query, enabled);
export const useMatrix = (studyId: string, query: Record<string, string>) =>
  useReport<Matrix>(studyId, 'matrix', query, true);

function useResearchWrite<Body, Out>(write: (body: Body) => Promise<Out>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    // Not awaited: a page keyed by a record's version remounts once the refetch lands, and a mutate() callback
    // (going on to the next page) would then never run.
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: researchKey });
    },
  });
}

/**
 * Sends a file's own bytes to the API (sources and .qdpx imports are not JSON), with the session's CSRF token,
 * and turns a refusal into the same ApiProblem the JSON calls throw.
 */
export async function sendFile<T>(
  path: string,
  file: Blob,
  contentType: string,
  csrfToken: string | null,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: {
        accept: 'application/json, application/problem+json',
        'content-type': contentType,
        ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
      },
      body: file,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiProblem({
      status: 0,
      title: 'Linkwork could not be reached',
      detail: 'Check your connection and try again.',
    });
  }
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? ((await response.json().catch(() => null)) as unknown) : null;
  if (!response.ok) {
    const problem = (body ?? {}) as Partial<{ title: string; detail: string; errors: ApiProblem['errors'] }>;
    throw new ApiProblem({
      status: response.status,
      title: problem.title ?? (response.statusText || 'Something went wrong'),
      detail: problem.detail,
      errors: Array.isArray(problem.errors) ? problem.errors : [],
    });
  }
  return body as T;
}

/** The content type a transcript goes up as, from its name (browsers often give none for .vtt). */
export function sourceContentType(fileName: string): string {
  const extension = fileName.toLowerCase().split('.').pop();
  if (extension === 'vtt') return 'text/vtt';
  if (extension === 'txt') return 'text/plain';
  if (extension === 'docx') return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  return 'application/octet-stream';
}

export const useUploadSource = (studyId: string, csrfToken: string | null) =>
  useResearchWrite(
    (input: { file: File; participantId: string | null; collectionId: string | null; name: string | null }) =>
      sendFile<Source>(
        withQuery(`${studyApi(studyId)}/sources`, {
          fileName: input.file.name,
          participantId: input.participantId,
          collectionId: input.collectionId,
          name: input.name,
        }),
        input.file,
        sourceContentType(input.file.name),
        csrfToken,
      ),
  );

export const useImportQdpx = (studyId: string, csrfToken: string | null) =>
  useResearchWrite((input: { file: File; attributeUnknownToMe: boolean }) =>
    sendFile<ImportQdpxSummary>(
      withQuery(`${studyApi(studyId)}/import.qdpx`, {
        attributeUnknownTo: input.attributeUnknownToMe ? 'me' : null,
      }),
      input.file,
      'application/octet-stream',
      csrfToken,
    ),
  );

export const useImportCodebook = (studyId: string, csrfToken: string | null) =>
  useResearchWrite((file: File) =>
    sendFile<{ created: number; matched: number }>(
      withQuery(`${studyApi(studyId)}/codebook`, {
        format: file.name.toLowerCase().endsWith('.csv') ? 'csv' : 'qdc',
      }),
      file,
      'application/octet-stream',
      csrfToken,
    ),
  );

export const useAcceptRedactions = (sourceId: string) =>
  useResearchWrite(
    (body: { redactions: { start: number; end: number; replacement: string }[]; version: number }) =>
      api.post<Source>(`${sourceApi(sourceId)}/redactions`, body),
  );

export const useAddCodings = (sourceId: string) =>
  useResearchWrite((body: { codeIds: string[]; start: number; end: number }) =>
    api.post<{ items: Coding[] }>(`${sourceApi(sourceId)}/codings`, body),
  );

export const useRemoveCoding = () =>
  useResearchWrite((codingId: string) =>
    api.delete<void>(`/api/research/codings/${encodeURIComponent(codingId)}`),
  );

export const useAddMemo = (studyId: string) =>
  useResearchWrite((body: { targetType: MemoTarget; targetId: string | null; text: string }) =>
    api.post<Memo>(`${studyApi(studyId)}/memos`, body),
  );

export const useResolveDisagreement = (studyId: string) =>
  useResearchWrite((body: DisagreementResolution) =>
    api.post<{ decision: string; codingsChanged: number }>(
      `${studyApi(studyId)}/agreement/resolutions`,
      body,
    ),
  );

export interface CodeFields {
  name: string;
  parentId: string | null;
  definition: string | null;
  whenToUse: string | null;
  whenNotToUse: string | null;
  colour: string;
}

export const useCreateCode = (studyId: string) =>
  useResearchWrite((body: CodeFields) => api.post<Code>(`${studyApi(studyId)}/codes`, body));

export const useUpdateCode = () =>
  useResearchWrite((input: { id: string; body: CodeFields & { version: number } }) =>
    api.put<Code>(`/api/research/codes/${encodeURIComponent(input.id)}`, input.body),
  );

export const useMergeCode = () =>
  useResearchWrite((input: { id: string; intoId: string }) =>
    api.post<{ items: Code[] }>(`/api/research/codes/${encodeURIComponent(input.id)}/merge`, {
      intoId: input.intoId,
    }),
  );
