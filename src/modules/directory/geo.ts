import { type SQL, sql } from 'drizzle-orm';

/*
 * Distances on the directory's `point` coordinates (x = longitude, y = latitude): a box around an origin for the
 * GiST index, then the great-circle distance for the exact cut. Shared by search and the ORUK API.
 */

export interface Origin {
  latitude: number;
  longitude: number;
}

const KM_PER_DEGREE = 111.32;

/** A box containing every point within `km` of the origin (longitude degrees shrink towards the poles). */
export function boxAround(origin: Origin, km: number): SQL {
  const dLat = km / KM_PER_DEGREE;
  const dLon = km / (KM_PER_DEGREE * Math.max(Math.cos((origin.latitude * Math.PI) / 180), 0.01));
  return sql`box(point(${origin.longitude - dLon}::float8, ${origin.latitude - dLat}::float8), point(${origin.longitude + dLon}::float8, ${origin.latitude + dLat}::float8))`;
}

/** Haversine distance in kilometres from the origin to a `point` column. */
export function distanceKm(coords: SQL, origin: Origin): SQL {
  return sql`(12742 * asin(sqrt(
      power(sin(radians(${coords}[1] - ${origin.latitude}::float8) / 2), 2)
      + cos(radians(${origin.latitude}::float8)) * cos(radians(${coords}[1]))
        * power(sin(radians(${coords}[0] - ${origin.longitude}::float8) / 2), 2))))`;
}
