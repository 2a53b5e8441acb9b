import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { FirstContactInput, firstContactResult } from '../../../../src/modules/contacts/contract.ts';
import type {
  AppointmentInput,
  AppointmentUpdate,
  appointment,
  ContactInput,
  DischargeInput,
  Episode,
  MessageBack,
  Plan,
  PlanInput,
  WhatMattersInput,
  whatMatters,
} from '../../../../src/modules/pathway/contract.ts';
import { api } from '../../app/api.ts';
import { caseloadKey, caseloadsKey, peopleKey, waitingListKey } from '../caseload/queries.ts';
import { referralsKey } from '../referrals/queries.ts';

export type Appointment = z.infer<typeof appointment>;
export type WhatMatters = z.infer<typeof whatMatters>;
export type FirstContactResult = z.infer<typeof firstContactResult>;
export type Goal = Plan['goals'][number];
export type ContactResult = { contactId: string; failedAttempts: number; unableToContact: boolean };
export type ReallocateResult = { referralId: string; linkWorkerId: string; version: number };

export const episodesKey = ['episodes'] as const;
export const episodeKey = (referralId: string) => [...episodesKey, referralId] as const;
export const messageBackKey = (referralId: string) => ['message-back', referralId] as const;

const referralPath = (referralId: string) => `/api/referrals/${encodeURIComponent(referralId)}`;

export function useEpisode(referralId: string) {
  return useQuery({
    queryKey: episodeKey(referralId),
    queryFn: () => api.get<Episode>(`${referralPath(referralId)}/episode`),
  });
}

export function useMessageBack(referralId: string) {
  return useQuery({
    queryKey: messageBackKey(referralId),
    queryFn: () => api.get<MessageBack>(`${referralPath(referralId)}/message-back`),
  });
}

/** After any write, the episode, the caseloads, the person's record and the message back may all have changed. */
async function afterWrite(queryClient: QueryClient, referralId: string): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: episodeKey(referralId) }),
    queryClient.invalidateQueries({ queryKey: messageBackKey(referralId) }),
    queryClient.invalidateQueries({ queryKey: caseloadKey }),
    queryClient.invalidateQueries({ queryKey: caseloadsKey }),
    queryClient.invalidateQueries({ queryKey: peopleKey }),
    queryClient.invalidateQueries({ queryKey: waitingListKey }),
    queryClient.invalidateQueries({ queryKey: referralsKey }),
  ]);
}

/** A write about one episode that refreshes what it changed before saying it is done. */
function useEpisodeWrite<TBody, TResult>(referralId: string, write: (body: TBody) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: () => afterWrite(queryClient, referralId),
  });
}

export function useRecordFirstContact(referralId: string) {
  return useEpisodeWrite(referralId, (body: FirstContactInput) =>
    api.post<FirstContactResult>(`${referralPath(referralId)}/first-contact`, body),
  );
}

export function useLogContact(referralId: string) {
  return useEpisodeWrite(referralId, (body: ContactInput) =>
    api.post<ContactResult>(`${referralPath(referralId)}/contacts`, body),
  );
}

export function useScheduleAppointment(referralId: string) {
  return useEpisodeWrite(referralId, (body: AppointmentInput) =>
    api.post<Appointment>(`${referralPath(referralId)}/appointments`, body),
  );
}

export function useUpdateAppointment(referralId: string) {
  return useEpisodeWrite(referralId, ({ id, ...body }: AppointmentUpdate & { id: string }) =>
    api.patch<Appointment>(`/api/appointments/${encodeURIComponent(id)}`, body),
  );
}

export function useSaveWhatMatters(referralId: string) {
  return useEpisodeWrite(referralId, (body: WhatMattersInput) =>
    api.post<WhatMatters>(`${referralPath(referralId)}/what-matters`, body),
  );
}

export function useSavePlan(referralId: string) {
  return useEpisodeWrite(referralId, (body: PlanInput) =>
    api.put<Plan>(`${referralPath(referralId)}/plan`, body),
  );
}

export function useDischarge(referralId: string) {
  return useEpisodeWrite(referralId, (body: DischargeInput) =>
    api.post<MessageBack>(`${referralPath(referralId)}/discharge`, body),
  );
}

export function useReallocate(referralId: string) {
  return useEpisodeWrite(referralId, (body: { version: number; linkWorkerId: string; reason: string }) =>
    api.post<ReallocateResult>(`${referralPath(referralId)}/reallocate`, body),
  );
}

/** Loads the episode again, e.g. after someone else changed it. */
export function useReloadEpisode(referralId: string): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: episodeKey(referralId) });
}

export const planPdfPath = (referralId: string) => `${referralPath(referralId)}/plan.pdf`;
export const messageBackTextPath = (referralId: string) => `${referralPath(referralId)}/message-back.txt`;
