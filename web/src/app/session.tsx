import { type QueryClient, useQuery } from '@tanstack/react-query';
import { createContext, use } from 'react';
import type { Me } from '../../../src/modules/identity/contract.ts';
import { api, isProblem, setCsrfToken } from './api.ts';

export const meKey = ['me'] as const;

let endedBecause: SignInState['reason'];

/**
 * Ends the session in the browser: forgets what was loaded for this person, and the session guard then
 * sends them to the sign-in page, which says why.
 */
export function endSession(queryClient: QueryClient, reason: NonNullable<SignInState['reason']>): void {
  endedBecause = reason;
  setCsrfToken(null);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meKey[0] });
  queryClient.setQueryData(meKey, null);
}

/** Why the last session ended, if it did in this browser tab. */
export function sessionEndedBecause(): SignInState['reason'] {
  return endedBecause;
}

/** The signed-in user, or null when there is no session. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/api/me');
    setCsrfToken(me.csrfToken);
    endedBecause = undefined;
    return me;
  } catch (error) {
    if (isProblem(error, 401)) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 30_000, refetchOnWindowFocus: true });
}

const MeContext = createContext<Me | null>(null);
export const MeProvider = MeContext.Provider;

/** The signed-in user inside pages that the session guard protects. */
export function useSignedIn(): Me {
  const me = use(MeContext);
  if (!me) throw new Error('useSignedIn used outside a signed-in route');
  return me;
}

/** Where someone goes once signed in, given the stage their session has reached. */
export function nextPathFor(me: Me, wanted?: string): string {
  if (me.stage === 'mfa_required') return '/sign-in/two-factor';
  if (me.stage === 'mfa_enrolment_required') return '/two-factor/set-up';
  if (me.acting === null && me.memberships.length > 1) return '/acting-organisation';
  return wanted ?? '/';
}

/** Navigation state carried to the sign-in page. */
export interface SignInState {
  from?: string;
  reason?: 'inactive' | 'signed-out' | 'signed-out-everywhere';
}
