import { and, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.ts';
import { type Actor, assertRole, hasRole } from '../../platform/actor.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/service.ts';
import { roleAssignments, users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { treeIdsOf } from '../organisations/service.ts';
import type { ContextInput, LinkWorkerContext } from './contract.ts';
import { linkWorkerContexts } from './schema.ts';

const employer = alias(organisations, 'employer');
const recorder = alias(users, 'recorder');
const contextColumns = {
  row: linkWorkerContexts,
  employerName: employer.name,
  recordedByName: recorder.name,
};

type ContextRow = {
  row: typeof linkWorkerContexts.$inferSelect;
  employerName: string | null;
  recordedByName: string | null;
};

function toContext(r: ContextRow, effectiveTo: string | null): LinkWorkerContext {
  const c = r.row;
  return {
    id: c.id,
    organisationId: c.organisationId,
    linkWorkerId: c.linkWorkerId,
    effectiveFrom: c.effectiveFrom,
    effectiveTo,
    employerOrganisationId: c.employerOrganisationId,
    employerOrganisationName: r.employerName,
    employmentModel: c.employmentModel,
    baseSettings: c.baseSettings,
    contractedHoursPerWeek: Number(c.contractedHoursPerWeek),
    supervision: c.supervision,
    clinicalSystemAccess: c.clinicalSystemAccess,
    practiceMeetings: c.practiceMeetings,
    deliveryMode: c.deliveryMode,
    notes: c.notes,
    recordedBy: c.recordedBy,
    recordedByName: r.recordedByName,
    recordedAt: c.recordedAt.toISOString(),
  };
}

const dayBefore = (isoDate: string) => {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

const canRead = (actor: Actor) => assertRole(actor, 'admin', 'lead_link_worker', 'link_worker');

/** Link workers hold the link_worker role at a PCN; those PCNs in the actor's scope. */
async function linkWorkerPcns(tx: Db, actor: Actor, userIds?: string[]) {
  return tx
    .select({ userId: roleAssignments.userId, pcnId: organisations.id, pcnName: organisations.name })
    .from(roleAssignments)
    .innerJoin(organisations, eq(organisations.id, roleAssignments.organisationId))
    .where(
      and(
        eq(roleAssignments.role, 'link_worker'),
        inArray(roleAssignments.organisationId, actor.scopeOrganisationIds),
        userIds ? inArray(roleAssignments.userId, userIds) : undefined,
      ),
    )
    .orderBy(organisations.name);
}

/** Leads and administrators see the link workers in their scope; a link worker sees only themself. */
const seesOnlySelf = (actor: Actor) => !hasRole(actor, 'admin', 'lead_link_worker');

function assertMaySee(actor: Actor, linkWorkerId: string) {
  canRead(actor);
  if (seesOnlySelf(actor) && actor.userId !== linkWorkerId) {
    throw new NotFoundError('There is no link worker with this id in your organisation.');
  }
}

/**
 * Every link worker's context as it was on a date, in one query: the latest row starting on or before it.
 * Evaluation reads implementation context this way, for the day an episode or a case happened.
 */
export async function contextsAsOf(
  tx: Db,
  linkWorkerIds: string[],
  date: string,
  /** The PCNs whose history to read (a link worker serving two PCNs has a history in each). */
  pcnIds?: string[],
): Promise<Map<string, LinkWorkerContext>> {
  if (linkWorkerIds.length === 0) return new Map();
  const inPcns = pcnIds ? inArray(linkWorkerContexts.organisationId, pcnIds) : undefined;
  const rows = await tx
    .selectDistinctOn([linkWorkerContexts.linkWorkerId], contextColumns)
    .from(linkWorkerContexts)
    .leftJoin(employer, eq(employer.id, linkWorkerContexts.employerOrganisationId))
    .leftJoin(recorder, eq(recorder.id, linkWorkerContexts.recordedBy))
    .where(
      and(
        inArray(linkWorkerContexts.linkWorkerId, linkWorkerIds),
        lte(linkWorkerContexts.effectiveFrom, date),
        inPcns,
      ),
    )
    .orderBy(linkWorkerContexts.linkWorkerId, desc(linkWorkerContexts.effectiveFrom));
  const next = await tx
    .select({
      linkWorkerId: linkWorkerContexts.linkWorkerId,
      from: sql<string>`min(${linkWorkerContexts.effectiveFrom})`,
    })
    .from(linkWorkerContexts)
    .where(
      and(
        inArray(linkWorkerContexts.linkWorkerId, linkWorkerIds),
        sql`${linkWorkerContexts.effectiveFrom} > ${date}`,
        inPcns,
      ),
    )
    .groupBy(linkWorkerContexts.linkWorkerId);
  const nextFrom = new Map(next.map((n) => [n.linkWorkerId, String(n.from).slice(0, 10)]));
  return new Map(
    rows.map((r) => {
      const to = nextFrom.get(r.row.linkWorkerId);
      return [r.row.linkWorkerId, toContext(r, to ? dayBefore(to) : null)];
    }),
  );
}

export async function listLinkWorkers(tx: Db, actor: Actor) {
  canRead(actor);
  const pcns = await linkWorkerPcns(tx, actor, seesOnlySelf(actor) ? [actor.userId] : undefined);
  const ids = [...new Set(pcns.map((p) => p.userId))];
  if (ids.length === 0) return [];
  const [people, current] = await Promise.all([
    tx.select().from(users).where(inArray(users.id, ids)).orderBy(users.name),
    contextsAsOf(tx, ids, actor.now.toISOString().slice(0, 10), actor.scopeOrganisationIds),
  ]);
  return people.map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    active: u.active,
    pcns: pcns.filter((p) => p.userId === u.id).map((p) => ({ id: p.pcnId, name: p.pcnName })),
    current: current.get(u.id) ?? null,
  }));
}

export async function getLinkWorkerProfile(tx: Db, actor: Actor, id: string) {
  assertMaySee(actor, id);
  const pcns = await linkWorkerPcns(tx, actor, [id]);
  if (pcns.length === 0)
    throw new NotFoundError('There is no link worker with this id in your organisation.');
  const [user] = await tx.select().from(users).where(eq(users.id, id));
  const rows = await tx
    .select(contextColumns)
    .from(linkWorkerContexts)
    .leftJoin(employer, eq(employer.id, linkWorkerContexts.employerOrganisationId))
    .leftJoin(recorder, eq(recorder.id, linkWorkerContexts.recordedBy))
    .where(
      and(
        eq(linkWorkerContexts.linkWorkerId, id),
        inArray(linkWorkerContexts.organisationId, actor.scopeOrganisationIds),
      ),
    )
    .orderBy(desc(linkWorkerContexts.effectiveFrom));
  // Each PCN keeps its own history: a context ends the day before the next one in the same PCN starts.
  const history = rows.map((r, i) => {
    const next = rows.slice(0, i).findLast((n) => n.row.organisationId === r.row.organisationId);
    return toContext(r, next ? dayBefore(next.row.effectiveFrom) : null);
  });
  const today = actor.now.toISOString().slice(0, 10);
  return {
    id: user!.id,
    name: user!.name,
    email: user!.email,
    active: user!.active,
    pcns: pcns.map((p) => ({ id: p.pcnId, name: p.pcnName })),
    current: history.find((h) => h.effectiveFrom <= today) ?? null,
    history,
  };
}

export async function getContextAsOf(
  tx: Db,
  actor: Actor,
  id: string,
  date: string,
): Promise<LinkWorkerContext> {
  assertMaySee(actor, id);
  const pcns = await linkWorkerPcns(tx, actor, [id]);
  if (pcns.length === 0)
    throw new NotFoundError('There is no link worker with this id in your organisation.');
  const context = (await contextsAsOf(tx, [id], date, actor.scopeOrganisationIds)).get(id);
  if (!context)
    throw new NotFoundError(`No implementation context was recorded for this link worker on ${date}.`);
  return context;
}

/** Records a change in a link worker's implementation context from a date on; earlier rows stay as they were. */
export async function recordContext(
  tx: Db,
  actor: Actor,
  id: string,
  input: ContextInput,
): Promise<LinkWorkerContext> {
  assertRole(actor, 'admin', 'lead_link_worker');
  const pcns = await linkWorkerPcns(tx, actor, [id]);
  if (pcns.length === 0)
    throw new NotFoundError('There is no link worker with this id in your organisation.');
  let pcnId = input.organisationId;
  if (pcnId === undefined) {
    if (pcns.length > 1) {
      throw new ValidationError('This link worker serves more than one PCN: choose which one this is for', {
        field: 'organisationId',
      });
    }
    pcnId = pcns[0]!.pcnId;
  } else if (!pcns.some((p) => p.pcnId === pcnId)) {
    throw new ValidationError('Choose a PCN this link worker serves', { field: 'organisationId' });
  }
  // The employer or host is one of the organisations in this ICB's tree (a VCSE host, a council, the PCN…).
  if (input.employerOrganisationId && !(await treeIdsOf(tx, pcnId)).includes(input.employerOrganisationId)) {
    throw new ValidationError('Choose the employing or hosting organisation from the list', {
      field: 'employerOrganisationId',
    });
  }
  const [clash] = await tx
    .select({ id: linkWorkerContexts.id })
    .from(linkWorkerContexts)
    .where(
      and(
        eq(linkWorkerContexts.organisationId, pcnId),
        eq(linkWorkerContexts.linkWorkerId, id),
        eq(linkWorkerContexts.effectiveFrom, input.effectiveFrom),
      ),
    );
  if (clash) {
    throw new ConflictError(
      `A context already starts on ${input.effectiveFrom}. History is never overwritten: choose another date.`,
    );
  }
  const contextId = newId();
  await tx.insert(linkWorkerContexts).values({
    id: contextId,
    organisationId: pcnId,
    linkWorkerId: id,
    effectiveFrom: input.effectiveFrom,
    employerOrganisationId: input.employerOrganisationId ?? null,
    employmentModel: input.employmentModel,
    baseSettings: [...new Set(input.baseSettings)],
    contractedHoursPerWeek: String(input.contractedHoursPerWeek),
    supervision: input.supervision,
    clinicalSystemAccess: input.clinicalSystemAccess,
    practiceMeetings: input.practiceMeetings,
    deliveryMode: input.deliveryMode,
    notes: input.notes ?? null,
    recordedBy: actor.userId,
    recordedAt: actor.now,
  });
  await recordAudit(tx, actor, {
    action: 'link_worker_context.recorded',
    recordType: 'link_worker_context',
    recordIds: [contextId, id],
    organisationId: pcnId,
    detail: { effectiveFrom: input.effectiveFrom },
  });
  return getContextAsOf(tx, actor, id, input.effectiveFrom);
}
