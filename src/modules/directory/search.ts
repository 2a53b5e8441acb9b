import { type SQL, sql } from 'drizzle-orm';
import { type AccessibilityFeature, type AttendingType, type Weekday, weekRange } from './derive.ts';
import { sqlUuids } from './store.ts';

/*
 * Search that helps a link worker: words (English stemming, and trigrams for typos), needs and taxonomy terms,
 * distance from a postcode, day and time, age, cost, how to attend, language and accessibility, in one
 * statement. With a distance the search starts from the locations in a box around the origin (GiST index on
 * the coordinates), so a 5 km search reads a few hundred locations whatever the directory's size.
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
  /** Include services that are inactive, defunct or temporarily closed (directory managers). */
  includeClosed?: boolean | undefined;
  page: number;
  perPage: number;
}

export interface Origin {
  latitude: number;
  longitude: number;
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
  location_accessibility: string[] | null;
  organisation_name: string | null;
  score: number;
  total: number;
}

const KM_PER_DEGREE = 111.32;

const distanceKm = (origin: Origin) =>
  sql`(12742 * asin(sqrt(
      power(sin(radians(l.coords[1] - ${origin.latitude}::float8) / 2), 2)
      + cos(radians(${origin.latitude}::float8)) * cos(radians(l.coords[1]))
        * power(sin(radians(l.coords[0] - ${origin.longitude}::float8) / 2), 2))))`;

/** The search as one statement: rows of the page asked for, each with the total number of matches. */
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

  const conditions: SQL[] = [sql`s.organisation_id = ${icbId}`];
  if (!f.includeClosed) conditions.push(sql`s.status = 'active'`);
  if (q && tsquery) {
    // Words, stemmed ("walks" finds "walking"), or near enough to a word of the name or tags ("wlking").
    conditions.push(sql`(s.search @@ ${tsquery} or ${q} <% (s.name || ' ' || s.search_text))`);
  }
  if (wantedTerms) conditions.push(sql`s.term_ids && ${wantedTerms}`);
  if (f.day) {
    const [a, b] = weekRange(f.day, f.from, f.to);
    conditions.push(sql`s.weekly_hours && int4multirange(int4range(${a}::int, ${b}::int))`);
  }
  if (f.age !== undefined) {
    conditions.push(
      sql`(s.minimum_age is null or s.minimum_age <= ${f.age}) and (s.maximum_age is null or s.maximum_age >= ${f.age})`,
    );
  }
  if (f.free) conditions.push(sql`s.is_free`);
  if (f.attending) conditions.push(sql`${f.attending} = any(s.attending_types)`);
  if (f.language) conditions.push(sql`${f.language.trim().toLowerCase()} = any(s.languages)`);

  const locationConditions: SQL[] = [sql`l.coords is not null`];
  if (f.accessibility) locationConditions.push(sql`${f.accessibility} = any(l.accessibility)`);

  const nearest = (extra: SQL | null) => sql`
    select l.name as location_name, l.postcode as location_postcode, l.accessibility as location_accessibility,
      ${origin ? distanceKm(origin) : sql`null::float8`} as distance_km
    from directory_service_at_locations sal
    join directory_locations l on l.organisation_id = sal.organisation_id and l.id = sal.location_id
    where sal.organisation_id = s.organisation_id and sal.service_id = s.id
      and ${sql.join(locationConditions, sql` and `)} ${extra ?? sql``}
    order by distance_km nulls last
    limit 1`;

  const rank = sql.join(
    [
      q && tsquery
        ? sql`ts_rank_cd(s.search, ${tsquery}) * 4 + word_similarity(${q}, s.name || ' ' || s.search_text)`
        : sql`0`,
      wantedTerms
        ? sql`0.5 * (select count(*) from unnest(s.term_ids) t where t = any(${wantedTerms}))`
        : sql`0`,
      origin ? sql`coalesce(1.0 / (1.0 + s.distance_km), 0)` : sql`0`,
    ],
    sql` + `,
  );

  let from: SQL;
  if (origin && f.withinKm !== undefined) {
    const dLat = f.withinKm / KM_PER_DEGREE;
    const dLon = f.withinKm / (KM_PER_DEGREE * Math.max(Math.cos((origin.latitude * Math.PI) / 180), 0.01));
    const box = sql`box(point(${origin.longitude - dLon}::float8, ${origin.latitude - dLat}::float8), point(${origin.longitude + dLon}::float8, ${origin.latitude + dLat}::float8))`;
    // Services at a location within the distance, then (only when the search says what it is for) services
    // nobody travels to — online or by phone — which are as near as anything.
    const located = sql`
      select s.*, n.location_name, n.location_postcode, n.location_accessibility, n.distance_km
      from (
        select distinct sal.service_id
        from directory_locations l
        join directory_service_at_locations sal on sal.organisation_id = l.organisation_id and sal.location_id = l.id
        where l.organisation_id = ${icbId} and l.coords <@ ${box}
          and ${sql.join(locationConditions, sql` and `)}
      ) near
      join directory_services s on s.organisation_id = ${icbId} and s.id = near.service_id
      cross join lateral (${nearest(sql`and l.coords <@ ${box}`)}) n
      where ${sql.join(conditions, sql` and `)} and n.distance_km <= ${f.withinKm}::float8`;
    const remote =
      (q || wantedTerms) && f.attending !== 'in_person' && !f.accessibility
        ? sql`
      union all
      select s.*, null, null, null, null::float8
      from directory_services s
      where ${sql.join(conditions, sql` and `)} and not ('in_person' = any(s.attending_types))`
        : sql``;
    from = sql`(${located} ${remote}) s`;
  } else {
    from = sql`(
      select s.*, n.location_name, n.location_postcode, n.location_accessibility, n.distance_km
      from directory_services s
      left join lateral (${nearest(null)}) n on true
      where ${sql.join(conditions, sql` and `)}
        ${f.accessibility ? sql`and n.location_accessibility is not null` : sql``}
    ) s`;
  }
  return sql`
    select s.id, s.name, s.description, s.status, s.assured_date, s.is_free, s.attending_types, s.languages,
      s.term_ids, s.minimum_age, s.maximum_age, s.record, s.distance_km, s.location_name, s.location_postcode,
      s.location_accessibility, o.name as organisation_name,
      (${rank}) as score,
      count(*) over () as total
    from ${from}
    left join directory_organisations o on o.organisation_id = s.organisation_id and o.id = s.directory_organisation_id
    order by score desc, s.distance_km nulls last, s.name, s.id
    limit ${f.perPage} offset ${(f.page - 1) * f.perPage}`;
}
