import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../db/connect.js';
import { likeContains } from '../../db/scope.js';
import type { Amenity, NewPlace, Place, PlaceKind } from './tables.js';

/** Weekly hours as [weekday, opens, closes] and exceptions as [date, opens, closes, note]. */
export type HoursTuple = [number, number, number];
export type ExceptionTuple = [string, number | null, number | null, string | null];
export type PlaceRow = Omit<Place, 'week_hours' | 'exception_dates'> & {
  region_name: string;
  organisation_name: string | null;
  hours: HoursTuple[];
  exceptions: ExceptionTuple[];
};
export type NearPlaceRow = PlaceRow & { distance_m: number; open_now: boolean };

export interface OpenClock {
  weekday: number;
  minute: number;
  date: string;
}

/**
 * Open at a Beijing clock time, for the place aliased `p`: that date's exception decides when
 * there is one; otherwise the 24-hour flag or the week's hours. Only the rare exception day
 * needs a look into place_exceptions; the rest is a test on the row.
 */
export function placeOpenAt(clock: OpenClock): RawBuilder<boolean> {
  const date = sql`${clock.date}::date`;
  const minuteOfWeek = clock.weekday * 1440 + clock.minute;
  return sql<boolean>`(case
    when p.exception_dates @> array[${clock.date}::text]
      then exists (select 1 from place_exceptions e where e.place_id = p.id and e.on_date = ${date}
        and e.opens <= ${clock.minute} and e.closes > ${clock.minute})
    else p.always_open or p.week_hours @> ${minuteOfWeek}::int4
    end)`;
}

/** The point on the earth's surface, as the GiST index places_earth holds it. */
function earthAt(lat: number, lng: number) {
  return sql`ll_to_earth(${lat}::float8, ${lng}::float8)`;
}

function hasAmenities(amenities: Amenity[]): Expression<SqlBool> {
  return sql<SqlBool>`p.amenities @> array[${sql.join(amenities)}]::text[]`;
}

/** A place with its region, organisation, hours and exceptions: one round trip, however many rows. */
function selectPlaces(db: Db) {
  return db
    .selectFrom('places as p')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .leftJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select([
      'p.id',
      'p.name',
      'p.kind',
      'p.region_code',
      'p.region_path',
      'p.district_code',
      'p.address',
      'p.lat',
      'p.lng',
      'p.source_datum',
      'p.accuracy_m',
      'p.contact_name',
      'p.contact_phone',
      'p.organisation_id',
      'p.amenities',
      'p.always_open',
      'p.is_active',
      'p.is_demo',
      'p.created_at',
      'p.updated_at',
      'r.name as region_name',
      'o.name as organisation_name',
    ])
    .select(
      sql<HoursTuple[]>`coalesce((select json_agg(json_build_array(h.weekday, h.opens, h.closes) order by h.weekday, h.opens)
        from place_hours h where h.place_id = p.id), '[]'::json)`.as('hours'),
    )
    .select(
      sql<
        ExceptionTuple[]
      >`coalesce((select json_agg(json_build_array(to_char(e.on_date, 'YYYY-MM-DD'), e.opens, e.closes, e.note) order by e.on_date)
        from place_exceptions e where e.place_id = p.id), '[]'::json)`.as('exceptions'),
    );
}

export interface NearestFilter {
  lat: number;
  lng: number;
  kinds: PlaceKind[];
  amenities: Amenity[];
  /** The time "open" is judged at, and whether closed places are left out. */
  clock: OpenClock;
  openOnly: boolean;
  limit: number;
}

/** Nearest active places first: ORDER BY the cube distance `<->`, which the GiST index answers in order. */
export function findNearestPlaces(db: Db, f: NearestFilter): Promise<NearPlaceRow[]> {
  return nearestPlacesQuery(db, f).execute();
}

/** The query itself, for the plan test that keeps it on the index. */
export function nearestPlacesQuery(db: Db, f: NearestFilter) {
  const here = earthAt(f.lat, f.lng);
  let query = selectPlaces(db)
    .select(sql<number>`earth_distance(ll_to_earth(p.lat, p.lng), ${here})`.as('distance_m'))
    .select(placeOpenAt(f.clock).as('open_now'))
    .where('p.is_active', '=', true);
  if (f.kinds.length > 0) query = query.where('p.kind', 'in', f.kinds);
  if (f.amenities.length > 0) query = query.where(hasAmenities(f.amenities));
  if (f.openOnly) query = query.where(placeOpenAt(f.clock));
  return query.orderBy(sql`ll_to_earth(p.lat, p.lng) <-> ${here}`).limit(f.limit);
}

export interface BoxFilter {
  box: { south: number; west: number; north: number; east: number } | null;
  text: string | null;
  kinds: PlaceKind[];
  limit: number;
}

export function findPlacesInBox(db: Db, f: BoxFilter): Promise<PlaceRow[]> {
  let query = selectPlaces(db).where('p.is_active', '=', true);
  if (f.box) {
    const { south, west, north, east } = f.box;
    query = query.where('p.lat', '>=', south).where('p.lat', '<=', north).where('p.lng', '>=', west).where('p.lng', '<=', east);
  }
  if (f.kinds.length > 0) query = query.where('p.kind', 'in', f.kinds);
  if (f.text) {
    const pattern = likeContains(f.text);
    query = query.where((eb) => eb.or([eb('p.name', 'ilike', pattern), eb('p.address', 'ilike', pattern)]));
  }
  return query.orderBy('p.name').orderBy('p.id').limit(f.limit).execute();
}

export function findPlaceById(db: Db, id: string): Promise<PlaceRow | undefined> {
  return selectPlaces(db).where('p.id', '=', id).executeTakeFirst();
}

export function lockPlace(db: Db, id: string): Promise<Place | undefined> {
  return db.selectFrom('places').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertPlace(db: Db, place: NewPlace): Promise<string> {
  const row = await db.insertInto('places').values(place).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePlaceRow(db: Db, id: string, place: NewPlace): Promise<void> {
  await db
    .updateTable('places')
    .set({ ...place, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Replaces a place's weekly hours and exceptions, and their copies on the place's row. */
export async function replaceHours(
  db: Db,
  placeId: string,
  hours: { weekday: number; opens: number; closes: number }[],
  exceptions: { date: string; opens: number | null; closes: number | null; note: string | null }[],
): Promise<void> {
  const week = hours.map((h) => `[${h.weekday * 1440 + h.opens},${h.weekday * 1440 + h.closes})`).join(',');
  await db
    .updateTable('places')
    .set({ week_hours: `{${week}}`, exception_dates: exceptions.map((e) => e.date) })
    .where('id', '=', placeId)
    .execute();
  await db.deleteFrom('place_hours').where('place_id', '=', placeId).execute();
  await db.deleteFrom('place_exceptions').where('place_id', '=', placeId).execute();
  if (hours.length > 0)
    await db
      .insertInto('place_hours')
      .values(hours.map((h) => ({ place_id: placeId, ...h })))
      .execute();
  if (exceptions.length > 0) {
    await db
      .insertInto('place_exceptions')
      .values(exceptions.map((e) => ({ place_id: placeId, on_date: e.date, opens: e.opens, closes: e.closes, note: e.note })))
      .execute();
  }
}
