import type { Role } from '../modules/identity/schema.ts';
import { ForbiddenError } from './errors.ts';

/** Who is asking, for which organisation, with which roles there. Built once per request from the session. */
export interface Actor {
  userId: string;
  sessionId: string;
  /** The organisation the user acts for; null until they pick one (or hold no roles). */
  actingOrganisationId: string | null;
  actingOrganisationType: string | null;
  /** Roles held at the acting organisation. */
  roles: Role[];
  /** The acting organisation and every organisation below it: the tenant scope. */
  scopeOrganisationIds: string[];
  requestId: string;
  ip: string | null;
  /** The request's moment, read once from the app's clock: every timestamp the request writes uses it. */
  now: Date;
}

/** Context for work done on no user's behalf: sign-in lookups, the CLI, the demo seed. */
export interface SystemContext {
  system: true;
  now: Date;
  requestId?: string;
  ip?: string | null;
}

export type RequestContext = Actor | SystemContext;

export const isSystem = (c: RequestContext): c is SystemContext => 'system' in c;

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}

export function assertRole(actor: Actor, ...roles: Role[]): void {
  if (!actor.actingOrganisationId) {
    throw new ForbiddenError('Choose the organisation you are acting for before doing this.');
  }
  if (!hasRole(actor, ...roles)) {
    throw new ForbiddenError(
      `This needs the ${roles.map((r) => r.replaceAll('_', ' ')).join(' or ')} role at the organisation you are acting for.`,
    );
  }
}

export function inScope(actor: Actor, organisationId: string | null | undefined): boolean {
  return !!organisationId && actor.scopeOrganisationIds.includes(organisationId);
}
