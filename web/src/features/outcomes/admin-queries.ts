import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConversionTable } from '../../../../src/modules/outcomes/definition.ts';
import type { followUps, OutcomeSettings } from '../../../../src/modules/outcomes/schedule.ts';
import type { InstrumentSummary } from '../../../../src/modules/outcomes/service.ts';
import { api, isProblem } from '../../app/api.ts';

/*
 * The outcome measures' administration: the PCN's settings (questionnaires and follow-up windows), its own
 * instruments and licences, and the follow-up list. Every key sits under ['outcomes'], as queries.ts's do, so a
 * change here refreshes the due lists and the instrument choices the other outcome pages show.
 */

export type { OutcomeSettings };
export type FollowUp = Awaited<ReturnType<typeof followUps>>['items'][number];
export type SettingsInput = OutcomeSettings;

const outcomesKey = ['outcomes'] as const;
const settingsKey = [...outcomesKey, 'settings'] as const;
const followUpsKey = [...outcomesKey, 'follow-ups'] as const;

/** Where an instrument's FHIR R4 Questionnaire is downloaded from. */
export const questionnairePath = (code: string) =>
  `/api/outcomes/instruments/${encodeURIComponent(code)}/questionnaire`;

export function useOutcomeSettings() {
  return useQuery({
    queryKey: settingsKey,
    queryFn: () => api.get<OutcomeSettings>('/api/outcome-settings'),
  });
}

export function useFollowUps() {
  return useQuery({
    queryKey: followUpsKey,
    queryFn: () => api.get<{ items: FollowUp[]; settings: OutcomeSettings }>('/api/outcomes/follow-ups'),
  });
}

/** Settings, instruments and licences change what every outcome page offers: refresh them all. */
function useInvalidateOutcomes() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: outcomesKey });
}

export function useSaveOutcomeSettings() {
  const queryClient = useQueryClient();
  const invalidate = useInvalidateOutcomes();
  return useMutation({
    mutationFn: (body: SettingsInput) => api.put<OutcomeSettings>('/api/outcome-settings', body),
    onSuccess: async (saved) => {
      queryClient.setQueryData(settingsKey, saved);
      await invalidate();
    },
    // Changed by someone else meanwhile: read the settings again, so the form shows them as they are now.
    onError: (error) =>
      isProblem(error, 409) ? queryClient.invalidateQueries({ queryKey: settingsKey }) : undefined,
  });
}

export function useAddInstrument() {
  const invalidate = useInvalidateOutcomes();
  return useMutation({
    mutationFn: (definition: Record<string, unknown>) =>
      api.post<InstrumentSummary>('/api/outcomes/instruments', definition),
    onSuccess: invalidate,
  });
}

export function useRecordLicence(code: string) {
  const invalidate = useInvalidateOutcomes();
  return useMutation({
    mutationFn: (body: { licenceReference: string; conversions: Record<string, ConversionTable> }) =>
      api.put<{ code: string; enabled: boolean }>(`/api/outcomes/licences/${encodeURIComponent(code)}`, body),
    onSuccess: invalidate,
  });
}
