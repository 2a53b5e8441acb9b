import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LinkSummary } from '../../../../src/modules/outcomes/links.ts';
import type { MeasureRecord } from '../../../../src/modules/outcomes/measures.ts';
import type { DueMeasure, OutcomeSettings } from '../../../../src/modules/outcomes/schedule.ts';
import { api, withQuery } from '../../app/api.ts';
import { caseloadKey, peopleKey } from '../caseload/queries.ts';
import { episodeKey } from '../episodes/queries.ts';
import type { InstrumentSummary } from './types.ts';

export type { LinkSummary, MeasureRecord };
export type Timepoint = MeasureRecord['timepoint'];

export interface EpisodeDue {
  items: DueMeasure[];
  settings: OutcomeSettings;
}

export interface CaseloadDueItem {
  referralId: string;
  personId: string;
  personName: string;
  timepoint: string;
  from: string;
  to: string | null;
  status: 'due' | 'overdue';
  instrumentsOutstanding: string[];
}

export interface CreatedLink extends LinkSummary {
  token: string;
  url: string;
  qrSvg: string;
  sent: { channel: 'sms' | 'email'; messageId: string } | null;
}

export interface MeasureInput {
  instrumentCode: string;
  timepoint: string;
  completedOn: string;
  completedBy: string;
  mode: string;
  answers: Record<string, number>;
  submissionId: string;
}

const outcomesKey = ['outcomes'] as const;
const instrumentsKey = [...outcomesKey, 'instruments'] as const;
export const measuresKey = (referralId: string) => [...outcomesKey, 'measures', referralId] as const;
const dueKey = (referralId: string) => [...outcomesKey, 'due', referralId] as const;
const linksKey = (referralId: string) => [...outcomesKey, 'links', referralId] as const;
const personMeasuresKey = (personId: string) => [...outcomesKey, 'person', personId] as const;
const caseloadDueKey = [...outcomesKey, 'caseload-due'] as const;

const referralPath = (id: string) => `/api/referrals/${encodeURIComponent(id)}`;

export function useInstruments() {
  return useQuery({
    queryKey: instrumentsKey,
    queryFn: () => api.get<{ items: InstrumentSummary[] }>('/api/outcomes/instruments'),
    staleTime: 5 * 60_000,
  });
}

export function useEpisodeMeasures(referralId: string) {
  return useQuery({
    queryKey: measuresKey(referralId),
    queryFn: () => api.get<{ items: MeasureRecord[] }>(`${referralPath(referralId)}/measures`),
  });
}

export function useEpisodeDue(referralId: string) {
  return useQuery({
    queryKey: dueKey(referralId),
    queryFn: () => api.get<EpisodeDue>(`${referralPath(referralId)}/measures/due`),
  });
}

export function useCompletionLinks(referralId: string) {
  return useQuery({
    queryKey: linksKey(referralId),
    queryFn: () => api.get<{ items: LinkSummary[] }>(`${referralPath(referralId)}/completion-links`),
  });
}

export function usePersonMeasures(personId: string) {
  return useQuery({
    queryKey: personMeasuresKey(personId),
    queryFn: () =>
      api.get<{ items: (MeasureRecord & { referralId: string; referralReceivedOn: string })[] }>(
        `/api/people/${encodeURIComponent(personId)}/measures`,
      ),
  });
}

export function useCaseloadDue(linkWorkerId?: string) {
  return useQuery({
    queryKey: [...caseloadDueKey, linkWorkerId ?? 'me'],
    queryFn: () => api.get<{ items: CaseloadDueItem[] }>(withQuery('/api/outcomes/due', { linkWorkerId })),
  });
}

function useInvalidateEpisodeMeasures(referralId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: measuresKey(referralId) }),
      queryClient.invalidateQueries({ queryKey: dueKey(referralId) }),
      queryClient.invalidateQueries({ queryKey: linksKey(referralId) }),
      queryClient.invalidateQueries({ queryKey: caseloadDueKey }),
      queryClient.invalidateQueries({ queryKey: episodeKey(referralId) }),
      queryClient.invalidateQueries({ queryKey: caseloadKey }),
      queryClient.invalidateQueries({ queryKey: peopleKey }),
      queryClient.invalidateQueries({ queryKey: [...outcomesKey, 'person'] }),
    ]);
}

/** Records one measure per questionnaire, in order; each has its own submission id, so a retry records none twice. */
export function useRecordMeasures(referralId: string) {
  const invalidate = useInvalidateEpisodeMeasures(referralId);
  return useMutation({
    mutationFn: async (inputs: MeasureInput[]) => {
      const recorded: MeasureRecord[] = [];
      for (const input of inputs) {
        recorded.push(await api.post<MeasureRecord>(`${referralPath(referralId)}/measures`, input));
      }
      return recorded;
    },
    onSettled: invalidate,
  });
}

export function useCreateCompletionLink(referralId: string) {
  const invalidate = useInvalidateEpisodeMeasures(referralId);
  return useMutation({
    mutationFn: (body: { timepoint: string; send: 'sms' | 'email' | null; expiresInDays?: number }) =>
      api.post<CreatedLink>(`${referralPath(referralId)}/completion-links`, body),
    onSuccess: invalidate,
  });
}

export function useRevokeCompletionLink(referralId: string) {
  const invalidate = useInvalidateEpisodeMeasures(referralId);
  return useMutation({
    mutationFn: (linkId: string) =>
      api.post<LinkSummary>(`/api/completion-links/${encodeURIComponent(linkId)}/revoke`),
    onSuccess: invalidate,
  });
}
