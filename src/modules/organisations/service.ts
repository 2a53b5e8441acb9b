import { eq, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.ts';
import { type Actor, assertRole, hasRole, inScope } from '../../platform/actor.ts';
import { NotFoundError, ValidationError, VersionConflictError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/service.ts';
import type { Organisation, OrganisationType } from './contract.ts';
import { organisations } from './schema.ts';

type Row = typeof organisations.$inferSelect;

/** What each type may sit under: the tree is ICB → PCN → GP practice, with VCSE and councils beside them. */
const allowedParents: Record<OrganisationType, readonly OrganisationType[]> = {
  icb: [],
  pcn: ['icb'],
  gp_practice: ['pcn'],
  vcse: ['icb', 'pcn'],
  local_authority: ['icb'],
};

const typeNames: Record<OrganisationType, string> = {
  icb: 'an ICB',
  pcn: 'a PCN',
  gp_practice: 'a GP practice',
  vcse: 'a VCSE organisation',
  local_authority: 'a local authority',
};

function toOrganisation(row: Row, actor: Actor | null): Organisation {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    odsCode: row.odsCode,
    parentId: row.parentId,
    requireMfaForAll: row.requireMfaForAll,
    manageable: !!actor && hasRole(actor, 'admin') && inScope(actor, row.id),
    version: row.version,
  };
}

/**
 * The organisation tree the actor works in: everything under the root (ICB) of the acting organisation.
 * Organisation names, types and ODS codes are public reference data; `manageable` marks what the actor may change.
 */
export async function listOrganisations(tx: Db, actor: Actor): Promise<Organisation[]> {
  if (!actor.actingOrganisationId) return [];
  const ids = await treeIdsOf(tx, actor.actingOrganisationId);
  if (ids.length === 0) return [];
  const rows = await tx
    .select()
    .from(organisations)
    .where(sql`${organisations.id} = ANY (${sql.param(ids)}::uuid[])`)
    .orderBy(organisations.name);
  return rows.map((r) => toOrganisation(r, actor));
}

/** An organisation and every one above it, nearest first, with their types (the ICB last). */
export async function organisationAndAbove(
  tx: Db,
  organisationId: string,
): Promise<{ id: string; type: string }[]> {
  const result = await tx.execute(sql`
    with recursive up(id, type, parent_id, depth) as (
      select id, type, parent_id, 0 from ${organisations} where id = ${organisationId}
      union all
      select o.id, o.type, o.parent_id, up.depth + 1 from ${organisations} o join up on o.id = up.parent_id
      where up.depth < 10
    )
    select id, type from up order by depth`);
  return rowsOf<{ id: string; type: string }>(result);
}

/** Every organisation in the tree an organisation belongs to: its root (the ICB) and everything below that. */
export async function treeIdsOf(tx: Db, organisationId: string): Promise<string[]> {
  const result = await tx.execute(sql`
    with recursive up(id, parent_id) as (
      select id, parent_id from ${organisations} where id = ${organisationId}
      union all
      select o.id, o.parent_id from ${organisations} o join up on o.id = up.parent_id
    ), root as (select id from up where parent_id is null),
    down(id) as (
      select id from root
      union all
      select o.id from ${organisations} o join down on o.parent_id = down.id
    )
    select id from down`);
  return rowsOf<{ id: string }>(result).map((r) => r.id);
}

async function findManageable(tx: Db, actor: Actor, id: string): Promise<Row> {
  assertRole(actor, 'admin');
  // Outside the actor's scope an organisation does not exist for them: 404, so existence does not leak.
  if (!inScope(actor, id)) throw new NotFoundError('There is no organisation with this id that you manage.');
  const [row] = await tx.select().from(organisations).where(eq(organisations.id, id));
  if (!row) throw new NotFoundError('There is no organisation with this id that you manage.');
  return row;
}

export async function getOrganisation(tx: Db, actor: Actor, id: string): Promise<Organisation> {
  return toOrganisation(await findManageable(tx, actor, id), actor);
}

async function assertParentFits(
  tx: Db,
  actor: Actor,
  type: OrganisationType,
  parentId: string,
): Promise<void> {
  const parent = await findManageable(tx, actor, parentId).catch(() => {
    throw new ValidationError('Choose an organisation you manage to sit above this one', {
      field: 'parentId',
    });
  });
  if (!allowedParents[type].includes(parent.type)) {
    const allowed = allowedParents[type].map((t) => typeNames[t]).join(' or ');
    throw new ValidationError(
      allowed
        ? `${typeNames[type].replace(/^a|^an/, (m) => m.toUpperCase())} must sit under ${allowed}, not ${typeNames[parent.type]}`
        : 'An ICB is the top of the tree and cannot sit under another organisation',
      { field: 'parentId' },
    );
  }
}

async function assertOdsCodeFree(
  tx: Db,
  odsCode: string | null | undefined,
  exceptId?: string,
): Promise<void> {
  if (!odsCode) return;
  const [clash] = await tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.odsCode, odsCode));
  if (clash && clash.id !== exceptId) {
    throw new ValidationError(`Another organisation already has the ODS code ${odsCode}`, {
      field: 'odsCode',
    });
  }
}

export async function createOrganisation(
  tx: Db,
  actor: Actor,
  input: { type: OrganisationType; name: string; odsCode?: string | null; parentId: string },
): Promise<Organisation> {
  assertRole(actor, 'admin');
  if (input.type === 'icb') {
    throw new ValidationError('A new ICB is set up with the command `linkwork create-admin`, not from here', {
      field: 'type',
    });
  }
  await assertParentFits(tx, actor, input.type, input.parentId);
  await assertOdsCodeFree(tx, input.odsCode);
  const [row] = await tx
    .insert(organisations)
    .values({
      id: newId(),
      type: input.type,
      name: input.name,
      odsCode: input.odsCode ?? null,
      parentId: input.parentId,
      createdAt: actor.now,
      updatedAt: actor.now,
    })
    .returning();
  await recordAudit(tx, actor, {
    action: 'organisation.created',
    recordType: 'organisation',
    recordIds: [row!.id],
    organisationId: row!.id,
    detail: { type: input.type, parentId: input.parentId },
  });
  // The new organisation sits under one in scope, so it is in scope too.
  return toOrganisation(row!, { ...actor, scopeOrganisationIds: [...actor.scopeOrganisationIds, row!.id] });
}

export async function updateOrganisation(
  tx: Db,
  actor: Actor,
  id: string,
  input: {
    version: number;
    name?: string;
    odsCode?: string | null;
    parentId?: string;
    requireMfaForAll?: boolean;
  },
): Promise<Organisation> {
  const current = await findManageable(tx, actor, id);
  if (current.version !== input.version) throw new VersionConflictError('organisation');
  if (input.parentId !== undefined && input.parentId !== current.parentId) {
    if (id === actor.actingOrganisationId) {
      throw new ValidationError('You cannot move the organisation you are acting for', { field: 'parentId' });
    }
    if (input.parentId === id) {
      throw new ValidationError('An organisation cannot sit under itself', { field: 'parentId' });
    }
    // The type rules (a PCN only under an ICB, a practice only under a PCN…) also rule out loops.
    await assertParentFits(tx, actor, current.type, input.parentId);
  }
  if (input.odsCode !== undefined) await assertOdsCodeFree(tx, input.odsCode, id);
  const changes = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.odsCode !== undefined ? { odsCode: input.odsCode ?? null } : {}),
    ...(input.parentId !== undefined ? { parentId: input.parentId } : {}),
    ...(input.requireMfaForAll !== undefined ? { requireMfaForAll: input.requireMfaForAll } : {}),
  };
  const [row] = await tx
    .update(organisations)
    .set({ ...changes, version: current.version + 1, updatedAt: actor.now })
    .where(sql`${organisations.id} = ${id} and ${organisations.version} = ${input.version}`)
    .returning();
  if (!row) throw new VersionConflictError('organisation');
  await recordAudit(tx, actor, {
    action: 'organisation.updated',
    recordType: 'organisation',
    recordIds: [id],
    organisationId: id,
    detail: { fields: Object.keys(changes) },
  });
  return toOrganisation(row, actor);
}

/** Used by the CLI and the demo seed: a top-level ICB made on no one's behalf. */
export async function createRootOrganisation(
  tx: Db,
  now: Date,
  input: { name: string; odsCode?: string | null },
): Promise<string> {
  await assertOdsCodeFree(tx, input.odsCode);
  const id = newId();
  await tx.insert(organisations).values({
    id,
    type: 'icb',
    name: input.name,
    odsCode: input.odsCode ?? null,
    parentId: null,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}
