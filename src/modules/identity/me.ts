import type { Me } from './contract.ts';
import type { ResolvedSession } from './sessions.ts';

/** What the web app needs about the signed-in user, built from the session alone: no further query. */
export function buildMe(session: ResolvedSession, idleTimeoutMinutes: number): Me {
  return {
    user: session.user,
    stage: session.stage,
    mfaRequired: session.mfaRequired,
    memberships: session.memberships,
    acting: session.memberships.find((m) => m.organisationId === session.actingOrganisationId) ?? null,
    csrfToken: session.csrfToken,
    idleTimeoutMinutes,
  };
}
