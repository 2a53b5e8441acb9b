import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.ts';
import { postcodes } from '../geography/schema.ts';
import {
  accessibilityOf,
  allSchedules,
  attendingOf,
  compact,
  contentHash,
  isFree,
  languagesOf,
  postcodeOf,
  termIdsOf,
  weeklyHoursLiteral,
} from './derive.ts';
import type { Attribute, Location, Organization, Service, TaxonomyTerm } from './oruk.ts';
import { orukTerm } from './read.ts';
import {
  directoryLocations,
  directoryOrganisations,
  directoryServices,
  directoryTaxonomyTerms,
} from './schema.ts';

/*
 * Writing ORUK services into an ICB's directory, many at a time: a chunk of services costs about ten statements
 * whatever its size, so an import of 100,000 is a few hundred transactions, not a million statements. The caller
 * owns the transaction: a chunk is written whole or not at all.
 */

export type WriteOutcome =
  | { id: string; sourceId: string; name: string; outcome: 'added' | 'updated' | 'unchanged' }
  | { id: string; sourceId: string; name: string; outcome: 'rejected'; reasons: string[] };

export interface WriteMeta {
  /** "linkwork" for the directory editor, else the import source's name. */
  source: string;
  change: 'created' | 'edited' | 'imported' | 'verified' | 'reported';
  by: string | null;
  importId: string | null;
  now: Date;
  note?: string | null;
}

export interface ServiceToWrite {
  sourceId: string;
  service: Service;
}

export async function writeServices(
  tx: Db,
  icbId: string,
  items: readonly ServiceToWrite[],
  meta: WriteMeta,
): Promise<WriteOutcome[]> {
  const outcomes = new Map<number, WriteOutcome>();
  const reject = (i: number, reasons: string[]) => {
    const { service, sourceId } = items[i]!;
    outcomes.set(i, { id: service.id, sourceId, name: service.name, outcome: 'rejected', reasons });
  };

  // Ids repeated within the chunk: the first wins, the others are rejected by name.
  const firstAt = new Map<string, number>();
  items.forEach(({ service }, i) => {
    const first = firstAt.get(service.id);
    if (first === undefined) firstAt.set(service.id, i);
    else reject(i, [`id: the same service id as record ${first + 1} of this batch`]);
  });

  const ids = [...firstAt.keys()];
  const existing = new Map(
    (ids.length === 0
      ? []
      : await tx
          .select({
            id: directoryServices.id,
            source: directoryServices.source,
            hash: directoryServices.contentHash,
            version: directoryServices.version,
          })
          .from(directoryServices)
          .where(and(eq(directoryServices.organisationId, icbId), inArray(directoryServices.id, ids)))
    ).map((r) => [r.id, r]),
  );

  const hashes = new Map<number, string>();
  for (const [id, i] of firstAt) {
    const { service, sourceId } = items[i]!;
    const before = existing.get(id);
    if (before && before.source !== meta.source) {
      reject(i, [
        `id: ${id} is already in this directory from "${before.source}"; a service keeps the source it came from`,
      ]);
      continue;
    }
    const hash = contentHash(service);
    hashes.set(i, hash);
    if (before && before.hash === hash && meta.change === 'imported') {
      outcomes.set(i, { id, sourceId, name: service.name, outcome: 'unchanged' });
    }
  }

  let pending = [...hashes.keys()].filter((i) => !outcomes.has(i));
  if (pending.length === 0) return items.map((_, i) => outcomes.get(i)!);

  // Organisations: nested ones are written; ones named only by id must already be in the directory.
  const organisations = new Map<string, Organization>();
  for (const i of pending) {
    const org = items[i]!.service.organization;
    if (org) organisations.set(org.id, org);
  }
  const namedOrgIds = new Set(
    pending.map((i) => items[i]!.service.organization_id).filter((id): id is string => !!id),
  );
  const knownOrgIds = await existingIds(
    tx,
    directoryOrganisations,
    icbId,
    [...namedOrgIds].filter((id) => !organisations.has(id)),
  );
  // Terms: nested ones are written; ones named only by id must already be in the directory.
  const terms = new Map<string, TaxonomyTerm>();
  for (const i of pending) {
    for (const a of attributesOf(items[i]!.service))
      if (a.taxonomy_term) terms.set(a.taxonomy_term.id, a.taxonomy_term);
  }
  const namedTermIds = new Set(pending.flatMap((i) => termIdsOf(items[i]!.service)));
  const knownTermIds = await existingIds(
    tx,
    directoryTaxonomyTerms,
    icbId,
    [...namedTermIds].filter((id) => !terms.has(id)),
  );
  // Locations: likewise.
  const locations = new Map<string, Location>();
  for (const i of pending) {
    for (const sal of items[i]!.service.service_at_locations)
      if (sal.location) locations.set(sal.location.id, sal.location);
  }
  const namedLocationIds = new Set(
    pending.flatMap((i) =>
      items[i]!.service.service_at_locations.map((sal) => sal.location?.id ?? sal.location_id!),
    ),
  );
  const knownLocationIds = await existingIds(
    tx,
    directoryLocations,
    icbId,
    [...namedLocationIds].filter((id) => !locations.has(id)),
  );

  pending = pending.filter((i) => {
    const { service } = items[i]!;
    const reasons: string[] = [];
    if (service.organization_id && !service.organization && !knownOrgIds.has(service.organization_id)) {
      reasons.push(`organization_id: ${service.organization_id} is not an organisation in this directory`);
    }
    for (const id of termIdsOf(service)) {
      if (!terms.has(id) && !knownTermIds.has(id))
        reasons.push(`attributes: taxonomy term ${id} is not in this directory's taxonomies`);
    }
    service.service_at_locations.forEach((sal, j) => {
      const id = sal.location?.id ?? sal.location_id!;
      if (!locations.has(id) && !knownLocationIds.has(id))
        reasons.push(`service_at_locations[${j}].location_id: ${id} is not a location in this directory`);
    });
    if (reasons.length > 0) reject(i, reasons);
    return reasons.length === 0;
  });
  if (pending.length === 0) return items.map((_, i) => outcomes.get(i)!);

  const now = meta.now;
  if (organisations.size > 0) {
    await upsertRows(tx, {
      table: 'directory_organisations',
      columns: ORGANISATION_COLUMNS,
      rows: [...organisations.values()].map((org) => {
        const record = compact(org);
        return {
          id: org.id,
          organisation_id: icbId,
          name: org.name,
          description: org.description,
          record,
          source: meta.source,
          source_id: org.id,
          content_hash: contentHash(record),
          updated_at: now,
        };
      }),
      update: ['name', 'description', 'record', 'content_hash', 'updated_at'],
      onlyIfChanged: true,
    });
  }

  if (terms.size > 0) {
    await tx
      .insert(directoryTaxonomyTerms)
      .values(
        [...terms.values()]
          .sort((a, b) => (a.id < b.id ? -1 : 1))
          .map((t) => ({
            id: t.id,
            organisationId: icbId,
            // A term may name a taxonomy this directory does not hold: the free-text taxonomy says which.
            taxonomyId: null,
            parentId: t.parent_id ?? null,
            name: t.name,
            description: t.description,
            code: t.code ?? null,
            taxonomy: t.taxonomy ?? null,
            termUri: t.term_uri ?? null,
            updatedAt: now,
          })),
      )
      // Terms already in the directory keep their definition: a service feed tags, it does not redefine.
      .onConflictDoNothing();
  }

  // Every attribute is stored as ORUK publishes it: what it links, and its term in full, so reading a service
  // back is concatenation, not lookups.
  const allTermIds = [
    ...new Set([
      ...pending.flatMap((i) => termIdsOf(items[i]!.service)),
      ...[...locations.values()].flatMap((l) =>
        l.attributes.map((a) => a.taxonomy_term_id ?? a.taxonomy_term?.id),
      ),
    ]),
  ].filter((id): id is string => !!id);
  const termRows = new Map(
    (allTermIds.length === 0
      ? []
      : await tx
          .select()
          .from(directoryTaxonomyTerms)
          .where(
            and(
              eq(directoryTaxonomyTerms.organisationId, icbId),
              inArray(directoryTaxonomyTerms.id, allTermIds),
            ),
          )
    ).map((t) => [t.id, t]),
  );
  const enrich = (attrs: readonly Attribute[], linkId: string, linkType: string) =>
    attrs.map((a) => {
      const id = (a.taxonomy_term_id ?? a.taxonomy_term?.id)!;
      const known = termRows.get(id);
      return {
        ...a,
        link_id: a.link_id ?? linkId,
        link_type: a.link_type ?? linkType,
        taxonomy_term_id: id,
        taxonomy_term: a.taxonomy_term ?? (known ? orukTerm(known) : undefined),
      };
    });

  let movedLocations: string[] = [];
  if (locations.size > 0) {
    const list = [...locations.values()];
    const lookups = [
      ...new Set(
        list
          .filter((l) => l.latitude === undefined)
          .map(postcodeOf)
          .filter((p): p is string => !!p),
      ),
    ];
    const placed = new Map(
      (lookups.length === 0
        ? []
        : await tx
            .select({ postcode: postcodes.postcode, lat: postcodes.latitude, lon: postcodes.longitude })
            .from(postcodes)
            .where(inArray(postcodes.postcode, lookups))
      ).map((p) => [p.postcode, p]),
    );
    const changed = await upsertRows(tx, {
      table: 'directory_locations',
      columns: LOCATION_COLUMNS,
      rows: list.map((l) => {
        const postcode = postcodeOf(l);
        const fromPostcode = postcode ? placed.get(postcode) : undefined;
        const [lon, lat] =
          l.latitude !== undefined && l.longitude !== undefined
            ? [l.longitude, l.latitude]
            : fromPostcode
              ? [fromPostcode.lon, fromPostcode.lat]
              : [null, null];
        const record = compact({ ...l, attributes: enrich(l.attributes, l.id, 'location') });
        return {
          id: l.id,
          organisation_id: icbId,
          location_type: l.location_type,
          name: l.name ?? null,
          lon,
          lat,
          postcode,
          accessibility: accessibilityOf(l),
          record,
          source: meta.source,
          source_id: l.id,
          content_hash: contentHash(record),
          updated_at: now,
        };
      }),
      update: [
        'location_type',
        'name',
        'coords',
        'postcode',
        'accessibility',
        'record',
        'content_hash',
        'updated_at',
      ],
      onlyIfChanged: true,
      returningIds: true,
    });
    movedLocations = changed.map((c) => c.id);
  }

  const orgNames = new Map<string, string>([...organisations.values()].map((o) => [o.id, o.name]));
  const missingOrgNames = [...namedOrgIds].filter((id) => !orgNames.has(id));
  if (missingOrgNames.length > 0) {
    for (const o of await tx
      .select({ id: directoryOrganisations.id, name: directoryOrganisations.name })
      .from(directoryOrganisations)
      .where(
        and(
          eq(directoryOrganisations.organisationId, icbId),
          inArray(directoryOrganisations.id, missingOrgNames),
        ),
      ))
      orgNames.set(o.id, o.name);
  }

  const rows = pending.map((i) => {
    const { service, sourceId } = items[i]!;
    const orgId = service.organization?.id ?? service.organization_id ?? null;
    const before = existing.get(service.id);
    const { organization: _o, service_at_locations: _s, ...own } = service;
    return {
      id: service.id,
      organisation_id: icbId,
      directory_organisation_id: orgId,
      name: service.name,
      description: service.description ?? null,
      status: service.status,
      minimum_age: service.minimum_age === undefined ? null : Math.floor(service.minimum_age),
      maximum_age: service.maximum_age === undefined ? null : Math.ceil(service.maximum_age),
      assured_date: service.assured_date ?? null,
      record: compact({
        ...own,
        organization_id: orgId ?? undefined,
        attributes: enrich(own.attributes, service.id, 'service'),
        // When the record last changed here, unless its source says when it last changed there.
        last_modified: own.last_modified ?? now.toISOString(),
      }),
      search_text: [
        ...termIdsOf(service).map((id) => termRows.get(id)?.name ?? ''),
        orgId ? (orgNames.get(orgId) ?? '') : '',
      ]
        .filter(Boolean)
        .join(' · '),
      term_ids: termIdsOf(service),
      weekly_hours: weeklyHoursLiteral(allSchedules(service)),
      attending_types: attendingOf(service),
      languages: languagesOf(service),
      is_free: isFree(service),
      version: (before?.version ?? 0) + 1,
      created_at: now,
      updated_by: meta.by,
      last_change: before
        ? meta.change
        : meta.change === 'imported'
          ? ('imported' as const)
          : ('created' as const),
      last_change_note: meta.note ?? null,
      last_import_id: meta.importId,
      source: meta.source,
      source_id: sourceId,
      content_hash: hashes.get(i)!,
      updated_at: now,
    };
  });

  // The versions being replaced go to the history, copied inside the database.
  const replaced = rows.filter((r) => existing.has(r.id)).map((r) => r.id);
  if (replaced.length > 0) {
    await tx.execute(sql`
      insert into directory_service_history
        (id, organisation_id, service_id, version, change, note, record, changed_at, changed_by, import_id)
      select gen_random_uuid(), organisation_id, id, version, last_change, last_change_note, record, updated_at,
        updated_by, last_import_id
      from directory_services where organisation_id = ${icbId} and id = any(${sqlUuids(replaced)})`);
  }
  await upsertRows(tx, {
    table: 'directory_services',
    columns: SERVICE_COLUMNS,
    rows,
    update: SERVICE_COLUMNS.map(([c]) => c).filter(
      (c) => !['id', 'organisation_id', 'created_at', 'source'].includes(c),
    ),
  });

  // Where each service is: the record's list replaces what was there.
  const written = rows.map((r) => r.id);
  const sals = pending.flatMap((i) =>
    items[i]!.service.service_at_locations.map((sal) => ({
      id: sal.id,
      organisation_id: icbId,
      service_id: items[i]!.service.id,
      location_id: sal.location?.id ?? sal.location_id!,
      record: compact({
        description: sal.description,
        schedules: sal.schedules,
        attributes: enrich(sal.attributes, sal.id, 'service_at_location'),
      }),
    })),
  );
  if (replaced.length > 0) {
    await tx.execute(sql`
      delete from directory_service_at_locations
      where organisation_id = ${icbId} and service_id = any(${sqlUuids(replaced)})
        and not (id = any(${sqlUuids(sals.map((s) => s.id))}))`);
    await tx.execute(sql`
      delete from directory_search where organisation_id = ${icbId} and service_id = any(${sqlUuids(replaced)})`);
  }
  if (sals.length > 0) {
    await upsertRows(tx, {
      table: 'directory_service_at_locations',
      columns: SAL_COLUMNS,
      rows: sals,
      update: ['service_id', 'location_id', 'record'],
    });
  }
  // Search rows, built in the database from what was just written: one per service and location.
  await tx.execute(sql`
    insert into directory_search (organisation_id, service_id, location_id, coords, accessibility, status, search,
      words, term_ids, weekly_hours, attending_types, languages, is_free, minimum_age, maximum_age)
    select s.organisation_id, s.id, l.id, l.coords, coalesce(l.accessibility, '{}'), s.status,
      setweight(to_tsvector('english', s.name), 'A') || setweight(to_tsvector('english', s.search_text), 'B')
        || setweight(to_tsvector('english', coalesce(s.description, '')), 'C'),
      s.name || ' ' || s.search_text, s.term_ids, s.weekly_hours, s.attending_types, s.languages, s.is_free,
      s.minimum_age, s.maximum_age
    from directory_services s
    left join directory_service_at_locations sal on sal.organisation_id = s.organisation_id and sal.service_id = s.id
    left join directory_locations l on l.organisation_id = sal.organisation_id and l.id = sal.location_id
    where s.organisation_id = ${icbId} and s.id = any(${sqlUuids(written)})`);
  // A location that moved (or changed its access) moves in every other service's search rows too.
  if (movedLocations.length > 0) {
    await tx.execute(sql`
      update directory_search d set coords = l.coords, accessibility = l.accessibility
      from directory_locations l
      where l.organisation_id = d.organisation_id and l.id = d.location_id
        and d.organisation_id = ${icbId} and d.location_id = any(${sqlUuids(movedLocations)})
        and not (d.service_id = any(${sqlUuids(written)}))`);
  }
  const added = written.length - replaced.length;
  if (added > 0) {
    await tx.execute(sql`
      update directory_settings set service_count = service_count + ${added} where organisation_id = ${icbId}`);
  }

  for (const i of pending) {
    const { service, sourceId } = items[i]!;
    outcomes.set(i, {
      id: service.id,
      sourceId,
      name: service.name,
      outcome: existing.has(service.id) ? 'updated' : 'added',
    });
  }
  return items.map((_, i) => outcomes.get(i)!);
}

type ColumnType =
  | 'uuid'
  | 'text'
  | 'jsonb'
  | 'smallint'
  | 'integer'
  | 'boolean'
  | 'date'
  | 'timestamptz'
  | 'uuid[]'
  | 'text[]'
  | 'point'
  | 'int4multirange';

const ORGANISATION_COLUMNS: [string, ColumnType][] = [
  ['id', 'uuid'],
  ['organisation_id', 'uuid'],
  ['name', 'text'],
  ['description', 'text'],
  ['record', 'jsonb'],
  ['source', 'text'],
  ['source_id', 'text'],
  ['content_hash', 'text'],
  ['updated_at', 'timestamptz'],
];
const LOCATION_COLUMNS: [string, ColumnType][] = [
  ['id', 'uuid'],
  ['organisation_id', 'uuid'],
  ['location_type', 'text'],
  ['name', 'text'],
  ['coords', 'point'],
  ['postcode', 'text'],
  ['accessibility', 'text[]'],
  ['record', 'jsonb'],
  ['source', 'text'],
  ['source_id', 'text'],
  ['content_hash', 'text'],
  ['updated_at', 'timestamptz'],
];
const SERVICE_COLUMNS: [string, ColumnType][] = [
  ['id', 'uuid'],
  ['organisation_id', 'uuid'],
  ['directory_organisation_id', 'uuid'],
  ['name', 'text'],
  ['description', 'text'],
  ['status', 'text'],
  ['minimum_age', 'smallint'],
  ['maximum_age', 'smallint'],
  ['assured_date', 'date'],
  ['record', 'jsonb'],
  ['search_text', 'text'],
  ['term_ids', 'uuid[]'],
  ['weekly_hours', 'int4multirange'],
  ['attending_types', 'text[]'],
  ['languages', 'text[]'],
  ['is_free', 'boolean'],
  ['version', 'integer'],
  ['created_at', 'timestamptz'],
  ['updated_by', 'uuid'],
  ['last_change', 'text'],
  ['last_change_note', 'text'],
  ['last_import_id', 'uuid'],
  ['source', 'text'],
  ['source_id', 'text'],
  ['content_hash', 'text'],
  ['updated_at', 'timestamptz'],
];
const SAL_COLUMNS: [string, ColumnType][] = [
  ['id', 'uuid'],
  ['organisation_id', 'uuid'],
  ['service_id', 'uuid'],
  ['location_id', 'uuid'],
  ['record', 'jsonb'],
];

/**
 * Many rows in one statement with one parameter: the rows as a JSON array, unpacked by jsonb_to_recordset. A chunk
 * of 250 services is one string built by JSON.stringify, not thousands of parameters built one by one. A `point`
 * column is sent as `lon` and `lat`; a multirange as its text.
 */
async function upsertRows(
  tx: Db,
  spec: {
    table: string;
    columns: [string, ColumnType][];
    rows: Record<string, unknown>[];
    update: string[];
    /** Leave a row alone when its content hash is the same. */
    onlyIfChanged?: boolean;
    returningIds?: boolean;
  },
): Promise<{ id: string }[]> {
  if (spec.rows.length === 0) return [];
  // Rows in id order: chunks written at once then lock shared rows (an organisation, a venue) in the same order,
  // so they wait for each other instead of deadlocking.
  const rows = [...spec.rows].sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : 1));
  const recordset = spec.columns
    .flatMap(([c, t]) =>
      t === 'point' ? [`lon float8`, `lat float8`] : t === 'int4multirange' ? [`${c} text`] : [`${c} ${t}`],
    )
    .join(', ');
  const select = spec.columns
    .map(([c, t]) =>
      t === 'point'
        ? 'case when r.lon is null then null else point(r.lon, r.lat) end'
        : t === 'int4multirange'
          ? `r.${c}::int4multirange`
          : `r.${c}`,
    )
    .join(', ');
  const text = `insert into ${spec.table} (${spec.columns.map(([c]) => c).join(', ')})
    select ${select} from jsonb_to_recordset($1::jsonb) as r(${recordset})
    on conflict (organisation_id, id) do update set ${spec.update.map((c) => `${c} = excluded.${c}`).join(', ')}
    ${spec.onlyIfChanged ? `where ${spec.table}.content_hash <> excluded.content_hash` : ''}
    ${spec.returningIds ? 'returning id' : ''}`;
  const [head, tail] = text.split('$1') as [string, string];
  return rowsOf<{ id: string }>(
    await tx.execute(sql`${sql.raw(head)}${JSON.stringify(rows)}${sql.raw(tail)}`),
  );
}

const attributesOf = (s: Service) => [
  ...s.attributes,
  ...s.service_at_locations.flatMap((sal) => sal.attributes),
];

/** A uuid[] parameter both drivers bind the same way. */
export const sqlUuids = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

async function existingIds(
  tx: Db,
  table: typeof directoryOrganisations | typeof directoryTaxonomyTerms | typeof directoryLocations,
  icbId: string,
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = rowsOf<{ id: string }>(
    await tx.execute(
      sql`select id from ${table} where organisation_id = ${icbId} and id = any(${sqlUuids(ids)})`,
    ),
  );
  return new Set(rows.map((r) => r.id));
}
