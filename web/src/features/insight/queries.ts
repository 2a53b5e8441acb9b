import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { createCandidateCmoc, explorerOptions } from '../../../../src/modules/insight/candidates.ts';
import type { ExplorerCell, explorerModel, explorerTable } from '../../../../src/modules/insight/explorer.ts';
import { api, withQuery } from '../../app/api.ts';
import type { ExplorerQueryValues } from './explorer-values.ts';

/*
 * The what-works explorer's API (/api/insight/…), with shapes taken from the server's own functions (type-only
 * imports: nothing of the server reaches the bundle).
 */

type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

export type ExplorerOptions = Result<typeof explorerOptions>;
export type ExplorerTable = Result<typeof explorerTable>;
export type ExplorerModel = Result<typeof explorerModel>;
export type ModelAnalysis = ExplorerModel['models'][number];
export type ModelCoefficient = ModelAnalysis['coefficients'][number];
export type CandidateCmoc = Result<typeof createCandidateCmoc>;
export type { ExplorerCell };
export type ChangeFigures = ExplorerCell['change'];

/** What the candidate form sends: the study, the explorer's question, and the group the pattern is about. */
export interface CandidateBody {
  studyId: string;
  query: ExplorerQueryValues;
  level: string;
  byLevel?: string;
}

const insightKey = ['insight'] as const;

/** Instruments and their measures, factors, places and (for researchers) studies to write in. */
export function useExplorerOptions() {
  return useQuery({
    queryKey: [...insightKey, 'options'],
    queryFn: () => api.get<ExplorerOptions>('/api/insight/options'),
  });
}

/** The explorer's table for the page's question (every value a string, as in the address). */
export function useExplorerTable(query: ExplorerQueryValues | null) {
  return useQuery({
    queryKey: [...insightKey, 'explorer', query],
    queryFn: () => api.get<ExplorerTable>(withQuery('/api/insight/explorer', { ...query })),
    enabled: query !== null,
  });
}

/** The adjusted model for the same question, complete cases and all available. */
export function useExplorerModel(query: ExplorerQueryValues | null) {
  return useQuery({
    queryKey: [...insightKey, 'model', query],
    queryFn: () => api.get<ExplorerModel>(withQuery('/api/insight/explorer/model', { ...query })),
    enabled: query !== null,
  });
}

/** Where the same table downloads as CSV. */
export const explorerCsvPath = (query: ExplorerQueryValues) =>
  withQuery('/api/insight/explorer.csv', { ...query });

/** A pattern becomes a candidate configuration; the research pages then read afresh. */
export function useCreateCandidate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CandidateBody) => api.post<CandidateCmoc>('/api/insight/candidate-cmocs', body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['research'] });
    },
  });
}
