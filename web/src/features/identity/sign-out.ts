import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api.ts';
import { endSession } from '../../app/session.tsx';

/** Signs out (here, or on every device); the session guard then shows the sign-in page saying so. */
export function useSignOut(everywhere = false) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>(everywhere ? '/api/auth/sign-out-everywhere' : '/api/auth/sign-out'),
    onSuccess: () => endSession(queryClient, everywhere ? 'signed-out-everywhere' : 'signed-out'),
  });
}
