import type { AppDeps } from '../../platform/deps.ts';
import type { Me } from './contract.ts';
import { isMfaRequired } from './mfa.ts';
import type { ResolvedSession } from './sessions.ts';

export async function buildMe(deps: AppDeps, session: ResolvedSession): Promise<Me> {
  return {
    user: session.user,
    stage: session.stage,
    mfaRequired: await isMfaRequired(deps.db, session.user.id),
    memberships: session.memberships,
    acting: session.memberships.find((m) => m.organisationId === session.actingOrganisationId) ?? null,
    csrfToken: session.csrfToken,
    idleTimeoutMinutes: deps.session.idleMinutes,
  };
}
