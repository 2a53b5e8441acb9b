import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  DevMessagePage,
  MessagePage,
  OutboxMessage,
} from '../../../../src/modules/messaging/contract.ts';
import { api, withQuery } from '../../app/api.ts';

export type { DevMessage, MessagePage, OutboxMessage } from '../../../../src/modules/messaging/contract.ts';

export const messagesKey = ['messages'] as const;
const devInboxKey = [...messagesKey, 'dev'] as const;

/** One page of the outbox; `status` and `cursor` as in the page's address. */
export function useMessages(filters: { status?: string; cursor?: string }) {
  return useQuery({
    queryKey: [...messagesKey, 'outbox', filters],
    queryFn: () => api.get<MessagePage>(withQuery('/api/messages', { ...filters, limit: 50 })),
  });
}

export function useDevInbox(options: { enabled: boolean }) {
  return useQuery({
    queryKey: devInboxKey,
    queryFn: () => api.get<DevMessagePage>(withQuery('/api/messages/dev', { limit: 20 })),
    enabled: options.enabled,
  });
}

/** Puts a failed message back in the queue; the outbox and the development inbox then change. */
export function useRetryMessage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<OutboxMessage>(`/api/messages/${encodeURIComponent(id)}/retry`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: messagesKey }),
  });
}
