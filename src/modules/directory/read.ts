import { type SQL, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.ts';
import { compact } from './derive.ts';
import { directoryServices, type directoryTaxonomyTerms } from './schema.ts';
import { sqlUuids } from './store.ts';

/*
 * Reading services back as ORUK 3.0 records. Records are stored as ORUK publishes them (attributes carry their
 * terms, empty fields are already gone), so a full service is the service's record, its organisation's and its
 * locations' records put together — done in the database, in one statement, and handed out as JSON text.
 */

/** Collections a `/services` list item leaves out: the standard's list shows one-to-one fields only. */
const MANY = [
  'schedules',
  'service_areas',
  'languages',
  'funding',
  'cost_options',
  'contacts',
  'phones',
  'attributes',
];

const organisationOf = sql`case when o.record is null then '{}'::jsonb else jsonb_build_object('organization', o.record) end`;

/** A fully nested ORUK service as jsonb, for `s` (directory_services) joined to `o` (its organisation). */
const fullService = sql`s.record || jsonb_build_object('id', s.id) || ${organisationOf} || (
    select case when count(*) = 0 then '{}'::jsonb else jsonb_build_object('service_at_locations',
      jsonb_agg(jsonb_build_object('id', sal.id, 'service_id', sal.service_id, 'location_id', sal.location_id)
        || sal.record || jsonb_build_object('location', l.record) order by sal.id)) end
    from directory_service_at_locations sal
    join directory_locations l on l.organisation_id = sal.organisation_id and l.id = sal.location_id
    where sal.organisation_id = s.organisation_id and sal.service_id = s.id)`;

/** A `/services` list item: one-to-one fields and the organisation. */
export const serviceSummary = sql`(s.record - ${`{${MANY.join(',')}}`}::text[]) || jsonb_build_object('id', s.id) || ${organisationOf}`;

const fromServices = (icbId: string) => sql`
  from directory_services s
  left join directory_organisations o on o.organisation_id = s.organisation_id and o.id = s.directory_organisation_id
  where s.organisation_id = ${icbId}`;

/** Fully nested services as JSON text, by id. */
export async function orukServiceTexts(
  tx: Db,
  icbId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = rowsOf<{ id: string; json: string }>(
    await tx.execute(
      sql`select s.id, (${fullService})::text as json ${fromServices(icbId)} and s.id = any(${sqlUuids(ids)})`,
    ),
  );
  return new Map(rows.map((r) => [r.id, r.json]));
}

/** Fully nested services as objects, in the order of the ids given (missing ones left out). */
export async function orukServices(
  tx: Db,
  icbId: string,
  rows: readonly { id: string }[],
): Promise<Record<string, unknown>[]> {
  const texts = await orukServiceTexts(
    tx,
    icbId,
    rows.map((r) => r.id),
  );
  return rows.flatMap((r) => {
    const text = texts.get(r.id);
    return text ? [JSON.parse(text) as Record<string, unknown>] : [];
  });
}

/** A page of list items as one JSON array text, for the services whose ids the subquery gives, in id order. */
export async function orukSummaryPage(tx: Db, icbId: string, ids: SQL): Promise<string> {
  const [row] = rowsOf<{ json: string | null }>(
    await tx.execute(sql`
      with page as (${ids})
      select (jsonb_agg(${serviceSummary} order by s.id))::text as json
      from page
      join directory_services s on s.organisation_id = ${icbId} and s.id = page.id
      left join directory_organisations o on o.organisation_id = s.organisation_id and o.id = s.directory_organisation_id`),
  );
  return row?.json ?? '[]';
}

type Json = Record<string, unknown>;

export const orukTerm = (t: typeof directoryTaxonomyTerms.$inferSelect): Json =>
  compact({
    id: t.id,
    name: t.name,
    description: t.description,
    parent_id: t.parentId,
    taxonomy: t.taxonomy,
    taxonomy_id: t.taxonomyId,
    term_uri: t.termUri,
    code: t.code,
  });

export const serviceRowColumns = {
  id: directoryServices.id,
  record: directoryServices.record,
  directoryOrganisationId: directoryServices.directoryOrganisationId,
  updatedAt: directoryServices.updatedAt,
};
