import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  needsDomain,
  publicPcn,
  Referral,
  referralStatusView,
  selfReferralResult,
  TriageItem,
} from '../../../../src/modules/referrals/contract.ts';
import { api } from '../../app/api.ts';

export type NeedsDomain = z.infer<typeof needsDomain>;
export type ReferralStatusView = z.infer<typeof referralStatusView>;
export type PublicPcn = z.infer<typeof publicPcn>;
export type SelfReferralResult = z.infer<typeof selfReferralResult>;

export const referralsKey = ['referrals'] as const;
export const triageKey = ['triage'] as const;

export function useNeedsDomains() {
  return useQuery({
    queryKey: ['needs-domains'],
    queryFn: async () => (await api.get<{ items: NeedsDomain[] }>('/api/needs-domains')).items,
    // Administrators change the list rarely.
    staleTime: 60 * 60_000,
  });
}

/** The PCN a self-referral page belongs to, by its ODS code; anyone can ask, without signing in. */
export function usePublicPcn(pcn: string) {
  return useQuery({
    queryKey: ['public', 'pcns', pcn],
    queryFn: () => api.get<PublicPcn>(`/api/public/pcns/${encodeURIComponent(pcn)}`, { anonymous: true }),
  });
}

/** The needs domains for people referring themselves, who are not signed in. */
export function usePublicNeedsDomains() {
  return useQuery({
    queryKey: ['public', 'needs-domains'],
    queryFn: async () =>
      (await api.get<{ items: NeedsDomain[] }>('/api/public/needs-domains', { anonymous: true })).items,
    staleTime: 60 * 60_000,
  });
}

export function useMyReferrals() {
  return useQuery({
    queryKey: [...referralsKey, 'mine'],
    queryFn: async () => (await api.get<{ items: ReferralStatusView[] }>('/api/referrals/mine')).items,
  });
}

export function useTriageQueue() {
  return useQuery({
    queryKey: triageKey,
    queryFn: async () => (await api.get<{ items: TriageItem[] }>('/api/triage')).items,
  });
}

export function useReferral(id: string) {
  return useQuery({
    queryKey: [...referralsKey, id],
    queryFn: () => api.get<Referral>(`/api/referrals/${encodeURIComponent(id)}`),
  });
}

/** Turns reason codes into their labels, keeping a code the list no longer has. */
export function reasonLabeller(domains: NeedsDomain[] | undefined): (code: string) => string {
  const labels = new Map((domains ?? []).map((domain) => [domain.code, domain.label]));
  return (code) => labels.get(code) ?? code;
}
