import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { fetchMe, meKey, nextPathFor, type SignInState } from '../../app/session.tsx';

/** After a sign-in step succeeds: reload the session and go wherever its stage leads. */
export function useContinueSignIn(): () => Promise<void> {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const from = ((location.state ?? {}) as SignInState).from;
  return useCallback(async () => {
    const me = await queryClient.fetchQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 0 });
    navigate(me ? nextPathFor(me, from) : '/sign-in', { replace: true, state: { from } });
  }, [queryClient, navigate, from]);
}
