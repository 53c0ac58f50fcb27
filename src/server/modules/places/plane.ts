// The nearest-places search walks a GiST index of points on a flat plane: longitude scaled by the
// cosine of the service area's middle latitude, so a degree east counts for what it measures on
// the ground there. Across a city (a degree or two of latitude) the scale is right to about 1%,
// and a point index answers "nearest first" several times faster than the earth-cube index
// (~0.1 ms against ~0.6 ms for ten places among 100,000). Distances shown are still exact
// (earth_distance). The scale depends on the configured service area, so the index is made at
// start-up under a name that carries it, and remade when the area moves.
import { sql, type RawBuilder } from 'kysely';
import type { Config } from '../../config.js';
import type { Db } from '../../db/connect.js';

export interface Plane {
  /** cos(middle latitude), rounded to four places so the index expression is a fixed literal. */
  scale: number;
}

export function planeOf(area: Config['serviceArea']): Plane {
  const middle = ((area.south + area.north) / 2) * (Math.PI / 180);
  return { scale: Number(Math.cos(middle).toFixed(4)) };
}

function indexName(plane: Plane): string {
  return `places_plane_${Math.round(plane.scale * 10_000)}`;
}

/** A place `p` on the plane; the same expression as the index, so the planner can use it. */
export function placeOnPlane(plane: Plane): RawBuilder<unknown> {
  return sql`point(p.lng * ${sql.lit(plane.scale)}, p.lat)`;
}

/** A point given in degrees, on the plane. */
export function pointOnPlane(plane: Plane, lat: number, lng: number): RawBuilder<unknown> {
  return sql`point(${lng * plane.scale}::float8, ${lat}::float8)`;
}

/** Creates this plane's index (once) and drops those of earlier service areas. */
export async function ensurePlaneIndex(db: Db, plane: Plane): Promise<void> {
  const name = indexName(plane);
  const stale = await sql<{ name: string }>`
    select indexname as name from pg_indexes
    where tablename = 'places' and indexname like 'places\\_plane\\_%' and indexname <> ${name}`.execute(db);
  for (const { name: old } of stale.rows) await sql`drop index if exists ${sql.id(old)}`.execute(db);
  await sql`create index if not exists ${sql.id(name)} on places using gist ((point(lng * ${sql.lit(plane.scale)}, lat)))`.execute(db);
}
