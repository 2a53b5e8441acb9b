import { useQuery } from '@tanstack/react-query';
import type { UserSummary } from '../../../../src/modules/identity/contract.ts';
import { api, withQuery } from '../../app/api.ts';

export const usersKey = ['users'] as const;

export interface UserFilters {
  q?: string | undefined;
  role?: string | undefined;
  active?: string | undefined;
}

export interface UserWithLink {
  user: UserSummary;
  setPasswordUrl: string;
  expiresAt: string;
}

export function useUsers(filters: UserFilters) {
  return useQuery({
    queryKey: [...usersKey, 'list', filters],
    queryFn: async () =>
      (await api.get<{ items: UserSummary[] }>(withQuery('/api/users', { ...filters }))).items,
  });
}

export function useUser(id: string) {
  return useQuery({
    queryKey: [...usersKey, id],
    queryFn: () => api.get<UserSummary>(`/api/users/${encodeURIComponent(id)}`),
  });
}
