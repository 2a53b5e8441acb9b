import { Navigate, Outlet, useLocation } from 'react-router';
import type { Role, SessionStage } from '../../../src/modules/identity/contract.ts';
import { Loading } from '../components/page-parts.tsx';
import { ProblemPage } from '../components/problem-page.tsx';
import { NoRolesPage } from '../features/home/no-roles-page.tsx';
import { ApiProblem } from './api.ts';
import {
  MeProvider,
  nextPathFor,
  type SignInState,
  sessionEndedBecause,
  useMe,
  useSignedIn,
} from './session.tsx';

/** Lets through only a signed-in person whose session has reached one of the given stages. */
export function RequireSession({ stages }: { stages: SessionStage[] }) {
  const { data: me, isPending, isError, error } = useMe();
  const location = useLocation();
  if (isPending) return <Loading />;
  if (isError) return <ProblemPage error={error} />;
  if (!me) {
    const reason = sessionEndedBecause();
    // After signing out on purpose, the next person to sign in starts at the home page.
    const from =
      reason === 'signed-out' || reason === 'signed-out-everywhere'
        ? undefined
        : location.pathname + location.search;
    const state: SignInState = { ...(from ? { from } : {}), ...(reason ? { reason } : {}) };
    return <Navigate to="/sign-in" replace state={state} />;
  }
  if (!stages.includes(me.stage)) return <Navigate to={nextPathFor(me)} replace />;
  return (
    <MeProvider value={me}>
      <Outlet />
    </MeProvider>
  );
}

/** Pages that act on behalf of an organisation need one to be chosen first. */
export function RequireActing() {
  const me = useSignedIn();
  const location = useLocation();
  if (me.acting) return <Outlet />;
  if (me.memberships.length === 0) return <NoRolesPage />;
  return (
    <Navigate to="/acting-organisation" replace state={{ from: `${location.pathname}${location.search}` }} />
  );
}

/** Pages for some roles only: anyone else is told they cannot see them, as the API would. */
export function RequireRole({ roles, what }: { roles: Role[]; what: string }) {
  const me = useSignedIn();
  if (me.acting?.roles.some((role) => roles.includes(role))) return <Outlet />;
  return (
    <ProblemPage
      error={new ApiProblem({ status: 403, title: 'Forbidden', detail: `Only ${what} can use this page.` })}
    />
  );
}
