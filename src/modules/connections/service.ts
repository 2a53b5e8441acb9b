import { and, asc, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Actor, assertRole } from '../../platform/actor.ts';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { londonDate } from '../../platform/working-days.ts';
import { recordAudit } from '../audit/service.ts';
import { directoryServices, directorySettings } from '../directory/schema.ts';
import { directoryOf } from '../directory/service.ts';
import { users } from '../identity/schema.ts';
import { assertDateWithinEpisode, assertOpen, episodeFor } from '../pathway/access.ts';
import { goals } from '../pathway/schema.ts';
import {
  type Connection,
  type ConnectionStatus,
  type connectionBody,
  type connectionStatusBody,
  nextStatuses,
  statusWords,
} from './contract.ts';
import { connectionEvents, connections } from './schema.ts';

/*
 * Connecting a person to a community service from their support plan, and following what happened: the link
 * worker records the service's reply and the person's attendance (a portal for the service to answer itself
 * comes later). Connections are the PCN's, like the episode they belong to.
 */

async function replyExpectedWithinDays(tx: Db, icbId: string): Promise<number> {
  const [s] = await tx
    .select({ days: directorySettings.replyExpectedWithinDays })
    .from(directorySettings)
    .where(eq(directorySettings.organisationId, icbId));
  return s?.days ?? 10;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export async function connectPerson(
  tx: Db,
  actor: Actor,
  referralId: string,
  body: z.infer<typeof connectionBody>,
): Promise<{ id: string; version: number }> {
  const episode = await episodeFor(tx, actor, referralId, { forUpdate: true });
  assertOpen(episode, 'connect this person to a service');
  assertDateWithinEpisode(actor, episode, body.on, 'on', 'The date of the connection');
  const icbId = await directoryOf(tx, actor);
  const [service] = await tx
    .select({ id: directoryServices.id, name: directoryServices.name, status: directoryServices.status })
    .from(directoryServices)
    .where(and(eq(directoryServices.organisationId, icbId), eq(directoryServices.id, body.serviceId)));
  if (!service) throw new ValidationError('Choose a service from your directory', { field: 'serviceId' });
  if (service.status !== 'active') {
    throw new ValidationError(`${service.name} is ${service.status}: choose a service that is running`, {
      field: 'serviceId',
    });
  }
  if (body.kind !== 'signposted' && !body.consentToShare) {
    throw new ValidationError(
      'A warm handover or referral shares the person’s details with the service: record that they agreed, or signpost them instead',
      { field: 'consentToShare' },
    );
  }
  if (body.goalId) {
    const [goal] = await tx
      .select({ id: goals.id })
      .from(goals)
      .where(and(eq(goals.id, body.goalId), eq(goals.referralId, referralId)));
    if (!goal) throw new ValidationError('Choose one of this person’s goals', { field: 'goalId' });
  }
  const id = newId();
  const status: ConnectionStatus = body.kind === 'signposted' ? 'suggested' : 'referred';
  await tx.insert(connections).values({
    id,
    organisationId: episode.organisationId,
    referralId,
    personId: episode.personId,
    goalId: body.goalId ?? null,
    directoryId: icbId,
    serviceId: service.id,
    serviceName: service.name,
    kind: body.kind,
    status,
    consentToShare: body.consentToShare,
    note: body.note || null,
    statusOn: body.on,
    connectedOn: body.on,
    linkWorkerId: episode.allocatedLinkWorkerId ?? actor.userId,
    createdAt: actor.now,
    updatedAt: actor.now,
  });
  await tx.insert(connectionEvents).values({
    id: newId(),
    organisationId: episode.organisationId,
    connectionId: id,
    personId: episode.personId,
    status,
    on: body.on,
    reason: null,
    note: body.note || null,
    recordedBy: actor.userId,
    recordedAt: actor.now,
  });
  await recordAudit(tx, actor, {
    action: 'connection.created',
    recordType: 'connection',
    recordIds: [id],
    detail: { referralId, serviceId: service.id, kind: body.kind },
  });
  return { id, version: 1 };
}

export async function updateConnectionStatus(
  tx: Db,
  actor: Actor,
  connectionId: string,
  body: z.infer<typeof connectionStatusBody>,
): Promise<{ version: number }> {
  assertRole(actor, 'link_worker', 'lead_link_worker');
  const [row] = await tx
    .select()
    .from(connections)
    .where(
      and(eq(connections.id, connectionId), eq(connections.organisationId, actor.actingOrganisationId ?? '')),
    )
    .for('update');
  if (!row) throw new NotFoundError('There is no connection with this id in your caseload.');
  // The same rule as the episode: its link worker or a lead (and a closed episode's connections stay as they were).
  const episode = await episodeFor(tx, actor, row.referralId);
  if (row.version !== body.version) throw new VersionConflictError('connection', row.version);
  const allowed = nextStatuses[row.status];
  if (!allowed.includes(body.status)) {
    throw new ConflictError(
      allowed.length === 0
        ? `This connection has ended (${statusWords[row.status].toLowerCase()}): make a new one to try again.`
        : `A connection that is ${statusWords[row.status].toLowerCase()} can next be: ${allowed.map((s) => statusWords[s].toLowerCase()).join(', ')}.`,
    );
  }
  if (body.status === 'declined' && !body.reason) {
    throw new ValidationError('Say why the connection was declined', { field: 'reason' });
  }
  if (body.on < row.statusOn) {
    throw new ValidationError(`This cannot be before the last change, on ${row.statusOn}`, { field: 'on' });
  }
  assertDateWithinEpisode(actor, episode, body.on, 'on', 'The date');
  await tx
    .update(connections)
    .set({ status: body.status, statusOn: body.on, version: row.version + 1, updatedAt: actor.now })
    .where(eq(connections.id, connectionId));
  await tx.insert(connectionEvents).values({
    id: newId(),
    organisationId: row.organisationId,
    connectionId,
    personId: row.personId,
    status: body.status,
    on: body.on,
    reason: body.reason || null,
    note: body.note || null,
    recordedBy: actor.userId,
    recordedAt: actor.now,
  });
  await recordAudit(tx, actor, {
    action: 'connection.status_changed',
    recordType: 'connection',
    recordIds: [connectionId],
    detail: { from: row.status, to: body.status },
  });
  return { version: row.version + 1 };
}

export async function connectionsOf(tx: Db, actor: Actor, referralId: string) {
  await episodeFor(tx, actor, referralId);
  const icbId = await directoryOf(tx, actor);
  const days = await replyExpectedWithinDays(tx, icbId);
  const rows = await tx
    .select({ c: connections, goalDescription: goals.description })
    .from(connections)
    .leftJoin(goals, eq(goals.id, connections.goalId))
    .where(eq(connections.referralId, referralId))
    .orderBy(asc(connections.connectedOn), asc(connections.createdAt));
  const events = rows.length
    ? await tx
        .select({ e: connectionEvents, by: users.name })
        .from(connectionEvents)
        .innerJoin(users, eq(users.id, connectionEvents.recordedBy))
        .where(
          inArray(
            connectionEvents.connectionId,
            rows.map((r) => r.c.id),
          ),
        )
        .orderBy(asc(connectionEvents.recordedAt))
    : [];
  const today = londonDate(actor.now);
  await recordAudit(tx, actor, {
    action: 'connection.listed',
    recordType: 'connection',
    recordIds: rows.map((r) => r.c.id),
    detail: { referralId },
  });
  const items: Connection[] = rows.map(({ c, goalDescription }) => ({
    id: c.id,
    referralId: c.referralId,
    serviceId: c.serviceId,
    serviceName: c.serviceName,
    goalId: c.goalId,
    goalDescription,
    kind: c.kind,
    status: c.status,
    consentToShare: c.consentToShare,
    note: c.note,
    connectedOn: c.connectedOn,
    statusOn: c.statusOn,
    awaitingReplyTooLong: c.status === 'referred' && daysBetween(c.statusOn, today) > days,
    next: [...nextStatuses[c.status]],
    version: c.version,
    events: events
      .filter((e) => e.e.connectionId === c.id)
      .map(({ e, by }) => ({
        status: e.status,
        on: e.on,
        reason: e.reason,
        note: e.note,
        recordedAt: e.recordedAt.toISOString(),
        recordedBy: by,
      })),
  }));
  return { items, replyExpectedWithinDays: days };
}
