import { and, eq, ilike, inArray, notInArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type Actor, assertRole, inScope } from '../../platform/actor.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/service.ts';
import { organisations } from '../organisations/schema.ts';
import type { Role, UserSummary } from './contract.ts';
import { recoveryCodes, roleAssignments, users } from './schema.ts';
import { revokeAllSessions } from './sessions.ts';
import { issuePasswordToken } from './sign-in.ts';

const notFound = () => new NotFoundError('There is no user with this id that you manage.');

/** Users with at least one role in the actor's scope; only those roles are shown. */
async function loadSummaries(tx: Db, actor: Actor, userIds: string[]): Promise<UserSummary[]> {
  if (userIds.length === 0) return [];
  const [userRows, roleRows] = await Promise.all([
    tx.select().from(users).where(inArray(users.id, userIds)).orderBy(users.name),
    tx
      .select({
        id: roleAssignments.id,
        userId: roleAssignments.userId,
        organisationId: roleAssignments.organisationId,
        organisationName: organisations.name,
        organisationType: organisations.type,
        role: roleAssignments.role,
      })
      .from(roleAssignments)
      .innerJoin(organisations, eq(organisations.id, roleAssignments.organisationId))
      .where(
        and(
          inArray(roleAssignments.userId, userIds),
          inArray(roleAssignments.organisationId, actor.scopeOrganisationIds),
        ),
      )
      .orderBy(organisations.name, roleAssignments.role),
  ]);
  return userRows.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    active: u.active,
    mfaEnabled: u.mfaEnabled,
    hasPassword: u.passwordHash !== null,
    lastSignedInAt: u.lastSignedInAt?.toISOString() ?? null,
    version: u.version,
    roles: roleRows.filter((r) => r.userId === u.id).map(({ userId: _u, ...r }) => r),
  }));
}

async function managedUser(tx: Db, actor: Actor, id: string): Promise<UserSummary> {
  assertRole(actor, 'admin');
  const [summary] = await loadSummaries(tx, actor, [id]);
  // A user with no role in scope is someone else's: answer as if they did not exist.
  if (!summary || summary.roles.length === 0) throw notFound();
  return summary;
}

/**
 * Changes to the account itself (name, email, password link, two-factor reset, deactivation) need an administrator
 * of every organisation where the person holds a role: otherwise a PCN administrator could take over the account
 * of an ICB administrator who also holds a role in the PCN.
 */
async function whollyManagedUser(tx: Db, actor: Actor, id: string): Promise<UserSummary> {
  const summary = await managedUser(tx, actor, id);
  const [elsewhere] = await tx
    .select({ id: roleAssignments.id })
    .from(roleAssignments)
    .where(
      and(
        eq(roleAssignments.userId, id),
        notInArray(roleAssignments.organisationId, actor.scopeOrganisationIds),
      ),
    )
    .limit(1);
  if (elsewhere) {
    throw new ForbiddenError(
      `${summary.name} also has roles at organisations you do not manage, so only an administrator for all of them can change their account.`,
    );
  }
  return summary;
}

export async function listUsers(
  tx: Db,
  actor: Actor,
  filter: { q?: string; role?: Role; organisationId?: string; active?: 'true' | 'false' },
): Promise<UserSummary[]> {
  assertRole(actor, 'admin');
  const orgIds =
    filter.organisationId !== undefined
      ? actor.scopeOrganisationIds.filter((id) => id === filter.organisationId)
      : actor.scopeOrganisationIds;
  if (orgIds.length === 0) return [];
  const q = filter.q?.replace(/[\\%_]/g, (m) => `\\${m}`);
  const rows = await tx
    .selectDistinct({ id: users.id })
    .from(users)
    .innerJoin(roleAssignments, eq(roleAssignments.userId, users.id))
    .where(
      and(
        inArray(roleAssignments.organisationId, orgIds),
        filter.role ? eq(roleAssignments.role, filter.role) : undefined,
        filter.active ? eq(users.active, filter.active === 'true') : undefined,
        q ? or(ilike(users.name, `%${q}%`), ilike(users.email, `%${q}%`)) : undefined,
      ),
    )
    .limit(500);
  return loadSummaries(
    tx,
    actor,
    rows.map((r) => r.id),
  );
}

export const getUser = managedUser;

function assertAssignable(actor: Actor, organisationId: string, field: string) {
  if (!inScope(actor, organisationId)) {
    throw new ValidationError('Choose an organisation you manage', { field });
  }
}

async function assertRoleFitsOrganisation(tx: Db, organisationId: string, role: Role, field: string) {
  const [org] = await tx
    .select({ type: organisations.type })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  if (!org) throw new ValidationError('Choose an organisation you manage', { field });
  // A link worker holds their role at the PCN they serve, whoever employs them (the employer is context).
  if ((role === 'link_worker' || role === 'lead_link_worker') && org.type !== 'pcn') {
    throw new ValidationError('Link workers and lead link workers hold their role at the PCN they serve', {
      field,
    });
  }
  if (role === 'commissioner' && org.type !== 'icb' && org.type !== 'pcn') {
    throw new ValidationError('Commissioners hold their role at an ICB or a PCN', { field });
  }
  if (role === 'directory_manager' && org.type !== 'icb') {
    throw new ValidationError('Directory managers hold their role at the ICB that owns the directory', {
      field,
    });
  }
  if (role === 'vcse_partner' && org.type !== 'vcse') {
    throw new ValidationError('VCSE partners hold their role at a VCSE organisation', { field });
  }
}

export async function createUser(
  tx: Db,
  actor: Actor,
  input: { email: string; name: string; roles: { organisationId: string; role: Role }[] },
  publicUrl: string,
): Promise<{ user: UserSummary; setPasswordUrl: string; expiresAt: string }> {
  assertRole(actor, 'admin');
  for (const [i, r] of input.roles.entries()) {
    assertAssignable(actor, r.organisationId, `roles.${i}.organisationId`);
    await assertRoleFitsOrganisation(tx, r.organisationId, r.role, `roles.${i}.role`);
  }
  const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (existing) {
    throw new ValidationError(
      'There is already a Linkwork account with this email address. Find the user and add a role to it instead',
      { field: 'email' },
    );
  }
  const id = newId();
  await tx
    .insert(users)
    .values({ id, email: input.email, name: input.name, createdAt: actor.now, updatedAt: actor.now });
  const unique = new Map(input.roles.map((r) => [`${r.organisationId}:${r.role}`, r]));
  await tx.insert(roleAssignments).values(
    [...unique.values()].map((r) => ({
      id: newId(),
      userId: id,
      organisationId: r.organisationId,
      role: r.role,
      createdAt: actor.now,
      createdBy: actor.userId,
    })),
  );
  const link = await issuePasswordToken(tx, id, 'invitation', actor.now);
  await recordAudit(tx, actor, {
    action: 'user.created',
    recordType: 'user',
    recordIds: [id],
    detail: { roles: [...unique.values()] },
  });
  return {
    user: await managedUser(tx, actor, id),
    setPasswordUrl: `${publicUrl}/set-password?token=${link.token}`,
    expiresAt: link.expiresAt.toISOString(),
  };
}

export async function updateUser(
  tx: Db,
  actor: Actor,
  id: string,
  input: { version: number; email?: string; name?: string },
): Promise<UserSummary> {
  const current = await whollyManagedUser(tx, actor, id);
  if (current.version !== input.version) throw new VersionConflictError('user');
  if (input.email && input.email !== current.email) {
    const [clash] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email));
    if (clash)
      throw new ValidationError('Another account already uses this email address', { field: 'email' });
  }
  const changes = {
    ...(input.email !== undefined ? { email: input.email } : {}),
    ...(input.name !== undefined ? { name: input.name } : {}),
  };
  const updated = await tx
    .update(users)
    .set({ ...changes, version: input.version + 1, updatedAt: actor.now })
    .where(and(eq(users.id, id), eq(users.version, input.version)))
    .returning({ id: users.id });
  if (updated.length === 0) throw new VersionConflictError('user');
  await recordAudit(tx, actor, {
    action: 'user.updated',
    recordType: 'user',
    recordIds: [id],
    detail: { fields: Object.keys(changes) },
  });
  return managedUser(tx, actor, id);
}

export async function setUserActive(tx: Db, actor: Actor, id: string, active: boolean): Promise<UserSummary> {
  const current = await whollyManagedUser(tx, actor, id);
  if (!active && id === actor.userId) {
    throw new ConflictError('You cannot deactivate your own account. Ask another administrator.');
  }
  if (current.active !== active) {
    await tx
      .update(users)
      .set({ active, version: sql`${users.version} + 1`, updatedAt: actor.now })
      .where(eq(users.id, id));
    // A deactivated user is signed out at once, everywhere.
    const ended = active ? 0 : await revokeAllSessions(tx, id, actor.now);
    await recordAudit(tx, actor, {
      action: active ? 'user.reactivated' : 'user.deactivated',
      recordType: 'user',
      recordIds: [id],
      detail: active ? {} : { sessionsEnded: ended },
    });
  }
  return managedUser(tx, actor, id);
}

export async function addRole(
  tx: Db,
  actor: Actor,
  id: string,
  input: { organisationId: string; role: Role },
): Promise<UserSummary> {
  await managedUser(tx, actor, id);
  assertAssignable(actor, input.organisationId, 'organisationId');
  await assertRoleFitsOrganisation(tx, input.organisationId, input.role, 'role');
  const inserted = await tx
    .insert(roleAssignments)
    .values({
      id: newId(),
      userId: id,
      organisationId: input.organisationId,
      role: input.role,
      createdAt: actor.now,
      createdBy: actor.userId,
    })
    .onConflictDoNothing()
    .returning({ id: roleAssignments.id });
  if (inserted.length === 0) throw new ConflictError('The user already has this role at this organisation.');
  await recordAudit(tx, actor, {
    action: 'user.role_added',
    recordType: 'user',
    recordIds: [id],
    organisationId: input.organisationId,
    detail: { role: input.role, assignmentId: inserted[0]!.id },
  });
  return managedUser(tx, actor, id);
}

export async function removeRole(
  tx: Db,
  actor: Actor,
  id: string,
  assignmentId: string,
): Promise<UserSummary> {
  const current = await managedUser(tx, actor, id);
  const assignment = current.roles.find((r) => r.id === assignmentId);
  if (!assignment) throw new NotFoundError('This user has no such role at an organisation you manage.');
  const [{ n } = { n: 0 }] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(roleAssignments)
    .where(eq(roleAssignments.userId, id));
  if (Number(n) <= 1) {
    throw new ConflictError(
      'This is the user’s only role. Deactivate the user instead, so their history stays theirs.',
    );
  }
  if (
    id === actor.userId &&
    assignment.role === 'admin' &&
    assignment.organisationId === actor.actingOrganisationId
  ) {
    throw new ConflictError('You cannot remove your own administrator role. Ask another administrator.');
  }
  await tx.delete(roleAssignments).where(eq(roleAssignments.id, assignmentId));
  await recordAudit(tx, actor, {
    action: 'user.role_removed',
    recordType: 'user',
    recordIds: [id],
    organisationId: assignment.organisationId,
    detail: { role: assignment.role, assignmentId },
  });
  return managedUser(tx, actor, id);
}

export async function issuePasswordLink(
  tx: Db,
  actor: Actor,
  id: string,
  publicUrl: string,
): Promise<{ user: UserSummary; setPasswordUrl: string; expiresAt: string }> {
  const current = await whollyManagedUser(tx, actor, id);
  const link = await issuePasswordToken(tx, id, current.hasPassword ? 'reset' : 'invitation', actor.now);
  await recordAudit(tx, actor, { action: 'user.password_link_issued', recordType: 'user', recordIds: [id] });
  return {
    user: current,
    setPasswordUrl: `${publicUrl}/set-password?token=${link.token}`,
    expiresAt: link.expiresAt.toISOString(),
  };
}

/** For a lost phone: the user enrols again at their next sign-in (where two-factor is required). */
export async function resetMfa(tx: Db, actor: Actor, id: string): Promise<UserSummary> {
  await whollyManagedUser(tx, actor, id);
  await tx
    .update(users)
    .set({
      mfaEnabled: false,
      mfaSecret: null,
      mfaPendingSecret: null,
      mfaLastTimeStep: null,
      version: sql`${users.version} + 1`,
      updatedAt: actor.now,
    })
    .where(eq(users.id, id));
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, id));
  await revokeAllSessions(tx, id, actor.now);
  await recordAudit(tx, actor, { action: 'user.mfa_reset', recordType: 'user', recordIds: [id] });
  return managedUser(tx, actor, id);
}

/**
 * Active users holding a role at any of some organisations, with where they hold it: for other modules that pick
 * people by role (a study's team, a case's link worker). The caller checks that the actor may see them.
 */
export async function usersHoldingRole(
  tx: Db,
  role: Role,
  organisationIds: string[],
): Promise<{ id: string; name: string; email: string; organisationId: string; organisationName: string }[]> {
  if (organisationIds.length === 0) return [];
  return tx
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      organisationId: organisations.id,
      organisationName: organisations.name,
    })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .innerJoin(organisations, eq(organisations.id, roleAssignments.organisationId))
    .where(
      and(
        eq(roleAssignments.role, role),
        inArray(roleAssignments.organisationId, organisationIds),
        eq(users.active, true),
      ),
    )
    .orderBy(users.name, organisations.name);
}
