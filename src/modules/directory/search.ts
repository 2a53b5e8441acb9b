import { type SQL, sql } from 'drizzle-orm';
import { type AccessibilityFeature, type AttendingType, type Weekday, weekRange } from './derive.ts';
import { boxAround, distanceKm, type Origin } from './geo.ts';
import { sqlUuids } from './store.ts';

export type { Origin };

/*
 * Search that helps a link worker: words (English stemming, and trigrams for typos), needs and taxonomy terms,
 * distance from a postcode, day and time, age, cost, how to attend, language and accessibility, in one
 * statement over directory_search (one row per service and location, every filter on the row). With a distance
 * the search starts from the box around the origin on the coordinates' GiST index, so a 5 km search reads the few
 * hundred rows in the box whatever the directory's size; without one, from the words' or terms' GIN index. Only
 * the page of results chosen is joined to the services, locations and organisations it shows.
 */

/**
 * How near a typed word must be to a word of a service's name or tags (pg_trgm's word similarity, 0–1): 0.5
 * lets "wlking" find "walking" (0.57) without "walk" finding "talk". Set per transaction before a search.
 */
export const TYPO_TOLERANCE = sql`select set_config('pg_trgm.word_similarity_threshold', '0.5', true)`;

export interface SearchFilters {
  q?: string | undefined;
  termIds?: readonly string[] | undefined;
  needs?: readonly string[] | undefined;
  withinKm?: number | undefined;
  day?: Weekday | undefined;
  from?: string | undefined;
  to?: string | undefined;
  age?: number | undefined;
  free?: boolean | undefined;
  attending?: AttendingType | undefined;
  language?: string | undefined;
  accessibility?: AccessibilityFeature | undefined;
  /**
   * Match words by trigram similarity instead of stemmed full text: the second try when the words found nothing
   * ("wlking" → "walking"). Kept apart so the usual search stays on the full-text index.
   */
  fuzzy?: boolean | undefined;
  /** Include services that are inactive, defunct or temporarily closed (directory managers). */
  includeClosed?: boolean | undefined;
  page: number;
  perPage: number;
}

export interface SearchRow {
  id: string;
  name: string;
  description: string | null;
  status: string;
  assured_date: string | null;
  is_free: boolean;
  attending_types: string[];
  languages: string[];
  term_ids: string[];
  minimum_age: number | null;
  maximum_age: number | null;
  record: unknown;
  distance_km: number | null;
  location_name: string | null;
  location_postcode: string | null;
  organisation_name: string | null;
  /** The service's taxonomy terms, named. */
  terms: { id: string; name: string }[] | null;
  score: number;
  total: number;
}

/** The search as one statement: rows of the page asked for, each with the total number of matching services. */
export function searchStatement(icbId: string, f: SearchFilters, origin: Origin | null, _now: Date): SQL {
  const q = f.q?.trim() ? f.q.trim() : null;
  const tsquery = q ? sql`websearch_to_tsquery('english', ${q})` : null;
  const wantedTerms: SQL | null =
    (f.termIds?.length ?? 0) > 0 || (f.needs?.length ?? 0) > 0
      ? sql`(${sqlUuids(f.termIds ?? [])} || coalesce((
            select array_agg(term_id) from directory_need_terms
            where organisation_id = ${icbId} and need = any(${`{${(f.needs ?? []).join(',')}}`}::text[])),
          '{}'::uuid[]))`
      : null;

  const conditions: SQL[] = [sql`d.organisation_id = ${icbId}`];
  if (!f.includeClosed) conditions.push(sql`d.status = 'active'`);
  if (q && tsquery) {
    // Words, stemmed ("walks" finds "walking"); on the second try, near enough to a word of the name or tags.
    conditions.push(f.fuzzy ? sql`${q} <% d.words` : sql`d.search @@ ${tsquery}`);
  }
  if (wantedTerms) conditions.push(sql`d.term_ids && ${wantedTerms}`);
  if (f.day) {
    const [a, b] = weekRange(f.day, f.from, f.to);
    conditions.push(sql`d.weekly_hours && int4multirange(int4range(${a}::int, ${b}::int))`);
  }
  if (f.age !== undefined) {
    conditions.push(
      sql`(d.minimum_age is null or d.minimum_age <= ${f.age}) and (d.maximum_age is null or d.maximum_age >= ${f.age})`,
    );
  }
  if (f.free) conditions.push(sql`d.is_free`);
  if (f.attending) conditions.push(sql`${f.attending} = any(d.attending_types)`);
  if (f.language) conditions.push(sql`${f.language.trim().toLowerCase()} = any(d.languages)`);
  if (f.accessibility) conditions.push(sql`${f.accessibility} = any(d.accessibility)`);
  const where = sql.join(conditions, sql` and `);

  const textScore = !q
    ? sql`0`
    : f.fuzzy
      ? sql`word_similarity(${q}, d.words)`
      : sql`ts_rank_cd(d.search, ${tsquery!}) * 4`;
  const termScore = wantedTerms
    ? sql`0.5 * (select count(*) from unnest(d.term_ids) t where t = any(${wantedTerms}))`
    : sql`0`;

  let rows: SQL;
  if (origin && f.withinKm !== undefined) {
    const box = boxAround(origin, f.withinKm);
    // Services at a location within the distance, then (only when the search says what it is for) services
    // nobody travels to — online or by phone — which are as near as anything.
    const remote =
      (q || wantedTerms) && f.attending !== 'in_person' && !f.accessibility
        ? sql`
        union all
        select d.service_id, null::uuid, null::float8, ${textScore} + ${termScore}
        from directory_search d
        where ${where} and d.coords is null and not ('in_person' = any(d.attending_types))`
        : sql``;
    rows = sql`
      select d.service_id, d.location_id, x.distance_km, ${textScore} + ${termScore} + 1.0 / (1.0 + x.distance_km)
      from directory_search d
      cross join lateral (select ${distanceKm(sql`d.coords`, origin)} as distance_km) x
      where ${where} and d.coords <@ ${box} and x.distance_km <= ${f.withinKm}::float8
      ${remote}`;
  } else {
    rows = sql`
      select d.service_id, d.location_id, null::float8, ${textScore} + ${termScore}
      from directory_search d
      where ${where}`;
  }
  // One result per service: its nearest matching location and its best score.
  return sql`
    with hits(service_id, location_id, distance_km, score) as (${rows}),
    best as (
      select distinct on (service_id) service_id, location_id, distance_km, score
      from hits order by service_id, distance_km nulls last, score desc
    ),
    page as (
      select b.*, count(*) over () as total from best b
      order by b.score desc, b.distance_km nulls last, b.service_id
      limit ${f.perPage} offset ${(f.page - 1) * f.perPage}
    )
    select s.id, s.name, s.description, s.status, s.assured_date, s.is_free, s.attending_types, s.languages,
      s.term_ids, s.minimum_age, s.maximum_age, s.record, p.distance_km, l.name as location_name,
      l.record #>> '{addresses,0,postal_code}' as location_postcode, o.name as organisation_name, p.score, p.total,
      (select jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name) order by t.name)
        from directory_taxonomy_terms t where t.organisation_id = ${icbId} and t.id = any(s.term_ids)) as terms
    from page p
    join directory_services s on s.organisation_id = ${icbId} and s.id = p.service_id
    left join directory_locations l on l.organisation_id = ${icbId} and l.id = p.location_id
    left join directory_organisations o on o.organisation_id = ${icbId} and o.id = s.directory_organisation_id
    order by p.score desc, p.distance_km nulls last, p.service_id`;
}
