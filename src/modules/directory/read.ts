import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { compact } from './derive.ts';
import {
  directoryLocations,
  directoryOrganisations,
  directoryServiceAtLocations,
  directoryServices,
  directoryTaxonomyTerms,
} from './schema.ts';

/*
 * Reading services back as ORUK 3.0 records: the stored record plus its organisation, its locations and the
 * definitions of the terms it is tagged with, in four queries for any number of services.
 */

type Json = Record<string, unknown>;

interface Attribute extends Json {
  taxonomy_term_id?: string;
  taxonomy_term?: Json;
}

export interface ServiceRow {
  id: string;
  record: unknown;
  directoryOrganisationId: string | null;
  updatedAt: Date;
}

/** One-to-one fields and the organisation: the shape of an ORUK `/services` list item. */
export async function orukServiceSummaries(
  tx: Db,
  icbId: string,
  rows: readonly ServiceRow[],
): Promise<Json[]> {
  const orgs = await organisationsById(tx, icbId, rows);
  return rows.map((row) => {
    const record = row.record as Json;
    const summary: Json = {};
    for (const key of ONE_TO_ONE) if (record[key] !== undefined) summary[key] = record[key];
    summary.id = row.id;
    summary.last_modified ??= row.updatedAt.toISOString();
    const org = row.directoryOrganisationId ? orgs.get(row.directoryOrganisationId) : undefined;
    if (org) summary.organization = org;
    return compact(summary);
  });
}

const ONE_TO_ONE = [
  'id',
  'organization_id',
  'name',
  'alternate_name',
  'description',
  'url',
  'email',
  'status',
  'interpretation_services',
  'application_process',
  'fees_description',
  'fees',
  'accreditations',
  'eligibility_description',
  'minimum_age',
  'maximum_age',
  'assured_date',
  'assurer_email',
  'alert',
  'last_modified',
] as const;

/** Fully nested ORUK services, in the order of the rows given. */
export async function orukServices(tx: Db, icbId: string, rows: readonly ServiceRow[]): Promise<Json[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [orgs, sals] = await Promise.all([
    organisationsById(tx, icbId, rows),
    tx
      .select({
        id: directoryServiceAtLocations.id,
        serviceId: directoryServiceAtLocations.serviceId,
        locationId: directoryServiceAtLocations.locationId,
        record: directoryServiceAtLocations.record,
        location: directoryLocations.record,
      })
      .from(directoryServiceAtLocations)
      .innerJoin(
        directoryLocations,
        and(
          eq(directoryLocations.organisationId, directoryServiceAtLocations.organisationId),
          eq(directoryLocations.id, directoryServiceAtLocations.locationId),
        ),
      )
      .where(
        and(
          eq(directoryServiceAtLocations.organisationId, icbId),
          inArray(directoryServiceAtLocations.serviceId, ids),
        ),
      )
      .orderBy(asc(directoryServiceAtLocations.id)),
  ]);
  const termIds = new Set<string>();
  const noteTerms = (attrs: unknown) => {
    for (const a of (attrs as Attribute[] | undefined) ?? [])
      if (a.taxonomy_term_id) termIds.add(a.taxonomy_term_id);
  };
  for (const row of rows) noteTerms((row.record as Json).attributes);
  for (const sal of sals) {
    noteTerms((sal.record as Json).attributes);
    noteTerms((sal.location as Json).attributes);
  }
  const terms = await termsById(tx, icbId, [...termIds]);
  const withTerms = (attrs: unknown, linkId: string, linkType: string) =>
    ((attrs as Attribute[] | undefined) ?? []).map((a) => {
      const id = a.taxonomy_term_id ?? (a.taxonomy_term?.id as string | undefined);
      return compact({
        ...a,
        link_id: a.link_id ?? linkId,
        link_type: a.link_type ?? linkType,
        taxonomy_term_id: id,
        taxonomy_term: a.taxonomy_term ?? (id ? terms.get(id) : undefined),
      });
    });

  const salsByService = new Map<string, Json[]>();
  for (const sal of sals) {
    const record = sal.record as Json;
    const location = sal.location as Json;
    const list = salsByService.get(sal.serviceId) ?? [];
    list.push(
      compact({
        id: sal.id,
        service_id: sal.serviceId,
        location_id: sal.locationId,
        ...record,
        attributes: withTerms(record.attributes, sal.id, 'service_at_location'),
        location: { ...location, attributes: withTerms(location.attributes, sal.locationId, 'location') },
      }),
    );
    salsByService.set(sal.serviceId, list);
  }

  return rows.map((row) => {
    const record = row.record as Json;
    const org = row.directoryOrganisationId ? orgs.get(row.directoryOrganisationId) : undefined;
    return compact({
      ...record,
      id: row.id,
      last_modified: record.last_modified ?? row.updatedAt.toISOString(),
      attributes: withTerms(record.attributes, row.id, 'service'),
      organization: org,
      service_at_locations: salsByService.get(row.id) ?? [],
    });
  });
}

async function organisationsById(tx: Db, icbId: string, rows: readonly ServiceRow[]) {
  const ids = [...new Set(rows.map((r) => r.directoryOrganisationId).filter((id): id is string => !!id))];
  if (ids.length === 0) return new Map<string, Json>();
  const found = await tx
    .select({ id: directoryOrganisations.id, record: directoryOrganisations.record })
    .from(directoryOrganisations)
    .where(and(eq(directoryOrganisations.organisationId, icbId), inArray(directoryOrganisations.id, ids)));
  return new Map(found.map((o) => [o.id, o.record as Json]));
}

export async function termsById(tx: Db, icbId: string, ids: readonly string[]): Promise<Map<string, Json>> {
  if (ids.length === 0) return new Map();
  const found = await tx
    .select()
    .from(directoryTaxonomyTerms)
    .where(
      and(eq(directoryTaxonomyTerms.organisationId, icbId), inArray(directoryTaxonomyTerms.id, [...ids])),
    );
  return new Map(found.map((t) => [t.id, orukTerm(t)]));
}

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
