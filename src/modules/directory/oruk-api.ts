import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Db, rowsOf } from '../../db/client.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { NotFoundError, ValidationError } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { lookupPostcode } from '../geography/service.ts';
import { organisations } from '../organisations/schema.ts';
import { compact, WEEKDAYS, weekRange } from './derive.ts';
import { boxAround, distanceKm } from './geo.ts';
import { orukServices, orukServiceTexts, orukSummaryPage, orukTerm, serviceSummary } from './read.ts';
import {
  directoryLocations,
  directoryServiceAtLocations,
  directorySettings,
  directoryTaxonomies,
  directoryTaxonomyTerms,
} from './schema.ts';
import { sqlUuids } from './store.ts';

/*
 * The directory published as an Open Referral UK 3.0 API: open JSON, no sign-in, any origin. Lists are paged as
 * the specification's Page object (total_items, total_pages, page_number, size, first_page, last_page, empty,
 * contents); optional fields that are empty are left out. Unknown query parameters are ignored, as ORUK clients
 * send their own; a known parameter with a value we cannot read is a problem document naming it.
 *
 * `/oruk/v3` serves the deployment's ICB directory (the first ICB, or the one whose ODS code is configured);
 * `/oruk/v3/icbs/{ods}` serves any ICB's.
 */

export const ORUK_PROFILE = 'https://github.com/OpenReferralUK/uk-profile';
const OPENAPI_URL = 'https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json';
const MAX_PER_PAGE = 200;
const DEFAULT_PER_PAGE = 50;

const int = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be ${min} or more`)
    .max(max, `${name} must be ${max} or less`);
const timeParam = (name: string) =>
  z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, `${name} must be a time as HH:MM`)
    .transform((t) => t.slice(0, 5));
const dayParam = z.preprocess(
  (v) => (typeof v === 'string' ? v.slice(0, 2).toUpperCase() : v),
  z.enum(WEEKDAYS, { error: 'day must be a day of the week, like MO or Monday' }),
);
const paging = {
  page: int('page', 1, 1_000_000).default(1),
  per_page: int('per_page', 1, MAX_PER_PAGE).default(DEFAULT_PER_PAGE),
};
const serviceFilters = {
  ...paging,
  search: z.string().max(200, 'search must be 200 characters or fewer').optional(),
  taxonomy_term_id: z.uuid('taxonomy_term_id must be a UUID').optional(),
  taxonomy_id: z.uuid('taxonomy_id must be a UUID').optional(),
  minimum_age: int('minimum_age', 0, 150).optional(),
  maximum_age: int('maximum_age', 0, 150).optional(),
  start_time: timeParam('start_time').optional(),
  end_time: timeParam('end_time').optional(),
  day: dayParam.optional(),
  organization_id: z.uuid('organization_id must be a UUID').optional(),
  modified_after: z.iso
    .datetime({ offset: true, error: 'modified_after must be a date and time' })
    .optional(),
};
// z.object (not strict): unknown query parameters are ignored, as the specification expects.
const servicesQuery = z.object(serviceFilters);
const salQuery = z.object({
  ...serviceFilters,
  postcode: z.string().trim().max(10).optional(),
  proximity: int('proximity', 1, 200_000).optional(),
});
const listQuery = z.object(paging);
const termsQuery = z.object({
  ...paging,
  taxonomy_id: z.uuid('taxonomy_id must be a UUID').optional(),
  parent_id: z.uuid('parent_id must be a UUID').optional(),
  top_only: z.enum(['true', 'false']).optional(),
});
const idParams = z.object({ id: z.string().max(100) });

/** The Page object around contents already serialised as JSON. */
const pageText = (contents: string, total: number, pageNumber: number, perPage: number) => {
  const size = contents === '[]' ? 0 : (JSON.parse(contents) as unknown[]).length;
  const totalPages = Math.ceil(total / perPage);
  return `{"total_items":${total},"total_pages":${totalPages},"page_number":${pageNumber},"size":${size},"first_page":${pageNumber === 1},"last_page":${pageNumber >= totalPages},"empty":${size === 0},"contents":${contents}}`;
};

const ANCHOR_EVERY = 1000;
/**
 * Every thousandth service id of a directory, in id order, kept while its count stays the same (services are
 * never deleted, and a new one changes the count), so the ORUK list's page K costs the same at any depth.
 */
const anchors = new Map<string, { count: number; ids: string[] }>();

async function pageAnchor(
  tx: Db,
  icbId: string,
  count: number,
  start: number,
): Promise<{ id: string; position: number } | null> {
  if (start < ANCHOR_EVERY) return null;
  let known = anchors.get(icbId);
  if (!known || known.count !== count) {
    const rows = rowsOf<{ id: string }>(
      await tx.execute(sql`
        select id from (
          select id, row_number() over (order by id) - 1 as n from directory_services where organisation_id = ${icbId}
        ) t where n % ${ANCHOR_EVERY} = 0 order by id`),
    );
    known = { count, ids: rows.map((r) => r.id) };
    if (anchors.size > 100) anchors.clear();
    anchors.set(icbId, known);
  }
  const k = Math.min(Math.floor(start / ANCHOR_EVERY), known.ids.length - 1);
  return k >= 0 ? { id: known.ids[k]!, position: k * ANCHOR_EVERY } : null;
}

async function serviceCount(tx: Db, icbId: string): Promise<number> {
  const [row] = await tx
    .select({ n: directorySettings.serviceCount })
    .from(directorySettings)
    .where(eq(directorySettings.organisationId, icbId));
  return row?.n ?? 0;
}

const page = (rows: unknown[], total: number, pageNumber: number, perPage: number) => {
  const totalPages = Math.ceil(total / perPage);
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: pageNumber,
    size: rows.length,
    first_page: pageNumber === 1,
    last_page: pageNumber >= totalPages,
    empty: rows.length === 0,
    contents: rows,
  };
};

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

function serviceConditions(icbId: string, q: z.infer<typeof servicesQuery>): SQL[] {
  const c: SQL[] = [sql`s.organisation_id = ${icbId}`];
  if (q.search?.trim()) {
    c.push(sql`s.id in (select d.service_id from directory_search d where d.organisation_id = ${icbId}
      and d.search @@ websearch_to_tsquery('english', ${q.search.trim()}))`);
  }
  if (q.taxonomy_term_id) {
    c.push(sql`s.id in (select d.service_id from directory_search d where d.organisation_id = ${icbId}
      and d.term_ids && ${sqlUuids([q.taxonomy_term_id])})`);
  }
  if (q.taxonomy_id) {
    c.push(sql`s.term_ids && (select coalesce(array_agg(id), '{}') from directory_taxonomy_terms
      where organisation_id = ${icbId} and taxonomy_id = ${q.taxonomy_id})`);
  }
  // An age the service covers: minimum_age and maximum_age ask for services open to that age.
  if (q.minimum_age !== undefined) c.push(sql`(s.maximum_age is null or s.maximum_age >= ${q.minimum_age})`);
  if (q.maximum_age !== undefined) c.push(sql`(s.minimum_age is null or s.minimum_age <= ${q.maximum_age})`);
  if (q.day || q.start_time || q.end_time) {
    const days = q.day ? [q.day] : WEEKDAYS;
    const ranges = days.map((d) => weekRange(d, q.start_time, q.end_time));
    c.push(
      sql`s.weekly_hours && int4multirange(${sql.join(
        ranges.map(([a, b]) => sql`int4range(${a}::int, ${b}::int)`),
        sql`, `,
      )})`,
    );
  }
  if (q.organization_id) c.push(sql`s.directory_organisation_id = ${q.organization_id}`);
  if (q.modified_after) c.push(sql`s.updated_at >= ${q.modified_after}::timestamptz`);
  return c;
}

interface Resolved {
  icbId: string;
}

export const orukRoutes: FastifyPluginAsyncZod<
  AppDeps & { resolveIcb: (tx: Db, params: unknown) => Promise<Resolved> }
> = async (app, deps) => {
  // Open data: any web page may read it; nothing here is personal.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('access-control-allow-origin', '*');
    reply.header('cross-origin-resource-policy', 'cross-origin');
  });
  const read = <T>(params: unknown, work: (tx: Db, icbId: string) => Promise<T>) =>
    inTransaction(deps.db, publicContext(deps), async (tx) => {
      const { icbId } = await deps.resolveIcb(tx, params);
      return work(tx, icbId);
    });
  const tags = ['oruk'];

  app.get('/', { schema: { tags, summary: 'About this Open Referral UK API' } }, async () => ({
    version: '3.0',
    profile: ORUK_PROFILE,
    openapi_url: OPENAPI_URL,
  }));

  app.get(
    '/services',
    {
      schema: {
        tags,
        summary: 'Services, one-to-one fields and organisation, paged',
        querystring: servicesQuery,
      },
    },
    async (req, reply) => {
      const q = req.query;
      const json = await read(req.params, async (tx, icbId) => {
        const conditions = serviceConditions(icbId, q);
        // Unfiltered, the total is the directory's kept count; filtered, it is counted.
        const total =
          conditions.length === 1
            ? await serviceCount(tx, icbId)
            : Number(
                rowsOf<{ n: number }>(
                  await tx.execute(
                    sql`select count(*)::int as n from directory_services s where ${sql.join(conditions, sql` and `)}`,
                  ),
                )[0]!.n,
              );
        // Ids first (the primary key's index, in order), then the page's records. Unfiltered, the page starts
        // from the nearest anchor, so a deep page skips at most a thousand ids rather than up to the whole directory.
        const start = (q.page - 1) * q.per_page;
        const anchor = conditions.length === 1 ? await pageAnchor(tx, icbId, total, start) : null;
        const contents = await orukSummaryPage(
          tx,
          icbId,
          sql`select s.id from directory_services s where ${sql.join(conditions, sql` and `)}
            ${anchor ? sql`and s.id >= ${anchor.id}` : sql``}
            order by s.id limit ${q.per_page} offset ${anchor ? start - anchor.position : start}`,
        );
        return pageText(contents, total, q.page, q.per_page);
      });
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );

  app.get(
    '/services/:id',
    { schema: { tags, summary: 'One service, fully nested', params: idParams } },
    async (req, reply) => {
      const json = await read(req.params, async (tx, icbId) => {
        const id = req.params.id.toLowerCase();
        const text = isUuid(id) ? (await orukServiceTexts(tx, icbId, [id])).get(id) : undefined;
        if (!text) throw new NotFoundError('There is no service with this id in this directory.');
        return text;
      });
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );

  app.get(
    '/service_at_locations',
    {
      schema: {
        tags,
        summary: 'Services at locations, paged; postcode and proximity (metres) find those nearby',
        querystring: salQuery,
      },
    },
    async (req, reply) => {
      const json = await read(req.params, async (tx, icbId) => {
        const q = req.query;
        let near: SQL = sql``;
        let order: SQL = sql`sal.id`;
        if (q.postcode) {
          const place = await lookupPostcode(tx, q.postcode);
          if (!place) {
            throw new ValidationError(`The postcode ${q.postcode.toUpperCase()} is not known here.`, {
              field: 'postcode',
            });
          }
          const metres = q.proximity ?? 5000;
          const distance = sql`(1000 * ${distanceKm(sql`l.coords`, place)})`;
          near = sql`and l.coords <@ ${boxAround(place, metres / 1000)} and ${distance} <= ${metres}::float8`;
          order = sql`${distance}, sal.id`;
        } else if (q.proximity !== undefined) {
          throw new ValidationError('proximity needs a postcode to measure from.', { field: 'postcode' });
        }
        const [row] = rowsOf<{ json: string | null; total: number }>(
          await tx.execute(sql`
            with matched as (
              select sal.id, sal.service_id, sal.location_id, row_number() over (order by ${order}) as n
              from directory_service_at_locations sal
              join directory_services s on s.organisation_id = sal.organisation_id and s.id = sal.service_id
              join directory_locations l on l.organisation_id = sal.organisation_id and l.id = sal.location_id
              where ${sql.join(serviceConditions(icbId, q), sql` and `)} ${near}
            ), page as (
              select * from matched order by n limit ${q.per_page} offset ${(q.page - 1) * q.per_page}
            )
            select (select (jsonb_agg(jsonb_build_object('id', page.id, 'service_id', page.service_id,
                'location_id', page.location_id,
                'location', l.record - '{addresses,accessibility,attributes}'::text[],
                'service', ${serviceSummary}) order by page.n))::text
              from page
              join directory_services s on s.organisation_id = ${icbId} and s.id = page.service_id
              join directory_locations l on l.organisation_id = ${icbId} and l.id = page.location_id
              left join directory_organisations o on o.organisation_id = s.organisation_id
                and o.id = s.directory_organisation_id) as json,
              (select count(*) from matched) as total`),
        );
        return pageText(row?.json ?? '[]', Number(row?.total ?? 0), q.page, q.per_page);
      });
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );

  app.get(
    '/service_at_locations/:id',
    {
      schema: { tags, summary: 'One service at a location, with its location and service', params: idParams },
    },
    async (req) =>
      read(req.params, async (tx, icbId) => {
        const [sal] = isUuid(req.params.id)
          ? await tx
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
                  eq(directoryServiceAtLocations.id, req.params.id),
                ),
              )
          : [];
        if (!sal) throw new NotFoundError('There is no service at location with this id in this directory.');
        const [service] = await orukServices(tx, icbId, [{ id: sal.serviceId }]);
        const { service_at_locations: _s, ...withoutSals } = service as Record<string, unknown>;
        return compact({
          id: sal.id,
          service_id: sal.serviceId,
          location_id: sal.locationId,
          ...(sal.record as object),
          location: sal.location,
          service: withoutSals,
        });
      }),
  );

  app.get('/taxonomies', { schema: { tags, querystring: listQuery } }, async (req) =>
    read(req.params, async (tx, icbId) => {
      const { page: p, per_page } = req.query;
      const rows = await tx
        .select()
        .from(directoryTaxonomies)
        .where(eq(directoryTaxonomies.organisationId, icbId))
        .orderBy(asc(directoryTaxonomies.name), asc(directoryTaxonomies.id));
      return page(rows.slice((p - 1) * per_page, p * per_page).map(orukTaxonomy), rows.length, p, per_page);
    }),
  );
  app.get('/taxonomies/:id', { schema: { tags, params: idParams } }, async (req) =>
    read(req.params, async (tx, icbId) => {
      const [row] = isUuid(req.params.id)
        ? await tx
            .select()
            .from(directoryTaxonomies)
            .where(
              and(eq(directoryTaxonomies.organisationId, icbId), eq(directoryTaxonomies.id, req.params.id)),
            )
        : [];
      if (!row) throw new NotFoundError('There is no taxonomy with this id in this directory.');
      return orukTaxonomy(row);
    }),
  );
  app.get('/taxonomy_terms', { schema: { tags, querystring: termsQuery } }, async (req) =>
    read(req.params, async (tx, icbId) => {
      const q = req.query;
      const conditions: SQL[] = [sql`organisation_id = ${icbId}`];
      if (q.taxonomy_id) conditions.push(sql`taxonomy_id = ${q.taxonomy_id}`);
      if (q.parent_id) conditions.push(sql`parent_id = ${q.parent_id}`);
      if (q.top_only === 'true') conditions.push(sql`parent_id is null`);
      const rows = rowsOf<typeof directoryTaxonomyTerms.$inferSelect & { total: number }>(
        await tx.execute(sql`
            select id, name, description, parent_id as "parentId", taxonomy, taxonomy_id as "taxonomyId",
              term_uri as "termUri", code, count(*) over () as total
            from directory_taxonomy_terms where ${sql.join(conditions, sql` and `)}
            order by name, id limit ${q.per_page} offset ${(q.page - 1) * q.per_page}`),
      );
      return page(rows.map(orukTerm), rows[0] ? Number(rows[0].total) : 0, q.page, q.per_page);
    }),
  );
  app.get('/taxonomy_terms/:id', { schema: { tags, params: idParams } }, async (req) =>
    read(req.params, async (tx, icbId) => {
      const [row] = isUuid(req.params.id)
        ? await tx
            .select()
            .from(directoryTaxonomyTerms)
            .where(
              and(
                eq(directoryTaxonomyTerms.organisationId, icbId),
                eq(directoryTaxonomyTerms.id, req.params.id),
              ),
            )
        : [];
      if (!row) throw new NotFoundError('There is no taxonomy term with this id in this directory.');
      return orukTerm(row);
    }),
  );
};

const orukTaxonomy = (t: typeof directoryTaxonomies.$inferSelect) =>
  compact({ id: t.id, name: t.name, description: t.description, uri: t.uri, version: t.version });

/** Reading open data needs no tenant: the directory's read policies let anyone read it. */
function publicContext(deps: AppDeps): Actor {
  return {
    userId: '',
    sessionId: '',
    actingOrganisationId: null,
    actingOrganisationType: null,
    roles: [],
    scopeOrganisationIds: [],
    requestId: '',
    ip: null,
    now: deps.clock.now(),
  };
}

/** The ICB `/oruk/v3` serves: the configured ODS code's, else the first ICB made. */
export function defaultIcbResolver(odsCode: string | null) {
  // Which ICB that is changes only when ICBs are made: looked up once a minute, not once a request.
  let cached: { icbId: string; at: number } | null = null;
  return async (tx: Db): Promise<Resolved> => {
    if (cached && Date.now() - cached.at < 60_000) return { icbId: cached.icbId };
    const [icb] = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(
        odsCode
          ? and(eq(organisations.type, 'icb'), eq(organisations.odsCode, odsCode))
          : eq(organisations.type, 'icb'),
      )
      .orderBy(asc(organisations.createdAt), asc(organisations.id))
      .limit(1);
    if (!icb) throw new NotFoundError('This Linkwork publishes no directory yet.');
    cached = { icbId: icb.id, at: Date.now() };
    return { icbId: icb.id };
  };
}

export async function icbFromParams(tx: Db, params: unknown): Promise<Resolved> {
  const ods = String((params as { ods?: string }).ods ?? '').toUpperCase();
  const [icb] = await tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(and(eq(organisations.type, 'icb'), eq(organisations.odsCode, ods)));
  if (!icb) throw new NotFoundError(`There is no ICB with the ODS code ${ods} here.`);
  return { icbId: icb.id };
}
