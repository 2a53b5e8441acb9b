import { useQuery } from '@tanstack/react-query';
import type { Organisation } from '../../../../src/modules/organisations/contract.ts';
import { api } from '../../app/api.ts';

export const organisationsKey = ['organisations'] as const;

export function useOrganisations() {
  return useQuery({
    queryKey: organisationsKey,
    queryFn: async () => (await api.get<{ items: Organisation[] }>('/api/organisations')).items,
  });
}

export function useOrganisation(id: string) {
  return useQuery({
    queryKey: [...organisationsKey, id],
    queryFn: () => api.get<Organisation>(`/api/organisations/${encodeURIComponent(id)}`),
  });
}
