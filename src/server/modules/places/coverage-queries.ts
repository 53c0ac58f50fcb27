// SQL for the coverage view: open places near a region, and workers' presence counted per grid cell.
import { sql } from 'kysely';
import type { Db } from '../../db/connect.js';
import { placeOpenAt, type OpenClock } from './queries.js';
import type { PlaceKind } from './tables.js';

export interface Box {
  south: number;
  west: number;
  north: number;
  east: number;
}

/** Active places of these kinds (none: all) in the box that are open at the clock time. */
export async function findOpenPlacesInBox(db: Db, box: Box, kinds: PlaceKind[], clock: OpenClock): Promise<{ lat: number; lng: number }[]> {
  let query = db
    .selectFrom('places as p')
    .select(['p.lat', 'p.lng'])
    .where('p.is_active', '=', true)
    .where('p.lat', '>=', box.south)
    .where('p.lat', '<=', box.north)
    .where('p.lng', '>=', box.west)
    .where('p.lng', '<=', box.east)
    .where(placeOpenAt(clock));
  if (kinds.length > 0) query = query.where('p.kind', 'in', kinds);
  return query.execute();
}

/** The grid the counts are binned into: metres per degree and the cell size, from an origin. */
export interface GridFrame {
  lat0: number;
  lng0: number;
  metresPerDegLat: number;
  metresPerDegLng: number;
  cellM: number;
}

/**
 * Where workers have been since `since` inside the box, counted per grid cell (i: column, j: row):
 * their check-ins at places and the locations of the photo reports they sent.
 */
export async function countPresencePerCell(
  db: Db,
  box: Box,
  frame: GridFrame,
  since: Date,
): Promise<{ i: number; j: number; n: number }[]> {
  const { lat0, lng0, metresPerDegLat, metresPerDegLng, cellM } = frame;
  const { rows } = await sql<{ i: number; j: number; n: number }>`
    select floor((x.lng - ${lng0}::float8) * ${metresPerDegLng}::float8 / ${cellM}::float8)::int as i,
           floor((x.lat - ${lat0}::float8) * ${metresPerDegLat}::float8 / ${cellM}::float8)::int as j,
           count(*)::int as n
    from (
      select lat, lng from place_check_ins
      where checked_in_at >= ${since}
        and lat between ${box.south}::float8 and ${box.north}::float8
        and lng between ${box.west}::float8 and ${box.east}::float8
      union all
      select lat, lng from reports
      where created_at >= ${since} and raised_by is not null
        and lat between ${box.south}::float8 and ${box.north}::float8
        and lng between ${box.west}::float8 and ${box.east}::float8
    ) x
    group by 1, 2`.execute(db);
  return rows;
}
