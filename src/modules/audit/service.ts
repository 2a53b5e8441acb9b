import { and, desc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type Actor, assertRole, isSystem, type RequestContext } from '../../platform/actor.ts';
import { newId } from '../../platform/ids.ts';
import { users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
import type { AuditEvent, AuditQuery } from './contract.ts';
import { auditEvents } from './schema.ts';

export interface AuditEntry {
  action: string;
  recordType?: string;
  /** Every record the action touched or showed: a list that shows ten people names ten ids. */
  recordIds?: string[];
  /**
   * The tenant whose data this is; defaults to the acting organisation. An event about a person with roles at
   * several organisations is recorded once for each, so each one's administrators see it and no one else does.
   */
  organisationId?: string | null | string[];
  /** Ids, field names and outcomes only: never personal data. */
  detail?: Record<string, unknown>;
}

/** Appends the audit event in the caller's transaction, so a write and its audit commit together. */
export async function recordAudit(tx: Db, ctx: RequestContext, entry: AuditEntry): Promise<void> {
  const actor = isSystem(ctx) ? null : ctx;
  const tenant =
    entry.organisationId === undefined ? (actor?.actingOrganisationId ?? null) : entry.organisationId;
  const tenants = Array.isArray(tenant) ? (tenant.length ? [...new Set(tenant)] : [null]) : [tenant];
  await tx.insert(auditEvents).values(
    tenants.map((organisationId) => ({
      id: newId(),
      occurredAt: ctx.now,
      actorUserId: actor?.userId ?? null,
      actingOrganisationId: actor?.actingOrganisationId ?? null,
      organisationId,
      action: entry.action,
      recordType: entry.recordType ?? null,
      recordIds: entry.recordIds ?? [],
      requestId: ctx.requestId ?? null,
      ip: ctx.ip ?? null,
      detail: entry.detail ?? null,
    })),
  );
}

/** Administrators browse the audit log of their organisation and everything below it, newest first. */
export async function listAuditEvents(
  tx: Db,
  actor: Actor,
  query: AuditQuery,
): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
  assertRole(actor, 'admin');
  const conditions = [
    sql`${auditEvents.organisationId} = ANY (${sql.param(actor.scopeOrganisationIds)}::uuid[])`,
    query.actorUserId ? eq(auditEvents.actorUserId, query.actorUserId) : undefined,
    query.action ? eq(auditEvents.action, query.action) : undefined,
    query.recordType ? eq(auditEvents.recordType, query.recordType) : undefined,
    query.recordId ? sql`${auditEvents.recordIds} @> ${JSON.stringify([query.recordId])}::jsonb` : undefined,
    query.from ? gte(auditEvents.occurredAt, new Date(`${query.from}T00:00:00Z`)) : undefined,
    query.to ? lte(auditEvents.occurredAt, new Date(`${query.to}T23:59:59.999Z`)) : undefined,
    query.cursor ? lt(auditEvents.id, query.cursor) : undefined,
  ];
  const rows = await tx
    .select({ event: auditEvents, actorName: users.name, actingOrganisationName: organisations.name })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .leftJoin(organisations, eq(organisations.id, auditEvents.actingOrganisationId))
    .where(and(...conditions))
    .orderBy(desc(auditEvents.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    items: page.map(({ event: r, actorName, actingOrganisationName }) => ({
      id: r.id,
      actorName,
      actingOrganisationName,
      occurredAt: r.occurredAt.toISOString(),
      actorUserId: r.actorUserId,
      actingOrganisationId: r.actingOrganisationId,
      organisationId: r.organisationId,
      action: r.action,
      recordType: r.recordType,
      recordIds: r.recordIds,
      requestId: r.requestId,
      ip: r.ip,
      detail: r.detail,
    })),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.event.id ?? null) : null,
  };
}
